/**
 * One vite config, four outputs:
 * - `vite build` (npm run build): the main-thread entries into dist/, one ES module per
 *   package entry plus lazy chunks (languages, confetti, the main-thread fallback);
 * - `vite build --mode worker`: the worker as one self-contained ES module, dist/worker.js;
 * - `vite build --mode cdn`: dist/cdn/daily-missions.js, the element for a page without a bundler;
 * - `vite` / `vite build --mode demo`: the demo page from demo/ (dev server or static folder).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import MagicString from 'magic-string';
import ts from 'typescript';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { catalogVitePlugin } from './catalog/vite-plugin.js';
import { DEMO_SERVER_PATH, devSignIn } from './demo/dev-sign-in.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The worker's source URL in src/worker-host.ts, and what it becomes in dist/. */
const WORKER_SOURCE_URL = "new URL('../worker/main.ts', import.meta.url)";
const WORKER_DIST_URL = "new URL(/* @vite-ignore */ './worker.js', import.meta.url)";
/** The CDN bundle in dist/cdn/ uses the same dist/worker.js instead of shipping a second copy. */
const WORKER_CDN_URL = "new URL(/* @vite-ignore */ '../worker.js', import.meta.url)";

/**
 * src/worker-host.ts with its worker URL expression replaced, or null for any other
 * module. Fails the build when the expression is gone: the worker would silently not ship.
 */
function withWorkerUrl(code: string, id: string, replacement: string, fail: (message: string) => never): string | null {
  if (!id.endsWith('/src/worker-host.ts')) return null;
  if (!code.includes(WORKER_SOURCE_URL)) fail(`worker URL expression not found in ${id}`);
  return code.replace(WORKER_SOURCE_URL, replacement);
}

/**
 * Points the built entries at the prebuilt dist/worker.js. The literal
 * `new URL('./worker.js', import.meta.url)` is what host bundlers (Vite, webpack)
 * recognise and copy; `@vite-ignore` keeps this build from inlining it.
 */
