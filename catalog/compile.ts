/**
 * Build-time catalog compiler: YAML source → validated CompiledCatalog (JSON).
 * Used by vite (build and dev server), the browser test server and Node tests.
 * The browser never ships a YAML parser; it only ever sees the JSON this returns.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { LineCounter, parseDocument, visit } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import { CatalogError } from '../worker/engine/errors.js';
import { compileCatalog } from '../worker/engine/catalog.js';
import type { CompiledCatalog } from '../worker/engine/types.js';

/** Largest catalog source accepted; real catalogs are a few dozen kB. */
export const MAX_CATALOG_BYTES = 1_000_000;

/**
 * Parses and validates catalog source text. Aliases are refused outright (a catalog
 * needs none, and they are how "billion laughs" documents blow up memory); duplicate
 * keys are an error; `__proto__` keys arrive as own properties and are rejected by
 * validation as unknown fields.
 */
export function compileCatalogSource(source: string, file = 'catalog.yaml'): CompiledCatalog {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_CATALOG_BYTES) {
    throw new CatalogError(file, undefined, 'file', `is ${bytes} bytes; a catalog may be at most ${MAX_CATALOG_BYTES} bytes`);
  }
  // prettyErrors off: the message stays one sentence; the position and the quoted line are added once, below.
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: false, lineCounter });
  const problem = doc.errors[0];
  if (problem) throw yamlSyntaxError(file, source, problem, lineCounter);
  if (containsAlias(doc)) {
    throw new CatalogError(file, undefined, 'yaml', 'anchors and aliases (&name, *name) are not allowed in a catalog');
  }
  return compileCatalog(doc.toJS({ maxAliasCount: 0 }), file);
}

/**
 * A YAML parse error, located the way compilers and editors expect: `file:line:column:`, the
 * template it is in (or, in the header, the first one after it), then the line with a caret.
 */
export class CatalogSyntaxError extends CatalogError {
  constructor(
    file: string,
    near: NearTemplate | undefined,
    readonly line: number,
    readonly column: number,
    reason: string,
    sourceLine: string,
  ) {
    super(file, near?.id, `line ${line}, column ${column}`, reason);
    this.name = 'CatalogSyntaxError';
    const where = near === undefined ? '' : ` ${near.before ? 'before' : 'in'} template "${near.id}"`;
    this.message = `${file}:${line}:${column}: invalid YAML${where}: ${reason}\n${quoteLine(line, column, sourceLine)}`;
  }
}

/** The template a syntax error is in, or, for one in the header, the first template after it. */
interface NearTemplate {
  id: string;
  before: boolean;
}

/** ` 12 |     target: [1` and, under it, a caret at the column (tabs kept, so the caret lines up). */
export function quoteLine(line: number, column: number, text: string): string {
  const gutter = ` ${line} | `;
  const indent = text.slice(0, column - 1).replace(/[^\t]/g, ' ');
  return `${gutter}${text}\n${' '.repeat(gutter.length - 2)}| ${indent}^`;
}

/** A template's `id:` line, with or without the list dash, the value optionally quoted. */
const ID_LINE = /^\s*(?:-\s+)?id:\s*(["']?)([^"'\s#]+)\1/;

/**
 * The id of the template whose `id:` line is the last at or before `line`; in the header,
 * the first template after it. Read from the raw lines, since a file with a syntax error
 * has no reliable tree.
 */
export function templateNear(lines: readonly string[], line: number): NearTemplate | undefined {
  let after: string | undefined;
  for (let i = lines.length - 1; i >= 0; i--) {
    const id = ID_LINE.exec(lines[i]!)?.[2];
    if (id === undefined) continue;
    if (i < line) return { id, before: false };
    after = id;
  }
  return after === undefined ? undefined : { id: after, before: true };
}

function yamlSyntaxError(file: string, source: string, problem: YAMLError, lineCounter: LineCounter): CatalogSyntaxError {
  const { line, col } = lineCounter.linePos(problem.pos[0]);
  const lines = source.split(/\r?\n/);
  const sourceLine = lines[line - 1] ?? '';
  const reason = problem.code === 'DUPLICATE_KEY' ? duplicateKey(sourceLine.slice(col - 1)) : problem.message.split('\n')[0]!.trim();
  return new CatalogSyntaxError(file, templateNear(lines, line), line, col, reason, sourceLine);
}

function duplicateKey(rest: string): string {
  const key = /^["']?([^"':]+)/.exec(rest)?.[1]?.trim();
  return key ? `duplicate key "${key}"` : 'duplicate key';
}

function containsAlias(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Reads, size-checks and compiles a catalog file. Errors name the file by its base name, or
 * by `name` (the command line passes the path as the user typed it).
 */
export function compileCatalogFile(path: string, name = basename(path)): CompiledCatalog {
  const file = name;
  const size = statSync(path).size;
  if (size > MAX_CATALOG_BYTES) {
    throw new CatalogError(file, undefined, 'file', `is ${size} bytes; a catalog may be at most ${MAX_CATALOG_BYTES} bytes`);
  }
  return compileCatalogSource(readFileSync(path, 'utf8'), file);
}
