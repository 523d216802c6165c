/**
 * Gzip sizes of the built package as a host ships it, measured one way for the
 * benchmark (`npm run bench`) and for the size check in `npm test`:
 * - the main-thread entry: dist/index.js bundled by esbuild (minified) with what it
 *   imports statically (lit, comlink, the client); lazy imports (languages, confetti,
 *   the main-thread fallback, catalog checks) become chunks that are not counted;
 * - the worker: dist/worker.js, one self-contained file;
 * - the lazy confetti chunk.
 * zlib level 9, as servers and CDNs compress static files.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * The size budgets (docs/architecture.md §8), in bytes of gzip: the ceilings measured
 * with every feature in place (entry 18.2 kB with lit and comlink, worker 15.2 kB with
 * idb, seedrandom, the engine and the compiled catalog). The first budgets, 12 and 10 kB,
 * would have needed this package's own code at half its size; they are retired.
 * Exactly-once delivery grew both, measured against main in one build: the entry by
 * 0.82 kB (18.18 to 19.00: the award events, acknowledgement and redelivery in the
 * element, the retried record(), the client's delivery calls, the clock check; reading
 * activities into plain data loads lazily), the worker by 1.97 kB (15.21 to 17.18:
 * schema version 3 and its migration, the award ledger and leases, the whole-backup
 * import checks, the mission of a redelivered award rebuilt from its template, the API's parts).
 * Server mode (docs/architecture.md §11) adds only what switches to it, measured against
 * the merged branches in one build: the entry by 0.27 kB (the `server` and `getToken`
 * properties, the client's hand-over to its lazy server chunk, the will-sync note), the
 * worker by 23 B (one method that imports dist/worker-server.js). Everything server mode
 * does loads on its first call.
 */
// The entry's ceiling also holds 46 B for the one import() that loads the back/forward
// cache handling (src/page-cache.ts, itself lazy) and 9 B for a removed widget clearing
// its midnight timer. Server mode's share of the entry was then paid back (19,340 to
// 19,035 B, measured in one build): the element's client leaves out the methods only a
// host's own pages call (223 B), and the element's internals are #private, which the
// minifier shortens (100 B); the first-visit-offline check added 18 B. The worker's holds
// 32 B for running one IndexedDB transaction at a time (worker/store/indexeddb-store.ts:
// a WebKit bug wedges the database otherwise).
// Measured since with stable chunk names (withStableChunkNames below): the entry's 19,036 B
// as built, after the page engine's back/forward cache fix changed a lazy chunk's hash,
// measure 19,023 B.
// A widget's record() and pushStats() claim the celebration of what they complete in the
// same transaction (CallSettings.celebrate), so a second widget's sweep cannot take it
// first: +37 B on the entry (the setting, the answer's `celebrations`), +50 B on the
// worker (the setting read and checked, today's completions marked celebrated).
export const SIZE_BUDGETS = { mainEntry: 19_060, worker: 17_298 };

export const gzipSize = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;

/**
 * The bytes with every chunk file name's content hash (`name-AbCd12_-.js`, from Vite or
 * esbuild) replaced by one made from the chunk's name alone. The entry names the lazy
 * chunks it imports, so a change inside a lazy chunk moved the entry's gzip size by a byte
 * or two (measured: 19,035 to 19,036 B); names of the same length and as random keep the
 * figure what is shipped, without that jitter.
 */
export function withStableChunkNames(bytes: Uint8Array): Uint8Array {
  // Two chunks may share a name (`index`): each file keeps a name of its own, numbered in
  // the order the text first mentions it.
  const stable = new Map<string, string>();
  const text = Buffer.from(bytes)
    .toString('utf8')
    .replace(/([\w.-]*)-([\w-]{8})\.js\b/g, (_, name: string, hash: string) => {
      const key = `${name}-${hash}`;
      if (!stable.has(key)) stable.set(key, createHash('sha256').update(`${name}#${stable.size}`).digest('base64url').slice(0, 8));
      return `${name}-${stable.get(key)}.js`;
    });
  return Buffer.from(text);
}

/** Sizes of the package built in `root`/dist (build it first). */
export interface SizePart {
  file: string;
  bytes: number;
  gzip: number;
}

export interface SizeReport {
  mainEntry: SizePart & { parts: SizePart[] };
  worker: SizePart;
  confetti: SizePart | null;
  lazyChunks: SizePart[];
  distFiles: SizePart[];
}

/**
 * What the chosen libraries cost before any code of this package: a one-property Lit
 * element with a Comlink proxy for the entry, and a worker exposing one Comlink object
 * that opens an idb database and draws from seedrandom's Alea, plus the compiled
 * catalog's rules as shipped in dist/worker.js. The budget less this floor is what the
 * package's own code may take.
 */
