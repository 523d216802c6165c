/**
 * The demo page (demo/index.html, what `npm start` serves) in a frame, driven like a
 * designer would: it loads without errors, its buttons record activity that moves a
 * mission, its controls reach the widget, time travel rolls the day over, presets
 * seed a history through the worker, and the event inspector, catalog browser,
 * simulator and celebration preview show what they claim. Each block uses its own
 * user (`?user=`), as the tests share the origin's IndexedDB.
 */
import { expect } from 'chai';
import { executeServerCommand } from '@web/test-runner-commands';
import { addDays, dayKey } from '../../worker/engine/index.js';
import { ENGINE_TIME_FACTOR, freshUser, until } from './support/helpers.js';
import { DEMO_SERVER_PATH, demoToken } from '../../demo/dev-sign-in.js';

/** The demo page in a frame, for one user, with its errors collected. */
class DemoPage {
  readonly errors: string[] = [];
  private constructor(readonly frame: HTMLIFrameElement) {}

  /**
   * `viewport`: the frame is exactly that size, at the top left of the browser's viewport,
   * so the demo sees that width in every engine and a screenshot shows what it shows.
   */
  static async open(user: string, { viewport }: { viewport?: { width: number; height: number } } = {}): Promise<DemoPage> {
    const frame = document.createElement('iframe');
    if (viewport) {
      frame.style.cssText = `position: fixed; inset-block-start: 0; inset-inline-start: 0; inline-size: ${viewport.width}px; block-size: ${viewport.height}px; border: 0; z-index: 1; background: #fff`;
    } else {
      frame.style.inlineSize = '1200px';
      frame.style.blockSize = '900px';
    }
    frame.src = new URL(`../../demo/index.html?user=${encodeURIComponent(user)}`, import.meta.url).href;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const page = new DemoPage(frame);
    const win = frame.contentWindow!;
    win.addEventListener('error', (e) => page.errors.push(e.message));
    win.addEventListener('unhandledrejection', (e) => page.errors.push(String((e as PromiseRejectionEvent).reason)));
    await until(() => page.missions().length > 0, 10_000, 'missions shown');
    return page;
  }

  get doc(): Document {
    return this.frame.contentDocument!;
  }
  $<T extends Element = HTMLElement>(selector: string): T {
    const found = this.doc.querySelector<T>(selector);
    if (!found) throw new Error(`${selector} not found`);
    return found;
  }
  $$(selector: string): Element[] {
    return [...this.doc.querySelectorAll(selector)];
  }
  /** The text of an element, '' while it is not rendered (so `until` can wait for it). */
  text(selector: string): string {
    return this.doc.querySelector(selector)?.textContent?.trim() ?? '';
  }
  widget() {
    return this.$<HTMLElement & { count?: number; difficulty?: string; celebration: string; noSound: boolean; noConfetti: boolean; timeZone: string; tracks?: string[]; server?: string }>('daily-missions');
  }
  shadow(): ShadowRoot {
    return this.widget().shadowRoot!;
  }
  missions(): HTMLElement[] {
    return [...(this.widget()?.shadowRoot?.querySelectorAll<HTMLElement>('[part="mission"]') ?? [])];
  }
  missionIds(): string[] {
    return this.missions().map((m) => m.dataset['templateId']!);
  }
  progressSum(): number {
    return [...this.shadow().querySelectorAll('[part="progress"]')].reduce((sum, bar) => sum + Number(bar.getAttribute('aria-valuenow')), 0);
  }
  click(selector: string): void {
    this.$<HTMLButtonElement>(selector).click();
  }
  /** Sets a control of the panel the way a person does: value, then a bubbling change event. */
  set(name: string, value: string | boolean, form = '#controls'): void {
    const control = this.$<HTMLInputElement | HTMLSelectElement>(`${form} [name="${name}"]`);
    if (typeof value === 'boolean') (control as HTMLInputElement).checked = value;
    else control.value = value;
    control.dispatchEvent(new Event('change', { bubbles: true }));
  }
  tick(family: string, checked: boolean, container = '#track-checks'): void {
    const box = this.$<HTMLInputElement>(`${container} input[value="${family}"]`);
    box.checked = checked;
    box.dispatchEvent(new Event('change', { bubbles: true }));
  }
  widgetDay(): string {
    return this.text('#widget-day');
  }
  /** Inspector entries, newest first: type and parsed detail. */
  events(): { type: string; detail: Record<string, unknown> }[] {
    return this.$$('#event-log li.event').map((li) => ({
      type: (li as HTMLElement).dataset['event']!,
      detail: JSON.parse(li.querySelector('.event-detail')!.textContent!) as Record<string, unknown>,
    }));
  }
  close(): void {
    this.frame.remove();
  }
}

