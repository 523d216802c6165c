/**
 * The plain HTML, React 19 and Vue 3 examples of docs/frameworks.md, run as written
 * (docs/examples/), in real Chromium with the real worker and IndexedDB. The examples
 * import `daily-missions`, which the test server resolves to src/index.ts; React and Vue
 * are bundled as a host's bundler would (test/support/framework-examples.mjs). The plain
 * page's module script runs with its import pointed at the same source entry.
 *
 * For each example: it renders the widget with the attributes it passes (user-id, lang)
 * and the missions appear in the shadow root; the property-only `tracks` reached the
 * element as a property, not as an attribute; the example's own "Finish lesson" button
 * records through `record()`; its `mission-complete` handler receives the same XP the
 * element fires; and once every mission is done its `missions-all-complete` handler shows
 * the day's total. Every test has its own learner.
 */
import { expect } from 'chai';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { createApp } from 'vue';
import type { ActivityInput, DailyMissionsElement, MissionCompleteDetail, MissionsAllCompleteDetail } from '../../src/index.js';
import { MissionsPanel as ReactPanel, TRACKS as REACT_TRACKS } from '../../docs/examples/react.js';
import { MissionsPanel as VuePanel, TRACKS as VUE_TRACKS } from '../../docs/examples/vue.js';
import { everythingBatch, missionsShown, until } from './support/element-helpers.js';
import { freshUser, sleep } from './support/helpers.js';

/** What the element fired, seen by the test's own listeners next to the example's. */
interface Fired {
  changes: number;
  completes: MissionCompleteDetail[];
  allComplete: MissionsAllCompleteDetail[];
}

function listen(element: DailyMissionsElement): Fired {
  const fired: Fired = { changes: 0, completes: [], allComplete: [] };
  element.addEventListener('missions-change', () => (fired.changes += 1));
  element.addEventListener('mission-complete', (event) => fired.completes.push(event.detail));
  element.addEventListener('missions-all-complete', (event) => fired.allComplete.push(event.detail));
  return fired;
}

/** Everything any mission a new learner can get with the examples' tracks needs. */
function everything(): ActivityInput[] {
  const exercises = ['cloze', 'cloze', 'cloze', 'cloze', 'cloze', 'choice', 'match', 'typing', 'listening'];
  return [...everythingBatch(), ...exercises.map((exerciseType) => ({ type: 'exercise-completed', exerciseType }) as ActivityInput)];
}

/**
 * Clicks the example's "Finish lesson" button until a mission completes. Which missions a
 * learner gets depends on the user id; the slowest one the example's lesson completes
 * needs eight of them (30 minutes).
 */
async function finishLessonsUntilAMissionCompletes(container: HTMLElement, fired: Fired): Promise<void> {
  const button = container.querySelector('button')!;
  expect(button.textContent!.trim()).to.equal('Finish lesson');
  for (let lessons = 1; fired.completes.length === 0; lessons += 1) {
    if (lessons > 10) throw new Error('ten lessons completed no mission');
    const before = fired.changes;
    button.click();
    await until(() => fired.changes > before, 8000, `progress after lesson ${lessons}`);
  }
  await sleep(50);
}

/** What an example under test looks like from outside. */
interface Example {
  container: HTMLElement;
  user: string;
  lang: string;
  /** The array the example passes as `tracks`. */
  tracks: readonly string[];
  /** The XP the example's mission-complete handler has credited so far, in total. */
  credited: () => number;
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/** The checks shared by every example, on an example mounted in `container`. */
async function exercise({ container, user, lang, tracks, credited }: Example): Promise<void> {
  const element = await until(() => container.querySelector('daily-missions'), 8000, 'the example renders <daily-missions>');
  const fired = listen(element);
  await missionsShown(element, 3);

  // The attributes and the property-only value.
  expect(element.getAttribute('user-id')).to.equal(user);
  expect(element.userId).to.equal(user);
  expect(element.lang).to.equal(lang);
  expect(element.shadowRoot!.querySelector('[part="mission-title"]')!.textContent).to.not.equal('');
  expect(element.tracks).to.equal(tracks, 'the same array, passed as a property');
  expect(element.hasAttribute('tracks')).to.equal(false, 'not stringified into an attribute');

  // The example's own button records a lesson through record(); its handler credits the XP.
  await finishLessonsUntilAMissionCompletes(container, fired);
  expect(credited()).to.equal(sum(fired.completes.map((detail) => detail.xp)));
  expect(credited()).to.be.greaterThan(0);

  // The rest of the day's missions, then the example's all-complete handler.
  await element.record(everything());
  await until(() => fired.allComplete.length === 1, 8000, 'missions-all-complete');
  const status = await until(() => container.querySelector('[role="status"]')!.textContent!.trim(), 8000, "the example's status text");
  expect(status).to.equal(`All done for today: ${fired.allComplete[0]!.xp} XP`);
  expect(fired.completes).to.have.length(3);
  expect(credited()).to.equal(fired.allComplete[0]!.xp, 'every mission credited once');
}

/** Collects console.error calls (React and Vue report misuse there in development). */
function watchConsoleErrors(): { errors: string[]; stop: () => void } {
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => {
    errors.push(args.map(String).join(' '));
    original.apply(console, args);
  };
  return { errors, stop: () => (console.error = original) };
}

let container: HTMLElement;
let consoleErrors: ReturnType<typeof watchConsoleErrors>;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  consoleErrors = watchConsoleErrors();
});

