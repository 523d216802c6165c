/**
 * <daily-missions> in real Chromium: states, parts, events, the public API and
 * embedding, through the real worker and IndexedDB.
 */
import { expect } from 'chai';
import '../../src/index.js';
import type { DailyMissionsElement } from '../../src/index.js';
import { runningWorkerCount } from '../../src/worker-host.js';
import type { MissionCompleteDetail, MissionsChangeDetail } from '../../src/daily-missions.js';
import catalog from '../../catalog/templates.yaml';
import { connectMissions } from '../../src/client.js';
import { everythingBatch } from './support/element-helpers.js';
import { freshUser, lesson, sleep, TestClock, until } from './support/helpers.js';

const ZONE = 'Europe/Berlin';
const clock = new TestClock(Date.UTC(2025, 2, 4, 9)); // a Tuesday morning in Berlin

function mount(attributes: Record<string, string> = {}, properties: Partial<DailyMissionsElement> = {}): DailyMissionsElement {
  const element = document.createElement('daily-missions');
  element.setAttribute('time-zone', ZONE);
  element.setAttribute('lang', 'en');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  Object.assign(element, { now: clock.now, ...properties });
  document.body.append(element);
  return element;
}

const missionsOf = (element: DailyMissionsElement) => [...element.shadowRoot!.querySelectorAll<HTMLElement>('[part="mission"]')];

afterEach(() => {
  document.querySelectorAll('daily-missions').forEach((element) => element.remove());
});

