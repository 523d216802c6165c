/**
 * The exactly-once race (docs/server.md, "Locking"): several store instances (each its
 * own connection pool, as separate server processes would be) record a lesson for
 * the same learner and day at the same moment, round after round, one new day per
 * round. Afterwards the stored state is checked against what the calls were told:
 * every counted lesson is in the day's and the profile's counters, every award is paid
 * once, and lifetime XP equals the awards. Used by test/server/race.test.ts (with the
 * lock: nothing may be lost) and by test/bench/server-lock.ts (without it, to measure).
 */
import type { CallContext } from '../../../worker/daily.js';
import { getDaily, recordActivities } from '../../../worker/daily.js';
import { normalizeActivities } from '../../../worker/engine/activity.js';
import type { Store } from '../../../worker/store/store.js';
import { catalog } from '../../engine/support/fixtures.js';

const DAY_MS = 86_400_000;
const FIRST_NOON = Date.parse('2026-04-01T12:00:00Z');

export interface RaceReport {
  instances: number;
  rounds: number;
  /** record calls that committed. */
  recorded: number;
  /** record calls that failed (any error). */
  failed: number;
  /** Lessons committed calls counted but the days' stats do not hold. */
  lostDayCounters: number;
  /** Lessons committed calls counted but the profile's lifetime counter does not hold. */
  lostProfileLessons: number;
  /** Rounds in which any counter was lost. */
  roundsWithLoss: number;
  /** Awards reported as paid by calls beyond the award rows stored (a mission paid twice). */
  duplicateAwards: number;
  awards: number;
  awardsXp: number;
  lifetimeXp: number;
  activityRows: number;
}

export async function race(stores: readonly Store[], rounds: number, userId = 'racer'): Promise<RaceReport> {
  const context = (now: number): CallContext => ({ userId, now, timeZone: 'UTC', overrides: {}, catalog });
  await stores[0]!.transact('readwrite', (tx) => getDaily(tx, context(FIRST_NOON)));
  let recorded = 0;
  let failed = 0;
  let reportedAwards = 0;
  const committedPerDay: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const now = FIRST_NOON + round * DAY_MS;
    const outcomes = await Promise.allSettled(
      stores.map((store, instance) =>
        store.transact('readwrite', (tx) =>
          recordActivities(
            tx,
            context(now),
            normalizeActivities([{ type: 'lesson-completed', lessonId: `r${round}-i${instance}`, correct: 10, total: 10, seconds: 300 }], now).map((activity) => ({ ...activity, id: `r${round}-i${instance}` })),
          ),
        ),
      ),
    );
    let committed = 0;
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') {
        committed += 1;
        reportedAwards += outcome.value.completed.length;
      } else {
        failed += 1;
      }
    }
    recorded += committed;
    committedPerDay.push(committed);
  }

  const stored = await stores[0]!.transact('readonly', async (tx) => ({
    profile: (await tx.getProfile(userId))!,
    days: await tx.allDays(userId),
    awards: await tx.allAwards(userId),
    activity: await tx.allActivity(userId),
  }));
  let lostDayCounters = 0;
  let roundsWithLoss = 0;
  committedPerDay.forEach((committed, round) => {
    const day = new Date(FIRST_NOON + round * DAY_MS).toISOString().slice(0, 10);
    const counted = stored.days.find((row) => row.day === day)?.stats.lessonsCompleted ?? 0;
    lostDayCounters += committed - counted;
    if (committed !== counted) roundsWithLoss += 1;
  });
  return {
    instances: stores.length,
    rounds,
    recorded,
    failed,
    lostDayCounters,
    lostProfileLessons: recorded - stored.profile.learner.lessonsCompleted,
    roundsWithLoss,
    duplicateAwards: reportedAwards - stored.awards.length,
    awards: stored.awards.length,
    awardsXp: stored.awards.reduce((sum, award) => sum + award.xp, 0),
    lifetimeXp: stored.profile.lifetimeXp,
    activityRows: stored.activity.length,
  };
}
