/** Per-user preferences: defaults, validation and the per-call overrides of a host. */
import { requireTimeZone } from './engine/day.js';
import { ValidationError } from './engine/errors.js';
import { describe, isPlainObject, requireBoolean, requireInteger, requireOneOf, requireStringArray } from './engine/validate.js';
import { DEFAULT_TRACKS, FAMILIES } from './engine/types.js';
import { DEFAULT_COUNT, DEFAULT_MIX, DEFAULT_REROLLS_PER_DAY, MAX_MISSIONS, MIN_MISSIONS, MIXES } from './engine/vocabulary.js';
import type { Preferences } from './store/rows.js';

/** The preferences of a learner who has set none (a fresh object: a stored profile changes its own). */
export function defaultPreferences(): Preferences {
  return { enabled: true, count: DEFAULT_COUNT, mix: DEFAULT_MIX, timeZone: '', tracks: [...DEFAULT_TRACKS], rerollsPerDay: DEFAULT_REROLLS_PER_DAY };
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
        result.count = requireInteger(value, path, MIN_MISSIONS, MAX_MISSIONS);
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