describe('demo page', function () {
  this.timeout(30_000 * ENGINE_TIME_FACTOR);
  let page: DemoPage;
  before(async () => {
    page = await DemoPage.open(freshUser('demo'));
  });
  after(() => page.close());

  it('loads without errors: the widget shows missions and every section renders', async () => {
    expect(page.missions()).to.have.length(3);
    expect(page.shadow().querySelector('[part="error"]'), 'no degraded state').to.equal(null);
    await until(() => page.$$('#catalog-browser tbody tr').length === 22, 10_000, 'catalog rows');
    expect(page.$$('#simulation-result tbody tr')).to.have.length(30);
    expect(page.text('#sim-time')).to.match(/\d{2}:\d{2}:\d{2}/);
    expect(page.widgetDay()).to.match(/^\d{4}-\d{2}-\d{2}$/);
    expect(page.$$('#record-groups button[data-record]').length, 'a button per activity').to.be.at.least(20);
    expect(page.errors).to.deep.equal([]);
  });

  it('records a lesson from its buttons and a mission moves', async () => {
    const before = page.progressSum();
    for (const name of ['lesson-3', 'perfect', 'study', 'new-set']) {
      page.$('#log').textContent = '';
      page.click(`button[data-record="${name}"]`);
      await until(() => page.text('#log') !== '', 10_000, `log after ${name}`);
      expect(page.text('#log')).to.match(/recorded|completed/);
    }
    await until(() => page.progressSum() > before, 10_000, 'progress moved');
    expect(page.errors).to.deep.equal([]);
  });

  it('switches the widget language from the panel, Arabic right to left', async () => {
    page.set('language', 'ar');
    await until(() => page.shadow().querySelector('[part="card"]')?.getAttribute('dir') === 'rtl', 10_000, 'rtl card');
    expect(page.shadow().querySelector('[part="card"]')!.getAttribute('lang')).to.equal('ar');
    page.set('language', 'en');
    await until(() => page.shadow().querySelector('[part="card"]')?.getAttribute('dir') === 'ltr', 10_000, 'ltr card');
    expect(page.errors).to.deep.equal([]);
  });

  it('reaches the widget with every control: count, mix, celebration, sound, confetti, theme, zone, tracks', async () => {
    const widget = page.widget();
    // The zone first and back, while count and mix are the defaults: in another zone it
    // may already be another day, and that day would be assigned with the new settings.
    page.set('timeZone', 'Asia/Kathmandu');
    expect(widget.timeZone).to.equal('Asia/Kathmandu');
    await until(() => page.text('#sim-zone').startsWith('Asia/Kathmandu'), 5_000, 'zone shown');
    expect(page.text('#sim-time')).to.match(/GMT\+5:45/);
    page.set('timeZone', '');
    await until(() => page.text('#sim-zone').endsWith('(browser default)'), 5_000, 'browser zone shown');

    page.set('count', '2');
    page.set('difficulty', 'challenging');
    page.set('celebration', 'enthusiastic');
    page.set('sound', false);
    page.set('confetti', false);
    page.set('theme', 'dark');
    expect([widget.count, widget.difficulty, widget.celebration, widget.noSound, widget.noConfetti]).to.deep.equal([2, 'challenging', 'enthusiastic', true, true]);
    await until(() => widget.getAttribute('theme') === 'dark', 5_000, 'theme attribute reflected');
    expect(getComputedStyle(widget).getPropertyValue('--dm-background').trim(), 'dark palette').to.equal('#16202c');
    await until(() => [...page.shadow().querySelectorAll('.note')].some((note) => note.textContent?.includes('tomorrow')), 5_000, 'the widget says when the change applies');

    page.tick('exercises', true);
    expect(widget.tracks).to.deep.equal(['lessons', 'elements', 'exercises']);
    await until(() => page.$('#catalog-browser tr[data-template-id="use-cloze"]').dataset['assignable'] === 'true', 10_000, 'use-cloze assignable');
    page.tick('exercises', false);
    await until(() => /Not tracked/.test(page.text('#catalog-browser tr[data-template-id="use-cloze"] .reason')), 10_000, 'use-cloze untracked');

    page.set('count', '3');
    page.set('difficulty', 'balanced');
    page.set('celebration', 'normal');
    page.set('sound', true);
    page.set('confetti', true);
    page.set('theme', 'light');
    await until(() => widget.getAttribute('theme') === 'light', 5_000, 'light theme');
    expect(page.errors).to.deep.equal([]);
  });

  it('applies the three example themes through custom properties and parts only', async () => {
    const widget = page.widget();
    const accent = () => getComputedStyle(widget).getPropertyValue('--dm-accent').trim();
    const titleStyle = () => getComputedStyle(page.shadow().querySelector('[part="mission-title"]')!);
    const seen = new Set<string>();
    for (const look of ['ocean', 'paper', 'terminal']) {
      page.set('look', look);
      expect(widget.classList.contains(`look-${look}`)).to.equal(true);
      seen.add(accent());
    }
    expect(seen.size, 'each theme has its own accent').to.equal(3);
    expect(titleStyle().textTransform, 'terminal styles the mission-title part').to.equal('uppercase');
    page.set('look', 'paper');
    expect(titleStyle().fontStyle).to.equal('italic');
    page.set('look', '');
    expect(accent()).to.equal('#2f6fde');
  });

  it('lists every event the widget fires in the inspector, with its JSON detail', async () => {
    page.click('#clear-events');
    expect(page.events()).to.deep.equal([]);
    page.click('#complete-all');
    await until(() => page.events().some((e) => e.type === 'missions-all-complete'), 10_000, 'all-complete event');
    const events = page.events();
    const completions = events.filter((e) => e.type === 'mission-complete');
    expect(completions.length, 'one mission-complete per mission still open').to.be.at.least(1);
    for (const { detail } of completions) expect(detail).to.have.keys('day', 'mission', 'xp', 'userId', 'awardId', 'redelivery', 'durable');
    const all = events.find((e) => e.type === 'missions-all-complete')!.detail;
    expect(all['day']).to.equal(page.widgetDay());
    expect(all['xp']).to.be.a('number').and.greaterThan(0);
    expect(events.some((e) => e.type === 'missions-change' && (e.detail['missions'] as { completed: boolean }[]).every((m) => m.completed))).to.equal(true);
    expect(page.$('#event-log li.event details').hasAttribute('open'), 'newest entry open').to.equal(true);
    expect(page.text('#event-counts')).to.match(/missions-error 0/);
    await until(() => page.shadow().querySelectorAll('[data-completed="true"]').length === 3, 5_000, 'all shown done');
  });

  it('lists the 22 catalog templates with their text, and a reason for each one not assignable now', async () => {
    // The page reads the learner shortly after the widget's last change.
    await until(() => /^\d+ of 22 templates/.test(page.text('#catalog-summary')), 5_000, 'learner read');
    const rows = page.$$('#catalog-browser tbody tr') as HTMLElement[];
    expect(rows).to.have.length(22);
    const blocked = rows.filter((row) => row.dataset['assignable'] === 'false');
    expect(blocked.length).to.be.at.least(5);
    for (const row of blocked) expect(row.querySelector('.reason')?.textContent?.trim().length, row.dataset['templateId']).to.be.greaterThan(10);
    for (const id of ['complete-review-session', 'review-overdue', 'try-adaptive-lesson', 'use-cloze', 'use-all-types']) {
      expect(page.text(`#catalog-browser tr[data-template-id="${id}"] .reason`), id).to.match(/^Not tracked/);
    }
    expect(page.text('#catalog-browser tr[data-template-id="complete-1-lesson"] .icon-cell')).to.equal('book-open');

    const language = page.$<HTMLSelectElement>('#catalog-language');
    language.value = 'all';
    language.dispatchEvent(new Event('change'));
    const texts = page.$$('#catalog-browser tr[data-template-id="score-3-stars"] .template-text');
    expect(texts).to.have.length(9);
    expect(texts.find((t) => t.getAttribute('lang') === 'ar')!.getAttribute('dir')).to.equal('rtl');
    language.value = 'ja';
    language.dispatchEvent(new Event('change'));
    expect(page.$('#catalog-browser tr[data-template-id="score-3-stars"] .template-text').getAttribute('lang')).to.equal('ja');
  });

  it('simulates 30 days and charts how often each template came up', async () => {
    const form = '#simulator-form';
    page.set('profile', 'veteran', form);
    page.tick('exercises', true, '#simulator-tracks');
    await until(() => page.text('#simulation-summary').includes('veteran') && page.text('#simulation-summary').includes('exercises'), 5_000, 'new simulation');
    const days = page.$$('#simulation-result tbody tr');
    expect(days).to.have.length(30);
    const chips = page.$$('#simulation-result .chip').length;
    expect(chips).to.equal(90);
    const bars = page.$$('#simulation-result .usage-chart .bar-row');
    expect(bars).to.have.length(22);
    const counted = page.$$('#simulation-result .usage-chart .bar-value').map((t) => Number(/^(\d+) day/.exec(t.textContent ?? '')?.[1] ?? 0));
    expect(counted.reduce((a, b) => a + b, 0), 'bars add up to the table').to.equal(chips);
    expect(page.$$('#simulation-result tbody td:nth-child(2)').every((td) => td.textContent === 'veteran')).to.equal(true);
    expect(page.text('#simulation-result .usage-chart .bar-row[data-template-id="review-overdue"] .bar-value')).to.equal('never: family not tracked');
  });

  it('is accessible: no axe-core violations (WCAG 2.x A/AA, best practices) on the whole page', async () => {
    // axe-core is a UMD bundle: loaded into the frame with a classic script, used through its window.
    const win = page.frame.contentWindow as Window & { axe?: { run(context: Document, options: object): Promise<{ violations: { id: string; help: string; nodes: { target: unknown }[] }[] }> } };
    if (!win.axe) {
      const script = page.doc.createElement('script');
      script.src = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).href;
      const loaded = new Promise((resolve, reject) => Object.assign(script, { onload: resolve, onerror: reject }));
      page.doc.head.append(script);
      await loaded;
    }
    await until(() => /^\d+ of 22 templates/.test(page.text('#catalog-summary')), 5_000, 'learner read');
    const results = await win.axe!.run(page.doc, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    const described = results.violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
    expect(described).to.deep.equal([]);
  });

  it('previews the chime, the fanfare and the confetti on demand', async () => {
    page.click('button[data-preview="chime"]');
    await until(() => page.text('#preview-status') !== '', 5_000, 'chime status');
    expect(page.text('#preview-status')).to.match(/^(Played the mission chime \(normal\)\.|No sound yet: browsers allow audio only after a click)/);
    page.click('button[data-preview="confetti"]');
    await until(() => page.doc.querySelector('#celebration-stage canvas.confetti'), 5_000, 'confetti canvas');
    await until(() => page.text('#preview-status') === 'Confetti burst (normal).', 15_000 * ENGINE_TIME_FACTOR, 'confetti done');
    expect(page.doc.querySelector('#celebration-stage canvas'), 'canvas removed after the burst').to.equal(null);
    expect(page.errors).to.deep.equal([]);
  });
});

