/**
 * Accessibility of <daily-missions> in real Chromium: axe-core (shadow DOM, colour
 * contrast included) in every state, localized headings, keyboard operation with a
 * visible focus ring, right-to-left layout and reflow at narrow widths.
 */
import { expect } from 'chai';
import { sendKeys } from '@web/test-runner-commands';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import type { DailyMissionsElement } from '../../src/index.js';
import type { Locale } from '../../src/i18n/types.js';
import en from '../../src/i18n/locales/en.js';
import de from '../../src/i18n/locales/de.js';
import es from '../../src/i18n/locales/es.js';
import fr from '../../src/i18n/locales/fr.js';
import el from '../../src/i18n/locales/el.js';
import pt from '../../src/i18n/locales/pt.js';
import tr from '../../src/i18n/locales/tr.js';
import ja from '../../src/i18n/locales/ja.js';
import ar from '../../src/i18n/locales/ar.js';
import { freshUser, sleep } from './support/helpers.js';
import { fixtureUrl, uniqueChannel } from './support/faults.js';
import { cleanUp, everythingBatch, missionsOf, missionsShown, mount, root, until } from './support/element-helpers.js';

const LOCALES: Locale[] = [en, de, es, fr, el, pt, tr, ja, ar];

// ---- axe-core -------------------------------------------------------------------------

interface AxeApi {
  run(context: Element, options: RunOptions): Promise<AxeResults>;
}

/**
 * axe-core ships a UMD bundle (`main: axe.js`), not an ES module, and this dev server only
 * converts seedrandom from CommonJS; so the browser build is loaded with a classic
 * <script> and used through `window.axe`.
 */
let axePromise: Promise<AxeApi> | null = null;
function loadAxe(): Promise<AxeApi> {
  axePromise ??= new Promise<AxeApi>((resolve, reject) => {
    const existing = (window as unknown as { axe?: AxeApi }).axe;
    if (existing) return resolve(existing);
    const script = document.createElement('script');
    script.src = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).href;
    script.onload = () => resolve((window as unknown as { axe: AxeApi }).axe);
    script.onerror = () => reject(new Error('axe-core could not be loaded'));
    document.head.append(script);
  });
  return axePromise;
}

/** WCAG 2.0–2.2 A/AA (colour contrast included) plus axe's best practices. */
const AXE_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  // Page-level rules: the widget is a fragment of a host page, not a page.
  rules: { region: { enabled: false }, 'page-has-heading-one': { enabled: false }, 'landmark-one-main': { enabled: false } },
  resultTypes: ['violations'],
};

function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
}

async function expectNoAxeViolations(element: DailyMissionsElement, state: string): Promise<void> {
  const axe = await loadAxe();
  const results = await axe.run(element, AXE_OPTIONS);
  expect(results.violations, `axe violations in state "${state}":\n${describeViolations(results.violations)}`).to.deep.equal([]);
}

afterEach(() => {
  cleanUp();
  document.documentElement.style.fontSize = '';
});

const heading = (element: DailyMissionsElement) => root(element).querySelector('h2')?.textContent?.trim() ?? '';
const card = (element: DailyMissionsElement) => root(element).querySelector<HTMLElement>('[part="card"]')!;



