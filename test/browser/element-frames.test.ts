/**
 * Exactly-once events with two `<daily-missions>` widgets for the same learner in two
 * "tabs" (docs/architecture.md §3, `mission-complete`: "exactly once per mission per user and day,
 * across all tabs and widgets"; docs/architecture.md §6, "Other tabs").
 *
 * Each tab is a same-origin iframe (fixtures/frame-widget.html + frame-widget.ts): its
 * own window realm, so its own copy of the package and its own missions worker,
 * sharing only the origin's IndexedDB and BroadcastChannel. Both widgets run on the
 * same fixed clock and report every public event to this page.
 */
import { expect } from 'chai';
import type { ActivityInput } from '../../src/client.js';
import type { Mission } from '../../src/index.js';
import type { MissionsChangeDetail, MissionCompleteDetail, MissionsAllCompleteDetail } from '../../src/daily-missions.js';
import type { FrameMessage, RecordCommand } from './fixtures/frame-widget.js';
import { freshUser, sleep, until } from './support/helpers.js';

const ZONE = 'Europe/Berlin';
const NOW = Date.UTC(2025, 5, 11, 10); // Wednesday 2025-06-11, 12:00 in Berlin
const DAY = '2025-06-11';

/**
 * One batch that meets every counter a shipped mission can check on a weekday for a
 * new learner (learning and exploration) and more: three perfect lessons in three new
 * sets with 15 minutes each, an adaptive lesson, five cloze exercises among five
 * exercise types, half an hour of study, reviews, masteries, a review session and
 * cleared overdue work.
 */
function everything(tag: string): ActivityInput[] {
  const batch: ActivityInput[] = [];
  for (let i = 0; i < 3; i += 1) {
    batch.push({ type: 'lesson-completed', lessonId: `${tag}-lesson-${i}`, setId: `${tag}-set-${i}`, correct: 10, total: 10, seconds: 900 });
  }
  batch.push({ type: 'lesson-started', lessonId: `${tag}-adaptive`, setId: `${tag}-set-adaptive`, adaptive: true });
  for (let i = 0; i < 5; i += 1) batch.push({ type: 'exercise-completed', exerciseType: 'cloze' });
  for (const exerciseType of ['multiple-choice', 'listening', 'speaking', 'matching']) batch.push({ type: 'exercise-completed', exerciseType });
  batch.push({ type: 'study-time', seconds: 1800 });
  for (let i = 0; i < 10; i += 1) batch.push({ type: 'element-reviewed', elementId: `${tag}-element-${i}`, correct: true });
  for (let i = 0; i < 5; i += 1) batch.push({ type: 'element-mastered', elementId: `${tag}-element-${i}` });
  batch.push({ type: 'review-session-completed' }, { type: 'overdue-cleared' });
  return batch;
}

interface FrameWindow extends Window {
  frameWidget?: { runningWorkerCount: () => number };
}

/** The parent's view of one widget frame: everything it reported, in order. */
class WidgetFrame {
  readonly iframe = document.createElement('iframe');
  readonly messages: FrameMessage[] = [];
  private nextId = 0;
  private readonly onMessage = (event: MessageEvent) => {
    if (event.source !== this.iframe.contentWindow || (event.data as FrameMessage)?.source !== 'frame-widget') return;
    this.messages.push(event.data as FrameMessage);
  };

  constructor(readonly name: string, user: string) {
    const url = new URL('./fixtures/frame-widget.html', import.meta.url);
    url.search = new URLSearchParams({ name, user, now: String(NOW), zone: ZONE }).toString();
    this.iframe.src = url.href;
    this.iframe.name = name;
    window.addEventListener('message', this.onMessage);
    document.body.append(this.iframe);
  }

