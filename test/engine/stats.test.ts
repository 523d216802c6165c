import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Activity } from '../../worker/engine/activity.js';
import {
  applyActivity,
  countersFor,
  emptyDayStats,
  emptyLearnerState,
  extendLearningStreak,
  learningStreakOn,
  mergeCounters,
  normalizeHostCounters,
} from '../../worker/engine/stats.js';
import { ValidationError } from '../../worker/engine/errors.js';
import { CHECK_NAMES } from '../../worker/engine/types.js';
import { foldDay, lesson } from './support/fixtures.js';

const TUESDAY = '2025-03-04';
const SATURDAY = '2025-03-08';

describe('day counters from activity', () => {
  it('an empty day has all 16 counters at zero', () => {
    const counters = countersFor(emptyDayStats(TUESDAY), emptyLearnerState());
    assert.deepEqual(Object.keys(counters).sort(), [...CHECK_NAMES].sort());
    assert.ok(Object.values(counters).every((value) => value === 0));
  });

  it('counts lessons by stars and perfection from correct/total', () => {
    const { day, learner } = foldDay(TUESDAY, [lesson(10, 10), lesson(9, 10), lesson(8, 10), lesson(3, 4), lesson(1, 2), lesson(0, 0)]);
    const counters = countersFor(day, learner);
    assert.equal(counters.lessons_completed_today, 6);
    assert.equal(counters.lessons_min_3_stars_today, 2); // 10/10 and 9/10
    assert.equal(counters.lessons_min_2_stars_today, 4); // + 8/10 and 3/4
    assert.equal(counters.perfect_lessons_today, 1); // 0/0 is not perfect
    assert.equal(counters.streak_kept_today, 1);
  });

  it('counts a set as new only the first time it is ever started, by a start or a completion', () => {
    const first = foldDay(TUESDAY, [
      { type: 'lesson-started', lessonId: 'a', setId: 'set-1', at: 0 },
      { type: 'lesson-started', lessonId: 'b', setId: 'set-1', at: 0 },
      lesson(5, 5, { setId: 'set-2' }),
    ]);
    assert.equal(countersFor(first.day, first.learner).new_sets_started_today, 2);
    const next = foldDay('2025-03-05', [{ type: 'lesson-started', lessonId: 'c', setId: 'set-1', at: 0 }, lesson(1, 1, { setId: 'set-3' })], first.learner);
    assert.equal(countersFor(next.day, next.learner).new_sets_started_today, 1);
    assert.deepEqual(next.learner.setsStarted, ['set-1', 'set-2', 'set-3']);
  });

  it('turns seconds from lessons and study time into whole minutes spent that day', () => {
    const { day, learner } = foldDay(TUESDAY, [lesson(1, 1, { seconds: 95 }), { type: 'study-time', seconds: 50, at: 0 }, lesson(1, 1)]);
    assert.equal(countersFor(day, learner).minutes_learned_today, 2); // 145 s
  });

  it('counts distinct elements reviewed and mastered', () => {
    const activities: Activity[] = [
      { type: 'element-reviewed', elementId: 'e1', correct: true, at: 0 },
      { type: 'element-reviewed', elementId: 'e1', correct: false, at: 0 },
      { type: 'element-reviewed', elementId: 'e2', correct: true, at: 0 },
      { type: 'element-mastered', elementId: 'e3', at: 0 },
      { type: 'element-mastered', elementId: 'e3', at: 0 },
    ];
    const { day, learner } = foldDay(TUESDAY, activities);
    const counters = countersFor(day, learner);
    assert.equal(counters.elements_reviewed_today, 2);
    assert.equal(counters.elements_mastered_today, 1);
  });

  it('tracks open mistakes: reviewed incorrectly and not mastered since', () => {
    const wrong = foldDay(TUESDAY, [
      { type: 'element-reviewed', elementId: 'e1', correct: false, at: 0 },
      { type: 'element-reviewed', elementId: 'e2', correct: false, at: 0 },
      { type: 'element-reviewed', elementId: 'e2', correct: true, at: 0 },
    ]);
    assert.deepEqual(wrong.learner.openMistakes, ['e1', 'e2']);
    const mastered = foldDay('2025-03-05', [{ type: 'element-mastered', elementId: 'e1', at: 0 }], wrong.learner);
    assert.deepEqual(mastered.learner.openMistakes, ['e2']);
  });

  it('counts the other families: review sessions, overdue, adaptive starts, cloze and exercise types', () => {
    const { day, learner } = foldDay(TUESDAY, [
      { type: 'review-session-completed', at: 0 },
      { type: 'review-session-completed', at: 0 },
      { type: 'overdue-cleared', at: 0 },
      { type: 'overdue-cleared', at: 0 },
      { type: 'lesson-started', lessonId: 'x', adaptive: true, at: 0 },
      { type: 'lesson-started', lessonId: 'y', adaptive: false, at: 0 },
      { type: 'exercise-completed', exerciseType: 'cloze', at: 0 },
      { type: 'exercise-completed', exerciseType: 'cloze', at: 0 },
      { type: 'exercise-completed', exerciseType: 'matching', at: 0 },
    ]);
    const counters = countersFor(day, learner);
    assert.equal(counters.review_sessions_completed_today, 2);
    assert.equal(counters.overdue_cleared_today, 1);
    assert.equal(counters.adaptive_lessons_started_today, 1);
    assert.equal(counters.cloze_exercises_today, 2);
    assert.equal(counters.exercise_types_used_today, 2);
    assert.equal(counters.lessons_completed_today, 0);
  });

  it('counts weekend learning only on Saturday and Sunday with a completed lesson', () => {
    const saturday = foldDay(SATURDAY, [lesson(1, 2)]);
    assert.equal(countersFor(saturday.day, saturday.learner).weekend_learning_today, 1);
    const sunday = foldDay('2025-03-09', [{ type: 'study-time', seconds: 600, at: 0 }]);
    assert.equal(countersFor(sunday.day, sunday.learner).weekend_learning_today, 0);
    const tuesday = foldDay(TUESDAY, [lesson(1, 2)]);
    assert.equal(countersFor(tuesday.day, tuesday.learner).weekend_learning_today, 0);
  });

  it('does not modify the state it is given', () => {
    const day = emptyDayStats(TUESDAY);
    const learner = emptyLearnerState();
    const frozenDay = structuredClone(day);
    const frozenLearner = structuredClone(learner);
    applyActivity(day, learner, lesson(1, 1, { setId: 's' }));
    assert.deepEqual(day, frozenDay);
    assert.deepEqual(learner, frozenLearner);
  });
});