describe('accessibility: axe-core in every state', () => {
  it('loading (the worker has not answered yet)', async () => {
    // A worker that starts but never answers keeps the widget in its loading state.
    const element = mount({ 'user-id': freshUser('a11y-loading') }, { workerUrl: fixtureUrl('worker-never-answers', uniqueChannel()) });
    const section = await until(() => root(element)?.querySelector('[part="card"][aria-busy="true"]'), 4000, 'the loading card');
    await until(() => section.textContent!.trim() === en.loading, 4000, 'the loading text');
    await expectNoAxeViolations(element, 'loading');
    expect(missionsOf(element)).to.have.length(0);
  });

  it('sees inside the shadow root (control: a host colour with poor contrast is reported)', async () => {
    const element = mount({ 'user-id': freshUser('a11y-control') });
    element.style.setProperty('--dm-muted', '#e4e7eb');
    await missionsShown(element, 3);
    const axe = await loadAxe();
    const results = await axe.run(element, AXE_OPTIONS);
    expect(results.violations.map((v) => v.id)).to.include('color-contrast');
  });

  it('missions', async () => {
    const element = mount({ 'user-id': freshUser('a11y') });
    await missionsShown(element, 3);
    await expectNoAxeViolations(element, 'missions');
  });

  it('all done', async () => {
    const element = mount({ 'user-id': freshUser('a11y-done'), 'no-confetti': '', 'no-sound': '' });
    await missionsShown(element, 3);
    await element.record(everythingBatch());
    await until(() => root(element).querySelector('.all-done'), 8000, 'the all-done line');
    expect(missionsOf(element).every((m) => m.dataset['completed'] === 'true')).to.equal(true);
    await expectNoAxeViolations(element, 'all done');
  });

  it('degraded (no IndexedDB: missions in memory and the error note)', async () => {
    // Without a worker the page runs the engine on IndexedDB itself, durably, and shows no
    // note; the note is for data kept in memory only.
    const element = mount({ 'user-id': freshUser('a11y-degraded') }, { workerUrl: fixtureUrl('worker-no-indexeddb', uniqueChannel()) });
    await missionsShown(element, 3);
    await until(() => root(element).querySelector('[part="error"]'), 8000, 'the degraded note');
    expect(root(element).querySelector('[part="error"]')!.textContent!.trim()).to.equal(en.degraded);
    await expectNoAxeViolations(element, 'degraded');
  });

  it('right-to-left (lang="ar")', async () => {
    const element = mount({ 'user-id': freshUser('a11y-ar'), lang: 'ar' });
    await missionsShown(element, 3);
    await until(() => heading(element) === ar.title, 4000, 'the Arabic title');
    await expectNoAxeViolations(element, 'rtl');
  });

  it('dark theme', async () => {
    const element = mount({ 'user-id': freshUser('a11y-dark'), theme: 'dark' });
    await missionsShown(element, 3);
    expect(getComputedStyle(card(element)).backgroundColor).to.equal('rgb(22, 32, 44)'); // --dm-background (dark)
    await expectNoAxeViolations(element, 'dark');
  });

  it('dark theme, all done', async () => {
    const element = mount({ 'user-id': freshUser('a11y-dark-done'), theme: 'dark', 'no-confetti': '', 'no-sound': '' });
    await missionsShown(element, 3);
    await element.record(everythingBatch());
    await until(() => root(element).querySelector('.all-done'), 8000, 'the all-done line');
    await expectNoAxeViolations(element, 'dark, all done');
  });

  it('reroll confirmation open', async () => {
    const element = mount({ 'user-id': freshUser('a11y-confirm') });
    await missionsShown(element, 3);
    root(element).querySelector<HTMLButtonElement>('button.reroll')!.click();
    await until(() => root(element).querySelector('.confirm button.keep'), 4000, 'the confirmation');
    await expectNoAxeViolations(element, 'reroll confirmation');
  });

  it('renders the localized title in every language', async () => {
    const elements = LOCALES.map((locale) => mount({ 'user-id': freshUser(`a11y-${locale.code}`), lang: locale.code }));
    await Promise.all(elements.map((element) => missionsShown(element, 3)));
    LOCALES.forEach((locale, i) => {
      const element = elements[i]!;
      expect(heading(element), `title in ${locale.code}`).to.equal(locale.title);
      expect(card(element).getAttribute('lang')).to.equal(locale.code);
      expect(card(element).getAttribute('dir')).to.equal(locale.dir);
    });
  });
});