  events<T>(type: string): T[] {
    return this.messages.filter((m) => m.kind === 'event' && m.event === type).map((m) => m.detail as T);
  }
  get completes() {
    return this.events<MissionCompleteDetail>('mission-complete');
  }
  get allCompletes() {
    return this.events<MissionsAllCompleteDetail>('missions-all-complete');
  }
  get changes() {
    return this.events<MissionsChangeDetail>('missions-change');
  }
  get lastChange(): MissionsChangeDetail | undefined {
    return this.changes.at(-1);
  }
  /** Uncaught errors and missions-error events: none expected anywhere here. */
  get problems(): unknown[] {
    return [...this.messages.filter((m) => m.kind === 'error'), ...this.events('missions-error')];
  }
  get workers(): number {
    return (this.iframe.contentWindow as FrameWindow).frameWidget?.runningWorkerCount() ?? -1;
  }

  /** Asks the frame's widget to `record(activities)`; resolves with the template ids it returned. */
  record(activities: ActivityInput[]): Promise<string[]> {
    const id = (this.nextId += 1);
    this.iframe.contentWindow!.postMessage({ command: 'record', id, activities } satisfies RecordCommand, location.origin);
    return until(() => this.messages.find((m) => m.kind === 'reply' && m.id === id), 15_000, `${this.name}'s record reply`).then((reply) => {
      if (reply.error !== undefined) throw new Error(`${this.name}: record rejected: ${reply.error}`);
      return reply.completed!;
    });
  }

  close(): void {
    window.removeEventListener('message', this.onMessage);
    this.iframe.remove();
  }
}

const frames: WidgetFrame[] = [];

/** Opens a widget frame and waits until it shows the day's missions. */
async function openWidget(name: string, user: string): Promise<WidgetFrame> {
  const frame = new WidgetFrame(name, user);
  frames.push(frame);
  await until(() => frame.lastChange && frame.lastChange.missions.length > 0, 10_000, `${name}'s missions`);
  return frame;
}

const ids = (missions: Pick<Mission, 'templateId'>[]) => missions.map((m) => m.templateId).sort();
const allDone = (frame: WidgetFrame) => Boolean(frame.lastChange?.missions.length && frame.lastChange.missions.every((m) => m.completed));
const show = (value: unknown) => JSON.stringify(value);

afterEach(() => {
  for (const frame of frames.splice(0)) frame.close();
});

