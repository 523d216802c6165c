/**
 * Browser tests: real browsers, real workers, real IndexedDB. Run through
 * `npm run test:browser`, which loads tsx so this config can use the TypeScript
 * catalog compiler. DM_ENGINE=chromium (default), firefox or webkit picks the engine
 * (test/support/engines.mjs); `npm run test:engines` runs Firefox and WebKit.
 */
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { catalogDevServerPlugin } from './catalog/vite-plugin.ts';
import { chromiumExecutable, CHROMIUM_ARGS } from './test/support/chromium.mjs';
import { countReporter } from './test/support/count-reporter.mjs';
import { engineLauncher, selectedEngine } from './test/support/engines.mjs';
import { frameworkExamplesPlugin } from './test/support/framework-examples.mjs';
import { screenshotPlugin } from './test/support/screenshot-command.mjs';
import { viewportPlugin } from './test/support/viewport-command.mjs';
import { missionsServerPlugin } from './test/support/missions-server-command.mjs';

// seedrandom is CommonJS; without this step the worker fails to load and Comlink calls hang.
// The dev server transforms one file per request, so the plugin must emit the default
// export in the module itself: with strictRequires on (its default) the export lives in a
// separate entry proxy that the dev server never requests.
const commonjs = fromRollup(rollupCommonjs);

const engine = selectedEngine();
const missionsServer = missionsServerPlugin();

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testsFinishTimeout: 20 * 60_000,
  testFramework: { config: { timeout: 60_000 } },
  browsers: [await engineLauncher(engine, { chromiumExecutable, chromiumArgs: CHROMIUM_ARGS })],
  // The demo's path to its missions server, as `npm start` forwards it (demo/dev-sign-in.ts).
  middleware: [missionsServer.demoServerMiddleware],
  plugins: [
    // docs/examples as a host's bundler builds them (React, Vue, `daily-missions`).
    frameworkExamplesPlugin(),
    // `save-screenshot`: the demo's layout test leaves PNGs in .test-results/screenshots/.
    screenshotPlugin(),
    // `resize-viewport`: setViewport for every engine, WebKit's WebDriver session included.
    viewportPlugin(),
    // `missions-server`: a real server process on the embedded database, and devices in browser contexts of their own.
    missionsServer,
    catalogDevServerPlugin(),
    commonjs({ include: ['**/node_modules/seedrandom/**'], strictRequires: false }),
    esbuildPlugin({ ts: true, tsx: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter(`.test-results/browser-${engine}.json`)],
};
