/**
 * Validated catalogs by identity: engine entry points accept a catalog object on
 * every call but validate each object once. Catalogs are treated as immutable.
 */
import { validateCompiledCatalog } from './catalog.js';
import type { CompiledCatalog } from './types.js';

const validated = new WeakMap<object, CompiledCatalog>();

export function requireCatalog(catalog: unknown): CompiledCatalog {
  if (typeof catalog === 'object' && catalog !== null) {
    const known = validated.get(catalog);
    if (known) return known;
  }
  const result = validateCompiledCatalog(catalog);
  validated.set(catalog as object, result);
  validated.set(result, result);
  return result;
}
