/**
 * The package as hosts get it: `npm pack`, then used the two ways docs/architecture.md §3 promises
 * ("Shipping the worker"), each rendering the widget in headless Chromium on the real worker.
 *
 * - A Vite app: the tarball installed with npm into a throwaway app, built by this
 *   repository's own vite, served statically. The worker must be its own file in the app.
 * - A CDN: a plain HTML page with one `<script type="module">` loading dist/cdn/ from a
 *   second local server on another origin (with CORS, as jsDelivr or unpkg send), no
 *   bundler, no import map. Browsers refuse a worker script from another origin, so the
 *   widget starts it through a blob: module (src/worker-host.ts); a second page does the
 *   same under the Content-Security-Policy and Trusted Types that docs/packaging.md gives.
 * - From Node: `daily-missions/engine` imports in the app, and the three entries type-check
 *   in a TypeScript project of the app.
 *
 * Needs dist/ (`npm test` builds first; packing skips the prepack build) and the npm
 * registry or a warm npm cache for the package's dependencies: without them the install
 * fails, and so does this test.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, chromiumExecutable } from '../support/chromium.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ENTRIES = ['.', './client', './engine'] as const;

// ---------------------------------------------------------------------------
// Processes

/** Runs a command to its end; rejects with its output when it fails or overruns. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolveRun, reject) => {
    execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolveRun(stdout);
      const why = error.killed ? `did not finish within ${timeoutMs / 1000} s` : `failed (${error.code ?? error.signal})`;
      reject(new Error(`${command} ${args.join(' ')} ${why}\n${tail(stderr || stdout)}`));
    });
  });
}

const tail = (text: string) => text.trim().split('\n').slice(-25).join('\n');

interface Packed {
  tarball: string;
  version: string;
  files: string[];
}

/** `npm pack` of dist/ as it is: --ignore-scripts, as the build already ran. */
async function pack(into: string): Promise<Packed> {
  assert.ok(existsSync(join(root, 'dist/cdn/daily-missions.js')), 'dist/ is incomplete: run `npm run build` first');
  const output = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', into], root, 120_000);
  const [info] = JSON.parse(output) as { filename: string; version: string; files: { path: string }[] }[];
  assert.ok(info, `npm pack printed no package: ${output}`);
  return { tarball: join(into, info.filename), version: info.version, files: info.files.map((file) => file.path) };
}

/** The tarball's files under `dir`, as a CDN serves a package version. */
async function unpack(tarball: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], dir, 60_000);
}

/** Installs the tarball into `app` with npm, dependencies from the cache where it can. */
async function installTarball(app: string, tarball: string): Promise<void> {
  // --prefix: under `npm test` the environment carries this repository's npm settings.
  // Few, short retries: an unreachable registry should fail the test in a minute or two, not hang it.
  const retries = ['--fetch-retries=1', '--fetch-retry-mintimeout=2000', '--fetch-retry-maxtimeout=10000'];
  const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...retries, '--prefix', app, tarball];
  try {
    await run('npm', args, app, 120_000);
  } catch (error) {
    throw new Error(
      `Installing the packed tarball failed: the package's dependencies come from the npm registry (or the npm cache), ` +
        `so check that the registry is reachable.\n${(error as Error).message}`,
    );
  }
}

// ---------------------------------------------------------------------------
// A static file server, as a host's web server or a CDN

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.yaml': 'text/yaml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** One request as the server saw it: who asked (Origin) and for what (Sec-Fetch-Dest). */
interface Served {
  path: string;
  status: number;
  origin: string | undefined;
  dest: string | undefined;
}

interface StaticServer {
  origin: string;
  requests: Served[];
  close(): Promise<void>;
}

/** The file a request path names under `dir`, or null for anything outside it. */
async function fileFor(dir: string, urlPath: string): Promise<string | null> {
  const file = resolve(dir, `.${decodeURIComponent(urlPath)}`);
  if (file !== dir && !file.startsWith(dir + sep)) return null;
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) return fileFor(dir, `${urlPath.replace(/\/?$/, '/')}index.html`);
  return info?.isFile() ? file : null;
}

