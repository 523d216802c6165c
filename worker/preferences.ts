/** Per-user preferences: defaults, validation and the per-call overrides of a host. */
import { requireTimeZone } from './engine/day.js';
import { ValidationError } from './engine/errors.js';
import { MAX_MISSIONS } from './engine/generator.js';
import { DEFAULT_TRACKS, FAMILIES, MIXES } from './engine/types.js';
import { describe, isPlainObject, requireBoolean, requireInteger, requireOneOf, requireStringArray } from './engine/validate.js';
import { DEFAULT_REROLLS_PER_DAY } from './constants.js';
import type { Preferences } from './store/rows.js';

export function defaultPreferences(): Preferences {
  return { enabled: true, count: MAX_MISSIONS, mix: 'balanced', timeZone: '', tracks: [...DEFAULT_TRACKS], rerollsPerDay: DEFAULT_REROLLS_PER_DAY };
}

/** Validates a partial preferences object (unknown keys are an error: they are usually typos). */
export function normalizePreferences(input: unknown, field = 'preferences'): Partial<Preferences> {
  if (input === undefined) return {};
  if (!isPlainObject(input)) throw new ValidationError(field, `must be an object, got ${describe(input)}`);
  const result: Partial<Preferences> = {};
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined) continue;
    const path = `${field}.${key}`;
    switch (key) {
      case 'enabled':
        result.enabled = requireBoolean(value, path);
        break;
      case 'count':
        result.count = requireInteger(value, path, 1, MAX_MISSIONS);
        break;
      case 'mix':
        result.mix = requireOneOf(value, path, MIXES);
        break;
      case 'timeZone':
        result.timeZone = value === '' ? '' : requireTimeZone(value, path);
        break;
      case 'tracks':
        result.tracks = [...new Set(requireStringArray(value, path).map((family, i) => requireOneOf(family, `${path}[${i}]`, FAMILIES)))];
        break;
      case 'rerollsPerDay':
        result.rerollsPerDay = requireInteger(value, path, 0, 100);
        break;
      default:
        throw new ValidationError(path, 'is not a preference; known: enabled, count, mix, timeZone, tracks, rerollsPerDay');
    }
  }
  return result;
}
