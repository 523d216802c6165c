/**
 * Eight worker connections (like eight tabs) racing on the same user and day:
 * assignment happens once, each completed mission is awarded once. A negative
 * control runs the same checks against a deliberately split check-then-write and
 * shows they catch it, so a green run here means something.
 */
import { expect } from 'chai';
import { connectMissions } from '../../src/client.js';
import type { MissionsClient, UserExport } from '../../src/client.js';
import { generateMissions } from '../../worker/engine/generator.js';
import { assignMission } from '../../worker/engine/progress.js';
import type { CallContext } from '../../worker/daily.js';
import { IndexedDbStore } from '../../worker/store/indexeddb-store.js';
import type { Store } from '../../worker/store/store.js';
import rules from '../../catalog/templates.yaml?rules';
import { freshUser } from './support/helpers.js';

const RACERS = 8;
const REPETITIONS = 50;
const ZONE = 'America/Sao_Paulo';
const NOW = Date.UTC(2025, 5, 10, 15);
const MIXES = ['balanced', 'easy', 'challenging', 'auto'] as const;
/** Counters high enough to complete any shipped mission. */
const EVERYTHING = {
  lessons_completed_today: 99, lessons_min_2_stars_today: 99, lessons_min_3_stars_today: 99, perfect_lessons_today: 99,
  new_sets_started_today: 99, minutes_learned_today: 999, streak_kept_today: 1, current_streak_days: 99, weekend_learning_today: 1,
  elements_reviewed_today: 99, elements_mastered_today: 99, review_sessions_completed_today: 99, overdue_cleared_today: 1,
  adaptive_lessons_started_today: 99, cloze_exercises_today: 99, exercise_types_used_today: 99,
};

interface AssignmentOutcome {
  /** The template ids each racer was given. */
  seen: string[][];
  /** The mission rows stored for the day. */
  stored: string[];
}

/** The invariant: every racer saw the same missions, and exactly those are stored. */
function checkSingleAssignment({ seen, stored }: AssignmentOutcome): string[] {
  const problems: string[] = [];
  const first = JSON.stringify([...seen[0]!].sort());
  seen.forEach((ids, i) => {
    if (JSON.stringify([...ids].sort()) !== first) problems.push(`racer ${i} saw ${ids.join(',')} instead of ${first}`);
  });
  if (JSON.stringify([...stored].sort()) !== first) problems.push(`stored ${stored.join(',')} but racers saw ${first}`);
  return problems;
}

/** The invariant: each completed mission was reported as newly completed by exactly one racer, with one award row. */
function checkSingleAward(reported: string[][], exported: Pick<UserExport, 'awards' | 'missions'>): string[] {
  const problems: string[] = [];
  const completed = exported.missions.filter((m) => m.completed).map((m) => m.templateId);
  for (const id of completed) {
    const reporters = reported.filter((ids) => ids.includes(id)).length;
    if (reporters !== 1) problems.push(`${id} reported complete by ${reporters} racers`);
    const awards = exported.awards.filter((a) => a.templateId === id).length;
    if (awards !== 1) problems.push(`${id} has ${awards} award rows`);
  }
  const paid = reported.flat().length;
  if (paid !== completed.length) problems.push(`${paid} completions reported for ${completed.length} completed missions`);
  return problems;
}