function workerUrlPlugin(distUrl = WORKER_DIST_URL): Plugin {
  return {
    name: 'daily-missions-worker-url',
    enforce: 'pre',
    transform(code, id) {
      const replaced = withWorkerUrl(code, id, distUrl, (message) => this.error(message));
      return replaced === null ? null : { code: replaced, map: null };
    },
    // The comment only had to hold for this build: left in dist/, a host's vite would
    // skip the URL too, and the worker would not be copied into the host's build.
    renderChunk(code) {
      const cleaned = code.replace(/\/\* @vite-ignore \*\/\s*(["'`]\.{1,2}\/worker\.js["'`])/g, '$1');
      return cleaned === code ? null : { code: cleaned, map: null };
    },
  };
}

/**
 * In the demo (an app built by vite from the sources) the worker is built by vite's
 * own `?worker&url` import, which bundles it as a module worker and gives its URL:
 * left alone, vite would inline worker/main.ts as a raw asset.
 */
function demoWorkerPlugin(): Plugin {
  return {
    name: 'daily-missions-demo-worker',
    enforce: 'pre',
    transform(code, id) {
      const replaced = withWorkerUrl(code, id, 'new URL(demoWorkerUrl, import.meta.url)', (message) => this.error(message));
      return replaced === null ? null : { code: `import demoWorkerUrl from '../worker/main.ts?worker&url';\n${replaced}`, map: null };
    },
  };
}

/** Where `npm start` runs the demo's missions server (loopback only); the demo reaches it by DEMO_SERVER_PATH. */
const DEMO_SERVER_PORT = 8788;

/**
 * `npm start` only: the demo's server mode. Starts `daily-missions serve` on the embedded
 * database (PGlite in .demo-server-data/) with the development header as authentication,
 * on loopback, and stops it with the dev server. The dev server proxies /missions-api to
 * it and turns the demo's `Bearer demo:<learner>` token into that header: good for a
 * demo on this machine, never for anything else.
 */
function demoServerPlugin(): Plugin {
  let child: ChildProcess | null = null;
  return {
    name: 'daily-missions-demo-server',
    apply: 'serve',
    configureServer(server) {
      child = spawn(
        process.execPath,
        ['--import', 'tsx', 'catalog/cli.ts', 'serve', '--port', String(DEMO_SERVER_PORT), '--data', resolve(root, '.demo-server-data'), '--insecure-dev-user-header'],
        { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
      );
      child.on('error', (error) => server.config.logger.warn(`demo missions server: ${error.message}`));
      const stop = () => child?.kill('SIGTERM');
      server.httpServer?.once('close', stop);
      process.once('exit', stop);
    },
  };
}

/**
 * The CSS of a Lit `css` literal, minified by esbuild's CSS minifier. A literal without
 * a rule (a block of declarations, such as the dark palette) is minified as the body of
 * one. Each `${…}` stands in a declaration's place, so it travels as a placeholder
 * declaration; the build fails if the minifier moved or dropped one.
 */
export function minifyCss(body: string): string {
  const expressions: string[] = [];
  const withPlaceholders = body.replace(/\$\{[^{}]*\}/g, (expression) => `--dm-literal-${expressions.push(expression) - 1}:0;`);
  if (withPlaceholders.includes('${')) throw new Error('minifyCss: only simple ${name} substitutions are supported');
  const declarationsOnly = !withPlaceholders.includes('{');
  const source = declarationsOnly ? `a{${withPlaceholders}}` : withPlaceholders;
  let css = transformSync(source, { loader: 'css', minify: true }).code.trim();
  if (declarationsOnly) css = css.slice(2, -1);
  expressions.forEach((expression, i) => {
    const placeholder = `--dm-literal-${i}:0`;
    if (css.split(placeholder).length !== 2) throw new Error(`minifyCss: the place of ${expression} was not kept`);
    css = css.replace(placeholder, expression);
  });
  if (/[`\\]/.test(css)) throw new Error('minifyCss: the minified CSS holds a backtick or backslash');
  return css;
}

/**
 * A module's Lit templates made smaller for the built files (no host bundler minifies
 * text inside template literals; measured on the entry: 290 bytes of gzip for the CSS,
 * 65 for the templates), with a source map of the change:
 * - `css` literals go through esbuild's CSS minifier;
 * - in `html` and `svg` literals, whitespace that spans a line break becomes one space
 *   (the same to HTML and SVG, and no template here uses `white-space: pre`).
 */
export function minifyTemplateLiterals(code: string, fileName: string): MagicString {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const output = new MagicString(code);
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag)) {
      const template = node.template;
      if (node.tag.text === 'css') {
        const start = template.getStart(source) + 1;
        output.overwrite(start, template.end - 1, minifyCss(code.slice(start, template.end - 1)));
        return;
      }
      if (node.tag.text === 'html' || node.tag.text === 'svg') {
        const parts = ts.isNoSubstitutionTemplateLiteral(template) ? [template] : [template.head, ...template.templateSpans.map((span) => span.literal)];
        for (const part of parts) {
          const start = part.getStart(source);
          for (const space of code.slice(start, part.end).matchAll(/[ \t]*\n\s*/g)) {
            output.overwrite(start + space.index, start + space.index + space[0].length, ' ');
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return output;
}

/** Applies minifyTemplateLiterals to the element's modules in the npm and CDN builds. */
function minifyTemplatesPlugin(): Plugin {
  return {
    name: 'daily-missions-minify-templates',
    apply: 'build',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\b(css|html|svg)`/.test(code)) return null;
      const output = minifyTemplateLiterals(code, id);
      return { code: output.toString(), map: output.generateMap({ hires: true, source: id }) };
    },
  };
}

/**
 * Dependencies the npm build imports instead of bundling, so that a host's bundler
 * resolves them once for the whole app: a host that uses Lit itself ships one Lit, not
 * two (Lit also warns about several copies on one page). These are the two libraries the
 * entries load; the others (idb, seedrandom) only reach lazy chunks or the worker, where
 * they are bundled and tree-shaken. The CDN build and the worker bundle everything, as no
 * bundler comes after them.
 */
function isSharedDependency(id: string): boolean {
  return /^(lit|lit-html|lit-element|@lit\/[^/]+|comlink)(\/|$)/.test(id);
}

/**
 * In dist/worker.js, the lazy import of server mode points at dist/worker-server.js
 * (built on its own, mode worker-server) instead of being bundled in, and as a plain
 * import(): a worker has no document for vite's preload helper (measured: 0.73 kB gzip).
 */
function serverModeImportPlugin(): Plugin {
  return {
    name: 'daily-missions-server-mode-import',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('/worker/api.ts')) return null;
      if (!code.includes("await import('./server-mode.js')")) this.error(`the server-mode import was not found in ${id}`);
      // A specifier that is an expression: vite wraps only the import() calls it can
      // resolve, and the minifier folds it back into a string.
      return code.replaceAll("await import('./server-mode.js')", "await import(/* @vite-ignore */ './worker-server.js' + '')");
    },
  };
}

/**
 * For the two final files no host bundler minifies again (dist/worker.js and the CDN
 * build): terser with three compress passes, measured 1% smaller with gzip than the
 * default minifier alone on dist/worker.js. Only safe transforms (no `unsafe*` options).
 */
const TERSER_OPTIONS = { module: true, ecma: 2020, compress: { passes: 3 } } as const;

/**
 * Every build inlines imported constants (the names and limits of
 * worker/engine/vocabulary.ts) where they are used, so that sharing one definition
 * between the element, the client and the worker costs no import and no binding.
 */
const INLINE_CONSTANTS = { inlineConst: { mode: 'all', pass: 2 } } as const;

export default defineConfig(({ mode }) => {
  if (mode === 'demo' || mode === 'development') {
    return {
      root: resolve(root, 'demo'),
      base: './',
      plugins: [demoWorkerPlugin(), catalogVitePlugin(), demoServerPlugin()],
      worker: { format: 'es' as const, plugins: () => [catalogVitePlugin()] },
      server: {
        port: 5173,
        fs: { allow: [root] },
        proxy: {
          [DEMO_SERVER_PATH]: {
            target: `http://127.0.0.1:${DEMO_SERVER_PORT}`,
            rewrite: (path: string) => path.slice(DEMO_SERVER_PATH.length),
            configure(proxy: { on(event: 'proxyReq', listener: (request: { getHeader(name: string): unknown; setHeader(name: string, value: string): void; removeHeader(name: string): void }) => void): void }) {
              proxy.on('proxyReq', (request) => {
                const header = devSignIn(request.getHeader('authorization'));
                if (!header) return;
                request.setHeader(...header);
                request.removeHeader('authorization');
              });
            },
          },
        },
      },
      build: { outDir: resolve(root, 'dist-demo'), emptyOutDir: true, target: 'es2022' },
    };
  }
  if (mode === 'cdn') {
    // For a plain <script type="module"> from a CDN (no bundler, no import map): lit and
    // comlink inside one module, lazy parts (languages, celebration, confetti, the
    // main-thread fallback) as chunks beside it. Lib mode, as it adds no preload helper
    // chunk; output.minify because lib mode alone keeps the whitespace of ES output, and
    // terser after it (measured: 17.33 kB gzip without output.minify, 17.18 kB with it).
    return {
      plugins: [workerUrlPlugin(WORKER_CDN_URL), catalogVitePlugin(), minifyTemplatesPlugin()],
      build: {
        target: 'es2022',
        outDir: resolve(root, 'dist/cdn'),
        emptyOutDir: true,
        // The npm build's maps cover the same sources; maps here would double the package.
        sourcemap: false,
        minify: 'terser',
        terserOptions: TERSER_OPTIONS,
        lib: {
          entry: resolve(root, 'src/index.ts'),
          formats: ['es'],
          fileName: () => 'daily-missions.js',
        },
        rollupOptions: { output: { minify: true }, optimization: INLINE_CONSTANTS },
      },
    };
  }
  if (mode === 'worker-server') {
    // Server mode of the worker (worker/server-mode.ts) as dist/worker-server.js, complete in
    // itself: dist/worker.js imports it on the first server-mode call. A chunk split from
    // the worker would make the worker export what the two share (idb, the engine's
    // stats), which measured 0.78 kB more gzip on dist/worker.js than this.
    return {
      plugins: [catalogVitePlugin()],
      build: {
        target: 'es2022',
        outDir: resolve(root, 'dist'),
        emptyOutDir: false,
        sourcemap: true,
        minify: 'terser',
        terserOptions: TERSER_OPTIONS,
        rollupOptions: {
          input: { 'worker-server': resolve(root, 'worker/server-mode.ts') } as Record<string, string>,
          output: { format: 'es', entryFileNames: '[name].js', codeSplitting: false },
          preserveEntrySignatures: 'strict',
        },
      },
    };
  }
  if (mode === 'worker') {
    return {
      plugins: [catalogVitePlugin(), serverModeImportPlugin()],
      build: {
        target: 'es2022',
        outDir: resolve(root, 'dist'),
        emptyOutDir: false,
        sourcemap: true,
        minify: 'terser',
        terserOptions: TERSER_OPTIONS,
        // Not lib mode: lib mode keeps whitespace in ES output, and this file is final.
        rollupOptions: {
          input: { worker: resolve(root, 'worker/main.ts') },
          output: { format: 'es', entryFileNames: '[name].js', codeSplitting: false },
          preserveEntrySignatures: false,
          optimization: INLINE_CONSTANTS,
        },
      },
    };
  }
  return {
    plugins: [workerUrlPlugin(), catalogVitePlugin(), minifyTemplatesPlugin()],
    build: {
      target: 'es2022',
      outDir: resolve(root, 'dist'),
      emptyOutDir: true,
      sourcemap: true,
      minify: true,
      rollupOptions: { external: isSharedDependency, optimization: INLINE_CONSTANTS },
      lib: {
        entry: {
          index: resolve(root, 'src/index.ts'),
          client: resolve(root, 'src/client.ts'),
          engine: resolve(root, 'worker/engine/index.ts'),
        },
        formats: ['es'],
      },
    },
  };
});
