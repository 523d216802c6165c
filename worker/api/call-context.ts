/**
 * Turning a call's options into a validated CallContext: who, the caller's clock and
 * zone, per-call preferences, and the catalog (the shipped one or one registered with
 * useCatalog). Every bad field is a ValidationError naming it.
 */
import type { CallContext } from '../daily.js';
import { requireInstant, requireTimeZone } from '../engine/day.js';
import { ValidationError } from '../engine/errors.js';
import type { CatalogRules } from '../engine/types.js';
import { describe, isPlainObject, requireBoolean, requireString } from '../engine/validate.js';
import { normalizePreferences } from '../preferences.js';

export const DEFAULT_CATALOG_ID = 'default';

export class CatalogRegistry {
  private readonly catalogs: Map<string, CatalogRules>;

  constructor(shipped: CatalogRules) {
    this.catalogs = new Map([[DEFAULT_CATALOG_ID, shipped]]);
  }

  /** Registers a host's catalog (already validated on the main thread) under `id`. */
  register(rules: CatalogRules, id: unknown): string {
    const catalogId = requireString(id, 'catalogId', 100);
    if (catalogId === DEFAULT_CATALOG_ID) throw new ValidationError('catalogId', `"${DEFAULT_CATALOG_ID}" is the shipped catalog`);
    if (!isPlainObject(rules) || !Array.isArray(rules.templates)) throw new ValidationError('catalog', 'must be the rules of a validated catalog');
    this.catalogs.set(catalogId, { version: 1, templates: rules.templates });
    return catalogId;
  }

  /** The validated context of a call. */
  context(input: unknown, name = 'options'): CallContext {
    if (!isPlainObject(input)) throw new ValidationError(name, `must be an object, got ${describe(input)}`);
    const catalogId = input['catalogId'] === undefined ? DEFAULT_CATALOG_ID : requireString(input['catalogId'], `${name}.catalogId`, 100);
    const catalog = this.catalogs.get(catalogId);
    if (!catalog) throw new ValidationError(`${name}.catalogId`, `no catalog registered as "${catalogId}"; call useCatalog first`);
    const ctx: CallContext = {
      userId: requireString(input['userId'], `${name}.userId`),
      now: requireInstant(input['now'], `${name}.now`),
      timeZone: requireTimeZone(input['timeZone'], `${name}.timeZone`),
      overrides: normalizePreferences(input['preferences'], `${name}.preferences`),
      catalog,
    };
    if (input['celebrate'] !== undefined) ctx.celebrate = requireBoolean(input['celebrate'], `${name}.celebrate`);
    return ctx;
  }
}
