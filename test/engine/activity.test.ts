/**
 * The activity vocabulary (docs/architecture.md §3): what `record()` accepts, how it is normalized
 * (epoch-ms `at`, no extra fields), how stars are scored, and how malformed entries are
 * rejected with a ValidationError naming the field, all or nothing for a batch.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVITY_TYPES, isPerfect, normalizeActivities, normalizeActivity, starsFor } from '../../worker/engine/activity.js';
import { assertRejects } from './support/assertions.js';

const NOW = Date.UTC(2025, 2, 9, 10, 30);
const EARLIER = Date.UTC(2025, 2, 8, 21, 15);


/** One valid example per activity type, with the normalized form expected for it. */
const EXAMPLES: Array<{ input: Record<string, unknown>; expected: Record<string, unknown> }> = [
  {
    input: { type: 'lesson-started', lessonId: 'l-1', setId: 's-1', adaptive: true },
    expected: { type: 'lesson-started', lessonId: 'l-1', setId: 's-1', adaptive: true },
  },
  {
    input: { type: 'lesson-completed', lessonId: 'l-1', setId: 's-1', correct: 8, total: 10, seconds: 95.5 },
    expected: { type: 'lesson-completed', lessonId: 'l-1', setId: 's-1', correct: 8, total: 10, seconds: 95.5 },
  },
  {
    input: { type: 'element-reviewed', elementId: 'e-7', correct: false },
    expected: { type: 'element-reviewed', elementId: 'e-7', correct: false },
  },
  { input: { type: 'element-mastered', elementId: 'e-7' }, expected: { type: 'element-mastered', elementId: 'e-7' } },
  { input: { type: 'exercise-completed', exerciseType: 'cloze' }, expected: { type: 'exercise-completed', exerciseType: 'cloze' } },
  { input: { type: 'review-session-completed' }, expected: { type: 'review-session-completed' } },
  { input: { type: 'overdue-cleared' }, expected: { type: 'overdue-cleared' } },
  { input: { type: 'study-time', seconds: 600 }, expected: { type: 'study-time', seconds: 600 } },
];

describe('normalizeActivity: the eight activity types', () => {
  it('has one example here for each of the 8 activity types', () => {
    assert.equal(ACTIVITY_TYPES.length, 8);
    assert.deepEqual(EXAMPLES.map((e) => e.input['type']).sort(), [...ACTIVITY_TYPES].sort());
  });

  for (const { input, expected } of EXAMPLES) {
    const type = String(input['type']);

    it(`normalizes ${type}, stamping a missing at with now`, () => {
      assert.deepEqual(normalizeActivity(input, NOW), { ...expected, at: NOW });
    });

    it(`keeps an epoch-ms at and converts a Date at to epoch ms for ${type}`, () => {
      assert.deepEqual(normalizeActivity({ ...input, at: EARLIER }, NOW), { ...expected, at: EARLIER });
      const normalized = normalizeActivity({ ...input, at: new Date(EARLIER) }, NOW);
      assert.equal(normalized.at, EARLIER);
      assert.equal(typeof normalized.at, 'number');
    });

    it(`drops unknown extra fields from ${type}`, () => {
      const normalized = normalizeActivity({ ...input, score: 99, userId: 'someone', nested: { deep: true } }, NOW);
      assert.deepEqual(normalized, { ...expected, at: NOW });
      assert.deepEqual(Object.keys(normalized).sort(), [...Object.keys(expected), 'at'].sort());
    });
  }

  it('leaves optional fields out rather than setting them to undefined', () => {
    const started = normalizeActivity({ type: 'lesson-started', lessonId: 'l-2' }, NOW);
    assert.deepEqual(Object.keys(started).sort(), ['at', 'lessonId', 'type']);
    const completed = normalizeActivity({ type: 'lesson-completed', lessonId: 'l-2', correct: 0, total: 0 }, NOW);
    assert.deepEqual(Object.keys(completed).sort(), ['at', 'correct', 'lessonId', 'total', 'type']);
  });

  it('returns a new object and does not modify the input', () => {
    const input = { type: 'study-time', seconds: 60, extra: 1 };
    const copy = structuredClone(input);
    const normalized = normalizeActivity(input, NOW);
    assert.notEqual(normalized, input);
    assert.deepEqual(input, copy);
  });

  it('accepts null-prototype objects as activities', () => {
    const input = Object.assign(Object.create(null) as Record<string, unknown>, { type: 'overdue-cleared', at: EARLIER });
    assert.deepEqual(normalizeActivity(input, NOW), { type: 'overdue-cleared', at: EARLIER });
  });
});

