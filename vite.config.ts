/**
 * One vite config, two outputs:
 * - `vite build` (npm run build): the library into dist/, one ES module per package entry;
 * - `vite` / `vite build --mode demo`: the demo page from demo/ (dev server or static folder).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { catalogVitePlugin } from './catalog/vite-plugin.js';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ mode }) => {
  if (mode === 'demo' || mode === 'development') {
    return {
      root: resolve(root, 'demo'),
      base: './',
      plugins: [catalogVitePlugin()],
      server: { port: 5173, fs: { allow: [root] } },
      build: { outDir: resolve(root, 'dist-demo'), emptyOutDir: true, target: 'es2022' },
    };
  }
  return {
    plugins: [catalogVitePlugin()],
    build: {
      target: 'es2022',
      outDir: resolve(root, 'dist'),
      emptyOutDir: true,
      sourcemap: true,
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
