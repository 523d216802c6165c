/**
 * Dev-server plugin for test/browser/frameworks.test.ts: serves the framework examples in
 * docs/examples/ the way a host's bundler (Vite, webpack) would build them, so the example
 * files stay exactly what a host writes.
 *
 * - `daily-missions` imported from docs/examples/ is the source entry (src/index.ts): the
 *   tests run today's code, not a stale dist/.
 * - React and Vue are bundled once, on first request, by esbuild into ES modules with
 *   `process.env.NODE_ENV` and Vue's feature flags defined, as Vite and webpack define
 *   them. React ships CommonJS only, and its entry files choose the development or the
 *   production build with `if (process.env.NODE_ENV === …) require(…)`: the per-file
 *   CommonJS transform used for seedrandom turns that into imports of both builds, and
 *   React fails to load. Vue's default build expects the same defines
 *   (https://vuejs.org/api/compile-time-flags.html).
 * - `./react.js` in a TypeScript file finds `react.tsx`, as TypeScript's own `Bundler`
 *   resolution does; the esbuild plugin only tries `.ts`.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';

/** Where the bundled frameworks are served; no file of the project lives there. */
const PREFIX = '/__framework-deps/';

/** Each bare specifier the examples (or the JSX they compile to) import, and its file. */
const ENTRIES = {
  react: 'react',
  'react/jsx-runtime': 'react-jsx-runtime',
  'react/jsx-dev-runtime': 'react-jsx-dev-runtime',
  'react-dom': 'react-dom',
  'react-dom/client': 'react-dom-client',
  vue: 'vue',
};

/** Vue is ES modules already; React's CommonJS exports are listed by loading it in Node. */
const ESM = new Set(['vue']);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The export names of each CommonJS entry. Listed in a separate Node process: React's
 * development build probes `console` when it loads, and the test runner's console here is
 * a stand-in that breaks it.
 */
function commonJsExports(rootDir) {
  const specifiers = Object.keys(ENTRIES).filter((specifier) => !ESM.has(specifier));
  const script = `const r = require('node:module').createRequire(${JSON.stringify(path.join(rootDir, 'package.json'))});
process.stdout.write(JSON.stringify(Object.fromEntries(${JSON.stringify(specifiers)}.map((s) => [s, Object.keys(r(s))]))));`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`listing the exports of ${specifiers.join(', ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function facade(specifier, exportsOf) {
  if (ESM.has(specifier)) return `export * from ${JSON.stringify(specifier)};`;
  const names = exportsOf[specifier].filter((name) => IDENTIFIER.test(name) && name !== 'default');
  return [
    `import module from ${JSON.stringify(specifier)};`,
    'export default module;',
    `export const { ${names.join(', ')} } = module;`,
  ].join('\n');
}

let bundled;

/** One esbuild run for every entry, with shared chunks, so React exists once on the page. */
function bundle(rootDir) {
  if (bundled) return bundled;
  const exportsOf = commonJsExports(rootDir);
  bundled = build({
    entryPoints: Object.entries(ENTRIES).map(([specifier, out]) => ({ in: `facade:${specifier}`, out })),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    outdir: path.join(rootDir, PREFIX),
    logLevel: 'silent',
    define: {
      'process.env.NODE_ENV': '"development"',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    plugins: [
      {
        name: 'facades',
        setup(esbuild) {
          esbuild.onResolve({ filter: /^facade:/ }, (args) => ({ path: args.path.slice('facade:'.length), namespace: 'facade' }));
          esbuild.onLoad({ filter: /.*/, namespace: 'facade' }, (args) => ({ contents: facade(args.path, exportsOf), resolveDir: rootDir, loader: 'js' }));
        },
      },
    ],
  }).then((result) => new Map(result.outputFiles.map((file) => [path.basename(file.path), file.text])));
  return bundled;
}

export function frameworkExamplesPlugin() {
  let rootDir = process.cwd();
  return {
    name: 'daily-missions-framework-examples',
    serverStart({ config }) {
      rootDir = config.rootDir;
    },
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      const body = (await bundle(rootDir)).get(context.path.slice(PREFIX.length));
      return body === undefined ? undefined : { body, type: 'js' };
    },
    resolveImport({ source, context }) {
      // The bundle's chunks import each other by relative paths that only exist here.
      if (context.path.startsWith(PREFIX)) return source;
      if (Object.hasOwn(ENTRIES, source)) return `${PREFIX}${ENTRIES[source]}.js`;
      if (source === 'daily-missions' && context.path.startsWith('/docs/examples/')) return '/src/index.ts';
      if (source.startsWith('.') && source.endsWith('.js') && /\.tsx?$/.test(context.path)) {
        const tsx = `${source.slice(0, -3)}.tsx`;
        if (existsSync(path.join(rootDir, path.dirname(context.path), tsx))) return tsx;
      }
      return undefined;
    },
  };
}