describe('starsFor and isPerfect: scoring a completed lesson', () => {
  it('gives 3 stars from 90%, 2 from 75%, 1 from 50%, else 0, exactly at the thresholds', () => {
    const cases: Array<[correct: number, total: number, stars: number]> = [
      [9, 10, 3],
      [90, 100, 3],
      [10, 10, 3],
      [89, 100, 2],
      [3, 4, 2],
      [75, 100, 2],
      [74, 100, 1],
      [1, 2, 1],
      [50, 100, 1],
      [49, 100, 0],
      [0, 10, 0],
      [0, 0, 0],
    ];
    for (const [correct, total, stars] of cases) {
      assert.equal(starsFor(correct, total), stars, `${correct}/${total}`);
    }
  });

  it('scores thresholds exactly for large totals too (no floating-point drift)', () => {
    for (const total of [10, 20, 100, 1000, 100_000]) {
      assert.equal(starsFor(total * 0.9, total), 3, `90% of ${total}`);
      assert.equal(starsFor(total * 0.9 - 1, total), 2, `just under 90% of ${total}`);
      assert.equal(starsFor(total * 0.5, total), 1, `50% of ${total}`);
      assert.equal(starsFor(total * 0.5 - 1, total), 0, `just under 50% of ${total}`);
    }
  });

  it('calls a lesson perfect only when it had questions and all were right', () => {
    assert.equal(isPerfect(0, 0), false);
    assert.equal(isPerfect(5, 5), true);
    assert.equal(isPerfect(4, 5), false);
    assert.equal(isPerfect(1, 1), true);
  });
});

describe('normalizeActivity rejects malformed entries, naming the field', () => {
  it('rejects an unknown or missing type', () => {
    const error = assertRejects(() => normalizeActivity({ type: 'lesson-finished', lessonId: 'l-1' }, NOW), 'activity.type');
    assert.match(error.message, /lesson-finished/);
    assertRejects(() => normalizeActivity({ lessonId: 'l-1' }, NOW), 'activity.type');
    assertRejects(() => normalizeActivity({ type: '__proto__' }, NOW), 'activity.type');
  });

  it('rejects a lesson without a lessonId, or with an empty or non-string one', () => {
    assertRejects(() => normalizeActivity({ type: 'lesson-completed', correct: 1, total: 1 }, NOW), 'activity.lessonId');
    assertRejects(() => normalizeActivity({ type: 'lesson-started' }, NOW), 'activity.lessonId');
    assertRejects(() => normalizeActivity({ type: 'lesson-started', lessonId: '' }, NOW), 'activity.lessonId');
    assertRejects(() => normalizeActivity({ type: 'lesson-started', lessonId: 42 }, NOW), 'activity.lessonId');
  });

  it('rejects more correct answers than questions', () => {
    const error = assertRejects(() => normalizeActivity({ type: 'lesson-completed', lessonId: 'l-1', correct: 6, total: 5 }, NOW), 'activity.correct');
    assert.match(error.reason, /exceed/);
  });

  it('rejects a negative total and a non-integer correct count', () => {
    assertRejects(() => normalizeActivity({ type: 'lesson-completed', lessonId: 'l-1', correct: 0, total: -1 }, NOW), 'activity.total');
    assertRejects(() => normalizeActivity({ type: 'lesson-completed', lessonId: 'l-1', correct: 2.5, total: 5 }, NOW), 'activity.correct');
    assertRejects(() => normalizeActivity({ type: 'lesson-completed', lessonId: 'l-1', correct: '3', total: 5 }, NOW), 'activity.correct');
    assertRejects(() => normalizeActivity({ type: 'lesson-completed', lessonId: 'l-1', correct: 3 }, NOW), 'activity.total');
    assertRejects(() => normalizeActivity({ type: 'lesson-completed', lessonId: 'l-1', correct: -1, total: 5 }, NOW), 'activity.correct');
  });

  it('rejects seconds that are NaN, negative or longer than a day', () => {
    for (const seconds of [Number.NaN, -1, 86_401, Number.POSITIVE_INFINITY, '60']) {
      assertRejects(() => normalizeActivity({ type: 'study-time', seconds }, NOW), 'activity.seconds');
      assertRejects(() => normalizeActivity({ type: 'lesson-completed', lessonId: 'l-1', correct: 1, total: 1, seconds }, NOW), 'activity.seconds');
    }
    assertRejects(() => normalizeActivity({ type: 'study-time' }, NOW), 'activity.seconds');
    // A whole day is the most one activity may report, and zero is allowed.
    assert.equal(normalizeActivity({ type: 'study-time', seconds: 86_400 }, NOW).type, 'study-time');
    assert.equal(normalizeActivity({ type: 'study-time', seconds: 0 }, NOW).type, 'study-time');
  });

  it('rejects an element review whose correct is not a boolean', () => {
    for (const correct of ['true', 1, 0, null, undefined]) {
      assertRejects(() => normalizeActivity({ type: 'element-reviewed', elementId: 'e-1', correct }, NOW), 'activity.correct');
    }
    assertRejects(() => normalizeActivity({ type: 'element-reviewed', correct: true }, NOW), 'activity.elementId');
  });

  it('rejects an at that is not epoch ms or a valid Date', () => {
    const error = assertRejects(() => normalizeActivity({ type: 'overdue-cleared', at: 'yesterday' }, NOW), 'activity.at');
    assert.match(error.message, /yesterday/);
    assertRejects(() => normalizeActivity({ type: 'overdue-cleared', at: Number.NaN }, NOW), 'activity.at');
    assertRejects(() => normalizeActivity({ type: 'overdue-cleared', at: -5 }, NOW), 'activity.at');
    assertRejects(() => normalizeActivity({ type: 'overdue-cleared', at: new Date('not a date') }, NOW), 'activity.at');
    assertRejects(() => normalizeActivity({ type: 'overdue-cleared', at: null }, NOW), 'activity.at');
  });

  it('rejects a non-boolean adaptive flag and a non-string setId', () => {
    assertRejects(() => normalizeActivity({ type: 'lesson-started', lessonId: 'l-1', adaptive: 'yes' }, NOW), 'activity.adaptive');
    assertRejects(() => normalizeActivity({ type: 'lesson-started', lessonId: 'l-1', setId: 7 }, NOW), 'activity.setId');
  });

  it('rejects entries that are not objects', () => {
    for (const entry of [null, undefined, 5, 'x', [], [{ type: 'overdue-cleared' }], true]) {
      assertRejects(() => normalizeActivity(entry, NOW), 'activity');
    }
  });
});

