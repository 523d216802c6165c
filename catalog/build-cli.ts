/**
 * Bundles the command-line program into plain-Node ES modules beside each other:
 * - cli.js, the package's `daily-missions` bin (catalog/cli.ts);
 * - serve.js, the `serve` command (server/serve.ts), which cli.js imports only for
 *   that command, so the catalog commands stay as light as before;
 * - server.js, the `daily-missions/server` entry (server/index.ts), which serve.js imports.
 * Run by `npm run build` after vite (whose first pass empties dist/); the CLI tests call
 * bundleCli to build a copy when dist/ is absent.
 *
 * Installed packages (yaml, jose, the database drivers) stay external: installing the
 * package installs them, and the browser-side files never see them.
 */
import { chmodSync, existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';

export const CLI_SOURCE = fileURLToPath(new URL('./cli.ts', import.meta.url));
export const SERVE_SOURCE = fileURLToPath(new URL('../server/serve.ts', import.meta.url));
export const SERVER_SOURCE = fileURLToPath(new URL('../server/index.ts', import.meta.url));
export const CLI_OUTFILE = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Imports of another bundled file become imports of its output beside this one. */
function siblings(map: Record<string, string>): Plugin {
  return {
    name: 'daily-missions-siblings',
    setup(setup) {
      setup.onResolve({ filter: /^\.\.?\// }, (args) => {
        const source = join(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        const target = map[source];
        return target === undefined ? undefined : { path: `./${target}`, external: true };
      });
    },
  };
}

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' } as const;

/** Writes the bundled CLI to `outfile` (made executable), with serve.js and server.js beside it. */
export async function bundleCli(outfile: string = CLI_OUTFILE): Promise<void> {
  const dir = dirname(outfile);
  await Promise.all([
    build({ ...common, entryPoints: [CLI_SOURCE], outfile, banner: { js: '#!/usr/bin/env node' }, plugins: [siblings({ [SERVE_SOURCE]: 'serve.js' })] }),
    build({ ...common, entryPoints: [SERVE_SOURCE], outfile: join(dir, 'serve.js'), plugins: [siblings({ [SERVER_SOURCE]: 'server.js' })] }),
    build({ ...common, entryPoints: [SERVER_SOURCE], outfile: join(dir, 'server.js') }),
  ]);
  chmodSync(outfile, 0o755);
}

/** Run as a script (`tsx catalog/build-cli.ts [outfile]`) rather than imported by a test. */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  return script !== undefined && existsSync(script) && realpathSync(script) === fileURLToPath(import.meta.url);
}

if (invokedDirectly()) await bundleCli(process.argv[2]);
