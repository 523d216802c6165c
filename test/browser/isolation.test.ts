/**
 * Users are isolated from each other, whatever their ids look like: ids that are
 * special to JavaScript objects (`__proto__`, `constructor`), to paths (`../x`, `a/b`),
 * to key ranges (one id a prefix of another), the longest accepted id, unicode and
 * whitespace. Invalid ids (empty, too long, not a string) are clear errors.
 */
import { expect } from 'chai';
import { connectMissions, MissionsError } from '../../src/client.js';
import type { MissionsClient, UserExport } from '../../src/client.js';
import { freshUser, TestClock } from './support/helpers.js';

const ZONE = 'Asia/Kolkata';
const clock = new TestClock(Date.UTC(2025, 8, 10, 6)); // 11:30 in Kolkata
const settings = { timeZone: ZONE };

/** A run-unique suffix: ids that must be exactly `__proto__` etc. are cleared first instead. */
const RUN = crypto.randomUUID().slice(0, 8);
const LONG_ID = Array.from({ length: 10_000 }, (_, i) => String.fromCharCode(65 + ((i * 11) % 26))).join('');

/** Valid ids, each a separate user. Some are prefixes of others (`a` / `a/b`, the long id / its 9,999-character prefix). */
const SPECIAL_IDS = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '../x',
  'a/b',
  'a',
  `a/b${RUN}`,
  LONG_ID,
  LONG_ID.slice(0, 9_999),
  '日本語のユーザー',
  '👩🏽‍🎓',
  'e\u0301', // e + combining acute: not the same user as é
  'é',
  ' ',
  '\t',
  ' padded ',
  'line\nbreak',
  '\u0000nul',
];

const short = (id: string) => JSON.stringify(id.length > 24 ? `${id.slice(0, 12)}…(${id.length})` : id);

let client: MissionsClient;

beforeEach(() => {
  client = connectMissions({ now: clock.now });
});
afterEach(() => client.close());

/** Asserts every row of an export belongs to `userId`. */
function expectOwnedBy(exported: UserExport, userId: string): void {
  expect(exported.userId).to.equal(userId);
  if (exported.profile) expect(exported.profile.userId).to.equal(userId);
  for (const row of [...exported.days, ...exported.missions, ...exported.awards, ...exported.activity]) {
    expect(row.userId, `a row of ${short(userId)}`).to.equal(userId);
  }
}

async function expectInvalidUser(call: Promise<unknown>, detail: RegExp): Promise<void> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the call must be refused').to.be.instanceOf(MissionsError);
  expect(error).to.have.property('code', 'invalid-input');
  expect((error as Error).message).to.contain('userId');
  expect((error as Error).message).to.match(detail);
}

