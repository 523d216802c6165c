// Catalog YAML files are compiled to validated JSON at build time (catalog/vite-plugin.ts),
// so importing one yields the compiled catalog, never YAML.
declare module '*.yaml' {
  import type { CompiledCatalog } from '../worker/engine/types.js';
  const catalog: CompiledCatalog;
  export default catalog;
}
