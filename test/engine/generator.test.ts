import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { weekdayOf } from '../../worker/engine/day.js';
import { ValidationError } from '../../worker/engine/errors.js';
import type { GenerateRequest } from '../../worker/engine/generator.js';
import { autoMix, eligibleCategories, generateMissions, MIX_SLOTS, seedFor, tierOf } from '../../worker/engine/generator.js';
import type { CompiledCatalog } from '../../worker/engine/types.js';
import { DEFAULT_TRACKS, FAMILIES } from '../../worker/engine/types.js';
import { catalog, catalogWith } from './support/fixtures.js';
import { goldenCases } from './golden/cases.js';

const base: GenerateRequest = {
  userId: 'learner-1',
  day: '2025-03-04',
  mix: 'balanced',
  count: 3,
  reroll: 0,
  tracks: [...DEFAULT_TRACKS],
  learner: { lessonsCompleted: 200, openMistakes: 5 },
  counters: {},
  yesterday: [],
};
const ids = (request: Partial<GenerateRequest>, source: CompiledCatalog = catalog) =>
  generateMissions(source, { ...base, ...request }).templates.map((t) => t.id);
const byId = new Map(catalog.templates.map((t) => [t.id, t]));
const DAYS = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));

describe('generator: golden vectors', () => {
  it('picks exactly the recorded templates for every recorded case (npm run golden:update to re-record)', () => {
    const recorded: { name: string; expected: string[] }[] = JSON.parse(
      readFileSync(new URL('./golden/generator.json', import.meta.url), 'utf8'),
    );
    const cases = goldenCases();
    assert.ok(cases.length >= 200);
    assert.equal(recorded.length, cases.length);
    const mismatches = cases.filter((c, i) => {
      const actual = generateMissions(catalog, c.request).templates.map((t) => t.id);
      return recorded[i]!.name !== c.name || JSON.stringify(actual) !== JSON.stringify(recorded[i]!.expected);
    });
    assert.deepEqual(mismatches.map((c) => c.name), []);
  });
});

describe('generator: determinism', () => {
  it('returns the same missions for the same user, day, mix and reroll number', () => {
    assert.deepEqual(ids({}), ids({}));
    assert.deepEqual(ids({ userId: '__proto__' }), ids({ userId: '__proto__' }));
  });

  it('changes with the reroll number and the user', () => {
    const differs = (change: Partial<GenerateRequest>) => DAYS.some((day) => ids({ day }).join() !== ids({ day, ...change }).join());
    assert.ok(differs({ reroll: 1 }));
    assert.ok(differs({ userId: 'learner-2' }));
  });

  it('seeds from the four inputs without ambiguity', () => {
    assert.notEqual(seedFor('a|b', '2025-01-01', 'easy', 0), seedFor('a', 'b|2025-01-01', 'easy', 0));
  });

  it('takes the first slots for a smaller count', () => {
    for (const day of DAYS.slice(0, 30)) {
      const three = ids({ day });
      assert.deepEqual(ids({ day, count: 2 }), three.slice(0, 2));
      assert.deepEqual(ids({ day, count: 1 }), three.slice(0, 1));
    }
  });
});

