/**
 * Validated catalogs by identity: engine entry points accept a catalog object on
 * every call but validate each object once. Catalogs are treated as immutable.
 */
import { validateCatalogRules } from './catalog.js';
import type { CatalogRules } from './types.js';

const validated = new WeakMap<object, CatalogRules>();

export function requireCatalog(catalog: unknown): CatalogRules {
  if (typeof catalog === 'object' && catalog !== null) {
    const known = validated.get(catalog);
    if (known) return known;
  }
  const result = validateCatalogRules(catalog);
  validated.set(catalog as object, result);
  validated.set(result, result);
  return result;
}