describe('demo page: time travel', function () {
  this.timeout(40_000);
  let page: DemoPage;
  before(async () => {
    page = await DemoPage.open(freshUser('travel'));
    page.set('timeZone', 'Asia/Tokyo');
    await until(() => page.text('#sim-zone') === 'Asia/Tokyo', 5_000, 'zone');
    // The widget reloads for the new zone, where it may already be tomorrow.
    const tokyoToday = dayKey(Date.now(), 'Asia/Tokyo');
    await until(() => page.widgetDay() === tokyoToday && page.missions().length === 3, 10_000, 'Tokyo day shown');
  });
  after(() => page.close());

  it('just before midnight, waiting rolls the widget over to the next day with new missions', async () => {
    const day = page.widgetDay();
    const before = page.missionIds();
    page.click('button[data-travel="midnight"]');
    await until(() => /23:59:5\d/.test(page.text('#sim-time')), 5_000, 'clock at 23:59:5x');
    expect(page.text('#travel-note')).to.match(/roll over to a new day in 10 seconds/);
    expect(page.widgetDay(), 'still the same day').to.equal(day);
    await until(() => page.widgetDay() === addDays(day, 1), 15_000, 'rollover');
    await until(() => page.missions().length === 3 && page.missionIds().join() !== before.join(), 5_000, 'new missions');
    expect(page.missionIds().filter((id) => before.includes(id)), 'no template two days running').to.deep.equal([]);
    expect(page.events().find((e) => e.type === 'missions-change')!.detail['day'], 'the inspector saw the new day').to.equal(addDays(day, 1));
    await until(() => /00:00:\d\d/.test(page.text('#sim-time')), 2_000, 'clock past midnight');
  });

  it('"Tomorrow" shows the next day at 09:00 with new missions', async () => {
    const day = page.widgetDay();
    const before = page.missionIds();
    page.click('button[data-travel="tomorrow"]');
    await until(() => page.widgetDay() === addDays(day, 1), 10_000, 'next day');
    expect(page.text('#sim-time')).to.match(/09:00:\d\d/);
    await until(() => page.missions().length === 3, 5_000, 'missions');
    expect(page.missionIds().filter((id) => before.includes(id))).to.deep.equal([]);
  });

  it('"Next weekend day" lands on a Saturday or Sunday', async () => {
    page.click('button[data-travel="weekend"]');
    await until(() => /^(Sat|Sun),/.test(page.text('#sim-time')), 10_000, 'weekend');
    await until(() => /^(Sat|Sun)/.test(new Date(`${page.widgetDay()}T12:00:00Z`).toUTCString()), 10_000, 'widget on the weekend');
  });

  it('jumps to a clock-change day in a zone that has one, and says so when the zone has none', async () => {
    page.click('button[data-travel="clock-change"]');
    expect(page.text('#travel-note')).to.match(/^Asia\/Tokyo has no clock change/);
    page.set('timeZone', 'Europe/Berlin');
    page.click('button[data-travel="clock-change"]');
    expect(page.text('#travel-note')).to.match(/lasts (23|25) hours in Europe\/Berlin: at (02|03):00 the clocks go to (03|02):00/);
    await until(() => /(01|02):59:\d\d GMT\+(1|2)/.test(page.text('#sim-time')), 5_000, 'a minute before the change');
    const [, noteDay] = /^(\d{4}-\d{2}-\d{2})/.exec(page.text('#travel-note'))!;
    await until(() => page.widgetDay() === noteDay, 10_000, 'widget on the clock-change day');
  });

  it('"Back to now" returns to real time', async () => {
    page.click('button[data-travel="now"]');
    await until(() => page.text('#sim-offset') === 'real time', 5_000, 'real time');
    expect(page.errors).to.deep.equal([]);
  });
});

