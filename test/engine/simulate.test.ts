import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays } from '../../worker/engine/day.js';
import { ValidationError } from '../../worker/engine/errors.js';
import { generateMissions } from '../../worker/engine/generator.js';
import { LEARNER_PROFILE_NAMES, simulateDays } from '../../worker/engine/simulate.js';
import { DEFAULT_TRACKS } from '../../worker/engine/types.js';
import { catalog } from './support/fixtures.js';

const START = '2026-03-02'; // a Monday

describe('simulateDays', () => {
  it('assigns on each day exactly what the generator assigns for the same learner and yesterday', () => {
    const run = simulateDays(catalog, { profile: 'veteran', start: START, days: 30 });
    assert.equal(run.days.length, 30);
    let yesterday: string[] = [];
    run.days.forEach((simulated, i) => {
      assert.equal(simulated.day, addDays(START, i));
      const expected = generateMissions(catalog, {
        userId: 'simulated-learner',
        day: simulated.day,
        mix: 'balanced',
        count: 3,
        reroll: 0,
        tracks: [...DEFAULT_TRACKS],
        learner: { lessonsCompleted: 400 + 3 * i, openMistakes: 3 },
        counters: {},
        yesterday,
      });
      assert.deepEqual(simulated.templates, expected.templates.map((t) => t.id));
      yesterday = simulated.templates;
    });
  });

  it('never assigns a template two days running', () => {
    for (const profile of LEARNER_PROFILE_NAMES) {
      const { days } = simulateDays(catalog, { profile, start: START, days: 60 });
      for (let i = 1; i < days.length; i++) {
        const repeated = days[i]!.templates.filter((id) => days[i - 1]!.templates.includes(id));
        assert.deepEqual(repeated, [], `${profile} on ${days[i]!.day}`);
      }
    }
  });

  it('counts every catalog template, with a reason for those that can never come up', () => {
    const run = simulateDays(catalog, { profile: 'new', start: START, tracks: ['lessons'] });
    assert.deepEqual(run.usage.map((u) => u.id), catalog.templates.map((t) => t.id));
    const total = run.usage.reduce((sum, u) => sum + u.days, 0);
    assert.equal(total, run.days.reduce((sum, d) => sum + d.templates.length, 0));
    const byId = new Map(catalog.templates.map((t) => [t.id, t]));
    for (const usage of run.usage.filter((u) => u.days === 0)) {
      if (byId.get(usage.id)!.check.startsWith('elements')) assert.equal(usage.reason, 'untracked', usage.id);
    }
    assert.ok(run.usage.some((u) => u.reason === 'untracked'), 'element templates are untracked with lessons only');
  });

  it('moves a new learner up the tiers as lessons accumulate', () => {
    const { days } = simulateDays(catalog, { profile: 'new', start: START, days: 60 });
    assert.equal(days[0]!.tier, 'new');
    assert.equal(days[1]!.tier, 'active');
    assert.equal(days[59]!.tier, 'veteran');
  });

  it('adapts the auto mix to how many missions the profile completes', () => {
    const veteran = simulateDays(catalog, { profile: 'veteran', start: START, days: 14, mix: 'auto' });
    assert.equal(veteran.days[0]!.mix, 'balanced');
    assert.equal(veteran.days[13]!.mix, 'challenging');
    const newcomer = simulateDays(catalog, { profile: 'new', start: START, days: 14, mix: 'auto' });
    assert.equal(newcomer.days[13]!.mix, 'balanced');
  });

  it('is deterministic', () => {
    const options = { profile: 'active-with-mistakes' as const, start: START, mix: 'auto' as const };
    assert.deepEqual(simulateDays(catalog, options), simulateDays(catalog, options));
  });

  it('names the option that is wrong', () => {
    assert.throws(() => simulateDays(catalog, { profile: 'expert' as never, start: START }), (e: unknown) => e instanceof ValidationError && /options\.profile/.test(e.message));
    assert.throws(() => simulateDays(catalog, { profile: 'new', start: '2026-13-01' }), /options\.start/);
    assert.throws(() => simulateDays(catalog, { profile: 'new', start: START, days: 0 }), /options\.days/);
    assert.throws(() => simulateDays(catalog, { profile: 'new', start: START, tracks: [] }), /options\.tracks/);
    assert.throws(() => simulateDays(catalog, { profile: 'new', start: START, tracks: ['videos' as never] }), /options\.tracks\[0\]/);
  });
});