describe('generator: eligibility by history', () => {
  it('classifies learners as new, active and veteran', () => {
    assert.equal(tierOf({ lessonsCompleted: 0, openMistakes: 9 }), 'new');
    assert.equal(tierOf({ lessonsCompleted: 1, openMistakes: 0 }), 'active');
    assert.equal(tierOf({ lessonsCompleted: 49, openMistakes: 0 }), 'active');
    assert.equal(tierOf({ lessonsCompleted: 50, openMistakes: 0 }), 'veteran');
  });

  it('gives new learners only learning and exploration missions', () => {
    for (const day of DAYS) {
      for (const id of ids({ day, learner: { lessonsCompleted: 0, openMistakes: 3 }, tracks: [...FAMILIES] })) {
        assert.ok(['learning', 'exploration'].includes(byId.get(id)!.category), id);
      }
    }
  });

  it('adds streak for active learners, and review and mastery only with open mistakes', () => {
    const categories = (openMistakes: number) =>
      new Set(DAYS.flatMap((day) => ids({ day, learner: { lessonsCompleted: 10, openMistakes } }).map((id) => byId.get(id)!.category)));
    const without = categories(0);
    assert.ok(without.has('streak'));
    assert.ok(!without.has('review') && !without.has('mastery'));
    const withMistakes = categories(2);
    assert.ok(withMistakes.has('review') && withMistakes.has('mastery'));
    assert.deepEqual(eligibleCategories({ lessonsCompleted: 10, openMistakes: 0 }).sort(), ['exploration', 'learning', 'streak']);
  });

  it('opens every category to veterans, even without open mistakes', () => {
    const seen = new Set(
      DAYS.flatMap((day) => ids({ day, learner: { lessonsCompleted: 50, openMistakes: 0 }, tracks: [...FAMILIES] })).map((id) => byId.get(id)!.category),
    );
    assert.deepEqual([...seen].sort(), ['exploration', 'learning', 'mastery', 'review', 'streak']);
  });
});

describe('generator: what is never assigned', () => {
  it('never assigns a template whose event family the host does not track', () => {
    for (const day of DAYS) {
      for (const id of ids({ day })) {
        assert.ok(!['complete-review-session', 'review-overdue', 'try-adaptive-lesson', 'use-cloze', 'use-all-types'].includes(id), id);
      }
    }
  });

  it('assigns the weekend mission only on Saturdays and Sundays', () => {
    let seen = 0;
    for (const day of DAYS) {
      for (const mix of ['balanced', 'easy', 'challenging'] as const) {
        if (ids({ day, mix }).includes('weekend-learner')) {
          seen += 1;
          assert.ok(['sat', 'sun'].includes(weekdayOf(day)), day);
        }
      }
    }
    assert.ok(seen > 0, 'the weekend mission is assignable at weekends');
  });

  it('never assigns a template assigned yesterday', () => {
    for (const day of DAYS) {
      const yesterday = ids({ day });
      const today = ids({ day, yesterday });
      assert.deepEqual(today.filter((id) => yesterday.includes(id)), []);
    }
  });

  it('never assigns a mission already met: no 7-day-streak mission on a 10-day streak', () => {
    for (const day of DAYS) {
      const picks = ids({ day, mix: 'challenging', counters: { current_streak_days: 10, lessons_completed_today: 2 } });
      assert.ok(!picks.includes('extend-streak-7'));
      assert.ok(!picks.includes('complete-1-lesson') && !picks.includes('complete-2-lessons'));
    }
  });

  it('assigns the 7-day-streak mission only when today can complete it', () => {
    const at = (streak: number) => DAYS.some((day) => ids({ day, mix: 'challenging', counters: { current_streak_days: streak } }).includes('extend-streak-7'));
    assert.equal(at(2), false);
    assert.equal(at(6), true);
    assert.equal(at(7), false);
  });
});

describe('generator: difficulty slots', () => {
  it('fills one slot per difficulty of the mix when the pool allows', () => {
    for (const mix of ['balanced', 'easy', 'challenging'] as const) {
      for (const day of DAYS.slice(0, 40)) {
        const picks = ids({ day, mix, tracks: [...FAMILIES] }).map((id) => byId.get(id)!.difficulty);
        assert.deepEqual(picks, MIX_SLOTS[mix]);
      }
    }
  });

  it('takes the nearest difficulty when a slot has no candidate, before any other', () => {
    // A catalog without hard templates: the hard slot takes a medium one, never an easy one.
    const noHard = catalogWith((t) => t.difficulty !== 'hard');
    for (const day of DAYS.slice(0, 30)) {
      const picks = ids({ day, mix: 'challenging' }, noHard).map((id) => byId.get(id)!.difficulty);
      assert.deepEqual(picks, ['medium', 'medium', 'medium']);
    }
  });

  it('returns fewer missions only when nothing is left', () => {
    const tiny = catalogWith((t) => t.id === 'complete-1-lesson' || t.id === 'complete-3-lessons');
    assert.deepEqual(ids({ mix: 'balanced' }, tiny).sort(), ['complete-1-lesson', 'complete-3-lessons']);
    assert.deepEqual(ids({ yesterday: ['complete-1-lesson', 'complete-3-lessons'] }, tiny), []);
  });

  it('prefers templates that measure something not yet in the set', () => {
    for (const day of DAYS) {
      const checks = ids({ day, tracks: [...FAMILIES] }).map((id) => byId.get(id)!.check);
      assert.equal(new Set(checks).size, checks.length, day);
    }
  });
});