describe('demo page: learner presets', function () {
  this.timeout(60_000);
  let page: DemoPage;
  before(async () => {
    page = await DemoPage.open(freshUser('preset'));
  });
  after(() => page.close());

  const seed = async (preset: string) => {
    delete page.$('#seed-status').dataset['done'];
    const started = performance.now();
    page.click(`button[data-preset="${preset}"]`);
    return { started, done: until(() => page.$('#seed-status').dataset['done'] === preset, 30_000, `${preset} seeded`) };
  };
  /** A read-out of the page that may not be rendered yet ('' until it is). */
  const fact = (selector: string) => page.doc.querySelector(selector)?.textContent?.trim() ?? '';
  const streakInWidget = () => Number(/(\d+)/.exec(page.shadow().querySelector('.streak')?.textContent ?? '')?.[1] ?? 0);

  it('veteran: months of history through the worker, quickly, with a mission streak in the widget', async () => {
    const { started, done } = await seed('veteran');
    expect(page.$$('#controls > fieldset').every((f) => (f as HTMLFieldSetElement).disabled), 'controls disabled while seeding').to.equal(true);
    expect(page.$('#seeding-note').hidden).to.equal(false);
    await done;
    const seconds = (performance.now() - started) / 1000;
    expect(seconds, 'seeding takes a few seconds at most').to.be.below(8 * ENGINE_TIME_FACTOR);
    expect(page.text('#seed-status')).to.match(/"Veteran": \d{2,3} days of history/);
    expect(page.$$('#controls > fieldset').some((f) => (f as HTMLFieldSetElement).disabled), 'controls enabled again').to.equal(false);
    await until(() => page.missions().length === 3 && streakInWidget() > 0, 10_000, 'streak shown');
    expect(streakInWidget()).to.be.at.least(30);
    await until(() => fact('#learner-tier') === 'veteran', 10_000, 'veteran tier');
    expect(Number(page.$('#learner-mission-streak').dataset['days'])).to.equal(streakInWidget());
    expect(page.$$('#catalog-browser tr[data-template-id^="master-"]').some((r) => (r as HTMLElement).dataset['assignable'] === 'true' || /On today/.test(r.textContent ?? ''))).to.equal(true);
  });

  it('active with mistakes: an active learner with open mistakes, so review and mastery missions open', async () => {
    const { done } = await seed('active');
    await done;
    await until(() => fact('#learner-tier') === 'active', 10_000, 'active tier');
    expect(Number(fact('#learner-open-mistakes'))).to.be.greaterThan(0);
    expect(Number(fact('#learner-open-mistakes')), 'still under the veteran threshold').to.be.below(50);
    for (const id of ['review-5-elements', 'master-1-element']) {
      expect(page.text(`#catalog-browser tr[data-template-id="${id}"] .status-cell`), id).to.not.match(/Locked/);
    }
    expect(page.text('#catalog-browser tr[data-template-id="use-cloze"] .reason')).to.match(/^Not tracked/);
  });

  it('new learner: the history is cleared and only learning and exploration missions come', async () => {
    const { done } = await seed('new');
    await done;
    await until(() => fact('#learner-tier') === 'new', 10_000, 'new tier');
    await until(() => page.missions().length === 3, 10_000, 'missions');
    const categories = page.missions().map((m) => m.dataset['category']);
    expect(categories.every((c) => c === 'learning' || c === 'exploration'), categories.join()).to.equal(true);
    expect(streakInWidget()).to.equal(0);
    expect(page.text('#catalog-browser tr[data-template-id="keep-streak"] .reason')).to.match(/^Locked for a new learner/);
    expect(page.errors).to.deep.equal([]);
  });
});

