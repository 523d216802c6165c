/**
 * Several tabs on one user (docs/architecture.md §6, "Other tabs"): a change in one tab reaches
 * the others through the BroadcastChannel, only for that user, and only the tab whose
 * transaction wrote an award reports the completion.
 *
 * Why iframes: each same-origin iframe is its own window realm with its own copy of
 * src/client.ts and src/worker-host.ts, so it starts its own missions worker, shares
 * only the origin's IndexedDB and BroadcastChannel with the other, and posts from a
 * different context than the listener: that is what two tabs are. Two worker URLs on
 * one page would share the page's client module and realm, a weaker stand-in.
 */
import { expect } from 'chai';
import type { connectMissions, MissionsClient } from '../../src/client.js';
import { freshUser, lesson, sleep, TestClock } from './support/helpers.js';

const ZONE = 'America/Sao_Paulo';
const DAY = '2025-04-02';
const clock = new TestClock(Date.UTC(2025, 3, 2, 13)); // 10:00 in São Paulo
const settings = { timeZone: ZONE, preferences: { mix: 'easy' as const } };

interface FrameWindow extends Window {
  dailyMissions?: { connectMissions: typeof connectMissions; runningWorkerCount: () => number };
}
type Change = { userId: string; day: string };

const frames: HTMLIFrameElement[] = [];
const clients: MissionsClient[] = [];

/** Workers running in each open frame's own realm. */
const workersPerFrame = () => frames.map((frame) => (frame.contentWindow as FrameWindow).dailyMissions!.runningWorkerCount());

/** Opens a "tab": a same-origin iframe running the client, and connects a client in it. */
async function openTab(name: string): Promise<MissionsClient> {
  const frame = document.createElement('iframe');
  frame.name = name;
  frame.src = new URL('./fixtures/cross-tab-frame.html', import.meta.url).href;
  document.body.append(frame);
  frames.push(frame);
  const deadline = Date.now() + 10_000;
  let api: FrameWindow['dailyMissions'];
  while (!(api = (frame.contentWindow as FrameWindow | null)?.dailyMissions)) {
    if (Date.now() > deadline) throw new Error(`the ${name} frame did not load its client`);
    await sleep(20);
  }
  const client = api.connectMissions({ now: clock.now });
  clients.push(client);
  return client;
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
  return performance.now() - start;
}

/** Counters that complete every mission in `rows` (from an export, which carries each mission's check). */
function countersCompleting(rows: { check: string; target: number }[]): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const row of rows) counters[row.check] = Math.max(counters[row.check] ?? 0, row.target * 10);
  return counters;
}

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const frame of frames.splice(0)) frame.remove();
});