describe('accessibility: keyboard', () => {
  /** Tabs through the page until `done` holds; returns the shadow-root elements focused on the way. */
  async function tabUntil(element: DailyMissionsElement, done: (focused: Element | null) => boolean, max = 12): Promise<Element[]> {
    const visited: Element[] = [];
    for (let i = 0; i < max; i += 1) {
      await sendKeys({ press: 'Tab' });
      const focused = root(element).activeElement;
      if (focused) visited.push(focused);
      if (done(focused)) return visited;
    }
    throw new Error(`not reached by Tab; focused on the way: ${visited.map((e) => e.outerHTML.slice(0, 60)).join(', ')}`);
  }

  /** Mounts a widget, tabs to the reroll button and opens the confirmation with Enter. */
  async function openConfirmationByKeyboard(label: string) {
    const element = mount({ 'user-id': freshUser(label) });
    await missionsShown(element, 3);
    const before = missionsOf(element).map((m) => m.dataset['templateId']).join();
    (document.activeElement as HTMLElement | null)?.blur();
    await tabUntil(element, (focused) => focused?.matches('button.reroll') === true);
    await sendKeys({ press: 'Enter' });
    const keep = await until(() => root(element).querySelector<HTMLButtonElement>('.confirm button.keep'), 4000, 'the confirmation');
    await until(() => root(element).activeElement === keep, 2000, 'focus on the keep button');
    return { element, before, keep };
  }

  function expectVisibleFocus(target: Element, what: string): void {
    const style = getComputedStyle(target);
    expect(target.matches(':focus-visible'), `${what} matches :focus-visible`).to.equal(true);
    expect(style.outlineStyle, `${what} outline style`).not.to.equal('none');
    expect(parseFloat(style.outlineWidth), `${what} outline width`).to.be.greaterThan(0);
  }

  it('reaches "What counts?" and the reroll button by Tab, with a visible focus ring', async () => {
    const element = mount({ 'user-id': freshUser('kbd') });
    await missionsShown(element, 3);
    (document.activeElement as HTMLElement | null)?.blur();
    const visited = await tabUntil(element, (focused) => focused?.matches('button.reroll') === true);
    const summary = visited.find((e) => e.tagName === 'SUMMARY');
    expect(summary, '"What counts?" summary reached by Tab').to.exist;
    expect(summary!.textContent!.trim()).to.equal(en.whyToggle);
    expect(document.activeElement).to.equal(element);
    expectVisibleFocus(root(element).activeElement!, 'the reroll button');
  });

  it('shows a visible focus ring on the "What counts?" summary', async () => {
    const element = mount({ 'user-id': freshUser('kbd-summary') });
    await missionsShown(element, 3);
    (document.activeElement as HTMLElement | null)?.blur();
    await tabUntil(element, (focused) => focused?.tagName === 'SUMMARY');
    const summary = root(element).activeElement!;
    expectVisibleFocus(summary, 'the summary');
    await sendKeys({ press: 'Enter' });
    await until(() => (summary.parentElement as HTMLDetailsElement).open, 2000, 'the details opened by Enter');
  });

  it('Enter on reroll opens the confirmation with focus on "keep"; "keep" closes it and focus returns', async () => {
    const { element, before, keep } = await openConfirmationByKeyboard('kbd-confirm');
    expect(keep.textContent!.trim()).to.equal(en.rerollNo);
    expectVisibleFocus(keep, 'the keep button');
    const group = root(element).querySelector('.confirm')!;
    expect(group.getAttribute('role')).to.equal('group');
    expect(group.getAttribute('aria-label')).to.equal(en.reroll);

    await sendKeys({ press: 'Enter' });
    await until(() => root(element).querySelector('.confirm') === null, 2000, 'the confirmation closed');
    const reroll = await until(() => root(element).querySelector<HTMLButtonElement>('button.reroll'), 2000, 'the reroll button back');
    await until(() => root(element).activeElement === reroll, 2000, 'focus back on the reroll button');
    expect(missionsOf(element).map((m) => m.dataset['templateId']).join(), '"keep" kept the missions').to.equal(before);
  });

  it('Escape closes the reroll confirmation and returns focus to the reroll button', async () => {
    const { element, before } = await openConfirmationByKeyboard('kbd-escape');
    await sendKeys({ press: 'Escape' });
    await until(() => root(element).querySelector('.confirm') === null, 2000, 'the confirmation closed by Escape');
    const reroll = await until(() => root(element).querySelector<HTMLButtonElement>('button.reroll'), 2000, 'the reroll button back');
    await until(() => root(element).activeElement === reroll, 2000, 'focus back on the reroll button');
    expect(missionsOf(element).map((m) => m.dataset['templateId']).join(), 'Escape kept the missions').to.equal(before);
  });
});

