/**
 * Property tests over thousands of random cases. The generator is checked against an
 * oracle written here from docs/architecture.md §5.2, not against its own helpers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { normalizeActivities, normalizeActivity } from '../../worker/engine/activity.js';
import { compileCatalog, validateCompiledCatalog } from '../../worker/engine/catalog.js';
import { addDays, dayKey, nextMidnight, weekdayOf } from '../../worker/engine/day.js';
import { ValidationError } from '../../worker/engine/errors.js';
import type { GenerateRequest } from '../../worker/engine/generator.js';
import { generateMissions, MIX_SLOTS, VETERAN_LESSONS } from '../../worker/engine/generator.js';
import { assignMission, evaluateMission } from '../../worker/engine/progress.js';
import { applyActivity, countersFor, emptyDayStats, emptyLearnerState, normalizeHostCounters } from '../../worker/engine/stats.js';
import { missionStreakFromDays, recordMissionDay } from '../../worker/engine/streak.js';
import type { Category, Difficulty, TemplateRule } from '../../worker/engine/types.js';
import { CHECK_FAMILY, CHECK_NAMES, FAMILIES } from '../../worker/engine/types.js';
import { catalog } from './support/fixtures.js';

const RUNS = 3000;
const DIFFICULTY_RANK: Record<Difficulty, number> = { easy: 0, medium: 1, hard: 2 };
const ids = catalog.templates.map((t) => t.id);

const dayArb = fc.integer({ min: 0, max: 3650 }).map((n) => addDays('2020-01-01', n));
const requestArb: fc.Arbitrary<GenerateRequest> = fc.record({
  userId: fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('__proto__', 'constructor', '../x', 'a'.repeat(10_000))),
  day: dayArb,
  mix: fc.constantFrom('balanced', 'easy', 'challenging', 'auto'),
  count: fc.integer({ min: 1, max: 3 }),
  reroll: fc.integer({ min: 0, max: 5 }),
  tracks: fc.subarray([...FAMILIES]),
  learner: fc.record({ lessonsCompleted: fc.integer({ min: 0, max: 120 }), openMistakes: fc.integer({ min: 0, max: 3 }) }),
  counters: fc.dictionary(fc.constantFrom(...CHECK_NAMES), fc.integer({ min: 0, max: 12 })),
  yesterday: fc.subarray(ids, { maxLength: 3 }),
  recentDays: fc.array(fc.record({ assigned: fc.integer({ min: 0, max: 3 }), completed: fc.integer({ min: 0, max: 3 }) }), { maxLength: 10 }),
});

/** The oracle: may `template` be assigned for `request`, by the rules as written in docs/architecture.md §5.2? */
function allowed(template: TemplateRule, request: GenerateRequest): boolean {
  const { lessonsCompleted, openMistakes } = request.learner;
  const categories: Category[] =
    lessonsCompleted >= VETERAN_LESSONS
      ? ['learning', 'review', 'mastery', 'exploration', 'streak']
      : lessonsCompleted === 0
        ? ['learning', 'exploration']
        : openMistakes > 0
          ? ['learning', 'exploration', 'streak', 'review', 'mastery']
          : ['learning', 'exploration', 'streak'];
  const counter = request.counters[template.check] ?? 0;
  return (
    categories.includes(template.category) &&
    request.tracks.includes(CHECK_FAMILY[template.check]) &&
    (template.days === undefined || template.days.includes(weekdayOf(request.day))) &&
    !request.yesterday.includes(template.id) &&
    counter < template.target &&
    (template.check !== 'current_streak_days' || counter + 1 >= template.target)
  );
}