/** Serves `dir` on 127.0.0.1 (a free port) with `headers` on every answer, logging each request. */
function serveDirectory(dir: string, headers: Record<string, string> = {}): Promise<StaticServer> {
  const requests: Served[] = [];
  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = await fileFor(dir, path).catch(() => null);
    const status = file ? 200 : 404;
    requests.push({ path, status, origin: request.headers.origin, dest: request.headers['sec-fetch-dest'] as string | undefined });
    const type = file ? (MIME_TYPES[extname(file)] ?? 'application/octet-stream') : 'text/plain; charset=utf-8';
    response.writeHead(status, { ...headers, 'Content-Type': type, 'Cache-Control': 'no-store' });
    response.end(file ? await readFile(file) : 'not found');
  };
  const server = createServer((request, response) => {
    answer(request, response).catch((error: Error) => response.destroy(error));
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') return reject(new Error('the server has no port'));
      resolveServer({
        origin: `http://127.0.0.1:${address.port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

// ---------------------------------------------------------------------------
// The pages

const htmlPage = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
</head>
<body>
${body}
</body>
</html>
`;

/**
 * A Vite app that shows the widget and has a Lit element of its own (Lit comes with the
 * package's dependencies): the app must end up with one copy of Lit, not two.
 */
function writeViteApp(app: string): void {
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'packed-daily-missions-app', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(
    join(app, 'main.js'),
    `import 'daily-missions';
import { LitElement, html } from 'lit';

customElements.define('host-greeting', class extends LitElement {
  render() {
    return html\`<p>Welcome back</p>\`;
  }
});
`,
  );
  writeFileSync(
    join(app, 'index.html'),
    htmlPage('daily-missions in a Vite app', '<daily-missions user-id="packed-vite-app"></daily-missions>\n<script type="module" src="./main.js"></script>'),
  );
}

/** A page with no bundler and no import map: one module script from the CDN. */
function writeCdnPage(dir: string, scriptUrl: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    htmlPage('daily-missions from a CDN', `<daily-missions user-id="packed-cdn-page"></daily-missions>\n<script type="module" src="${scriptUrl}"></script>`),
  );
}

/** Uses every entry's types the way a host's TypeScript code would; a wrong or missing type fails tsc. */
function writeTypeCheck(app: string): void {
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      strict: true,
      noEmit: true,
      // The package's own declarations are checked too: they must need nothing the host lacks.
      skipLibCheck: false,
      types: [],
    },
    files: ['check.ts'],
  };
  writeFileSync(join(app, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  writeFileSync(
    join(app, 'check.ts'),
    `import { DailyMissionsElement, MissionsError } from 'daily-missions';
import type { Mission } from 'daily-missions';
import { connectMissions } from 'daily-missions/client';
import type { MissionsClient } from 'daily-missions/client';
import { dayKey, generateMissions } from 'daily-missions/engine';

const widget: DailyMissionsElement | null = document.querySelector('daily-missions');
widget?.addEventListener('mission-complete', (event) => {
  const mission: Mission = event.detail.mission;
  console.log(mission.xp + event.detail.xp);
});
// @ts-expect-error: an activity of an unknown type is refused (the types are not \`any\`)
void widget?.record({ type: 'lesson-finished', lessonId: 'l1', correct: 1, total: 1 });
const client: MissionsClient = connectMissions({ timeoutMs: 5_000 });
const day: string = dayKey(Date.now(), 'Europe/Berlin');
console.log(client, day, typeof generateMissions, new MissionsError('worker-timeout', 'late').code);
`,
  );
}

// ---------------------------------------------------------------------------
// Chromium

/** Installed before any page script: what the widget reports and what CSP refuses. */
const RECORDER = `
  window.__missionsErrors = [];
  window.__violations = [];
  addEventListener('missions-error', (event) => window.__missionsErrors.push(event.detail), true);
  addEventListener('securitypolicyviolation', (event) => window.__violations.push(event.effectiveDirective + ' ' + event.blockedURI), true);
`;

/** What the widget shows. In-page code is text: this file is type-checked without the DOM library. */
const SNAPSHOT = `(() => {
  const shadow = document.querySelector('daily-missions')?.shadowRoot;
  return {
    missions: shadow ? shadow.querySelectorAll('[part~="mission"]').length : 0,
    errorNote: Boolean(shadow?.querySelector('[part~="error"]')),
    missionsErrors: window.__missionsErrors ?? [],
    violations: window.__violations ?? [],
  };
})()`;

/**
 * Whether the Trusted Types policy of the package refuses a blob: URL it did not make
 * (it must let through only its own). Reaches the policy through the global key the
 * package shares it under.
 */
const FOREIGN_BLOB_PROBE = `(() => {
  const policy = globalThis[Symbol.for('daily-missions.trusted-types-policy')];
  if (!policy) return 'no policy';
  const foreign = URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' }));
  try {
    policy.createScriptURL(foreign);
    return 'allowed';
  } catch {
    return 'refused';
  } finally {
    URL.revokeObjectURL(foreign);
  }
})()`;

interface WidgetReport {
  missions: number;
  errorNote: boolean;
  missionsErrors: unknown[];
  violations: string[];
  pageErrors: string[];
  workers: string[];
  foreignBlob?: string;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Polls until the widget shows three missions or an error note, or `timeoutMs` passes
 * (the caller's assertions then say what is missing).
 */
async function waitForWidget(tab: Page, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = (await tab.evaluate(SNAPSHOT)) as WidgetReport;
    if (snapshot.missions >= 3 || snapshot.errorNote || Date.now() > deadline) return;
    await sleep(100);
  }
}

/** Opens `url` in a fresh browser context (its own IndexedDB) and reports on the widget there. */
async function openWidget(browser: Browser, url: string, probeForeignBlob = false): Promise<WidgetReport> {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(`pageerror: ${String((error as Error)?.message ?? error)}`));
    tab.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
    });
    await tab.evaluateOnNewDocument(RECORDER);
    await tab.goto(url, { waitUntil: 'load' });
    await waitForWidget(tab, 20_000);
    // A late complaint (storage falling back to memory, say) would come right after the first render.
    await sleep(300);
    const report = (await tab.evaluate(SNAPSHOT)) as WidgetReport;
    report.pageErrors = pageErrors;
    report.workers = tab.workers().map((worker) => worker.url());
    if (probeForeignBlob) report.foreignBlob = (await tab.evaluate(FOREIGN_BLOB_PROBE)) as string;
    return report;
  } finally {
    await context.close();
  }
}