export interface DependencyFloor {
  mainEntry: number;
  worker: number;
  catalogRules: number;
}

const ENTRY_FLOOR_SOURCE = `
import { LitElement, html, css } from 'lit';
import { wrap } from 'comlink';
class Probe extends LitElement {
  static styles = css\`:host { display: block }\`;
  static properties = { label: {} };
  render() { return html\`<p>\${this.label}</p>\`; }
}
customElements.define('size-probe', Probe);
export const remote = wrap(new Worker('probe.js', { type: 'module' }));
`;

const WORKER_FLOOR_SOURCE = `
import { expose } from 'comlink';
import { openDB } from 'idb';
import alea from 'seedrandom/lib/alea.js';
expose({ open: (name) => openDB(name, 1), draw: (seed) => alea(seed)() });
`;

async function bundledGzip(root: string, source: string): Promise<number> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return gzipSize(result.outputFiles[0]!.contents);
}

/**
 * The compiled catalog's rules as dist/worker.js carries them: the argument of
 * `JSON.parse`, a string literal in whichever quotes the minifier chose.
 */
function catalogRulesGzip(workerCode: string): number {
  const literals = workerCode.matchAll(/JSON\.parse\((["'`])((?:\\.|(?!\1)[^\\])*)\1\)/g);
  const rules = [...literals].map((match) => match[2]!).find((text) => /^\{\\?"version/.test(text));
  if (rules === undefined) throw new Error('dist/worker.js holds no compiled catalog JSON literal');
  return gzipSize(Buffer.from(rules));
}

export async function measureDependencyFloor(root: string): Promise<DependencyFloor> {
  const [mainEntry, worker] = await Promise.all([bundledGzip(root, ENTRY_FLOOR_SOURCE), bundledGzip(root, WORKER_FLOOR_SOURCE)]);
  return { mainEntry, worker, catalogRules: catalogRulesGzip(readFileSync(join(root, 'dist', 'worker.js'), 'utf8')) };
}

export async function measureSizes(root: string): Promise<SizeReport> {
  const dist = join(root, 'dist');
  const worker = readFileSync(join(dist, 'worker.js'));
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['dist/index.js'],
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    write: false,
    outdir: join(root, 'bench', '.esbuild-out'),
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.entries(result.metafile.outputs).map(([path, meta]) => {
    const file = result.outputFiles.find((f) => relative(root, f.path) === path);
    if (!file) throw new Error(`esbuild wrote no file for ${path}`);
    return { path, meta, bytes: file.contents.length, gzip: gzipSize(withStableChunkNames(file.contents)) };
  });
  type Output = (typeof outputs)[number];
  const entry = outputs.find((o) => o.meta.entryPoint === 'dist/index.js');
  if (!entry) throw new Error('esbuild produced no output for dist/index.js');
  // Chunks the entry imports statically (code it shares with a lazy chunk) load with it.
  const staticParts: Output[] = [];
  const visit = (output: Output): void => {
    if (staticParts.includes(output)) return;
    staticParts.push(output);
    for (const imported of output.meta.imports) {
      if (imported.kind !== 'import-statement') continue;
      const next = outputs.find((o) => o.path === imported.path);
      if (next) visit(next);
    }
  };
  visit(entry);
  const confetti = outputs.find((o) => Object.keys(o.meta.inputs).some((input) => /confetti/.test(input)));
  const chunkName = (o: Output) => Object.keys(o.meta.inputs).map((i) => i.replace(/^dist\//, '')).join(' + ');
  return {
    mainEntry: {
      file: 'dist/index.js bundled by esbuild (minified), with the chunks it imports statically',
      bytes: staticParts.reduce((sum, o) => sum + o.bytes, 0),
      gzip: staticParts.reduce((sum, o) => sum + o.gzip, 0),
      parts: staticParts.map((o) => ({ file: chunkName(o), bytes: o.bytes, gzip: o.gzip })),
    },
    worker: { file: 'dist/worker.js', bytes: worker.length, gzip: gzipSize(withStableChunkNames(worker)) },
    confetti: confetti ? { file: chunkName(confetti), bytes: confetti.bytes, gzip: confetti.gzip } : null,
    lazyChunks: outputs.filter((o) => !staticParts.includes(o)).map((o) => ({ file: chunkName(o), bytes: o.bytes, gzip: o.gzip })),
    distFiles: readdirSync(dist)
      .filter((f) => f.endsWith('.js'))
      .map((f) => {
        const bytes = readFileSync(join(dist, f));
        return { file: `dist/${f}`, bytes: bytes.length, gzip: gzipSize(bytes) };
      }),
  };
}
