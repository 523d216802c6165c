import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  allCompleted,
  assignMission,
  describeMission,
  earnedXp,
  evaluateMission,
  evaluateMissions,
} from '../../worker/engine/progress.js';
import { countersFor, emptyLearnerState } from '../../worker/engine/stats.js';
import type { Counters, TemplateRule } from '../../worker/engine/types.js';
import { catalog, foldDay, lesson } from './support/fixtures.js';

const rule = (id: string): TemplateRule => catalog.templates.find((t) => t.id === id)!;
const countersWith = (partial: Partial<Counters>): Counters => ({
  ...countersFor(foldDay('2025-03-04', []).day, emptyLearnerState()),
  ...partial,
});

describe('progress and completion', () => {
  it('starts at zero and caps current at the target', () => {
    const mission = assignMission(rule('complete-2-lessons'));
    assert.equal(mission.current, 0);
    assert.equal(evaluateMission(mission, countersWith({ lessons_completed_today: 1 }), 1).current, 1);
    const done = evaluateMission(mission, countersWith({ lessons_completed_today: 5 }), 2);
    assert.equal(done.current, 2);
    assert.equal(done.completed, true);
    assert.equal(done.completedAt, 2);
  });

  it('never moves backwards, and completion is one-way', () => {
    const mission = assignMission(rule('review-10-elements'));
    const half = evaluateMission(mission, countersWith({ elements_reviewed_today: 5 }), 1);
    assert.equal(evaluateMission(half, countersWith({ elements_reviewed_today: 2 }), 2).current, 5);
    const done = evaluateMission(half, countersWith({ elements_reviewed_today: 10 }), 3);
    const after = evaluateMission(done, countersWith({ elements_reviewed_today: 0 }), 4);
    assert.equal(after.completed, true);
    assert.equal(after.completedAt, 3);
  });

  it('reports exactly the missions an evaluation completed', () => {
    const missions = ['complete-1-lesson', 'complete-2-lessons', 'review-5-elements'].map((id) => assignMission(rule(id)));
    const { day, learner } = foldDay('2025-03-04', [lesson(3, 4)]);
    const first = evaluateMissions(missions, countersFor(day, learner), 10);
    assert.deepEqual(first.newlyCompleted.map((m) => m.templateId), ['complete-1-lesson']);
    const again = evaluateMissions(first.missions, countersFor(day, learner), 11);
    assert.deepEqual(again.newlyCompleted, []);
    assert.equal(earnedXp(again.missions), 20);
    assert.equal(allCompleted(again.missions), false);
  });

  it('describes a mission in the widget language with English as fallback', () => {
    const mission = assignMission(rule('complete-1-lesson'));
    const german = describeMission(mission, catalog, 'de');
    assert.equal(german.title, catalog.text['de']!['complete-1-lesson']!.title);
    assert.notEqual(german.title, catalog.text['en']!['complete-1-lesson']!.title);
    const unknown = describeMission(mission, catalog, 'xx');
    assert.equal(unknown.title, catalog.text['en']!['complete-1-lesson']!.title);
    assert.deepEqual(Object.keys(unknown).sort(), ['category', 'completed', 'current', 'description', 'difficulty', 'icon', 'target', 'templateId', 'title', 'xp']);
  });
});