describe('cross-tab notifications', () => {
  it('tells the other tab about a change to its user within 2 s, and not a subscription to another user', async () => {
    const a = await openTab('A');
    const b = await openTab('B');
    const user = freshUser();
    const other = freshUser('other');
    const seenByB: Change[] = [];
    const seenByBForOther: Change[] = [];
    b.subscribe(user, (change) => seenByB.push({ ...change }));
    const unsubscribeOther = b.subscribe(other, (change) => seenByBForOther.push({ ...change }));

    await a.getDaily(user, settings);
    await b.getDaily(other, settings);
    expect(workersPerFrame(), 'each tab runs its own worker').to.deep.equal([1, 1]);
    await a.record(user, lesson(10, 10, { seconds: 120 }), settings);
    const took = await waitFor(() => seenByB.length > 0, 2_000, "B's notification");
    expect(took).to.be.below(2_000);
    expect(seenByB[0]).to.deep.equal({ userId: user, day: DAY });
    await sleep(250);
    expect(seenByBForOther, 'no call for a subscription to another user').to.deep.equal([]);

    // The other way round: a change to `other` reaches only the `other` subscription.
    const countForUser = seenByB.length;
    await a.record(other, lesson(), settings);
    await waitFor(() => seenByBForOther.length > 0, 2_000, "B's notification for the other user");
    expect(seenByBForOther[0]).to.deep.equal({ userId: other, day: DAY });
    await sleep(250);
    expect(seenByB).to.have.length(countForUser);

    // After unsubscribing, nothing more arrives for that user.
    unsubscribeOther();
    const countForOther = seenByBForOther.length;
    await a.record(other, lesson(), settings);
    await sleep(400);
    expect(seenByBForOther).to.have.length(countForOther);
  });

  it("shows another tab's change on the next read, although each worker keeps today's missions between reads", async () => {
    const a = await openTab('A');
    const b = await openTab('B');
    const c = await openTab('C');
    const user = freshUser();
    const progressOf = (daily: { missions: { templateId: string; current: number }[] }) => daily.missions.map((m) => `${m.templateId}:${m.current}`).join(' ');
    const before = await a.getDaily(user, settings);
    // B and C read twice: the second read is served from their worker's memory.
    for (const tab of [b, c]) {
      await tab.getDaily(user, settings);
      expect(progressOf(await tab.getDaily(user, settings))).to.equal(progressOf(before));
    }
    // B reads from inside its change listener, which may run before B's worker has heard
    // the same broadcast: the client asks for a fresh read then.
    const readInListener = new Promise<string>((resolve) => {
      b.subscribe(user, () => void b.getDaily(user, settings).then((daily) => resolve(progressOf(daily))));
    });
    const after = (await a.record(user, lesson(10, 10, { seconds: 600 }), settings)).daily;
    expect(progressOf(after), 'the lesson moved a mission').not.to.equal(progressOf(before));
    expect(await readInListener).to.equal(progressOf(after));
    // C has no subscription: its worker dropped its copy when the broadcast arrived.
    await sleep(300);
    expect(progressOf(await c.getDaily(user, settings))).to.equal(progressOf(after));
  });

  it("reports a completion only in the tab whose call completed it; the other tab sees it done but never as its own", async () => {
    const a = await openTab('A');
    const b = await openTab('B');
    const user = freshUser();
    const seenByB: Change[] = [];
    b.subscribe(user, (change) => seenByB.push(change));

    const assigned = await a.getDaily(user, settings);
    expect(assigned.missions).to.have.length(3);
    let completedByA: string[] = [];
    for (let i = 0; i < 10 && completedByA.length === 0; i += 1) {
      const result = await a.record(user, lesson(10, 10, { seconds: 600, setId: `set-${i}` }), settings);
      completedByA = result.completed.map((m) => m.templateId);
    }
    expect(completedByA.length, 'A completed at least one mission').to.be.greaterThan(0);
    await waitFor(() => seenByB.length > 0, 2_000, "B's notification");

    // B sees A's completions as done...
    const seen = await b.getDaily(user, settings);
    for (const id of completedByA) expect(seen.missions.find((m) => m.templateId === id)?.completed, id).to.equal(true);

    // ...but no call of B ever reports them, even with counters far past their targets.
    const recorded = await b.record(user, lesson(10, 10, { seconds: 600, setId: 'set-b' }), settings);
    for (const id of completedByA) expect(recorded.completed.map((m) => m.templateId)).not.to.include(id);
    const rows = (await b.exportData(user, settings)).missions;
    const pushed = await b.pushStats(user, countersCompleting(rows.filter((r) => completedByA.includes(r.templateId))), settings);
    for (const id of completedByA) expect(pushed.completed.map((m) => m.templateId)).not.to.include(id);

    const exported = await a.exportData(user, settings);
    for (const id of completedByA) expect(exported.awards.filter((award) => award.templateId === id), `awards of ${id}`).to.have.length(1);
  });

  it('pays each mission once when both tabs complete the same missions at the same moment', async () => {
    const a = await openTab('A');
    const b = await openTab('B');
    const user = freshUser();
    await a.getDaily(user, settings);
    const rows = (await b.exportData(user, settings)).missions;
    expect(rows).to.have.length(3);
    const counters = countersCompleting(rows);

    const [fromA, fromB] = await Promise.all([a.pushStats(user, counters, settings), b.pushStats(user, counters, settings)]);
    const idsA = fromA.completed.map((m) => m.templateId);
    const idsB = fromB.completed.map((m) => m.templateId);
    expect([...idsA, ...idsB].sort(), 'every mission reported exactly once across both tabs').to.deep.equal(rows.map((r) => r.templateId).sort());
    expect([fromA.allCompleted, fromB.allCompleted].filter((x) => x !== null), 'one tab reports the whole day').to.have.length(1);

    const exported = await a.exportData(user, settings);
    expect(exported.awards.map((award) => award.templateId).sort()).to.deep.equal(rows.map((r) => r.templateId).sort());
    const history = await b.history(user, settings);
    expect(history.lifetimeXp).to.equal(rows.reduce((sum, r) => sum + r.xp, 0));
  });
});
