/**
 * Build-time catalog compiler: YAML source → validated CompiledCatalog (JSON).
 * Used by vite (build and dev server), the browser test server and Node tests.
 * The browser never ships a YAML parser; it only ever sees the JSON this returns.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDocument, visit } from 'yaml';
import type { Document } from 'yaml';
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
  const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: true });
  const problem = doc.errors[0];
  if (problem) {
    const line = problem.linePos?.[0]?.line;
    const where = line === undefined ? 'yaml' : `line ${line}`;
    const reason = problem.code === 'DUPLICATE_KEY' ? 'duplicate key' : problem.message.split('\n')[0]!;
    throw new CatalogError(file, undefined, where, reason);
  }
  if (containsAlias(doc)) {
    throw new CatalogError(file, undefined, 'yaml', 'anchors and aliases (&name, *name) are not allowed in a catalog');
  }
  return compileCatalog(doc.toJS({ maxAliasCount: 0 }), file);
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

/** Reads, size-checks and compiles a catalog file. Errors name the file by its base name. */
export function compileCatalogFile(path: string): CompiledCatalog {
  const file = basename(path);
  const size = statSync(path).size;
  if (size > MAX_CATALOG_BYTES) {
    throw new CatalogError(file, undefined, 'file', `is ${size} bytes; a catalog may be at most ${MAX_CATALOG_BYTES} bytes`);
  }
  return compileCatalogSource(readFileSync(path, 'utf8'), file);
}
