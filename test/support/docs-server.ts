/**
 * The dev server the documentation pictures are taken on: the repository root served by
 * @web/dev-server with the browser tests' plugins (catalog, seedrandom as ESM, TypeScript).
 */
import { fileURLToPath } from 'node:url';
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { catalogDevServerPlugin } from '../../catalog/vite-plugin.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const commonjs = fromRollup(rollupCommonjs);

export function startDocsServer(port: number) {
  return startDevServer({
    readCliArgs: false,
    readFileConfig: false,
    autoExitProcess: false,
    logStartMessage: false,
    config: {
      rootDir: root,
      port,
      nodeResolve: true,
      plugins: [
        catalogDevServerPlugin(),
        commonjs({ include: ['**/node_modules/seedrandom/**'], strictRequires: false }),
        esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
      ],
    },
  });
}