/** Three missions, no degraded note, nothing reported and nothing thrown on the page. */
function assertRenderedCleanly(report: WidgetReport): void {
  const shown = JSON.stringify(report, null, 1);
  assert.equal(report.missions, 3, `three missions in the widget's shadow root: ${shown}`);
  assert.equal(report.errorNote, false, `no degraded-state note: ${shown}`);
  assert.deepEqual(report.missionsErrors, [], `no missions-error event: ${shown}`);
  assert.deepEqual(report.pageErrors, [], `no error on the page: ${shown}`);
  assert.deepEqual(report.violations, [], `no Content-Security-Policy violation: ${shown}`);
  assert.equal(report.workers.length, 1, `one worker running: ${shown}`);
}

/** The worker runs from a blob: URL of the page's own origin (the CDN's script imported inside it). */
function assertBlobWorkerOf(report: WidgetReport, pageOrigin: string): void {
  assert.ok(report.workers[0]?.startsWith(`blob:${pageOrigin}/`), `a same-origin blob: worker: ${report.workers[0]}`);
}

/** The chunk the widget loads only when no worker could start. */
const FALLBACK_CHUNK = /main-thread-engine/;

/** Runs `setup` on the first call only; every caller gets its result, or its failure. */
function once<T>(setup: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= setup());
}

// ---------------------------------------------------------------------------