describe('accessibility: right-to-left layout', () => {
  it('lang="ar": the card is dir=rtl and each icon is to the right of its title', async () => {
    const element = mount({ 'user-id': freshUser('rtl'), lang: 'ar' });
    await missionsShown(element, 3);
    await until(() => card(element).getAttribute('dir') === 'rtl', 4000, 'dir=rtl');
    expect(card(element).getAttribute('lang')).to.equal('ar');
    for (const mission of missionsOf(element)) {
      const icon = mission.querySelector('.icon')!.getBoundingClientRect();
      const title = mission.querySelector('[part="mission-title"]')!.getBoundingClientRect();
      expect(icon.left, 'icon right of the title start').to.be.greaterThan(title.left);
      expect(icon.left, 'icon entirely right of the title').to.be.at.least(title.right - 1);
    }
  });

  it('lang="en": the icon is to the left of its title (control)', async () => {
    const element = mount({ 'user-id': freshUser('ltr') });
    await missionsShown(element, 3);
    expect(card(element).getAttribute('dir')).to.equal('ltr');
    for (const mission of missionsOf(element)) {
      const icon = mission.querySelector('.icon')!.getBoundingClientRect();
      const title = mission.querySelector('[part="mission-title"]')!.getBoundingClientRect();
      expect(icon.right).to.be.at.most(title.left + 1);
    }
  });
});

describe('accessibility: reflow', () => {
  function wrapper(width: number): HTMLElement {
    const box = document.createElement('div');
    box.dataset['testWrapper'] = '';
    box.style.width = `${width}px`;
    document.body.append(box);
    return box;
  }

  /** Elements of the card that stick out of its content box, for the failure message. */
  function overflowing(c: HTMLElement): string {
    const box = c.getBoundingClientRect();
    const style = getComputedStyle(c);
    const left = box.left + parseFloat(style.borderLeftWidth);
    const right = box.right - parseFloat(style.borderRightWidth);
    return [...c.querySelectorAll<HTMLElement>('*')]
      .filter((node) => {
        const r = node.getBoundingClientRect();
        return r.width > 0 && (r.right > right + 0.5 || r.left < left - 0.5);
      })
      .map((node) => `<${node.localName}${node.className && typeof node.className === 'string' ? `.${node.className.trim().replace(/\s+/g, '.')}` : ''}> ${Math.round(node.getBoundingClientRect().left - left)}..${Math.round(node.getBoundingClientRect().right - left)} of ${Math.round(right - left)}`)
      .slice(0, 6)
      .join('; ');
  }

  async function expectReflow(lang: string, width: number): Promise<void> {
    const box = wrapper(width);
    const element = mount({ 'user-id': freshUser(`reflow-${lang}`), lang }, {}, box);
    await missionsShown(element, 3);
    await until(() => card(element).getAttribute('lang') === lang, 4000, `lang ${lang}`);
    await sleep(50);
    const where = `${lang} at ${width}px, root font-size ${getComputedStyle(document.documentElement).fontSize}`;
    const c = card(element);
    expect(element.getBoundingClientRect().width, `host width (${where})`).to.be.at.most(width + 0.5);
    expect(c.scrollWidth, `card overflows horizontally (${where}): scrollWidth ${c.scrollWidth} > clientWidth ${c.clientWidth}; sticking out: ${overflowing(c)}`).to.be.at.most(c.clientWidth + 1);
    const cardRect = c.getBoundingClientRect();
    for (const mission of missionsOf(element)) {
      expect(mission.scrollWidth, `mission ${mission.dataset['templateId']} overflows (${where})`).to.be.at.most(mission.clientWidth + 1);
      const title = mission.querySelector<HTMLElement>('[part="mission-title"]')!;
      const rect = title.getBoundingClientRect();
      expect(rect.width > 0 && rect.height > 0, `title of ${mission.dataset['templateId']} has a size (${where})`).to.equal(true);
      expect(rect.left, `title starts inside the card (${where})`).to.be.at.least(cardRect.left - 1);
      expect(rect.right, `title ends inside the card (${where})`).to.be.at.most(cardRect.right + 1);
      expect(getComputedStyle(title).visibility).to.equal('visible');
      title.scrollIntoView({ block: 'center' });
      const box2 = title.getBoundingClientRect();
      const hit = root(element).elementFromPoint(box2.left + box2.width / 2, box2.top + Math.min(box2.height / 2, 8));
      expect(hit && title.contains(hit), `title of ${mission.dataset['templateId']} is not covered (${where})`).to.equal(true);
    }
  }

  it('320 px wide: no horizontal overflow, every mission title visible', async () => {
    await expectReflow('en', 320);
    cleanUp();
    await expectReflow('de', 320);
  });

  it('160 px with the root font size doubled (200% zoom of 320 px): no horizontal overflow, titles visible', async () => {
    document.documentElement.style.fontSize = '200%';
    await expectReflow('en', 160);
    cleanUp();
    await expectReflow('de', 160);
  });
});