describe('normalizeActivities: one entry or a batch, all or nothing', () => {
  it('wraps a single entry in an array', () => {
    assert.deepEqual(normalizeActivities({ type: 'overdue-cleared' }, NOW), [{ type: 'overdue-cleared', at: NOW }]);
  });

  it('normalizes every entry of a batch in order', () => {
    const batch = EXAMPLES.map((e) => e.input);
    const normalized = normalizeActivities(batch, NOW);
    assert.deepEqual(normalized, EXAMPLES.map((e) => ({ ...e.expected, at: NOW })));
    assert.deepEqual(normalizeActivities([], NOW), []);
  });

  it('names the index of the bad entry in the path, e.g. activities[2].correct', () => {
    const batch = [
      { type: 'lesson-started', lessonId: 'l-1' },
      { type: 'lesson-completed', lessonId: 'l-1', correct: 4, total: 5 },
      { type: 'lesson-completed', lessonId: 'l-2', correct: 7, total: 5 },
      { type: 'study-time', seconds: 60 },
    ];
    assertRejects(() => normalizeActivities(batch, NOW), 'activities[2].correct');
    assertRejects(() => normalizeActivities([{ type: 'overdue-cleared' }, null], NOW), 'activities[1]');
    assertRejects(() => normalizeActivities([{ type: 'overdue-cleared' }, { type: 'nope' }], NOW), 'activities[1].type');
    assertRejects(() => normalizeActivities([{ type: 'overdue-cleared', at: 'yesterday' }], NOW), 'activities[0].at');
  });

  it('throws for a batch with one bad entry and returns nothing of it', () => {
    let returned: unknown = 'not assigned';
    const batch = [
      { type: 'study-time', seconds: 60 },
      { type: 'element-mastered', elementId: 'e-1' },
      { type: 'element-reviewed', elementId: 'e-2', correct: 'yes' },
    ];
    assertRejects(() => {
      returned = normalizeActivities(batch, NOW);
    }, 'activities[2].correct');
    assert.equal(returned, 'not assigned');
  });

  it('rejects a batch of more than 10000 entries', () => {
    const batch = Array.from({ length: 10_001 }, () => ({ type: 'overdue-cleared' }));
    assertRejects(() => normalizeActivities(batch, NOW), 'activities');
    assert.equal(normalizeActivities(batch.slice(1), NOW).length, 10_000);
  });
});