describe('the npm package (npm pack)', { timeout: 300_000 }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  let work: string;
  let browser: Browser | undefined;

  /** One Chromium for every page, started on first use. */
  async function chromium(): Promise<Browser> {
    if (!browser) {
      const started = await puppeteer.launch({ executablePath: await chromiumExecutable(), headless: 'shell', args: CHROMIUM_ARGS });
      browser = started;
      cleanups.push(() => started.close());
    }
    return browser;
  }

  async function serve(dir: string, headers?: Record<string, string>): Promise<StaticServer> {
    const server = await serveDirectory(dir, headers);
    cleanups.push(() => server.close());
    return server;
  }

  // Steps shared by several tests run once, when a test first needs them; each test
  // awaits them, so a failing step fails every test that depends on it, with its message.
  const packedPackage = once(async () => {
    const packed = await pack(work);
    // Laid out the way jsDelivr and unpkg serve a version: /npm/<name>@<version>/<file>.
    const unpacked = join(work, 'cdn', 'npm', `daily-missions@${packed.version}`);
    await unpack(packed.tarball, unpacked);
    return { packed, unpacked };
  });

  const installedApp = once(async () => {
    const { packed } = await packedPackage();
    const app = join(work, 'vite-app');
    writeViteApp(app);
    await installTarball(app, packed.tarball);
    return app;
  });

  // Any origin may load the files, as public CDNs allow.
  const cdnServer = once(async () => {
    const { packed } = await packedPackage();
    const cdn = await serve(join(work, 'cdn'), { 'Access-Control-Allow-Origin': '*' });
    const base = `${cdn.origin}/npm/daily-missions@${packed.version}`;
    return { cdn, scriptUrl: `${base}/dist/cdn/daily-missions.js`, workerPath: new URL(`${base}/dist/worker.js`).pathname };
  });

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'daily-missions-pack-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('holds the three entries, their types, the worker, the CDN bundle and custom-elements.json', async () => {
    const { packed, unpacked } = await packedPackage();
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string }>;
      customElements: string;
    };
    const files = new Set(packed.files);
    for (const entry of ENTRIES) {
      const target = manifest.exports[entry];
      assert.ok(target, `exports["${entry}"]`);
      assert.match(target.types, /\.d\.ts$/, `exports["${entry}"].types`);
      for (const file of [target.types, target.default]) assert.ok(files.has(file.replace(/^\.\//, '')), `${file} (exports["${entry}"]) is packed`);
    }
    for (const file of ['dist/worker.js', 'dist/cdn/daily-missions.js', 'custom-elements.json']) assert.ok(files.has(file), `${file} is packed`);
    assert.equal(manifest.customElements, 'custom-elements.json');
    const elements = JSON.parse(readFileSync(join(unpacked, manifest.customElements), 'utf8')) as {
      modules: { declarations?: { tagName?: string }[] }[];
    };
    assert.ok(elements.modules.some((m) => m.declarations?.some((d) => d.tagName === 'daily-missions')), 'custom-elements.json declares <daily-missions>');
  });

  it('has a CDN bundle that imports only its own chunks (no bare specifiers)', async () => {
    const { unpacked } = await packedPackage();
    const cdn = join(unpacked, 'dist', 'cdn');
    for (const name of readdirSync(cdn).filter((file) => file.endsWith('.js'))) {
      const code = readFileSync(join(cdn, name), 'utf8');
      for (const [, specifier] of code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'`]([^"'`]+)["'`]/g)) {
        assert.match(specifier!, /^\.{1,2}\//, `dist/cdn/${name} imports "${specifier}"`);
        assert.ok(existsSync(resolve(cdn, specifier!)), `dist/cdn/${name} imports ${specifier}, which is not packed`);
      }
    }
  });

  describe('installed into a throwaway app', () => {
    it('daily-missions/engine imports from Node, out of the installed package', async () => {
      const app = await installedApp();
      const script = `
        const engine = await import('daily-missions/engine');
        console.log(JSON.stringify({
          from: import.meta.resolve('daily-missions/engine'),
          day: engine.dayKey(Date.UTC(2025, 2, 9, 3), 'America/New_York'),
          generate: typeof engine.generateMissions,
        }));
      `;
      const result = JSON.parse(await run(process.execPath, ['--input-type=module', '-e', script], app, 30_000)) as Record<string, string>;
      assert.ok(fileURLToPath(result['from']!).startsWith(join(app, 'node_modules', 'daily-missions') + sep), `resolved to ${result['from']}`);
      assert.equal(result['day'], '2025-03-08');
      assert.equal(result['generate'], 'function');
    });

    it('type-checks a host module that uses all three entries', async () => {
      const app = await installedApp();
      writeTypeCheck(app);
      await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], app, 60_000);
    });

    it('renders three missions in a Vite app, on the real worker shipped as its own file', async () => {
      const app = await installedApp();
      await build({ root: app, configFile: false, logLevel: 'error', build: { outDir: 'dist', emptyOutDir: true } });
      const assets = readdirSync(join(app, 'dist', 'assets'));
      const workerFile = assets.find((name) => /^worker-[\w-]+\.js$/.test(name));
      assert.ok(workerFile, `the worker is a file of its own in the app: ${assets.join(', ')}`);
      let litCopies = 0;
      for (const name of assets.filter((file) => file.endsWith('.js'))) {
        const code = readFileSync(join(app, 'dist', 'assets', name), 'utf8');
        assert.doesNotMatch(code, /data:(text|application)\/javascript/, `${name} inlines a script`);
        // Every copy of lit-html registers its version under this global.
        litCopies += code.split('litHtmlVersions').length - 1;
      }
      assert.equal(litCopies, 1, 'the app and the widget share one copy of Lit');

      const site = await serve(join(app, 'dist'));
      const report = await openWidget(await chromium(), `${site.origin}/`);
      assertRenderedCleanly(report);
      assert.deepEqual(report.workers, [`${site.origin}/assets/${workerFile}`], 'the worker runs from that file');
      const fetched = site.requests.find((request) => request.path === `/assets/${workerFile}`);
      assert.ok(fetched, `the worker file was requested: ${JSON.stringify(site.requests)}`);
      assert.equal(fetched.dest, 'worker', 'fetched as a worker script');
      assert.ok(!site.requests.some((request) => FALLBACK_CHUNK.test(request.path)), 'the main-thread fallback was never loaded');
    });
  });

  describe('from a CDN on another origin, in a page without a bundler', () => {
    it('renders three missions with one <script type="module">, the worker fetched from the CDN', async () => {
      const { cdn, scriptUrl, workerPath } = await cdnServer();
      const dir = join(work, 'cdn-page');
      writeCdnPage(dir, scriptUrl);
      const site = await serve(dir);
      const report = await openWidget(await chromium(), `${site.origin}/`);
      assertRenderedCleanly(report);
      assertBlobWorkerOf(report, site.origin);
      const fetched = cdn.requests.filter((request) => request.path === workerPath && request.origin === site.origin);
      assert.equal(fetched.length, 1, `the CDN served dist/worker.js once to this page: ${JSON.stringify(cdn.requests)}`);
      assert.equal(fetched[0]!.dest, 'worker', 'as the script of a worker');
      assert.deepEqual(site.requests.map((request) => request.path), ['/'], 'the page itself served nothing but the HTML');
      assert.ok(!cdn.requests.some((request) => FALLBACK_CHUNK.test(request.path)), 'the main-thread fallback was never loaded');
    });

    it('does the same under the Content-Security-Policy and Trusted Types of docs/packaging.md', async () => {
      const { cdn, scriptUrl, workerPath } = await cdnServer();
      const dir = join(work, 'cdn-page-csp');
      writeCdnPage(dir, scriptUrl);
      const policy = [
        "default-src 'self'",
        `script-src 'self' ${cdn.origin}`,
        `worker-src 'self' blob: ${cdn.origin}`,
        "style-src 'self'",
        "connect-src 'self'",
        "require-trusted-types-for 'script'",
        'trusted-types daily-missions lit-html',
      ].join('; ');
      const site = await serve(dir, { 'Content-Security-Policy': policy });
      const report = await openWidget(await chromium(), `${site.origin}/`, true);
      assertRenderedCleanly(report);
      assertBlobWorkerOf(report, site.origin);
      const fetched = cdn.requests.filter((request) => request.path === workerPath && request.origin === site.origin);
      assert.equal(fetched.length, 1, `the CDN served dist/worker.js to this page: ${JSON.stringify(cdn.requests)}`);
      assert.equal(report.foreignBlob, 'refused', 'the policy lets through only the blob: URLs the package made');
    });
  });
});
