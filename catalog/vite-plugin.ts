/**
 * Compiles catalog YAML imports to validated JSON, for vite (build and dev server)
 * and for the browser test server. An invalid catalog fails the build with the
 * compiler's message: file, template id, field and reason.
 */
import { compileCatalogSource } from './compile.js';
import { basename } from 'node:path';

const isCatalogSource = (id: string): boolean => /\.ya?ml$/.test(id.split('?')[0]!);

/** The JavaScript module a catalog source compiles to. */
export function catalogModule(source: string, path: string): string {
  const compiled = compileCatalogSource(source, basename(path.split('?')[0]!));
  // JSON.parse of a string literal parses faster than an object literal of the same size.
  return `export default JSON.parse(${JSON.stringify(JSON.stringify(compiled))});\n`;
}

/** Vite plugin: `import catalog from '../catalog/templates.yaml'`. */
export function catalogVitePlugin() {
  return {
    name: 'daily-missions-catalog',
    transform(code: string, id: string) {
      if (!isCatalogSource(id)) return null;
      return { code: catalogModule(code, id), map: null };
    },
  };
}

/** @web/dev-server plugin doing the same for the browser tests. */
export function catalogDevServerPlugin() {
  return {
    name: 'daily-missions-catalog',
    resolveMimeType(context: { path: string }) {
      return isCatalogSource(context.path) ? 'js' : undefined;
    },
    transform(context: { path: string; body: unknown }) {
      if (!isCatalogSource(context.path) || typeof context.body !== 'string') return undefined;
      return { body: catalogModule(context.body, context.path), transformCache: false };
    },
  };
}
