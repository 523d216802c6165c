/**
 * The daily flow through the real worker and real IndexedDB: assignment, recording,
 * awards, reroll, preferences, host stats, history, export and import.
 */
import { expect } from 'chai';
import { connectMissions } from '../../src/client.js';
import type { MissionsClient } from '../../src/client.js';
import shippedCatalog from '../../catalog/templates.yaml';
import { freshUser, lesson, TestClock } from './support/helpers.js';

const ZONE = 'Europe/Berlin';
const clock = new TestClock(Date.UTC(2025, 2, 4, 9)); // Tuesday 10:00 in Berlin
let client: MissionsClient;

beforeEach(() => {
  client = connectMissions({ now: clock.now });
});
afterEach(() => client.close());

describe('daily flow', () => {
  it('assigns three missions once a day, the same on every call', async () => {
    const user = freshUser();
    const first = await client.getDaily(user, { timeZone: ZONE });
    expect(first.day).to.equal('2025-03-04');
    expect(first.missions).to.have.length(3);
    expect(first.status.storage).to.equal('indexeddb');
    const again = await client.getDaily(user, { timeZone: ZONE });
    expect(again.missions.map((m) => m.templateId)).to.deep.equal(first.missions.map((m) => m.templateId));
  });

  it('gives a new learner learning and exploration missions with text in the asked language', async () => {
    const daily = await client.getDaily(freshUser(), { timeZone: ZONE, language: 'de' });
    for (const mission of daily.missions) {
      expect(['learning', 'exploration']).to.include(mission.category);
      expect(mission.title).to.be.a('string').and.not.equal(mission.templateId);
      expect(mission.description.length).to.be.greaterThan(10);
    }
  });

  it('records a lesson, advances progress, and reports completions exactly once', async () => {
    const user = freshUser();
    const settings = { timeZone: ZONE, preferences: { mix: 'easy' as const } };
    await client.getDaily(user, settings);
    let completedIds: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const result = await client.record(user, lesson(10, 10, { seconds: 600 }), settings);
      completedIds = completedIds.concat(result.completed.map((m) => m.templateId));
    }
    expect(new Set(completedIds).size).to.equal(completedIds.length);
    const daily = await client.getDaily(user, settings);
    for (const mission of daily.missions) {
      expect(mission.current).to.be.within(0, mission.target);
      if (mission.completed) expect(completedIds).to.include(mission.templateId);
    }
    expect(daily.xpToday).to.equal(daily.missions.filter((m) => m.completed).reduce((sum, m) => sum + m.xp, 0));
  });

  it('reports the completion of the last mission of the day with the day total', async () => {
    const user = freshUser();
    const settings = { timeZone: ZONE, preferences: { count: 1 } };
    const daily = await client.getDaily(user, settings);
    expect(daily.missions).to.have.length(1);
    let all: { day: string; xp: number } | null = null;
    for (let i = 0; i < 40 && !all; i += 1) {
      const result = await client.record(user, [lesson(10, 10, { seconds: 300, setId: `set-${i}` }), { type: 'study-time', seconds: 300 }], settings);
      all = result.allCompleted ?? all;
    }
    expect(all).to.deep.equal({ day: '2025-03-04', xp: daily.missions[0]!.xp });
  });

  it('rejects a malformed batch naming the field and stores none of it', async () => {
    const user = freshUser();
    await client.getDaily(user, { timeZone: ZONE });
    const error = await client.record(user, [lesson(), { type: 'lesson-completed', lessonId: 'x', correct: 5, total: 3 }], { timeZone: ZONE }).catch((e: unknown) => e);
    expect(error).to.have.property('code', 'invalid-input');
    expect((error as Error).message).to.contain('activities[1].correct');
    const exported = await client.exportData(user, { timeZone: ZONE });
    expect(exported.activity).to.have.length(0);
  });

  it('checks a custom catalog before the worker sees it, naming the template and field', async () => {
    const broken = structuredClone(shippedCatalog) as { templates: { target: unknown }[] };
    broken.templates[3]!.target = 0;
    const error = await client.useCatalog(broken).catch((e: unknown) => e);
    expect(error).to.have.property('code', 'invalid-catalog');
    expect((error as Error).message).to.match(/template "[^"]+": target/);
    // The shipped catalog still works, and a valid custom one is accepted and used.
    const user = freshUser();
    expect((await client.getDaily(user, { timeZone: ZONE })).missions).to.have.length(3);
    const catalogId = await client.useCatalog(structuredClone(shippedCatalog));
    expect((await client.getDaily(freshUser(), { timeZone: ZONE, catalogId })).missions).to.have.length(3);
  });

  it('rejects an empty user id clearly', async () => {
    const error = await client.getDaily('', { timeZone: ZONE }).catch((e: unknown) => e);
    expect(error).to.have.property('code', 'invalid-input');
    expect((error as Error).message).to.contain('userId');
  });

  it('assigns, records and awards nothing for a user who switched missions off', async () => {
    const user = freshUser();
    await client.setPreferences(user, { enabled: false }, { timeZone: ZONE });
    const daily = await client.getDaily(user, { timeZone: ZONE });
    expect(daily.enabled).to.equal(false);
    expect(daily.missions).to.deep.equal([]);
    const result = await client.record(user, lesson(), { timeZone: ZONE });
    expect(result.completed).to.deep.equal([]);
    const pushed = await client.pushStats(user, { lessons_completed_today: 5 }, { timeZone: ZONE });
    expect(pushed.completed).to.deep.equal([]);
    const rerolled = await client.reroll(user, { timeZone: ZONE });
    expect(rerolled.refused).to.equal('disabled');
    const exported = await client.exportData(user, { timeZone: ZONE });
    expect(exported.missions).to.have.length(0);
    expect(exported.activity).to.have.length(0);
    expect(exported.awards).to.have.length(0);
  });

  it('evaluates host-pushed counters like recorded activity', async () => {
    const user = freshUser();
    const settings = { timeZone: ZONE, preferences: { count: 3 } };
    const daily = await client.getDaily(user, settings);
    const stats = Object.fromEntries(daily.missions.map((m) => [checkOf(m.templateId), 1000]));
    const result = await client.pushStats(user, stats, settings);
    expect(result.completed.map((m) => m.templateId).sort()).to.deep.equal(daily.missions.map((m) => m.templateId).sort());
    expect(result.allCompleted?.xp).to.equal(daily.missions.reduce((s, m) => s + m.xp, 0));
    const again = await client.pushStats(user, stats, settings);
    expect(again.completed).to.deep.equal([]);
  });
});