describe('learning streak', () => {
  function streakAfter(days: string[]) {
    const learner = emptyLearnerState();
    for (const day of days) extendLearningStreak(learner, day);
    return learner;
  }

  it('counts consecutive local days with a completed lesson, including today', () => {
    const learner = streakAfter(['2025-03-01', '2025-03-02', '2025-03-03']);
    assert.equal(learningStreakOn(learner, '2025-03-03'), 3);
    assert.equal(learningStreakOn(learner, '2025-03-04'), 3, 'still alive the next day, before its lesson');
    assert.equal(learningStreakOn(learner, '2025-03-05'), 0, 'a missed day ends it');
  });

  it('feeds current_streak_days', () => {
    let state = { day: emptyDayStats('2025-02-28'), learner: emptyLearnerState() };
    for (const day of ['2025-02-28', '2025-03-01', '2025-03-02']) {
      state = foldDay(day, [lesson(1, 1)], state.learner);
    }
    assert.equal(countersFor(state.day, state.learner).current_streak_days, 3);
  });

  it('restarts after a gap and ignores lessons from an older run', () => {
    const learner = streakAfter(['2025-03-01', '2025-03-02', '2025-03-05', '2025-03-01']);
    assert.equal(learningStreakOn(learner, '2025-03-05'), 1);
  });

  it('extends backwards when a late-recorded lesson fills the day before the run', () => {
    const learner = streakAfter(['2025-03-02', '2025-03-03', '2025-03-01']);
    assert.equal(learningStreakOn(learner, '2025-03-03'), 3);
  });

  it('is zero for a learner with no lessons', () => {
    assert.equal(learningStreakOn(emptyLearnerState(), '2025-03-03'), 0);
  });
});

describe('host-provided counters', () => {
  it('accepts known counters as whole numbers', () => {
    assert.deepEqual(normalizeHostCounters({ lessons_completed_today: 2, minutes_learned_today: 0 }), {
      lessons_completed_today: 2,
      minutes_learned_today: 0,
    });
  });

  it('rejects unknown names and bad values, naming the field', () => {
    assert.throws(() => normalizeHostCounters({ lesson_count: 1 }), (e: unknown) => e instanceof ValidationError && e.field === 'stats.lesson_count');
    assert.throws(() => normalizeHostCounters({ lessons_completed_today: -1 }), (e: unknown) => e instanceof ValidationError && e.field === 'stats.lessons_completed_today');
    assert.throws(() => normalizeHostCounters({ lessons_completed_today: 1.5 }), ValidationError);
    assert.throws(() => normalizeHostCounters(JSON.parse('{"__proto__": 1}')), ValidationError);
    assert.throws(() => normalizeHostCounters(null), ValidationError);
  });

  it('merges with recorded counters by taking the larger value', () => {
    const own = countersFor(foldDay(TUESDAY, [lesson(1, 1), lesson(1, 1)]).day, emptyLearnerState());
    const merged = mergeCounters(own, { lessons_completed_today: 1, elements_reviewed_today: 12 });
    assert.equal(merged.lessons_completed_today, 2);
    assert.equal(merged.elements_reviewed_today, 12);
    assert.equal(mergeCounters(own, undefined), own);
  });
});