describe('generator: auto mix', () => {
  it('starts balanced and follows the last 7 assigned days', () => {
    assert.equal(autoMix([]), 'balanced');
    assert.equal(autoMix([{ assigned: 3, completed: 3 }]), 'challenging');
    assert.equal(autoMix([{ assigned: 3, completed: 1 }, { assigned: 3, completed: 0 }]), 'easy');
    assert.equal(autoMix([{ assigned: 3, completed: 2 }]), 'balanced');
    const oldFailures = Array.from({ length: 10 }, () => ({ assigned: 3, completed: 0 }));
    const recentSuccess = Array.from({ length: 7 }, () => ({ assigned: 3, completed: 3 }));
    assert.equal(autoMix([...oldFailures, ...recentSuccess]), 'challenging', 'only the last 7 assigned days count');
    assert.equal(autoMix([{ assigned: 0, completed: 0 }]), 'balanced', 'days without missions are skipped');
  });

  it('resolves auto before picking and reports the mix it used', () => {
    const result = generateMissions(catalog, { ...base, mix: 'auto', recentDays: [{ assigned: 3, completed: 3 }] });
    assert.equal(result.mix, 'challenging');
    assert.deepEqual(result.templates.map((t) => t.id), ids({ mix: 'challenging' }));
  });
});

describe('generator: reroll support', () => {
  it('keeps kept missions out of the picks and fills only the remaining slots', () => {
    const first = ids({});
    const kept = first[0]!;
    const rerolled = generateMissions(catalog, { ...base, reroll: 1, keep: [kept], replace: first.slice(1) }).templates;
    assert.equal(rerolled.length, 2);
    assert.ok(rerolled.every((t) => t.id !== kept));
    assert.deepEqual(rerolled.map((t) => t.difficulty), ['medium', 'hard']);
  });

  it('picks a replaced template again only when nothing else fits', () => {
    for (const day of DAYS.slice(0, 30)) {
      const first = ids({ day });
      const next = ids({ day, reroll: 1, replace: first });
      assert.deepEqual(next.filter((id) => first.includes(id)), [], day);
    }
    const tiny = catalogWith((t) => t.id === 'complete-1-lesson');
    assert.deepEqual(ids({ reroll: 1, replace: ['complete-1-lesson'] }, tiny), ['complete-1-lesson']);
  });
});

describe('generator: bad input', () => {
  const rejects = (request: unknown, field: string) =>
    assert.throws(() => generateMissions(catalog, request as GenerateRequest), (e: unknown) => e instanceof ValidationError && e.field === field);

  it('names the field that is wrong', () => {
    rejects({ ...base, userId: '' }, 'request.userId');
    rejects({ ...base, userId: 'x'.repeat(10_001) }, 'request.userId');
    rejects({ ...base, day: '2025-02-30' }, 'request.day');
    rejects({ ...base, mix: 'hard' }, 'request.mix');
    rejects({ ...base, count: 4 }, 'request.count');
    rejects({ ...base, count: 0 }, 'request.count');
    rejects({ ...base, tracks: ['lessons', 'emails'] }, 'request.tracks[1]');
    rejects({ ...base, learner: null }, 'request.learner');
    rejects({ ...base, counters: { current_streak_days: -1 } }, 'request.counters.current_streak_days');
    rejects(null, 'request');
  });

  it('rejects a catalog that is not one', () => {
    assert.throws(() => generateMissions({ templates: 'nope' } as unknown as CompiledCatalog, base), ValidationError);
  });
});