describe('reroll', () => {
  it('replaces unfinished missions, keeps completed ones and never pays twice', async () => {
    const user = freshUser();
    const settings = { timeZone: ZONE, preferences: { mix: 'easy' as const } };
    const before = await client.getDaily(user, settings);
    const first = before.missions[0]!;
    const done = await client.pushStats(user, { [checkOf(first.templateId)]: 1000 }, settings);
    expect(done.completed.map((m) => m.templateId)).to.include(first.templateId);
    const rerolled = await client.reroll(user, settings);
    expect(rerolled.refused).to.equal(null);
    const after = rerolled.daily.missions;
    expect(after.find((m) => m.templateId === first.templateId)?.completed).to.equal(true);
    const replacedIds = before.missions.filter((m) => !done.daily.missions.find((d) => d.templateId === m.templateId)?.completed).map((m) => m.templateId);
    for (const id of replacedIds) expect(after.map((m) => m.templateId)).not.to.include(id);
    const again = await client.pushStats(user, { [checkOf(first.templateId)]: 2000 }, settings);
    expect(again.completed.map((m) => m.templateId)).not.to.include(first.templateId);
    const exported = await client.exportData(user, { timeZone: ZONE });
    const awardsForFirst = exported.awards.filter((a) => a.templateId === first.templateId);
    expect(awardsForFirst).to.have.length(1);
  });

  it('allows one reroll a day by default, and reports why it refuses', async () => {
    const user = freshUser();
    await client.getDaily(user, { timeZone: ZONE });
    expect((await client.reroll(user, { timeZone: ZONE })).refused).to.equal(null);
    const second = await client.reroll(user, { timeZone: ZONE });
    expect(second.refused).to.equal('limit-reached');
    expect(second.daily.rerollsLeft).to.equal(0);
  });
});

