/**
 * Storage faults, injected for real: each fixture worker (test/browser/fixtures/)
 * changes IndexedDB itself before loading the real worker, or the page does to the
 * database what another tab would do. Every test ends with missions that work (on
 * memory, or on a reopened connection), the degraded state reported in
 * `daily.status` and through `onError`, and nothing thrown into the page.
 *
 * The version-99 test runs last and deletes the database, so later files start clean.
 */
import { expect } from 'chai';
import { connectMissions } from '../../src/client.js';
import type { ActivityInput, DailyMissions, MissionsClient, MissionsErrorDetail } from '../../src/client.js';
import { freshUser, sleep, TestClock, watchPageErrors } from './support/helpers.js';
import { deleteDatabase, FaultControl, fixtureUrl, openDatabase, ownDatabase, readStoredUser, uniqueChannel, within } from './support/faults.js';
import { DB_VERSION } from '../../worker/constants.js';

const ZONE = 'Europe/Berlin';
const SETTINGS = { timeZone: ZONE };
const clock = new TestClock(Date.UTC(2025, 2, 4, 9)); // Tuesday 10:00 in Berlin
const TODAY = '2025-03-04';

let page: ReturnType<typeof watchPageErrors>;
const opened: { client: MissionsClient; control: FaultControl }[] = [];

beforeEach(() => {
  page = watchPageErrors();
});

afterEach(() => {
  for (const { client, control } of opened.splice(0)) {
    client.close();
    control.close();
  }
  page.stop();
});

/**
 * This file's database, in place of the shared one: it deletes and upgrades it, which a
 * connection another file's closed tab left open in WebKit would block
 * (docs/architecture.md §6), and a blocked deletion would hold every later open with it.
 */
const DATABASE = ownDatabase('faults');

/** A client on a fixture worker, with its control channel and the reports it received. */
function connect(fixture: string) {
  const channel = uniqueChannel();
  const control = new FaultControl(channel);
  const reports: MissionsErrorDetail[] = [];
  const client = connectMissions({ workerUrl: fixtureUrl(fixture, channel, DATABASE), now: clock.now, onError: (detail) => reports.push(detail) });
  opened.push({ client, control });
  return { client, control, reports, channel };
}

/**
 * A batch that advances every mission a new learner can get (learning and exploration):
 * a perfect lesson in a new set, an adaptive start, cloze exercises, a new exercise type
 * and study time. `tag` keeps sets, lessons and exercise types new for each batch.
 */
function progressBatch(tag: string): ActivityInput[] {
  const setId = `set-${tag}-${crypto.randomUUID().slice(0, 6)}`;
  return [
    { type: 'lesson-started', lessonId: `lesson-${tag}`, setId, adaptive: true },
    { type: 'lesson-completed', lessonId: `lesson-${tag}`, setId, correct: 10, total: 10, seconds: 300 },
    { type: 'exercise-completed', exerciseType: 'cloze' },
    { type: 'exercise-completed', exerciseType: `type-${tag}` },
    { type: 'study-time', seconds: 300 },
  ] as ActivityInput[];
}

const ids = (daily: DailyMissions) => daily.missions.map((m) => m.templateId);
const progress = (daily: DailyMissions) => daily.missions.map((m) => ({ templateId: m.templateId, current: m.current, completed: m.completed }));

/** Every mission still open in `before` moved forward in `after`. */
function expectAdvanced(before: DailyMissions, after: DailyMissions): void {
  expect(ids(after)).to.deep.equal(ids(before), 'the same missions');
  for (const mission of before.missions) {
    const now = after.missions.find((m) => m.templateId === mission.templateId)!;
    if (mission.completed) expect(now.completed, `${mission.templateId} stays completed`).to.equal(true);
    else expect(now.current, `${mission.templateId} advanced`).to.be.greaterThan(mission.current);
  }
}

/** Lets late rejections surface, then requires a clean page (and a clean worker). */
async function expectNothingThrown(control?: FaultControl): Promise<void> {
  await sleep(100);
  expect(page.errors, 'uncaught errors / unhandled rejections on the page').to.deep.equal([]);
  if (control) expect(control.workerErrors(), 'uncaught errors / unhandled rejections inside the worker').to.deep.equal([]);
}

function expectReported(reports: MissionsErrorDetail[], code: string): void {
  const report = reports.find((r) => r.code === code);
  expect(report, `onError got ${code}; got ${JSON.stringify(reports)}`).to.not.equal(undefined);
  expect(report!.message).to.be.a('string').and.not.equal('');
}