describe('<daily-missions>', () => {
  it('renders today’s missions with the public parts and data attributes', async () => {
    const element = mount({ 'user-id': freshUser() });
    const items = await until(() => missionsOf(element).length === 3 && missionsOf(element));
    const root = element.shadowRoot!;
    expect(root.querySelector('[part="card"]')).to.exist;
    expect(root.querySelector('[part="countdown"]')!.textContent).to.match(/New missions in/);
    for (const item of items) {
      expect(item.dataset['templateId']).to.be.a('string');
      expect(['learning', 'exploration']).to.include(item.dataset['category']);
      expect(['easy', 'medium', 'hard']).to.include(item.dataset['difficulty']);
      expect(item.dataset['completed']).to.equal('false');
      const bar = item.querySelector('[part="progress"]')!;
      expect(bar.getAttribute('role')).to.equal('progressbar');
      expect(bar.getAttribute('aria-valuenow')).to.equal('0');
      expect(Number(bar.getAttribute('aria-valuemax'))).to.be.greaterThan(0);
      expect(bar.getAttribute('aria-label')).to.contain(item.querySelector('[part="mission-title"]')!.textContent!);
      expect(item.querySelector('[part="xp"]')!.textContent).to.match(/\d+ XP/);
      expect(item.querySelector('[part="mission-description"]')!.textContent!.length).to.be.greaterThan(5);
    }
  });

  it('fires missions-change, mission-complete and missions-all-complete with plain details', async () => {
    const element = mount({ 'user-id': freshUser(), count: '1' });
    const changes: MissionsChangeDetail[] = [];
    const completes: MissionCompleteDetail[] = [];
    const alls: unknown[] = [];
    element.addEventListener('missions-change', (e) => changes.push(e.detail));
    element.addEventListener('mission-complete', (e) => completes.push(e.detail));
    element.addEventListener('missions-all-complete', (e) => alls.push(e.detail));
    await until(() => changes.length > 0);
    expect(changes[0]!.missions).to.have.length(1);
    const target = changes[0]!.missions[0]!;
    expect(Object.keys(target).sort()).to.deep.equal(['category', 'completed', 'current', 'description', 'difficulty', 'icon', 'target', 'templateId', 'title', 'xp']);
    let returned: unknown[] = [];
    for (let i = 0; i < 40 && completes.length === 0; i += 1) {
      returned = returned.concat(await element.record([lesson(10, 10, { seconds: 600, setId: `s${i}` })]));
    }
    expect(completes).to.have.length(1);
    expect(completes[0]!.mission.templateId).to.equal(target.templateId);
    expect(completes[0]!.xp).to.equal(target.xp);
    expect(completes[0]!.day).to.equal('2025-03-04');
    expect(returned).to.have.length(1);
    expect(alls).to.deep.equal([{ day: '2025-03-04', xp: target.xp }]);
    await until(() => missionsOf(element)[0]?.dataset['completed'] === 'true');
  });

  it('bubbles events out of the shadow root to the document', async () => {
    const seen: string[] = [];
    const listener = (e: Event) => seen.push(e.type);
    document.addEventListener('missions-change', listener);
    try {
      mount({ 'user-id': freshUser() });
      await until(() => seen.length > 0);
      expect(seen[0]).to.equal('missions-change');
    } finally {
      document.removeEventListener('missions-change', listener);
    }
  });

  it('renders nothing, assigns nothing and records nothing when disabled', async () => {
    const user = freshUser();
    const element = mount({ 'user-id': user, disabled: '' });
    await sleep(300);
    expect(element.shadowRoot!.querySelector('[part="card"]')).to.equal(null);
    expect(await element.record(lesson())).to.deep.equal([]);
    expect(getComputedStyle(element).display).to.equal('none');
    element.disabled = false;
    await until(() => missionsOf(element).length > 0);
    const bars = missionsOf(element).map((m) => m.querySelector('[part="progress"]')!.getAttribute('aria-valuenow'));
    expect(bars.every((value) => value === '0')).to.equal(true, 'the lesson recorded while disabled was not stored');
  });

  it('renders nothing without a user id, and refuses to record for nobody', async () => {
    const element = mount();
    await sleep(200);
    expect(element.shadowRoot!.querySelector('[part="card"]')).to.equal(null);
    // Resolving [] would tell the host "recorded, nothing completed" while nothing was stored.
    const error = await element.record(lesson()).catch((e: unknown) => e);
    expect(error).to.have.property('code', 'invalid-input');
    expect(error).to.have.property('field', 'user-id');
  });

  it('rejects invalid activity naming the field, and keeps working', async () => {
    const element = mount({ 'user-id': freshUser() });
    await until(() => missionsOf(element).length > 0);
    const error = await element.record({ type: 'lesson-completed', lessonId: 'x', correct: 3 } as never).catch((e: unknown) => e);
    expect((error as Error).message).to.contain('total');
    expect(await element.record(lesson())).to.be.an('array');
  });

  it('goes on with the defaults when an attribute value is unusable, and says which one once', async () => {
    const errors: { code: string; message: string }[] = [];
    const element = mount({ 'user-id': freshUser(), count: '5', difficulty: 'hard', 'time-zone': 'Mars/Olympus_Mons' });
    element.addEventListener('missions-error', (event) => errors.push(event.detail));
    expect(await until(() => missionsOf(element).length === 3 && missionsOf(element))).to.have.length(3);
    await element.refresh();
    expect(errors.map((e) => e.code)).to.deep.equal(['invalid-input']);
    for (const name of ['count', 'difficulty', 'time-zone']) expect(errors[0]!.message).to.contain(`${name}:`);
    expect(element.shadowRoot!.querySelector('[part="error"]'), 'a host typo is not a storage fault: no degraded note').to.equal(null);
  });

  it('uses the time-zone attribute over a zone stored in the preferences', async () => {
    const user = freshUser();
    const client = connectMissions({ now: clock.now });
    // 09:00 UTC on 4 March: already 5 March at UTC+14, still 4 March in Berlin.
    await client.setPreferences(user, { timeZone: 'Pacific/Kiritimati' }, { timeZone: ZONE });
    client.close();
    const days: string[] = [];
    const element = mount({ 'user-id': user });
    element.addEventListener('missions-change', (event) => days.push(event.detail.day));
    await until(() => days.length > 0);
    expect(days[0]).to.equal('2025-03-04');
  });

  it('announces a mission completed by back-dated activity with the day it belongs to', async () => {
    const user = freshUser();
    const yesterday = new TestClock(Date.UTC(2025, 2, 3, 9));
    const early = mount({ 'user-id': user, count: '1' }, { now: yesterday.now });
    await until(() => missionsOf(early).length === 1);
    early.remove();
    const completions: MissionCompleteDetail[] = [];
    const element = mount({ 'user-id': user, count: '1' });
    element.addEventListener('mission-complete', (event) => completions.push(event.detail));
    await until(() => missionsOf(element).length === 1);
    // An offline lesson page syncs yesterday's work: everything dated yesterday noon.
    const at = Date.UTC(2025, 2, 3, 11);
    const completed = await element.record(everythingBatch().map((activity) => ({ ...activity, at })));
    expect(completed.length, 'yesterday’s mission completed').to.be.greaterThan(0);
    expect(completions.map((c) => c.day)).to.deep.equal(completed.map(() => '2025-03-03'));
  });

  it('picks up properties set before the element is defined', async () => {
    const user = freshUser();
    const element = document.createElement('daily-missions-late') as HTMLElement & { userId?: string; now?: () => number };
    element.userId = user;
    element.now = clock.now;
    element.setAttribute('time-zone', ZONE);
    document.body.append(element);
    const { DailyMissionsElement } = await import('../../src/daily-missions.js');
    customElements.define('daily-missions-late', class extends DailyMissionsElement {});
    await until(() => element.shadowRoot?.querySelectorAll('[part="mission"]').length === 3);
    element.remove();
  });

  it('shares one worker between two widgets, survives a DOM move and releases it when removed', async () => {
    const a = mount({ 'user-id': freshUser() });
    const b = mount({ 'user-id': freshUser() });
    await until(() => missionsOf(a).length > 0 && missionsOf(b).length > 0);
    expect(runningWorkerCount()).to.equal(1);
    const box = document.createElement('div');
    document.body.append(box);
    box.append(a); // a move: disconnect + connect
    await sleep(50);
    await a.record(lesson());
    expect(runningWorkerCount()).to.equal(1);
    a.remove();
    b.remove();
    box.remove();
    await until(() => runningWorkerCount() === 0, 4000);
  });

  it('can be loaded twice without throwing', async () => {
    const again = await import(`../../src/index.ts?copy=${Date.now()}`);
    expect(customElements.get('daily-missions')).to.exist;
    expect(again.TAG_NAME).to.equal('daily-missions');
  });

  it('renders catalog text only as text: script and markup payloads stay inert', async () => {
    const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    const hostile = structuredClone(catalog);
    for (const language of Object.keys(hostile.text)) {
      for (const id of Object.keys(hostile.text[language]!)) hostile.text[language]![id] = { title: `T ${payload}`, description: `D ${payload}` };
    }
    const element = mount({ 'user-id': freshUser() }, { catalog: hostile });
    const items = await until(() => missionsOf(element).length > 0 && missionsOf(element));
    await sleep(100);
    expect((window as unknown as { __xss?: number }).__xss).to.equal(undefined);
    expect(element.shadowRoot!.querySelector('img, script:not([type])')).to.equal(null);
    expect(items[0]!.querySelector('[part="mission-title"]')!.textContent).to.contain('<img src=x');
  });

  it('rolls over at local midnight while open', async () => {
    const local = new TestClock(Date.UTC(2025, 2, 4, 22, 59, 50)); // 23:59:50 in Berlin
    const element = mount({ 'user-id': freshUser() }, { now: local.now });
    const changes: MissionsChangeDetail[] = [];
    element.addEventListener('missions-change', (e) => changes.push(e.detail));
    await until(() => changes.length > 0);
    expect(changes[0]!.day).to.equal('2025-03-04');
    local.advance(20_000);
    window.dispatchEvent(new Event('focus'));
    await until(() => changes.some((c) => c.day === '2025-03-05'));
  });

  it('leaves no midnight timer behind when removed: a widget gone before midnight starts no worker then', async () => {
    // A clock running in real time, 1.5 s before midnight in Berlin.
    const midnight = Date.UTC(2025, 2, 4, 23);
    const offset = midnight - 1_500 - Date.now();
    const element = mount({ 'user-id': freshUser() }, { now: () => Date.now() + offset });
    await until(() => missionsOf(element).length > 0);
    element.remove();
    await until(() => runningWorkerCount() === 0, 4000);
    // Past the midnight the removed widget was waiting for (plus the timer's margin).
    await sleep(Math.max(0, midnight + 1_000 - (Date.now() + offset)));
    expect(runningWorkerCount(), 'no worker started for a widget that is no longer on the page').to.equal(0);
  });

  it('says when a new count or difficulty takes effect', async () => {
    const element = mount({ 'user-id': freshUser() });
    await until(() => missionsOf(element).length === 3);
    expect(element.shadowRoot!.querySelector('p.note')).to.equal(null);
    element.setAttribute('count', '1');
    const note = await until(() => element.shadowRoot!.querySelector('p.note'));
    expect(note.textContent).to.equal('Changes apply from tomorrow, or now if you swap your missions.');
    expect(missionsOf(element)).to.have.length(3, "today's missions stay until tomorrow or a swap");
    await element.reroll();
    await until(() => missionsOf(element).length === 1);
  });

  it('falls back to English for an unsupported language', async () => {
    const element = mount({ 'user-id': freshUser(), lang: 'xx-YY' });
    await until(() => missionsOf(element).length === 3);
    const card = element.shadowRoot!.querySelector('[part="card"]')!;
    expect(card.getAttribute('lang')).to.equal('en');
    expect(card.querySelector('h2')!.textContent).to.equal("Today's missions");
  });

  it('offers one reroll with a confirmation step', async () => {
    const element = mount({ 'user-id': freshUser() });
    await until(() => missionsOf(element).length === 3);
    const before = missionsOf(element).map((m) => m.dataset['templateId']);
    const button = element.shadowRoot!.querySelector<HTMLButtonElement>('button.reroll')!;
    button.click();
    const keep = await until(() => element.shadowRoot!.querySelector<HTMLButtonElement>('.confirm button.keep'));
    expect(element.shadowRoot!.activeElement).to.equal(keep);
    element.shadowRoot!.querySelector<HTMLButtonElement>('.confirm button.primary')!.click();
    await until(() => missionsOf(element).map((m) => m.dataset['templateId']).join() !== before.join());
    await until(() => element.shadowRoot!.querySelector('.note'));
    expect(element.shadowRoot!.querySelector('button.reroll')).to.equal(null);
  });
});
