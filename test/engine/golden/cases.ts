/**
 * The golden-vector cases for the generator: a fixed spread of users, days, mixes and
 * learner profiles. `npm run golden:update` records what the generator picks for each
 * into generator.json; the test compares against that file, so any change to
 * selection shows up in review as a diff of expected template ids.
 */
import type { GenerateRequest } from '../../../worker/engine/generator.js';
import { addDays } from '../../../worker/engine/day.js';
import { DEFAULT_TRACKS, FAMILIES } from '../../../worker/engine/types.js';

export const PROFILES = {
  new: { lessonsCompleted: 0, openMistakes: 0 },
  active: { lessonsCompleted: 12, openMistakes: 0 },
  'active-with-mistakes': { lessonsCompleted: 20, openMistakes: 3 },
  veteran: { lessonsCompleted: 180, openMistakes: 7 },
} as const;
export type ProfileName = keyof typeof PROFILES;

export interface GoldenCase {
  name: string;
  profile: ProfileName;
  request: GenerateRequest;
}

const USERS = ['alice', 'bob', 'u-000042', '__proto__', 'ユーザー'];
const MIXES = ['balanced', 'easy', 'challenging', 'auto'] as const;
const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
const RECENT = [
  { assigned: 3, completed: 3 },
  { assigned: 3, completed: 2 },
  { assigned: 3, completed: 3 },
];

export function goldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  let index = 0;
  for (const userId of USERS) {
    for (const mix of MIXES) {
      for (const profile of PROFILE_NAMES) {
        for (const offset of [0, 5, 13]) {
          // Days spread over a year, landing on every weekday.
          const day = addDays('2025-01-01', (index * 37 + offset) % 365);
          const allFamilies = index % 3 === 0;
          cases.push({
            name: `${userId}/${day}/${mix}/${profile}${allFamilies ? '/all-tracks' : ''}`,
            profile,
            request: {
              userId,
              day,
              mix,
              count: 3,
              reroll: index % 5 === 4 ? 1 : 0,
              tracks: allFamilies ? [...FAMILIES] : [...DEFAULT_TRACKS],
              learner: { ...PROFILES[profile] },
              counters: {},
              yesterday: index % 4 === 1 ? ['complete-1-lesson', 'learn-15-minutes', 'score-3-stars'] : [],
              recentDays: mix === 'auto' ? RECENT.slice(0, index % 4) : [],
            },
          });
          index += 1;
        }
      }
    }
  }
  return cases;
}