/** Missions work on memory after a storage fault: assigned, recorded, advanced, exported. */
async function expectWorkingOnMemory(client: MissionsClient, user: string, first: DailyMissions, code: string): Promise<void> {
  expect(first.day).to.equal(TODAY);
  expect(first.missions).to.have.length(3);
  expect(first.status.storage).to.equal('memory');
  expect(first.status.error?.code).to.equal(code);
  expect(first.status.error?.message).to.be.a('string').and.not.equal('');
  const batch = progressBatch('a');
  const recorded = await client.record(user, batch, SETTINGS);
  expect(recorded.daily.status.storage).to.equal('memory');
  expectAdvanced(first, recorded.daily);
  const again = await client.getDaily(user, SETTINGS);
  expect(progress(again)).to.deep.equal(progress(recorded.daily), 'memory keeps what was recorded');
  const exported = await client.exportData(user, SETTINGS);
  expect(exported.activity).to.have.length(batch.length);
}

describe('storage faults', () => {
  it('runs on memory and reports storage-unavailable when the worker has no IndexedDB', async () => {
    const { client, control, reports } = connect('worker-no-indexeddb');
    const user = freshUser();
    const first = await client.getDaily(user, SETTINGS);
    await expectWorkingOnMemory(client, user, first, 'storage-unavailable');
    expect(control.events('started'), 'the fixture worker ran').to.have.length(1);
    expectReported(reports, 'storage-unavailable');
    await expectNothingThrown(control);
  });

  it('runs on memory and reports storage-failed when indexedDB.open throws', async () => {
    const { client, control, reports } = connect('worker-open-throws');
    const user = freshUser();
    const first = await client.getDaily(user, SETTINGS);
    await expectWorkingOnMemory(client, user, first, 'storage-failed');
    expect(first.status.error?.message).to.contain('SecurityError');
    expectReported(reports, 'storage-failed');
    await expectNothingThrown(control);
  });

  it('gives up an open that never settles after about 2 s and reports storage-timeout', async () => {
    const { client, control, reports, channel } = connect('worker-open-hangs');
    try {
      const user = freshUser();
      const start = performance.now();
      const first = await within(client.getDaily(user, SETTINGS), 6000, 'the first getDaily');
      const elapsed = performance.now() - start;
      expect(elapsed, 'waited for the open timeout before falling back').to.be.greaterThan(1500);
      await control.waitFor((m) => m.event === 'open-blocked', 1000, 'blocked event');
      expect(control.events('open-settled'), 'the open really never settled').to.deep.equal([]);
      await expectWorkingOnMemory(client, user, first, 'storage-timeout');
      const laterStart = performance.now();
      await client.getDaily(user, SETTINGS);
      expect(performance.now() - laterStart, 'later calls do not wait for the database again').to.be.lessThan(1000);
      expectReported(reports, 'storage-timeout');
      await expectNothingThrown(control);
    } finally {
      client.close();
      await deleteDatabase(`daily-missions-blocked-${channel}`);
    }
  });

  it('carries the user over to memory on a quota error, applies the batch there, and keeps IndexedDB as it was', async () => {
    const { client, control, reports } = connect('worker-quota');
    const user = freshUser();
    const assigned = await client.getDaily(user, SETTINGS);
    expect(assigned.status).to.deep.equal({ storage: 'indexeddb' });
    const batchA = progressBatch('before');
    const beforeFault = (await client.record(user, batchA, SETTINGS)).daily;
    expect(beforeFault.status.storage).to.equal('indexeddb');
    expectAdvanced(assigned, beforeFault);

    await control.send('quota-on');
    const batchB = progressBatch('during');
    const hit = await client.record(user, batchB, SETTINGS);
    expect(control.events('quota-hit').length, 'the write really hit the quota').to.be.greaterThan(0);
    expect(hit.daily.status.storage).to.equal('memory');
    expect(hit.daily.status.error?.code).to.equal('storage-quota');
    expectAdvanced(beforeFault, hit.daily);

    const exported = await client.exportData(user, SETTINGS);
    expect(exported.missions.map((m) => m.templateId).sort()).to.deep.equal(ids(assigned).sort(), 'missions carried over');
    // Exports list a day's activity by id, not in the order recorded.
    expect(exported.activity.map((a) => (a.activity as { lessonId?: string }).lessonId).filter(Boolean).sort()).to.deep.equal(
      ['lesson-before', 'lesson-before', 'lesson-during', 'lesson-during'],
      'earlier lessons carried over, the refused batch applied in memory',
    );
    expect(exported.activity).to.have.length(batchA.length + batchB.length);
    const later = await client.getDaily(user, SETTINGS);
    expect(later.status.storage).to.equal('memory');
    expect(progress(later)).to.deep.equal(progress(hit.daily));
    expectReported(reports, 'storage-quota');
    await expectNothingThrown(control);

    client.close();
    const stored = await readStoredUser(user, DATABASE);
    expect(stored.missions.map((m) => m.templateId).sort()).to.deep.equal(ids(assigned).sort(), 'the missions are still in IndexedDB');
    expect(stored.missions.every((m) => m.day === TODAY)).to.equal(true);
    const storedProgress = Object.fromEntries(stored.missions.map((m) => [m.templateId, m.current]));
    for (const mission of beforeFault.missions) expect(storedProgress[mission.templateId], mission.templateId).to.equal(mission.current);
    expect(stored.activity, 'what was written before the fault is still there, the refused batch is not').to.have.length(batchA.length);
  });

  it('closes its connection when the database is deleted under it, then works on a new empty database', async () => {
    const { client, control, reports } = connect('worker-controls');
    const user = freshUser();
    const first = await client.getDaily(user, SETTINGS);
    expect(first.status).to.deep.equal({ storage: 'indexeddb' });
    await client.record(user, progressBatch('a'), SETTINGS);

    const deleted = await deleteDatabase(DATABASE, 3000);
    expect(deleted.ms, 'the delete was not kept waiting').to.be.lessThan(3000);

    const after = await client.getDaily(user, SETTINGS);
    expect(after.status).to.deep.equal({ storage: 'indexeddb' });
    expect(after.missions).to.have.length(3);
    const exported = await client.exportData(user, SETTINGS);
    expect(exported.activity, 'a new, empty database').to.have.length(0);
    const recorded = await client.record(user, progressBatch('b'), SETTINGS);
    expect(recorded.daily.status).to.deep.equal({ storage: 'indexeddb' });
    expectAdvanced(after, recorded.daily);
    expect(reports).to.deep.equal([]);
    await expectNothingThrown(control);

    client.close();
    const stored = await readStoredUser(user, DATABASE);
    expect(stored.version).to.equal(DB_VERSION);
    expect(stored.missions).to.have.length(3);
    expect(stored.activity).to.have.length(progressBatch('b').length);
  });

  it('reopens a connection that was closed under it, with the data intact', async () => {
    const { client, control, reports } = connect('worker-controls');
    const user = freshUser();
    const assigned = await client.getDaily(user, SETTINGS);
    expect(assigned.status).to.deep.equal({ storage: 'indexeddb' });
    const batchA = progressBatch('a');
    const before = (await client.record(user, batchA, SETTINGS)).daily;

    const closed = await control.send('close-db');
    expect(closed['closed'], 'the worker had its connection open').to.equal(1);

    const after = await client.getDaily(user, SETTINGS);
    expect(after.status).to.deep.equal({ storage: 'indexeddb' });
    expect(progress(after)).to.deep.equal(progress(before), 'same missions, same progress');
    const batchB = progressBatch('b');
    const recorded = await client.record(user, batchB, SETTINGS);
    expect(recorded.daily.status).to.deep.equal({ storage: 'indexeddb' });
    expectAdvanced(before, recorded.daily);
    expect((await client.exportData(user, SETTINGS)).activity).to.have.length(batchA.length + batchB.length);
    expect(reports).to.deep.equal([]);
    await expectNothingThrown(control);

    client.close();
    const stored = await readStoredUser(user, DATABASE);
    expect(stored.activity).to.have.length(batchA.length + batchB.length);
  });

  // Last: it leaves a version-99 database behind, which it deletes at the end.
  it('lets another tab upgrade to a newer version, then runs on memory and reports storage-version', async () => {
    const { client, control, reports } = connect('worker-controls');
    try {
      const user = freshUser();
      const assigned = await client.getDaily(user, SETTINGS);
      expect(assigned.status).to.deep.equal({ storage: 'indexeddb' });
      await client.record(user, progressBatch('a'), SETTINGS);

      const newer = await openDatabase(DATABASE, 99, 3000);
      newer.db.close();
      expect(newer.upgraded).to.equal(true);
      expect(newer.ms, 'the upgrade was not kept waiting').to.be.lessThan(3000);

      const first = await client.getDaily(user, SETTINGS);
      await expectWorkingOnMemory(client, user, first, 'storage-version');
      expectReported(reports, 'storage-version');
      await expectNothingThrown(control);
    } finally {
      client.close();
      await deleteDatabase(DATABASE);
    }
  });
});
