/**
 * Compiles catalog YAML imports to validated JSON, for vite (build and dev server)
 * and for the browser test server. An invalid catalog fails the build with the
 * compiler's message: file, template id, field and reason.
 */
import { compileCatalogSource } from './compile.js';
import { basename } from 'node:path';

const isCatalogSource = (id: string): boolean => /\.ya?ml$/.test(id.split('?')[0]!);

/**
 * The JavaScript module a catalog source compiles to: the whole compiled catalog, or
 * with `?text=xx` only the text of language xx (the widget loads one language at a
 * time; the worker needs the rules and no text at all, with `?rules`).
 */
export function catalogModule(source: string, url: string): string {
  const [path = '', query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  const compiled = compileCatalogSource(source, basename(path));
  const language = params.get('text');
  let data: unknown = compiled;
  if (language !== null) {
    if (!compiled.languages.includes(language)) throw new Error(`${basename(path)}: no text for language "${language}"`);
    data = compiled.text[language];
  } else if (params.has('rules')) {
    data = { version: compiled.version, templates: compiled.templates };
  }
  // JSON.parse of a string literal parses faster than an object literal of the same size.
  return `export default JSON.parse(${JSON.stringify(JSON.stringify(data))});\n`;
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
    transform(context: { path: string; url: string; body: unknown }) {
      if (!isCatalogSource(context.path) || typeof context.body !== 'string') return undefined;
      return { body: catalogModule(context.body, context.url), transformCache: false };
    },
  };
}
