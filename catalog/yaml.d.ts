// Catalog YAML files are compiled to validated JSON at build time (catalog/vite-plugin.ts),
// so importing one yields the compiled catalog, never YAML.
declare module '*.yaml' {
  import type { CompiledCatalog } from '../worker/engine/types.js';
  const catalog: CompiledCatalog;
  export default catalog;
}

declare module '*.yaml?rules' {
  import type { CatalogRules } from '../worker/engine/types.js';
  const rules: CatalogRules;
  export default rules;
}

declare module '*.yaml?text=en' {
  import type { TemplateText } from '../worker/engine/types.js';
  const text: Record<string, TemplateText>;
  export default text;
}
declare module '*.yaml?text=de' {
  import type { TemplateText } from '../worker/engine/types.js';
  const text: Record<string, TemplateText>;
  export default text;
}

declare module '*.yaml?text=es' {
  import type { TemplateText } from '../worker/engine/types.js';
  const text: Record<string, TemplateText>;
  export default text;
}

declare module '*.yaml?text=fr' {
  import type { TemplateText } from '../worker/engine/types.js';
  const text: Record<string, TemplateText>;
  export default text;
}

declare module '*.yaml?text=el' {
  import type { TemplateText } from '../worker/engine/types.js';
  const text: Record<string, TemplateText>;
  export default text;
}

declare module '*.yaml?text=pt' {
  import type { TemplateText } from '../worker/engine/types.js';
  const text: Record<string, TemplateText>;
  export default text;
}

declare module '*.yaml?text=tr' {
  import type { TemplateText } from '../worker/engine/types.js';
  const text: Record<string, TemplateText>;
  export default text;
}

declare module '*.yaml?text=ja' {
  import type { TemplateText } from '../worker/engine/types.js';
  const text: Record<string, TemplateText>;
  export default text;
}

declare module '*.yaml?text=ar' {
  import type { TemplateText } from '../worker/engine/types.js';
  const text: Record<string, TemplateText>;
  export default text;
}