/**
 * Server mode as the demo runs it under `npm start`: a real `daily-missions serve` process on
 * the embedded database with the demo's sign-in (test/support/missions-server-command.mjs),
 * reached on the page's own origin at DEMO_SERVER_PATH. The first widget and the second
 * device are two widgets of one page for one learner, each with its own cache and outbox.
 */
describe('demo page: server mode and the second device', function () {
  this.timeout(60_000 * ENGINE_TIME_FACTOR);
  const user = freshUser('demo-server');
  let page: DemoPage;
  const missionsServer = (payload: Record<string, unknown>) => executeServerCommand('missions-server', payload);
  /** What the server holds for the demo's learner, asked as the demo asks (its token). */
  const fromServer = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${DEMO_SERVER_PATH}${path}`, { headers: { authorization: `Bearer ${demoToken(user)}` } });
    expect(response.status, `${path} on the demo's server`).to.equal(200);
    return (await response.json()) as T;
  };
  const secondDevice = () => page.$<HTMLElement & { disabled: boolean; server?: string }>('#second-device daily-missions');
  /** Template id, progress and completion of a widget's missions, as one string to compare. */
  const shown = (widget: Element) =>
    [...(widget.shadowRoot?.querySelectorAll<HTMLElement>('[part="mission"]') ?? [])]
      .map((m) => `${m.dataset['templateId']}:${m.querySelector('[part="progress"]')!.getAttribute('aria-valuenow')}:${m.dataset['completed']}`)
      .join(' ');

  before(async function () {
    this.timeout(150_000);
    await missionsServer({ action: 'start', devHeader: true });
    const deadline = Date.now() + 120_000;
    while (!(await fetch(`${DEMO_SERVER_PATH}/v1/health`).catch(() => null))?.ok) {
      if (Date.now() > deadline) throw new Error('the missions server did not answer within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    page = await DemoPage.open(user);
  });
  after(async function () {
    this.timeout(30_000);
    page?.close();
    await missionsServer({ action: 'shutdown' });
  });

  it('the switch to server mode shows the server’s missions in the widget and in a second device for the same learner', async () => {
    expect(page.$('#second-device-panel').hidden, 'no second device in local mode').to.equal(true);
    page.set('mode', 'server');
    expect(page.widget().server).to.equal(DEMO_SERVER_PATH);
    expect(page.$('#second-device-panel').hidden).to.equal(false);
    const today = await fromServer<{ missions: { templateId: string }[] }>('/v1/today');
    const assigned = today.missions.map((m) => m.templateId).join(' ');
    const ids = (widget: Element) => shown(widget).replace(/:\S+/g, '');
    await until(() => ids(page.widget()) === assigned, 20_000, 'the server’s missions in the widget');
    await until(() => ids(secondDevice()) === assigned, 20_000, 'the same missions on the second device');
    expect(page.shadow().querySelector('[part="error"]'), 'no degraded state').to.equal(null);
    expect(page.errors).to.deep.equal([]);
  });

  it('a lesson recorded on the first device is stored on the server and shows on the second', async () => {
    const before = shown(page.widget());
    page.$('#log').textContent = '';
    page.click('button[data-record="perfect"]');
    await until(() => page.text('#log') !== '', 20_000, 'the log after the lesson');
    await until(() => shown(page.widget()) !== before, 20_000, 'progress on the first device');
    await until(() => shown(secondDevice()) === shown(page.widget()), 20_000, 'the same progress on the second device');
    const backup = await fromServer<{ profile: { learner: { lessonsCompleted: number } } | null }>('/v1/export');
    expect(backup.profile?.learner.lessonsCompleted, 'stored on the server').to.equal(1);
    expect(page.errors).to.deep.equal([]);
  });

  it('the switch back to local mode hides the second device and shows this browser’s missions again', async () => {
    const inServerMode = shown(page.widget());
    page.set('mode', 'local');
    expect(page.widget().server).to.equal(undefined);
    expect(page.$('#second-device-panel').hidden).to.equal(true);
    expect(secondDevice().disabled, 'the second device stops asking the server').to.equal(true);
    // This browser's learner recorded nothing in local mode: no progress on any mission.
    await until(() => page.missions().length > 0 && shown(page.widget()) !== inServerMode, 20_000, 'the local missions');
    expect(page.progressSum()).to.equal(0);
    expect(page.errors).to.deep.equal([]);
  });
});

/** The browser's viewport, as near that size as the engine allows (test/support/viewport-command.mjs). */
const setViewport = (size: { width: number; height: number }) => executeServerCommand('resize-viewport', size);

/** A box's edges, rounded outwards by half a pixel so sub-pixel layout does not count as overflow. */
const edges = (element: Element) => {
  const box = element.getBoundingClientRect();
  return { left: box.left + 0.5, right: box.right - 0.5, top: box.top + 0.5, bottom: box.bottom - 0.5 };
};

/** `element` lies inside `outer` horizontally. */
function insideHorizontally(element: Element, outer: Element | { left: number; right: number }, what: string): void {
  const inner = edges(element);
  // Not `instanceof Element`: the page's elements come from the frame's realm.
  const box = 'getBoundingClientRect' in outer ? outer.getBoundingClientRect() : outer;
  expect(inner.left, `${what}: left edge`).to.be.at.least(box.left);
  expect(inner.right, `${what}: right edge`).to.be.at.most(box.right);
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  describe(`demo page layout at ${viewport.width} px`, function () {
    this.timeout(60_000);
    let page: DemoPage;
    const name = (what: string) => `demo-${viewport.width}-${what}`;
    const screenshot = (what: string) => executeServerCommand('save-screenshot', { name: name(what) });
    const win = () => page.frame.contentWindow!;
    const scrollTo = (selector: string) => win().scrollTo(0, page.$(selector).getBoundingClientRect().top + win().scrollY - 8);
    /** What the frame shows, as a box. */
    const view = () => ({ left: 0, right: win().innerWidth, top: 0, bottom: win().innerHeight });

    before(async () => {
      await setViewport(viewport);
      page = await DemoPage.open(freshUser(`layout-${viewport.width}`), { viewport });
      await until(() => page.$$('#catalog-browser tbody tr').length === 22 && /^\d+ of 22 templates/.test(page.text('#catalog-summary')), 10_000, 'catalog rendered');
      await until(() => page.$$('#simulation-result tbody tr').length === 30, 10_000, 'simulation rendered');
    });
    after(async () => {
      page.close();
      await setViewport({ width: 800, height: 600 });
    });

    it('the page does not scroll sideways, and no control, table or chart reaches past the screen', async () => {
      expect(win().innerWidth).to.equal(viewport.width);
      expect(page.doc.documentElement.scrollWidth, 'page width').to.be.at.most(win().innerWidth);
      const boxes = page.$$('main input, main select, main button, main table, main .usage-chart, main .table-scroll, main .chart-scroll, main fieldset, main figure');
      expect(boxes.length).to.be.greaterThan(40);
      for (const box of boxes) {
        if (box.closest('.table-scroll') && box.tagName !== 'TABLE') continue; // judged through its table
        insideHorizontally(box, view(), `${box.tagName.toLowerCase()}${box.id ? `#${box.id}` : ''}${(box as HTMLInputElement).name ? `[name=${(box as HTMLInputElement).name}]` : ''}`);
      }
      for (const scroller of page.$$('main .table-scroll, main .chart-scroll')) {
        expect(scroller.scrollWidth, `${scroller.getAttribute('aria-label') ?? scroller.className} needs no sideways scrolling`).to.be.at.most(scroller.clientWidth);
      }
      scrollTo('#simulator');
      await screenshot('simulator');
      scrollTo('#simulation-days-title');
      await screenshot('simulator-days');
      scrollTo('#simulation-chart-title');
      await screenshot('simulator-chart');
    });

    it('shows the whole catalog table: every column, the last one included, inside its box', async () => {
      const table = page.$('#catalog-browser table');
      const box = table.closest('.table-scroll') ?? page.$('#catalog-browser');
      insideHorizontally(table, box, 'catalog table');
      const cells = [...table.querySelectorAll('tbody tr:first-child > *')];
      const last = cells.at(-1)!;
      expect(last.textContent!.trim().length, 'the last column has content').to.be.greaterThan(0);
      for (const cell of cells) insideHorizontally(cell, box, `catalog cell ${cells.indexOf(cell) + 1} of ${cells.length}`);
      scrollTo('#catalog');
      await screenshot('catalog');
    });

    it('keys the day pills to a legend of their difficulty colours, and the chart beside to one of its category colours', async () => {
      const legend = page.$('#simulation-result .difficulty-legend');
      const keys = new Map([...legend.querySelectorAll<HTMLElement>('[data-difficulty]')].map((key) => [key.dataset['difficulty']!, getComputedStyle(key).color]));
      expect([...keys.keys()]).to.deep.equal(['easy', 'medium', 'hard']);
      expect(new Set(keys.values()).size, 'three different colours').to.equal(3);
      const table = page.$('#simulation-result .simulation-table');
      expect(legend.closest('section'), 'the legend sits with the day table').to.equal(table.closest('section'));
      const pills = page.$$('#simulation-result .chip[data-difficulty]') as HTMLElement[];
      expect(pills.length).to.be.greaterThan(30);
      for (const pill of pills) expect(getComputedStyle(pill).color, pill.dataset['templateId']).to.equal(keys.get(pill.dataset['difficulty']!));
      insideHorizontally(legend, view(), 'legend');

      const categoryKeys = new Map(page.$$('#simulation-result .category-legend [data-category]').map((key) => [(key as HTMLElement).dataset['category']!, getComputedStyle(key, '::before').backgroundColor]));
      expect([...categoryKeys.keys()]).to.deep.equal(['learning', 'review', 'mastery', 'exploration', 'streak']);
      const bars = page.$$('#simulation-result .usage-chart .bar') as HTMLElement[];
      expect(bars).to.have.length(22);
      for (const bar of bars) expect(getComputedStyle(bar).backgroundColor).to.equal(categoryKeys.get(bar.dataset['category']!));
    });

    it('"Complete every mission shown" is on screen together with the whole widget, and the celebration plays there', async () => {
      const button = page.$('#complete-all');
      const widget = page.widget();
      // Where the page's "Skip to the widget" link takes a person: the playground at the top of the screen.
      scrollTo('#playground');
      for (const [element, what] of [[button, 'button'], [widget, 'widget']] as const) {
        const box = edges(element);
        expect(box.top, `${what} top`).to.be.at.least(0);
        expect(box.bottom, `${what} bottom`).to.be.at.most(win().innerHeight);
        insideHorizontally(element, view(), what);
      }
      await screenshot('playground');
      button.click();
      await until(() => page.shadow().querySelectorAll('[data-completed="true"]').length === 3, 10_000, 'all done');
      await until(() => page.events().some((e) => e.type === 'missions-all-complete'), 5_000, 'all-complete fired');
      const after = edges(widget);
      expect(after.top, 'widget still on screen').to.be.at.least(0);
      expect(after.bottom).to.be.at.most(win().innerHeight);
      await new Promise((resolve) => setTimeout(resolve, 400)); // confetti in flight
      await screenshot('celebration');
      expect(page.errors).to.deep.equal([]);
    });
  });
}