afterEach(() => {
  consoleErrors.stop();
  container.remove();
});

describe('docs/examples/plain.html', () => {
  it('passes attributes and tracks, records a lesson from its button and hears the events', async () => {
    // The page as the test server serves it: like a bundler, the server resolves the
    // module's `import 'daily-missions'`, here to the source entry (no CDN, no network).
    // The one change the test makes is a learner of its own.
    const html = await (await fetch(new URL('../../docs/examples/plain.html', import.meta.url))).text();
    const page = new DOMParser().parseFromString(html, 'text/html');
    const importMap = JSON.parse(page.querySelector('script[type="importmap"]')!.textContent!) as { imports: Record<string, string> };
    expect(importMap.imports['daily-missions']).to.match(/^https:\/\/cdn\.jsdelivr\.net\/npm\/daily-missions@\d+\.\d+\.\d+\/dist\/cdn\/daily-missions\.js$/);
    const user = freshUser('plain');
    page.querySelector('daily-missions')!.setAttribute('user-id', user);
    const script = page.querySelector('script[type="module"]')!;
    script.remove();
    container.append(...[...page.body.childNodes].map((node) => document.importNode(node, true)));
    expect(script.textContent).to.contain('import "/src/index.ts";', "the example's `import 'daily-missions'`, resolved");
    // A blob: module has no base URL for "/src/…": make it absolute.
    const code = script.textContent!.replace('"/src/index.ts"', JSON.stringify(new URL('/src/index.ts', location.href).href));
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    await import(/* @vite-ignore */ url);
    URL.revokeObjectURL(url);

    const element = container.querySelector('daily-missions')!;
    expect(element.tracks).to.deep.equal(['lessons', 'elements', 'exercises']);
    await exercise({
      container,
      user,
      lang: 'en',
      tracks: element.tracks!,
      credited: () => Number(container.querySelector('#mission-xp')!.textContent),
    });
  });
});

describe('docs/examples/react.tsx (React 19)', () => {
  it('passes attributes and tracks, records a lesson from its button and hears the events', async () => {
    const user = freshUser('react');
    const xp: number[] = [];
    const root = createRoot(container);
    root.render(createElement(ReactPanel, { userId: user, lang: 'fr', onXp: (value: number) => xp.push(value) }));
    try {
      await exercise({ container, user, lang: 'fr', tracks: REACT_TRACKS, credited: () => sum(xp) });
      expect(xp).to.have.length(3, 'one call per mission');
      expect(consoleErrors.errors).to.deep.equal([]);
    } finally {
      root.unmount();
    }
  });

  it('swaps its listener when re-rendered with a new handler', async () => {
    const user = freshUser('react');
    const first: number[] = [];
    const second: number[] = [];
    const root = createRoot(container);
    root.render(createElement(ReactPanel, { userId: user, lang: 'fr', onXp: (value: number) => first.push(value) }));
    try {
      const element = await until(() => container.querySelector('daily-missions'), 8000, '<daily-missions>');
      const fired = listen(element);
      await missionsShown(element, 3);
      root.render(createElement(ReactPanel, { userId: user, lang: 'fr', onXp: (value: number) => second.push(value) }));
      await sleep(50);
      expect(element.tracks).to.equal(REACT_TRACKS);
      await finishLessonsUntilAMissionCompletes(container, fired);
      expect(second).to.deep.equal(fired.completes.map((detail) => detail.xp));
      expect(first).to.deep.equal([]);
    } finally {
      root.unmount();
    }
  });
});

describe('docs/examples/vue.ts (Vue 3)', () => {
  it('passes attributes and tracks, records a lesson from its button and hears the events', async () => {
    const user = freshUser('vue');
    const xp: number[] = [];
    const warnings: string[] = [];
    const app = createApp(VuePanel, { userId: user, lang: 'fr', onXp: (value: number) => xp.push(value) });
    app.config.warnHandler = (message) => warnings.push(message);
    app.mount(container);
    try {
      await exercise({ container, user, lang: 'fr', tracks: VUE_TRACKS, credited: () => sum(xp) });
      expect(xp).to.have.length(3, 'one emit per mission');
      expect(warnings).to.deep.equal([]);
      expect(consoleErrors.errors).to.deep.equal([]);
    } finally {
      app.unmount();
    }
  });
});
