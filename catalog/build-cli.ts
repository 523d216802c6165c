/**
 * Bundles the catalog CLI (catalog/cli.ts) into one plain-Node ES module, dist/cli.js,
 * the package's `daily-missions` bin. Run by `npm run build` after vite (whose first
 * pass empties dist/); the CLI tests call bundleCli to build a copy when dist/ is absent.
 *
 * `yaml` stays external: it is a dependency of the package, so installing the package
 * installs it, and the browser-side files never see it.
 */
import { chmodSync, existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const CLI_SOURCE = fileURLToPath(new URL('./cli.ts', import.meta.url));
export const CLI_OUTFILE = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Writes the bundled CLI to `outfile` (made executable, for running it by path). */
export async function bundleCli(outfile: string = CLI_OUTFILE): Promise<void> {
  await build({
    entryPoints: [CLI_SOURCE],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['yaml'],
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
}

/** Run as a script (`tsx catalog/build-cli.ts [outfile]`) rather than imported by a test. */
function invokedDirectly(): boolean {
  const script = process.argv[1];
  return script !== undefined && existsSync(script) && realpathSync(script) === fileURLToPath(import.meta.url);
}

if (invokedDirectly()) await bundleCli(process.argv[2]);
