/**
 * The element's attributes as worker call settings: pure functions, with the names,
 * limits and defaults of the shared vocabulary (the worker checks every call with the
 * same rules).
 */
import { DEFAULT_COUNT, DEFAULT_MIX, isValidTimeZone, MAX_MISSIONS, MIN_MISSIONS, MIXES } from '../../worker/engine/vocabulary.js';
import type { Family } from '../../worker/engine/types.js';
import type { Mix } from '../../worker/engine/vocabulary.js';
import type { CallSettings } from '../client.js';
import type { Intensity } from '../celebration.js';

/** The `celebration` attribute's values (an element-only setting: the worker never sees it). */
const INTENSITIES: readonly string[] = ['subtle', 'normal', 'enthusiastic'];

/** The `celebration` attribute when usable, else the default (the problem is reported with the others). */
export const usableIntensity = (celebration: string): Intensity => (INTENSITIES.includes(celebration) ? (celebration as Intensity) : 'normal');

/** The attributes that shape what the worker assigns. */
export interface ShapeAttributes {
  count: number | undefined;
  difficulty: string | undefined;
  timeZone: string;
  tracks: Family[] | undefined;
  celebration: string;
}

/**
 * The per-call settings the attributes ask for, keeping only values the worker accepts:
 * a typo in an attribute must not leave the widget loading for ever, so a bad value is
 * dropped (the default applies) and named in `problems`. The `time-zone` attribute goes
 * as a per-call preference too, so it wins over a zone stored with setPreferences.
 */
export function usableSettings(attributes: ShapeAttributes) {
  const preferences: NonNullable<CallSettings['preferences']> = {};
  const problems: string[] = [];
  const { count, difficulty, timeZone, tracks, celebration } = attributes;
  if (!INTENSITIES.includes(celebration)) problems.push(`celebration: must be one of ${INTENSITIES.join(', ')}, got ${JSON.stringify(String(celebration))}`);
  if (count !== undefined && count !== null) {
    if (Number.isInteger(count) && count >= MIN_MISSIONS && count <= MAX_MISSIONS) preferences.count = count;
    else problems.push(`count: must be between ${MIN_MISSIONS} and ${MAX_MISSIONS}, got ${JSON.stringify(String(count))}`);
  }
  if (difficulty) {
    if ((MIXES as readonly string[]).includes(difficulty)) preferences.mix = difficulty as Mix;
    else problems.push(`difficulty: must be one of ${MIXES.join(', ')}, got ${JSON.stringify(difficulty)}`);
  }
  if (tracks) preferences.tracks = tracks;
  let zone = '';
  if (timeZone) {
    if (isValidTimeZone(timeZone)) zone = preferences.timeZone = timeZone;
    else problems.push(`time-zone: must be an IANA time zone such as "Europe/Berlin", got ${JSON.stringify(timeZone)}`);
  }
  return { preferences, timeZone: zone, problems };
}

/** The count and mix of a list of missions. */
export type Shape = { count: number; mix: string };

/** The count and mix the attributes ask for (or the defaults): today's list keeps the ones it was assigned with. */
export function requestedShape(attributes: ShapeAttributes): Shape {
  const { preferences } = usableSettings(attributes);
  return { count: preferences.count ?? DEFAULT_COUNT, mix: preferences.mix ?? DEFAULT_MIX };
}

/** Whether the attributes ask for another count or mix than the shown list was assigned with (it applies tomorrow). */
export function shapeChanged(assigned: Shape | null, attributes: ShapeAttributes): boolean {
  const requested = requestedShape(attributes);
  return assigned !== null && (requested.count !== assigned.count || requested.mix !== assigned.mix);
}

/** What one worker call carries for the element, and the attribute values it had to leave out. */
export function callSettings(attributes: ShapeAttributes, language: string, catalogId: string | undefined): { settings: CallSettings; problems: string[] } {
  const { preferences, timeZone, problems } = usableSettings(attributes);
  // No time-zone attribute: the client uses the browser's zone.
  const settings: CallSettings = { language, preferences };
  if (timeZone) settings.timeZone = timeZone;
  if (catalogId) settings.catalogId = catalogId;
  return { settings, problems };
}
