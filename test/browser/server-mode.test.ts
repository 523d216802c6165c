/**
 * `<daily-missions server>` against a real server: `daily-missions serve` as a process on
 * the embedded database (PGlite in a temporary folder; PostgreSQL itself where CI sets one
 * up is the server suite's business), started by the test runner
 * (test/support/missions-server-command.mjs) behind a proxy that can hold answers back.
 * Each device is a page in a browser context of its own (its own IndexedDB and worker),
 * running the real element and worker (fixtures/server-device.ts).
 */
import { expect } from 'chai';
import { executeServerCommand } from '@web/test-runner-commands';
import type { ActivityInput } from '../../src/client.js';
import { sleep } from './support/helpers.js';

/** Resolves with the first truthy value `read` resolves to, polling; fails naming `what` after `timeoutMs`. */
async function until<T>(read: () => Promise<T | null | undefined | false | 0>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

type Event = { type: string; detail: Record<string, unknown> };
type Mission = { templateId: string; current: number; completed: boolean };

const command = <T>(action: string, payload: Record<string, unknown> = {}) => executeServerCommand<T, Record<string, unknown>>('missions-server', { action, ...payload });

let serverUrl = '';

/**
 * Starts the server (if it is not running) and waits until it answers through the proxy;
 * `maxBody`: the largest request body it takes (serve's --max-body), else its default.
 */
async function startServer(maxBody?: number): Promise<void> {
  ({ url: serverUrl } = (await command<{ url: string }>('start', { origin: location.origin, ...(maxBody === undefined ? {} : { maxBody }) }))!);
  await until(async () => (await fetch(`${serverUrl}/v1/health`).catch(() => null))?.ok, 120_000, 'the missions server');
}

before(async function () {
  this.timeout(150_000);
  await startServer();
});

afterEach(async function () {
  this.timeout(150_000);
  await command('delay', { ms: 0 });
  await command('close-devices');
  await startServer();
});

after(async () => {
  await command('shutdown');
});

const learner = (tag: string) => `${tag}-${crypto.randomUUID().slice(0, 8)}`;
const token = async (sub: string, seconds = 3600) => (await command<string>('token', { sub, seconds }))!;

/** A device: a page of its own showing the learner of `tokenValue`. */
async function openDevice(label: string, tokenValue: string) {
  const path = `/test/browser/fixtures/server-device.html?${new URLSearchParams({ server: serverUrl, label, token: tokenValue })}`;
  const { id } = (await command<{ id: string }>('open-device', { path }))!;
  const run = async <T>(script: string) => (await command<{ value: T }>('device-eval', { id, script }))!.value;
  return {
    id,
    run,
    events: () => run<Event[]>('window.device?.state.events ?? []'),
    missions: () => run<Mission[] | null>('window.device?.missions() ?? null'),
    note: () => run<string | null>('window.device?.note() ?? null'),
    errors: () => run<string[]>('window.device?.state.errors ?? []'),
    /** What the widget's live region says about its last celebration. */
    announcement: () => run<string>(`window.device?.element.shadowRoot?.querySelector('[role=status]')?.textContent?.trim() ?? ''`),
    record: (activities: ActivityInput[]) => run<string[] | { error: string }>(`window.device.record(${JSON.stringify(activities)})`),
    /** The page gets focus back: a server-mode widget asks the server for changes. */
    focus: () => run<void>(`window.dispatchEvent(new Event('focus'))`),
    reload: () => command('reload-device', { id }),
    /**
     * The page as the learner looking at it would have it: visible. Headless Firefox shows
     * only the last tab opened and cannot bring another to the front, so a hidden page is
     * told it is visible, as switching to its tab would.
     */
    show: () =>
      run<void>(`document.visibilityState === 'hidden' && (Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true }), document.dispatchEvent(new Event('visibilitychange')))`),
    awards: async () => (await run<Event[]>('window.device?.state.events ?? []')).filter((e) => e.type === 'mission-complete').map((e) => e.detail['awardId'] as string),
    errorCodes: async () => (await run<Event[]>('window.device?.state.events ?? []')).filter((e) => e.type === 'missions-error').map((e) => e.detail['code'] as string),
  };
}

/** What the server stored for the learner of `tokenValue`. */
async function stored(tokenValue: string) {
  const response = await fetch(`${serverUrl}/v1/export`, { headers: { authorization: `Bearer ${tokenValue}` } });
  expect(response.status).to.equal(200);
  const backup = (await response.json()) as { activity: { activityId: string }[]; awards: { awardId: string }[]; profile: { learner: { lessonsCompleted: number } } | null };
  return { activities: backup.activity.map((a) => a.activityId), awards: backup.awards.map((a) => a.awardId), lessons: backup.profile?.learner.lessonsCompleted ?? 0 };
}

/** One batch that completes at least one mission of any assignment (lessons, elements, reviews, time). */
function bigBatch(tag: string): ActivityInput[] {
  const batch: ActivityInput[] = [];
  for (let i = 0; i < 3; i += 1) {
    const setId = `set-${tag}-${i}`;
    batch.push({ type: 'lesson-started', lessonId: `l-${tag}-${i}`, setId, adaptive: true });
    batch.push({ type: 'lesson-completed', lessonId: `l-${tag}-${i}`, setId, correct: 10, total: 10, seconds: 700 });
  }
  for (let i = 0; i < 10; i += 1) batch.push({ type: 'element-reviewed', elementId: `e-${tag}-${i}`, correct: true });
  for (let i = 0; i < 5; i += 1) batch.push({ type: 'element-mastered', elementId: `e-${tag}-${i}` });
  batch.push({ type: 'review-session-completed' }, { type: 'overdue-cleared' });
  for (const exerciseType of ['cloze', 'choice', 'typing', 'listening', 'matching']) batch.push({ type: 'exercise-completed', exerciseType });
  return batch;
}

const lesson = (id: string): ActivityInput => ({ type: 'lesson-completed', lessonId: id, correct: 10, total: 10, seconds: 120 });
const progress = (missions: Mission[] | null) => (missions ?? []).map((m) => `${m.templateId}:${m.current}:${m.completed}`).join(' ');
const countOf = <T>(values: T[]) => values.reduce((map, v) => map.set(v, (map.get(v) ?? 0) + 1), new Map<T, number>());

/** A new learner, signed in on a device of their own that shows their missions. */
async function learnerOnDevice(tag: string) {
  const sub = learner(tag);
  const bearer = await token(sub);
  const device = await openDevice(tag, bearer);
  await until(async () => (await device.missions())?.length, 30_000, 'missions');
  return { sub, bearer, device };
}

/** Every award the server wrote was announced, each once. */
function expectAnnouncedOnce(announced: string[], written: string[]): void {
  expect([...countOf(announced).values()].every((n) => n === 1), `each award once: ${announced.join(', ')}`).to.equal(true);
  expect(new Set(announced)).to.deep.equal(new Set(written));
}

describe('server mode: one learner across devices', function () {
  this.timeout(120_000);

  it('two devices: the same assignment, a lesson on one shows on the other, each award announced once', async () => {
    const sub = learner('two');
    const bearer = await token(sub);
    const phone = await openDevice('phone', bearer);
    const laptop = await openDevice('laptop', bearer);
    const first = await until(async () => ((await phone.missions())?.length ? phone.missions() : null), 30_000, 'missions on the phone');
    const second = await until(async () => (await laptop.missions())?.length ? laptop.missions() : null, 30_000, 'missions on the laptop');
    expect(second!.map((m) => m.templateId)).to.deep.equal(first!.map((m) => m.templateId));

    // Another widget's sweep, as early as anything on the phone's page can send it: when the
    // phone's widget shows its answer. The phone claimed its completions before that.
    await phone.run(`window.device.element.addEventListener('missions-change', (event) => {
      if (window.sweep || !event.detail.missions.some((m) => m.completed)) return;
      window.sweep = fetch(${JSON.stringify(`${serverUrl}/v1/celebrations/claim`)}, { method: 'POST', headers: { authorization: ${JSON.stringify(`Bearer ${bearer}`)} } }).then((r) => r.json());
    })`);
    const completed = await phone.record(bigBatch('two'));
    expect(completed, 'the phone resolves with what the server completed').to.be.an('array').that.is.not.empty;
    expect(await phone.run('window.sweep'), 'a sweep took the phone’s completions').to.deep.equal({ claimed: [] });
    await phone.show(); // opened first, behind the laptop's tab in Firefox: nothing plays while hidden
    await until(async () => (await phone.announcement()).includes('Mission complete'), 10_000, 'the phone celebrating');
    const onPhone = progress(await phone.missions());
    await laptop.focus();
    await until(async () => progress(await laptop.missions()) === onPhone, 30_000, 'the laptop showing the phone’s progress');

    const server = await stored(bearer);
    const announced = [...(await phone.awards()), ...(await laptop.awards())];
    expectAnnouncedOnce(announced, server.awards);
    expect(await phone.awards()).to.have.members(server.awards);
    expect([...(await phone.errors()), ...(await laptop.errors())]).to.deep.equal([]);
    expect(await laptop.announcement(), 'the laptop celebrated the phone’s completions').to.equal('');
  });

  it('offline: three lessons recorded with the server stopped, the page reloaded, the server back: the outbox drains, counted once, awards announced once', async () => {
    const sub = learner('train');
    const bearer = await token(sub);
    const device = await openDevice('train', bearer);
    const before = await until(async () => (await device.missions())?.length ? device.missions() : null, 30_000, 'missions');

    await command('stop');
    for (const id of ['t1', 't2', 't3']) expect(await device.record([lesson(`lesson-${sub}-${id}`)])).to.deep.equal([]);
    expect(await device.errorCodes()).to.include('server-unavailable');
    expect(await device.note(), 'a visible will-sync note').to.match(/sync/i);
    const lessonMissions = before!.filter((m) => /lesson/.test(m.templateId));
    if (lessonMissions.length > 0) {
      // The local guess moves the lesson missions, without announcing anything.
      const guessed = (await device.missions())!.filter((m) => /lesson/.test(m.templateId));
      expect(guessed.some((m, i) => m.current > lessonMissions[i]!.current)).to.equal(true);
    }
    expect(await device.awards()).to.deep.equal([]);

    await device.reload();
    // Cached missions render at once, offline, with the note.
    await until(async () => (await device.missions())?.length, 30_000, 'cached missions after the reload');
    expect((await device.missions())!.map((m) => m.templateId)).to.deep.equal(before!.map((m) => m.templateId));
    await until(async () => /sync/i.test((await device.note()) ?? ''), 10_000, 'the will-sync note after the reload');

    await startServer();
    await device.focus();
    await until(async () => (await device.note()) === null, 30_000, 'the note gone once synced');
    const server = await stored(bearer);
    expect(server.activities).to.have.length(3);
    expect(server.lessons).to.equal(3);
    expectAnnouncedOnce(await device.awards(), server.awards);
    expect(await device.errors()).to.deep.equal([]);
  });

  it('a first visit offline (nothing cached yet): record() resolves, as the lesson is queued; the widget says it will sync; the outbox drains once the server is back', async () => {
    const sub = learner('first');
    const bearer = await token(sub);
    await command('stop');
    const device = await openDevice('first', bearer);
    await until(async () => (await device.errorCodes()).includes('server-unavailable'), 30_000, 'server-unavailable on the first load');

    // A rejection would tell the host the lesson was not kept, and a host that records it
    // again (new ids) would count it twice once the outbox drains.
    expect(await device.record([lesson(`lesson-${sub}-1`)])).to.deep.equal([]);
    expect(await device.errors(), 'no uncaught error in the page').to.deep.equal([]);
    expect(await device.note(), 'a visible will-sync note').to.match(/sync/i);
    expect(await device.missions(), 'no missions invented while the server has not assigned any').to.equal(null);
    expect(await device.awards()).to.deep.equal([]);

    await startServer();
    await device.focus();
    await until(async () => (await device.note()) === null && (await device.missions())?.length, 30_000, 'the server’s missions, synced');
    const server = await stored(bearer);
    expect(server.activities).to.have.length(1);
    expect(server.lessons).to.equal(1);
    expect(new Set(await device.awards())).to.deep.equal(new Set(server.awards));
  });

  it('offline on a new day: yesterday’s cached missions are not shown as today’s; the widget says it will sync, and a lesson is queued', async () => {
    const sub = learner('next-day');
    const bearer = await token(sub);
    const device = await openDevice('next-day', bearer);
    await until(async () => (await device.missions())?.length, 30_000, 'missions');
    await command('stop');
    // The device's clock passes midnight while the server is out of reach.
    await device.run('(window.device.element.now = () => Date.now() + 86_400_000, window.device.element.refresh())');
    await until(async () => /sync/i.test((await device.note()) ?? ''), 30_000, 'the will-sync note');
    expect(await device.run<number>("window.device.element.shadowRoot.querySelectorAll('[part~=mission]').length"), 'missions shown').to.equal(0);
    expect(await device.record([lesson(`lesson-${sub}-1`)])).to.deep.equal([]);
    expect(await device.errors(), 'no uncaught error in the page').to.deep.equal([]);
    await startServer();
  });

  it('a token that expires mid-session: getToken is asked again after the 401; nothing queued is lost', async () => {
    const { sub, device } = await learnerOnDevice('expiry');
    const expired = await token(sub, -60);
    await device.run(`window.device.state.token = ${JSON.stringify(expired)}`);
    const asked = await device.run<number>('window.device.state.tokenCalls');
    expect(await device.record([lesson(`lesson-${sub}-1`)])).to.deep.equal([]);
    // Asked before the request and once more after the refusal.
    expect(await device.run<number>('window.device.state.tokenCalls')).to.be.at.least(asked + 2);
    expect(await device.errorCodes()).to.include('unauthenticated');

    const fresh = await token(sub);
    await device.run(`window.device.state.token = ${JSON.stringify(fresh)}`);
    await device.focus();
    await until(async () => (await stored(fresh)).activities.length === 1, 30_000, 'the queued lesson stored');
    expect((await stored(fresh)).lessons).to.equal(1);
  });

  it('a server restart between two lessons: both counted once', async () => {
    const { sub, bearer, device } = await learnerOnDevice('restart');
    await device.record([lesson(`lesson-${sub}-1`)]);
    await command('stop');
    await startServer();
    await device.record([lesson(`lesson-${sub}-2`)]);
    const server = await stored(bearer);
    expect(server.activities).to.have.length(2);
    expect(server.lessons).to.equal(2);
  });

  it('a slow server: the call times out and is sent again, counted once, its awards announced once', async () => {
    const { bearer, device } = await learnerOnDevice('slow');
    // Answers come 9 s after the server wrote them; the worker gives up after 8 s.
    await command('delay', { ms: 9_000 });
    expect(await device.record(bigBatch('slow'))).to.deep.equal([]);
    expect(await device.errorCodes()).to.include('server-unavailable');
    await command('delay', { ms: 0 });
    await device.focus();
    await until(async () => (await device.note()) === null, 30_000, 'synced');
    const server = await stored(bearer);
    expect(server.activities).to.have.length(bigBatch('slow').length);
    expect(server.lessons).to.equal(3);
    expect(server.awards).to.not.be.empty;
    await until(async () => (await device.awards()).length === server.awards.length, 10_000, 'the awards announced');
    expectAnnouncedOnce(await device.awards(), server.awards);
  });

  it('an outbox larger than the server takes in one request (413): sent again in smaller batches, nothing dropped or counted twice', async () => {
    // About 150 bytes a lesson: 40 lessons are some 6 kB, three times the limit.
    await startServer(2_048);
    const { sub, bearer, device } = await learnerOnDevice('split');
    const lessons = Array.from({ length: 40 }, (_, i) => lesson(`lesson-${sub}-${i}`));
    const completed = await device.record(lessons);
    expect(completed, 'resolved with what the server completed').to.be.an('array');
    const server = await stored(bearer);
    expect(server.activities).to.have.length(40);
    expect(server.lessons).to.equal(40);
    expect(await device.errorCodes(), 'nothing reported as rejected or unavailable').to.deep.equal([]);
    expect(await device.note()).to.equal(null);
    expectAnnouncedOnce(await device.awards(), server.awards);
  });

  it('one activity larger than the server takes (413 on its own): reported as rejected (which and why), the rest of the outbox goes on', async () => {
    await startServer(2_048);
    const { sub, bearer, device } = await learnerOnDevice('huge');
    const huge = { ...lesson(`lesson-${sub}-${'x'.repeat(3_000)}`), id: `huge-${sub}` };
    const small = [1, 2, 3].map((i) => ({ ...lesson(`lesson-${sub}-${i}`), id: `small-${sub}-${i}` }));
    await device.record([small[0]!, huge, ...small.slice(1)]);
    const rejected = (await device.events()).filter((e) => e.type === 'missions-error' && e.detail['code'] === 'activity-rejected');
    expect(rejected.map((e) => e.detail['activityId'])).to.deep.equal([huge.id]);
    expect(rejected[0]!.detail['message']).to.match(/2048 bytes/);
    const server = await stored(bearer);
    expect(server.activities).to.have.members(small.map((a) => a.id));
    expect(server.lessons).to.equal(3);
    expect(await device.note()).to.equal(null);
  });

  it('an activity the server refuses for good: reported as rejected (which and why), the rest of the outbox goes on', async () => {
    const { sub, bearer, device } = await learnerOnDevice('reject');
    // An entry queued by an older page that this server refuses (an empty lessonId), ahead
    // of a good one: written into the device's outbox as that page would have left it.
    const scope = `${new URL(serverUrl).href}\nreject`;
    await device.run(`new Promise((resolve, reject) => {
      const open = indexedDB.open('daily-missions-server');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction('outbox', 'readwrite');
        tx.objectStore('outbox').add({ scope: ${JSON.stringify(scope)}, attempts: 0, activity: { id: 'bad-1', type: 'lesson-completed', lessonId: '', correct: 1, total: 1, at: Date.now() } });
        tx.oncomplete = () => { open.result.close(); resolve(true); };
        tx.onerror = () => reject(tx.error);
      };
    })`);
    await device.record([{ ...lesson(`lesson-${sub}-good`), id: `good-${sub}` }]);
    const events = await device.events();
    const rejected = events.filter((e) => e.type === 'missions-error' && e.detail['code'] === 'activity-rejected');
    expect(rejected).to.have.length(1);
    expect(rejected[0]!.detail['activityId']).to.equal('bad-1');
    expect(rejected[0]!.detail['message']).to.match(/lessonId/);
    const server = await stored(bearer);
    expect(server.activities).to.deep.equal([`good-${sub}`]);
    expect(await device.note(), 'a refused activity is the host’s to handle: no note').to.equal(null);
  });
});