describe('properties: generator', () => {
  it('is deterministic, distinct, never repeats yesterday, never assigns what is not allowed', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const first = generateMissions(catalog, request);
        const again = generateMissions(catalog, structuredClone(request));
        assert.deepEqual(again, first);
        const picked = first.templates.map((t) => t.id);
        assert.equal(new Set(picked).size, picked.length, 'distinct templates');
        assert.ok(picked.length <= request.count);
        for (const template of first.templates) {
          assert.ok(!request.yesterday.includes(template.id), 'no overlap with yesterday');
          assert.ok(allowed(template, request), `${template.id} is not allowed`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('matches the mix slot by slot whenever the pool allows, and runs short only when the pool is empty', () => {
    fc.assert(
      fc.property(requestArb, (request) => {
        const { mix, templates } = generateMissions(catalog, request);
        const slots = MIX_SLOTS[mix].slice(0, request.count);
        const pool = catalog.templates.filter((t) => allowed(t, request));
        const remaining = new Set(pool.map((t) => t.id));
        templates.forEach((template, i) => {
          const slot = slots[i]!;
          const open = pool.filter((t) => remaining.has(t.id));
          const nearest = Math.min(...open.map((t) => Math.abs(DIFFICULTY_RANK[t.difficulty] - DIFFICULTY_RANK[slot])));
          assert.equal(Math.abs(DIFFICULTY_RANK[template.difficulty] - DIFFICULTY_RANK[slot]), nearest, `slot ${i} (${slot}) took ${template.difficulty}`);
          remaining.delete(template.id);
        });
        assert.equal(templates.length, Math.min(slots.length, pool.length));
      }),
      { numRuns: RUNS },
    );
  });
});

const activityArb = fc.oneof(
  fc.record({ type: fc.constant('lesson-completed' as const), lessonId: fc.constantFrom('l1', 'l2'), setId: fc.constantFrom('s1', 's2', 's3'), correct: fc.integer({ min: 0, max: 10 }), total: fc.constant(10), seconds: fc.integer({ min: 0, max: 900 }), at: fc.constant(0) }),
  fc.record({ type: fc.constant('lesson-started' as const), lessonId: fc.constant('l1'), setId: fc.constantFrom('s1', 's4'), adaptive: fc.boolean(), at: fc.constant(0) }),
  fc.record({ type: fc.constant('element-reviewed' as const), elementId: fc.constantFrom('e1', 'e2', 'e3', 'e4'), correct: fc.boolean(), at: fc.constant(0) }),
  fc.record({ type: fc.constant('element-mastered' as const), elementId: fc.constantFrom('e1', 'e2', 'e5'), at: fc.constant(0) }),
  fc.record({ type: fc.constant('exercise-completed' as const), exerciseType: fc.constantFrom('cloze', 'matching', 'listening', 'speaking', 'ordering', 'typing'), at: fc.constant(0) }),
  fc.record({ type: fc.constantFrom('review-session-completed' as const, 'overdue-cleared' as const), at: fc.constant(0) }),
  fc.record({ type: fc.constant('study-time' as const), seconds: fc.integer({ min: 0, max: 1200 }), at: fc.constant(0) }),
);

describe('properties: progress', () => {
  it('stays within [0, target], never decreases and completes one-way as activity is added', () => {
    fc.assert(
      fc.property(fc.array(activityArb, { maxLength: 40 }), fc.constantFrom(...catalog.templates), (activities, template) => {
        let state = { day: emptyDayStats('2025-03-08'), learner: emptyLearnerState() };
        let mission = assignMission(template);
        for (const activity of activities) {
          state = applyActivity(state.day, state.learner, normalizeActivity(activity, 0));
          const next = evaluateMission(mission, countersFor(state.day, state.learner), 1);
          assert.ok(next.current >= mission.current, 'never decreases');
          assert.ok(next.current >= 0 && next.current <= next.target, 'within [0, target]');
          if (mission.completed) assert.ok(next.completed, 'completion is one-way');
          assert.equal(next.completed, next.current === next.target);
          mission = next;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('folding one activity at a time gives the same counters in any grouping of days', () => {
    fc.assert(
      fc.property(fc.array(activityArb, { maxLength: 30 }), (activities) => {
        const normalized = activities.map((a) => normalizeActivity(a, 0));
        let state = { day: emptyDayStats('2025-03-04'), learner: emptyLearnerState() };
        for (const activity of normalized) state = applyActivity(state.day, state.learner, activity);
        const counters = countersFor(state.day, state.learner);
        for (const name of CHECK_NAMES) assert.ok(Number.isInteger(counters[name]) && counters[name] >= 0, name);
        assert.equal(counters.lessons_completed_today, normalized.filter((a) => a.type === 'lesson-completed').length);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('properties: mission streak', () => {
  it('folding day by day equals folding the whole history, and the streak never exceeds the days recorded', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }), (offsets) => {
        const days = offsets.map((n) => addDays('2025-01-01', n)).sort();
        const incremental = days.reduce(recordMissionDay, missionStreakFromDays([]));
        assert.deepEqual(incremental, missionStreakFromDays(days));
        assert.ok(incremental.days <= days.length);
        assert.ok(incremental.jokers <= 1);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Runs `call`; anything thrown must be a ValidationError. */
function onlyValidationErrors(call: () => unknown): void {
  try {
    call();
  } catch (error) {
    assert.ok(error instanceof ValidationError, `threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
  }
}

describe('properties: malformed input', () => {
  const anything = fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true });

  it('throws nothing but ValidationError from any entry point, whatever it is given', () => {
    fc.assert(
      fc.property(anything, anything, (a, b) => {
        onlyValidationErrors(() => generateMissions(catalog, a as GenerateRequest));
        onlyValidationErrors(() => generateMissions(a as never, b as GenerateRequest));
        onlyValidationErrors(() => normalizeActivities(a, 0));
        onlyValidationErrors(() => normalizeActivity(a, b as number));
        onlyValidationErrors(() => normalizeHostCounters(a));
        onlyValidationErrors(() => validateCompiledCatalog(a));
        onlyValidationErrors(() => compileCatalog(a));
        onlyValidationErrors(() => dayKey(a as number, b as string));
        onlyValidationErrors(() => nextMidnight(a as number, 'UTC'));
      }),
      { numRuns: RUNS },
    );
  });

  it('throws nothing but ValidationError for requests with one field replaced by junk', () => {
    fc.assert(
      fc.property(requestArb, fc.constantFrom('userId', 'day', 'mix', 'count', 'reroll', 'tracks', 'learner', 'counters', 'yesterday', 'recentDays', 'keep', 'replace'), anything, (request, field, junk) => {
        onlyValidationErrors(() => generateMissions(catalog, { ...request, [field]: junk }));
      }),
      { numRuns: RUNS },
    );
  });

  it('throws nothing but ValidationError for activities with one field replaced by junk', () => {
    fc.assert(
      fc.property(activityArb, fc.constantFrom('type', 'lessonId', 'setId', 'correct', 'total', 'seconds', 'elementId', 'exerciseType', 'adaptive', 'at'), anything, (activity, field, junk) => {
        onlyValidationErrors(() => normalizeActivities([{ ...activity, [field]: junk }], 0));
      }),
      { numRuns: RUNS },
    );
  });
});