describe('<daily-missions> in two same-origin frames (two tabs) on one learner', () => {
  it('fires each mission-complete and missions-all-complete once, only in the tab that recorded; the other tab just shows them done', async () => {
    const user = freshUser('frames');
    const a = await openWidget('A', user);
    const b = await openWidget('B', user);
    const missions = a.lastChange!.missions;
    expect(missions).to.have.length(3);
    expect(ids(b.lastChange!.missions), 'both tabs show the same missions').to.deep.equal(ids(missions));
    expect(a.lastChange!.day).to.equal(DAY);
    expect([a.workers, b.workers], 'each tab runs its own worker').to.deep.equal([1, 1]);

    const returnedToA = await a.record(everything('a'));
    expect(returnedToA.sort(), "A's record() returns every mission").to.deep.equal(ids(missions));

    // B learns about it through the cross-tab refresh, before recording anything itself.
    await until(() => allDone(b), 3_000, 'B showing every mission done after A recorded');
    const returnedToB = await b.record(everything('b'));
    expect(returnedToB, "B's record() returns nothing: A already completed everything").to.deep.equal([]);
    await sleep(400); // anything late (a second refresh, a celebration claim) arrives now

    expect(ids(a.completes.map((c) => c.mission)), "A's mission-complete events").to.deep.equal(ids(missions));
    for (const complete of a.completes) {
      expect(complete.day).to.equal(DAY);
      expect(complete.xp).to.equal(missions.find((m) => m.templateId === complete.mission.templateId)!.xp);
    }
    expect(b.completes, "B's mission-complete events").to.deep.equal([]);

    const dayXp = missions.reduce((sum, m) => sum + m.xp, 0);
    expect(a.allCompletes, "A's missions-all-complete").to.deep.equal([{ day: DAY, xp: dayXp }]);
    expect(b.allCompletes, "B's missions-all-complete").to.deep.equal([]);

    expect(allDone(a), "A's last missions-change shows every mission done").to.equal(true);
    expect(allDone(b), "B's last missions-change shows every mission done").to.equal(true);
    expect(a.problems, show(a.problems)).to.deep.equal([]);
    expect(b.problems, show(b.problems)).to.deep.equal([]);
  });

  it('fires each mission-complete exactly once in total when both tabs record at the same moment', async () => {
    const user = freshUser('frames-race');
    // Both tabs also start at the same moment: both ask for the fresh learner's first day at once.
    const [a, b] = await Promise.all([openWidget('A', user), openWidget('B', user)]);
    const missions = a.lastChange!.missions;
    expect(missions).to.have.length(3);
    expect(ids(b.lastChange!.missions), 'both tabs show the same missions').to.deep.equal(ids(missions));
    expect([a.workers, b.workers], 'each tab runs its own worker').to.deep.equal([1, 1]);

    // Both commands are posted in the same task: the two workers race on one database.
    const [returnedToA, returnedToB] = await Promise.all([a.record(everything('a')), b.record(everything('b'))]);
    await until(() => allDone(a) && allDone(b), 3_000, 'both tabs showing every mission done');
    await sleep(400);

    const completed = [...a.completes, ...b.completes].map((c) => c.mission);
    expect(ids(completed), `mission-complete across both tabs (A: ${show(ids(a.completes.map((c) => c.mission)))}, B: ${show(ids(b.completes.map((c) => c.mission)))})`).to.deep.equal(
      ids(missions),
    );
    expect([...returnedToA, ...returnedToB].sort(), 'record() results across both tabs').to.deep.equal(ids(missions));
    // Each tab's events are exactly what its own record() returned.
    expect(ids(a.completes.map((c) => c.mission)), "A's events match A's record()").to.deep.equal([...returnedToA].sort());
    expect(ids(b.completes.map((c) => c.mission)), "B's events match B's record()").to.deep.equal([...returnedToB].sort());

    const alls = [...a.allCompletes, ...b.allCompletes];
    expect(alls, 'missions-all-complete across both tabs').to.deep.equal([{ day: DAY, xp: missions.reduce((sum, m) => sum + m.xp, 0) }]);
    // Whichever tab completed the last mission is the one that announces the whole day.
    const last = a.allCompletes.length === 1 ? a : b;
    expect(last.completes.length, `${last.name} announced the day, so it completed at least one mission`).to.be.greaterThan(0);

    expect(a.problems, show(a.problems)).to.deep.equal([]);
    expect(b.problems, show(b.problems)).to.deep.equal([]);
  });

  it('fires each mission-complete exactly once in total when both tabs record one activity at a time, interleaved', async () => {
    // With whole batches one tab tends to win everything; single activities from both
    // tabs at once make the missions complete in whichever tab crosses each target.
    const user = freshUser('frames-interleaved');
    const [a, b] = await Promise.all([openWidget('A', user), openWidget('B', user)]);
    const missions = a.lastChange!.missions;
    const oneByOne = async (frame: WidgetFrame, tag: string) => {
      const returned: string[] = [];
      for (const activity of everything(tag)) returned.push(...(await frame.record([activity])));
      return returned;
    };
    const [returnedToA, returnedToB] = await Promise.all([oneByOne(a, 'a'), oneByOne(b, 'b')]);
    await until(() => allDone(a) && allDone(b), 3_000, 'both tabs showing every mission done');
    await sleep(400);

    const byA = ids(a.completes.map((c) => c.mission));
    const byB = ids(b.completes.map((c) => c.mission));
    expect([...byA, ...byB].sort(), `mission-complete across both tabs (A: ${show(byA)}, B: ${show(byB)})`).to.deep.equal(ids(missions));
    expect(byA, "A's events match A's record() results").to.deep.equal([...returnedToA].sort());
    expect(byB, "B's events match B's record() results").to.deep.equal([...returnedToB].sort());
    expect([...a.allCompletes, ...b.allCompletes], 'missions-all-complete across both tabs').to.deep.equal([
      { day: DAY, xp: missions.reduce((sum, m) => sum + m.xp, 0) },
    ]);
    expect(a.problems, show(a.problems)).to.deep.equal([]);
    expect(b.problems, show(b.problems)).to.deep.equal([]);
  });
});