describe('race conditions: eight worker connections on one user and day', function () {
  this.timeout(240_000);
  let racers: MissionsClient[] = [];

  before(() => {
    // A distinct script URL per racer gives each its own worker and its own IndexedDB connection.
    racers = Array.from({ length: RACERS }, (_, i) =>
      connectMissions({ workerUrl: new URL(`../../worker/main.ts?racer=${i}`, import.meta.url), now: () => NOW + i, timeoutMs: 30_000 }),
    );
  });
  after(() => racers.forEach((racer) => racer.close()));

  it(`assigns once and awards once, ${REPETITIONS} times over`, async () => {
    for (let rep = 0; rep < REPETITIONS; rep += 1) {
      const user = freshUser(`race${rep}`);
      // Racers ask with different mixes: a second assignment would show up as a different set.
      // Half of them ask for the day, half record straight away: assignment and evaluation race too.
      const early: string[][] = racers.map(() => []);
      const first = await Promise.all(
        racers.map((racer, i) => {
          const settings = { timeZone: ZONE, preferences: { mix: MIXES[i % MIXES.length]! } };
          if (i % 2 === 0) return racer.getDaily(user, settings);
          return racer.record(user, { type: 'lesson-completed', lessonId: `l${i}`, correct: 1, total: 2 }, settings).then((r) => {
            early[i] = r.completed.map((m) => m.templateId);
            return r.daily;
          });
        }),
      );
      const afterAssign = await racers[0]!.exportData(user, { timeZone: ZONE });
      const assignProblems = checkSingleAssignment({ seen: first.map((d) => d.missions.map((m) => m.templateId)), stored: afterAssign.missions.map((m) => m.templateId) });
      expect(assignProblems, `repetition ${rep}`).to.deep.equal([]);

      const results = await Promise.all(racers.map((racer) => racer.pushStats(user, EVERYTHING, { timeZone: ZONE })));
      const exported = await racers[0]!.exportData(user, { timeZone: ZONE });
      expect(exported.missions.every((m) => m.completed), 'everything completed').to.equal(true);
      const reported = results.map((r, i) => [...early[i]!, ...r.completed.map((m) => m.templateId)]);
      const awardProblems = checkSingleAward(reported, exported);
      expect(awardProblems, `repetition ${rep}`).to.deep.equal([]);
      expect(results.filter((r) => r.allCompleted !== null), 'one all-complete').to.have.length(1);
    }
  });
});

describe('race conditions: negative control', function () {
  this.timeout(60_000);

  /**
   * The bug the original had, rebuilt from the real parts: the check ("are missions
   * assigned? is this award paid?") and the write happen in two transactions, so
   * racers interleave between them.
   */
  async function splitCheckThenWrite(stores: Store[], user: string) {
    const contexts: CallContext[] = stores.map((_, i) => ({
      userId: user, now: NOW + i, timeZone: ZONE, catalog: rules, overrides: { mix: MIXES[i % MIXES.length]! },
    }));
    const checked = await Promise.all(stores.map((store) => store.transact('readonly', (tx) => tx.getMissions(user, '2025-06-10'))));
    const seen = await Promise.all(
      stores.map((store, i) => {
        if (checked[i]!.length > 0) return Promise.resolve(checked[i]!.map((m) => m.templateId));
        // The write trusts the earlier check: it generates and stores without looking again.
        const picks = generateMissions(rules, {
          userId: user, day: '2025-06-10', mix: MIXES[i % MIXES.length]!, count: 3, reroll: 0, tracks: ['lessons', 'elements'],
          learner: { lessonsCompleted: 0, openMistakes: 0 }, counters: {}, yesterday: [],
        }).templates;
        return store.transact('readwrite', async (tx) => {
          for (const [slot, template] of picks.entries()) {
            await tx.putMission({ ...assignMission(template), userId: user, day: '2025-06-10', slot, reroll: 0, assignedAt: contexts[i]!.now, xpAwarded: false, celebrated: false });
          }
          return picks.map((t) => t.id);
        });
      }),
    );
    const stored = await stores[0]!.transact('readonly', (tx) => tx.getMissions(user, '2025-06-10'));
    const paidBefore = await Promise.all(stores.map((store) => store.transact('readonly', (tx) => tx.allAwards(user))));
    const reported = await Promise.all(
      stores.map((store, i) =>
        store.transact('readwrite', async (tx) => {
          const missions = await tx.getMissions(user, '2025-06-10');
          const newly = missions.filter((m) => !paidBefore[i]!.some((a) => a.templateId === m.templateId));
          for (const m of newly) await tx.putMission({ ...m, completed: true, current: m.target, xpAwarded: true });
          return newly.map((m) => m.templateId);
        }),
      ),
    );
    return { seen, stored: stored.map((m) => m.templateId), reported, user };
  }

  it('the same checks catch a split check-then-write', async () => {
    const stores = Array.from({ length: RACERS }, () => new IndexedDbStore());
    try {
      const outcome = await splitCheckThenWrite(stores, freshUser('split'));
      const assignProblems = checkSingleAssignment(outcome);
      expect(assignProblems.length, 'duplicate assignment detected').to.be.greaterThan(0);
      const missions = await stores[0]!.transact('readonly', (tx) => tx.allMissions(outcome.user));
      const awardProblems = checkSingleAward(outcome.reported, { missions, awards: [] });
      expect(awardProblems.length, 'double award detected').to.be.greaterThan(0);
    } finally {
      stores.forEach((store) => store.close());
    }
  });
});