describe('user isolation', () => {
  it('keeps each special id a separate user: activity, missions and awards never cross', async () => {
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    for (const id of SPECIAL_IDS) await client.clearUser(id, settings);

    // Each user records a different number of lessons, with lesson ids naming the user.
    for (const [i, id] of SPECIAL_IDS.entries()) {
      const daily = await client.getDaily(id, settings);
      expect(daily.userId, short(id)).to.equal(id);
      expect(daily.missions, short(id)).to.have.length(3);
      const lessons = Array.from({ length: (i % 3) + 1 }, (_, n) => ({ type: 'lesson-completed' as const, lessonId: `${i}:${n}`, correct: 10, total: 10, seconds: 120 }));
      await client.record(id, lessons, settings);
    }

    for (const [i, id] of SPECIAL_IDS.entries()) {
      const exported = await client.exportData(id, settings);
      expectOwnedBy(exported, id);
      // Within a day, exports list activity by id, not in the order recorded.
      const lessonIds = exported.activity.map((row) => (row.activity as { lessonId: string }).lessonId).sort();
      expect(lessonIds, `activity of ${short(id)}`).to.deep.equal(Array.from({ length: (i % 3) + 1 }, (_, n) => `${i}:${n}`));
      expect(exported.days).to.have.length(1);
      expect(exported.days[0]!.stats.lessonsCompleted, `stats of ${short(id)}`).to.equal((i % 3) + 1);
      expect(exported.missions).to.have.length(3);
      expect(exported.profile?.learner.lessonsCompleted).to.equal((i % 3) + 1);
      expect(Object.hasOwn(exported.profile!, 'userId')).to.equal(true);
    }

    // Nothing leaked into the page's prototypes.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(protoKeys);
    const probe: Record<string, unknown> = {};
    for (const key of ['userId', 'day', 'missions', 'activity', 'profile', 'learner', 'lessonsCompleted', 'templateId']) {
      expect(probe[key], `Object.prototype.${key}`).to.equal(undefined);
    }
    expect(Object.getPrototypeOf({})).to.equal(Object.prototype);
  });

  it('getDaily, record and reroll for one user never change another user', async () => {
    const ids = ['__proto__', 'constructor', '../x', 'a/b', 'a', LONG_ID, '👩🏽‍🎓', ' '];
    const others = [freshUser('other'), ...ids];
    const actor = freshUser('actor');
    for (const id of others) await client.record(id, { type: 'element-reviewed', elementId: `el-${id.length}`, correct: false }, settings);
    const before = new Map<string, UserExport>();
    for (const id of others) before.set(id, await client.exportData(id, settings));

    await client.getDaily(actor, settings);
    await client.record(actor, [{ type: 'lesson-completed', lessonId: 'x', correct: 10, total: 10, seconds: 900 }, { type: 'element-mastered', elementId: 'el-1' }], settings);
    await client.reroll(actor, settings);
    await client.pushStats(actor, { lessons_completed_today: 99 }, settings);
    await client.setPreferences(actor, { count: 1 }, settings);

    for (const id of others) expect(await client.exportData(id, settings), short(id)).to.deep.equal(before.get(id));
  });

  it('clearing one user leaves every other user intact', async () => {
    const victims = ['a', 'a/b', '__proto__', freshUser('keep'), LONG_ID.slice(0, 9_999)];
    const cleared = LONG_ID;
    for (const id of [...victims, cleared]) await client.record(id, { type: 'lesson-completed', lessonId: 'l', correct: 1, total: 2 }, settings);
    const before = new Map<string, UserExport>();
    for (const id of victims) before.set(id, await client.exportData(id, settings));

    await client.clearUser(cleared, settings);
    const gone = await client.exportData(cleared, settings);
    expect(gone.profile).to.equal(null);
    expect(gone.days).to.deep.equal([]);
    expect(gone.missions).to.deep.equal([]);
    expect(gone.awards).to.deep.equal([]);
    expect(gone.activity).to.deep.equal([]);
    for (const id of victims) expect(await client.exportData(id, settings), short(id)).to.deep.equal(before.get(id));

    // And clearing "a" does not clear "a/b" (a prefix is not a range).
    await client.clearUser('a', settings);
    expect((await client.exportData('a/b', settings)).activity.length).to.be.greaterThan(0);
  });

  it('accepts a 10,000-character id and refuses a 10,001-character one clearly', async () => {
    const id = `${freshUser('long')}`.padEnd(10_000, 'x');
    expect(id).to.have.length(10_000);
    const daily = await client.getDaily(id, settings);
    expect(daily.userId).to.equal(id);
    expect(daily.missions).to.have.length(3);
    await expectInvalidUser(client.getDaily(`${id}y`, settings), /at most 10000 characters/);
    await expectInvalidUser(client.record(`${id}y`, { type: 'study-time', seconds: 60 }, settings), /at most 10000/);
    // The refused id stored nothing under its 10,000-character prefix.
    expect((await client.exportData(id, settings)).activity).to.deep.equal([]);
  });

  it('refuses an empty user id with invalid-input naming userId, for every call', async () => {
    await expectInvalidUser(client.getDaily('', settings), /must not be empty/);
    await expectInvalidUser(client.record('', { type: 'study-time', seconds: 60 }, settings), /empty/);
    await expectInvalidUser(client.pushStats('', { lessons_completed_today: 1 }, settings), /empty/);
    await expectInvalidUser(client.exportData('', settings), /empty/);
    await expectInvalidUser(client.clearUser('', settings), /empty/);
    await expectInvalidUser(client.history('', settings), /empty/);
    await expectInvalidUser(client.setPreferences('', { count: 1 }, settings), /empty/);
  });

  it('refuses non-string user ids (number, null, undefined, object, array, boolean) clearly', async () => {
    const cases: [unknown, RegExp][] = [
      [42, /must be a string, got 42/],
      [null, /must be a string, got null/],
      [undefined, /must be a string/],
      [{ id: 'x' }, /must be a string/],
      [['a'], /must be a string/],
      [true, /must be a string/],
    ];
    for (const [value, detail] of cases) {
      await expectInvalidUser(client.getDaily(value as string, settings), detail);
      await expectInvalidUser(client.record(value as string, { type: 'study-time', seconds: 60 }, settings), detail);
      await expectInvalidUser(client.exportData(value as string, settings), detail);
    }
  });

  it('keeps working normally for an ordinary user after all of the above', async () => {
    const user = freshUser();
    const daily = await client.getDaily(user, settings);
    expect(daily.missions).to.have.length(3);
    const exported = await client.exportData(user, settings);
    expectOwnedBy(exported, user);
    expect(exported.activity).to.deep.equal([]);
  });
});
