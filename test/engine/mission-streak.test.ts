import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays } from '../../worker/engine/day.js';
import {
  DAYS_PER_JOKER,
  emptyMissionStreak,
  missionStreakFromDays,
  missionStreakOn,
  recordMissionDay,
} from '../../worker/engine/streak.js';

/** `count` consecutive days starting at `from`. */
function run(from: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(from, i));
}

describe('mission streak', () => {
  it('counts consecutive days with a completed mission', () => {
    const streak = missionStreakFromDays(run('2025-01-01', 3));
    assert.equal(streak.days, 3);
    assert.deepEqual(missionStreakOn(streak, '2025-01-03'), { days: 3, jokers: 0, status: 'done-today' });
    assert.deepEqual(missionStreakOn(streak, '2025-01-04'), { days: 3, jokers: 0, status: 'alive' });
  });

  it('shows no streak after a missed day without a joker, and takes nothing away', () => {
    const streak = missionStreakFromDays(run('2025-01-01', 3));
    assert.deepEqual(missionStreakOn(streak, '2025-01-05'), { days: 0, jokers: 0, status: 'none' });
    const restarted = recordMissionDay(streak, '2025-01-05');
    assert.equal(restarted.days, 1);
  });

  it('earns a joker on the 7th streak day, and only one is held', () => {
    assert.equal(missionStreakFromDays(run('2025-01-01', DAYS_PER_JOKER - 1)).jokers, 0);
    assert.equal(missionStreakFromDays(run('2025-01-01', DAYS_PER_JOKER)).jokers, 1);
    assert.equal(missionStreakFromDays(run('2025-01-01', 3 * DAYS_PER_JOKER)).jokers, 1);
  });

  it('spends the joker to bridge exactly one missed day', () => {
    const days = [...run('2025-01-01', 7), ...run('2025-01-09', 2)]; // 2025-01-08 missed
    const streak = missionStreakFromDays(days);
    assert.equal(streak.days, 9);
    assert.equal(streak.jokers, 0);
    assert.deepEqual(streak.bridged, ['2025-01-08']);
  });

  it('says on the day after a miss that the joker will bridge it', () => {
    const streak = missionStreakFromDays(run('2025-01-01', 7));
    assert.deepEqual(missionStreakOn(streak, '2025-01-09'), { days: 7, jokers: 1, status: 'needs-joker' });
  });

  it('does not bridge a gap of two or more days, and keeps the joker for later', () => {
    const streak = missionStreakFromDays([...run('2025-01-01', 7), '2025-01-10']);
    assert.equal(streak.days, 1);
    assert.equal(streak.jokers, 1);
    assert.deepEqual(streak.bridged, []);
    const later = recordMissionDay(recordMissionDay(streak, '2025-01-11'), '2025-01-13');
    assert.equal(later.days, 3, 'the kept joker bridges a later single gap');
    assert.equal(later.jokers, 0);
  });

  it('never spends a joker on a gap with nothing before it', () => {
    const holding = { ...emptyMissionStreak(), jokers: 1 };
    const first = recordMissionDay(holding, '2025-02-01');
    assert.equal(first.jokers, 1);
    assert.equal(first.days, 1);
    assert.deepEqual(first.bridged, []);
    assert.equal(missionStreakOn(holding, '2025-02-01').status, 'none');
  });

  it('needs seven fresh streak days after spending a joker to earn the next', () => {
    const days = [...run('2025-01-01', 7), ...run('2025-01-09', 6)];
    assert.equal(missionStreakFromDays(days).jokers, 0);
    assert.equal(missionStreakFromDays([...days, '2025-01-15']).jokers, 1);
  });

  it('ignores a day already counted and days older than the last', () => {
    const streak = missionStreakFromDays(run('2025-01-01', 3));
    assert.equal(recordMissionDay(streak, '2025-01-03'), streak);
    assert.equal(recordMissionDay(streak, '2024-12-01'), streak);
  });

  it('is the same however the history is ordered or repeated', () => {
    const days = [...run('2025-01-01', 8), ...run('2025-01-10', 4)];
    const shuffled = [...days].reverse().concat(days.slice(0, 3));
    assert.deepEqual(missionStreakFromDays(shuffled), missionStreakFromDays(days));
  });

  it('counts across month and year boundaries by calendar days', () => {
    assert.equal(missionStreakFromDays(run('2024-12-28', 6)).days, 6);
    assert.equal(missionStreakFromDays(run('2024-02-27', 4)).days, 4); // through 29 February
  });
});