describe('preferences, history and backup', () => {
  it('stores preferences; count and mix apply from the next day', async () => {
    const user = freshUser();
    await client.getDaily(user, { timeZone: ZONE });
    const prefs = await client.setPreferences(user, { count: 1, mix: 'challenging' }, { timeZone: ZONE });
    expect(prefs).to.include({ count: 1, mix: 'challenging', enabled: true });
    expect((await client.getDaily(user, { timeZone: ZONE })).missions).to.have.length(3);
    const tomorrow = connectMissions({ now: () => clock.time + 86_400_000 });
    try {
      const next = await tomorrow.getDaily(user, { timeZone: ZONE });
      expect(next.missions).to.have.length(1);
      expect(next.mix).to.equal('challenging');
    } finally {
      tomorrow.close();
    }
  });

  it('rejects unknown preferences naming the field', async () => {
    const error = await client.setPreferences(freshUser(), { colour: 'red' } as never, { timeZone: ZONE }).catch((e: unknown) => e);
    expect((error as Error).message).to.contain('changes.colour');
  });

  it('lists past days with the mission streak', async () => {
    const user = freshUser();
    const days = [0, 1, 2].map((d) => clock.time + d * 86_400_000);
    for (const time of days) {
      const dayClient = connectMissions({ now: () => time });
      const daily = await dayClient.getDaily(user, { timeZone: ZONE });
      await dayClient.pushStats(user, { [checkOf(daily.missions[0]!.templateId)]: 1000 }, { timeZone: ZONE });
      dayClient.close();
    }
    const late = connectMissions({ now: () => days[2]! });
    const history = await late.history(user, { timeZone: ZONE });
    late.close();
    expect(history.days.map((d) => d.day)).to.deep.equal(['2025-03-06', '2025-03-05', '2025-03-04']);
    expect(history.days.every((d) => d.completed >= 1)).to.equal(true);
    expect(history.streak).to.deep.include({ days: 3, status: 'done-today' });
    expect(history.lifetimeXp).to.be.greaterThan(0);
  });

  it('exports a user as JSON and imports it into another, refusing to overwrite without replace', async () => {
    const user = freshUser();
    await client.getDaily(user, { timeZone: ZONE });
    await client.record(user, [lesson(9, 10), { type: 'element-reviewed', elementId: 'e1', correct: false }], { timeZone: ZONE });
    const backup = JSON.parse(JSON.stringify(await client.exportData(user, { timeZone: ZONE })));
    expect(backup.format).to.equal('daily-missions-export');
    expect(backup.activity).to.have.length(2);

    const copy = freshUser('copy');
    await client.importData(copy, backup, { timeZone: ZONE });
    const restored = await client.exportData(copy, { timeZone: ZONE });
    expect(restored.missions.map((m) => m.templateId)).to.deep.equal(backup.missions.map((m: { templateId: string }) => m.templateId));
    expect(restored.activity).to.have.length(2);

    const refused = await client.importData(copy, backup, { timeZone: ZONE }).catch((e: unknown) => e);
    expect((refused as Error).message).to.contain('replace');
    await client.importData(copy, backup, { timeZone: ZONE, replace: true });

    const broken = { ...backup, missions: [{ ...backup.missions[0], current: -1 }] };
    const invalid = await client.importData(copy, broken, { timeZone: ZONE, replace: true }).catch((e: unknown) => e);
    expect((invalid as Error).message).to.contain('data.missions[0].current');
    expect((await client.exportData(copy, { timeZone: ZONE })).activity).to.have.length(2, 'the failed import lost nothing');
  });

  it('clears a user entirely', async () => {
    const user = freshUser();
    await client.record(user, lesson(), { timeZone: ZONE });
    await client.clearUser(user, { timeZone: ZONE });
    const exported = await client.exportData(user, { timeZone: ZONE });
    expect(exported.profile).to.equal(null);
    expect(exported.missions).to.have.length(0);
    expect(exported.activity).to.have.length(0);
  });
});

/** The check of a shipped template (test helper: which counter to push to complete it). */
function checkOf(templateId: string): string {
  const checks: Record<string, string> = {
    'complete-1-lesson': 'lessons_completed_today', 'complete-2-lessons': 'lessons_completed_today', 'complete-3-lessons': 'lessons_completed_today',
    'score-2-stars': 'lessons_min_2_stars_today', 'score-3-stars': 'lessons_min_3_stars_today', 'try-new-set': 'new_sets_started_today',
    'review-5-elements': 'elements_reviewed_today', 'review-10-elements': 'elements_reviewed_today', 'complete-review-session': 'review_sessions_completed_today',
    'review-overdue': 'overdue_cleared_today', 'master-1-element': 'elements_mastered_today', 'master-3-elements': 'elements_mastered_today',
    'master-5-elements': 'elements_mastered_today', 'zero-errors-lesson': 'perfect_lessons_today', 'try-adaptive-lesson': 'adaptive_lessons_started_today',
    'use-cloze': 'cloze_exercises_today', 'use-all-types': 'exercise_types_used_today', 'learn-15-minutes': 'minutes_learned_today',
    'learn-30-minutes': 'minutes_learned_today', 'keep-streak': 'streak_kept_today', 'extend-streak-7': 'current_streak_days', 'weekend-learner': 'weekend_learning_today',
  };
  return checks[templateId]!;
}
