/**
 * Celebrations (docs/architecture.md §7) in real Chromium: no AudioContext before a user gesture,
 * confetti on a canvas inside the shadow root only, the aria-live announcement with a
 * non-repeating praise phrase, deferral while the tab is hidden, completions recorded
 * elsewhere celebrated once, and the completion events fired once, where recorded.
 *
 * The order of the first test matters: user activation is sticky for the page and the
 * AudioContext is a module-level singleton, so "no context before a gesture" must run
 * before anything in this file gives the page a gesture.
 */
import { expect } from 'chai';
import { resetMouse, sendMouse } from '@web/test-runner-commands';
import type { DailyMissionsElement, Mission, MissionCompleteDetail, MissionsAllCompleteDetail, MissionsChangeDetail } from '../../src/index.js';
import { PraiseBag } from '../../src/celebration.js';
import { connectMissions } from '../../src/client.js';
import en from '../../src/i18n/locales/en.js';
import de from '../../src/i18n/locales/de.js';
import type { HostCounters } from '../../worker/engine/stats.js';
import { audio, installAudioSpy } from './support/audio-spy.js';
import { freshUser, preferReducedMotion, sleep } from './support/helpers.js';
import {
  announcement,
  clock,
  cleanUp,
  completeOneByStats,
  DAY,
  everythingBatch,
  missionsOf,
  missionsShown,
  mount,
  root,
  until,
  ZONE,
} from './support/element-helpers.js';

/** How long a negative check ("nothing appears") waits after the celebration started. */
const QUIET_MS = 700;

// Counts AudioContext constructions and notes, from before any element celebrates.
installAudioSpy();

afterEach(async () => {
  cleanUp();
  await resetMouse();
});

const hasBeenActive = () => (navigator as Navigator & { userActivation: { hasBeenActive: boolean } }).userActivation.hasBeenActive;

/** A real click on an empty spot of the page: a genuine user gesture (sticky activation). */
async function giveUserGesture(): Promise<void> {
  await sendMouse({ type: 'click', position: [790, 590] });
  await until(() => hasBeenActive(), 2000, 'user activation');
}

/** Mounts a one-mission widget for a new user, waits for its mission and completes the day. */
async function completeDay(attributes: Record<string, string> = {}): Promise<{ element: DailyMissionsElement; title: string }> {
  const element = mount({ 'user-id': freshUser('celebrate'), count: '1', ...attributes });
  await missionsShown(element, 1);
  const title = missionsOf(element)[0]!.querySelector('[part="mission-title"]')!.textContent!.trim();
  const completed = await element.record(everythingBatch());
  expect(completed.map((m) => m.title), 'the batch completes the mission').to.deep.equal([title]);
  return { element, title };
}

/** Watches the shadow root (and the document body) for canvases coming and going. */
function watchCanvases(element: DailyMissionsElement) {
  const added: Node[] = [];
  const removed: Node[] = [];
  const outside: Node[] = [];
  const inShadow = new MutationObserver((records) => {
    for (const record of records) {
      record.addedNodes.forEach((node) => node.nodeName === 'CANVAS' && added.push(node));
      record.removedNodes.forEach((node) => node.nodeName === 'CANVAS' && removed.push(node));
    }
  });
  inShadow.observe(root(element), { childList: true, subtree: true });
  const inDocument = new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach((node) => node !== element && outside.push(node));
  });
  inDocument.observe(document.documentElement, { childList: true, subtree: true });
  return {
    added,
    removed,
    outside,
    stop: () => {
      inShadow.disconnect();
      inDocument.disconnect();
    },
  };
}

/** The announcement a celebration writes, once it is there. */
const announced = (element: DailyMissionsElement) => until(() => announcement(element), 8000, 'an announcement');


/** Mounts a one-mission widget, completes the day, and returns the canvases added meanwhile. */
async function canvasesDuringDayCompletion(attributes: Record<string, string>): Promise<unknown[]> {
  const element = mount(attributes);
  await missionsShown(element, 1);
  const watch = watchCanvases(element);
  await element.record(everythingBatch());
  await announced(element);
  await sleep(QUIET_MS);
  watch.stop();
  return watch.added;
}

describe('celebration: sound', () => {
  it('creates no AudioContext before a user gesture, one after it (reused), none with no-sound', async () => {
    expect(hasBeenActive(), 'precondition: no gesture on this page yet').to.equal(false);

    // 1. No gesture yet: the day completes and is celebrated (announcement), silently.
    const first = await completeDay();
    await announced(first.element);
    await sleep(100);
    expect(audio.constructed, 'AudioContext constructed without a user gesture').to.equal(0);
    first.element.remove();

    // 2. A real click gives the page sticky user activation.
    await giveUserGesture();

    // 3. no-sound: still no context, even after the gesture.
    const muted = await completeDay({ 'no-sound': '' });
    await announced(muted.element);
    await sleep(100);
    expect(audio.constructed, 'no-sound created an AudioContext').to.equal(0);
    expect(audio.oscillators, 'no-sound played notes').to.equal(0);
    muted.element.remove();

    // 4. After the gesture a completion plays: the context is created once...
    const second = await completeDay();
    await announced(second.element);
    await until(() => audio.oscillators > 0, 2000, 'notes played');
    expect(audio.constructed).to.equal(1);
    const notes = audio.oscillators;
    second.element.remove();

    // 5. ...and reused by the next completion.
    const third = await completeDay();
    await announced(third.element);
    await until(() => audio.oscillators > notes, 2000, 'more notes played');
    expect(audio.constructed, 'the AudioContext is reused, not created again').to.equal(1);
  });
});

describe('celebration: confetti', () => {
  it('draws the last mission’s confetti on a canvas inside the shadow root and removes it', async () => {
    const element = mount({ 'user-id': freshUser('confetti'), count: '1' });
    await missionsShown(element, 1);
    const bodyBefore = [...document.body.children];
    const blobUrls: string[] = [];
    const originalCreateObjectURL = URL.createObjectURL;
    URL.createObjectURL = (object: Blob | MediaSource) => {
      const url = originalCreateObjectURL.call(URL, object);
      blobUrls.push(url);
      return url;
    };
    const watch = watchCanvases(element);
    try {
      await element.record(everythingBatch());
      const canvas = await until(() => watch.added[0], 8000, 'a confetti canvas') as HTMLCanvasElement;
      expect(canvas.parentNode, 'the canvas lives in the shadow root').to.equal(root(element));
      expect(canvas.getAttribute('aria-hidden')).to.equal('true');
      expect(document.querySelectorAll('canvas'), 'no canvas in the light DOM').to.have.length(0);
      await until(() => watch.removed.includes(canvas), 10_000, 'the canvas removed after the burst');
      expect(canvas.isConnected).to.equal(false);
      expect(root(element).querySelector('canvas')).to.equal(null);
      expect(watch.added, 'exactly one burst').to.have.length(1);
      expect(watch.outside, 'nothing added to the document outside the element').to.deep.equal([]);
      expect([...document.body.children]).to.deep.equal(bodyBefore);
      expect(blobUrls, 'no worker blob for the confetti').to.deep.equal([]);
    } finally {
      watch.stop();
      URL.createObjectURL = originalCreateObjectURL;
    }
  });

  it('draws no confetti under prefers-reduced-motion', async () => {
    const restore = preferReducedMotion();
    try {
      expect(matchMedia('(prefers-reduced-motion: reduce)').matches).to.equal(true);
      expect(matchMedia('(prefers-reduced-motion: no-preference)').matches).to.equal(false);
      const added = await canvasesDuringDayCompletion({ 'user-id': freshUser('reduced'), count: '1' });
      expect(added, 'canvas drawn despite reduced motion').to.deep.equal([]);
    } finally {
      restore();
    }
    expect(matchMedia('(prefers-reduced-motion: reduce)').matches, 'the preference is restored').to.equal(false);
  });

  it('draws no confetti with no-confetti', async () => {
    const added = await canvasesDuringDayCompletion({ 'user-id': freshUser('no-confetti'), count: '1', 'no-confetti': '' });
    expect(added).to.deep.equal([]);
  });

  it('celebration="subtle": no confetti and no praise, only the completion announcement', async () => {
    const element = mount({ 'user-id': freshUser('subtle'), count: '1', celebration: 'subtle' });
    const [item] = await missionsShown(element, 1);
    const title = item!.querySelector('[part="mission-title"]')!.textContent!.trim();
    const watch = watchCanvases(element);
    await element.record(everythingBatch());
    const text = await announced(element);
    await sleep(QUIET_MS);
    watch.stop();
    expect(watch.added, 'subtle drew confetti').to.deep.equal([]);
    expect(text.startsWith(`Mission complete: ${title}.`), text).to.equal(true);
    for (const phrase of en.praise) expect(text, 'subtle announced a praise phrase').not.to.contain(phrase);
  });
});

describe('celebration: announcement and praise', () => {
  it('announces "Mission complete: {title}." with an English praise phrase in the role=status region', async () => {
    const element = mount({ 'user-id': freshUser('announce'), count: '2' });
    await missionsShown(element, 2);
    const region = root(element).querySelector('[role="status"]')!;
    expect(region.getAttribute('aria-live')).to.equal('polite');
    expect(announcement(element)).to.equal('');

    const pushed: HostCounters = {};
    const first = await completeOneByStats(element, pushed);
    const text1 = await announced(element);
    const praise1 = en.praise.find((phrase) => text1 === `Mission complete: ${first.title}. ${phrase}`);
    expect(praise1, `"${text1}" is "Mission complete: ${first.title}." plus one English praise phrase`).to.be.a('string');

    const second = await completeOneByStats(element, pushed);
    const text2 = await until(() => announcement(element) !== text1 && announcement(element), 8000, 'a second announcement');
    expect(text2.startsWith(`Mission complete: ${second.title}. `), text2).to.equal(true);
    const praise2 = en.praise.find((phrase) => text2.includes(phrase));
    expect(praise2, 'second announcement carries a praise phrase').to.be.a('string');
    expect(praise2, 'the same praise twice in a row').not.to.equal(praise1);
    expect(text2).to.contain('All missions complete!');
  });

  it('PraiseBag: no repeat until every phrase was used, and none twice in a row across a refill', () => {
    for (let trial = 0; trial < 200; trial += 1) {
      const bag = new PraiseBag();
      const round1 = en.praise.map(() => bag.next('en', en.praise));
      expect(new Set(round1).size, `round 1 of trial ${trial}: ${round1.join(' | ')}`).to.equal(en.praise.length);
      expect([...round1].sort()).to.deep.equal([...en.praise].sort());
      const round2 = en.praise.map(() => bag.next('en', en.praise));
      expect(round2[0], `refill repeated "${round1.at(-1)}" (trial ${trial})`).not.to.equal(round1.at(-1));
      expect(new Set(round2).size).to.equal(en.praise.length);
    }
  });

  it('PraiseBag: each language has its own bag', () => {
    const bag = new PraiseBag();
    const english = [bag.next('en', en.praise)];
    const german = de.praise.map(() => bag.next('de', de.praise));
    english.push(...en.praise.slice(1).map(() => bag.next('en', en.praise)));
    expect(new Set(german).size).to.equal(de.praise.length);
    expect(new Set(english).size, 'drawing German phrases did not disturb the English bag').to.equal(en.praise.length);
  });
});

describe('celebration: hidden tab', () => {
  /*
   * Headless Chromium cannot put a tab in the background, so this simulates the Page
   * Visibility API state: an own `visibilityState` (and `hidden`) getter on `document`
   * shadows the prototype's, plus the `visibilitychange` event the browser would fire.
   * Deleting the own properties restores the real (visible) state.
   */
  function setHidden(hidden: boolean): void {
    if (hidden) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    } else {
      delete (document as unknown as Record<string, unknown>)['visibilityState'];
      delete (document as unknown as Record<string, unknown>)['hidden'];
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }

  it('waits while the tab is hidden and celebrates when it is visible again', async () => {
    await giveUserGesture(); // so that sound would play
    const element = mount({ 'user-id': freshUser('hidden'), count: '1' });
    const [item] = await missionsShown(element, 1);
    const title = item!.querySelector('[part="mission-title"]')!.textContent!.trim();
    const watch = watchCanvases(element);
    try {
      setHidden(true);
      expect(document.visibilityState).to.equal('hidden');
      const notes = audio.oscillators;
      const completed = await element.record(everythingBatch());
      expect(completed).to.have.length(1);
      await sleep(QUIET_MS);
      expect(announcement(element), 'announced while hidden').to.equal('');
      expect(watch.added, 'confetti while hidden').to.deep.equal([]);
      expect(audio.oscillators, 'sound while hidden').to.equal(notes);

      setHidden(false);
      expect(document.visibilityState).to.equal('visible');
      const text = await announced(element);
      expect(text).to.contain(`Mission complete: ${title}.`);
      await until(() => watch.added.length > 0, 8000, 'confetti once visible');
      await until(() => audio.oscillators > notes, 2000, 'sound once visible');
    } finally {
      if (Object.hasOwn(document, 'visibilityState')) setHidden(false);
      watch.stop();
    }
  });
});

describe('celebration: completions recorded elsewhere', () => {
  it('celebrates a completion recorded headless when a widget appears, and only once', async () => {
    const user = freshUser('elsewhere');
    const client = connectMissions({ now: clock.now });
    let title: string;
    try {
      const result = await client.record(user, everythingBatch(), { timeZone: ZONE, language: 'en', preferences: { count: 1 } });
      expect(result.completed).to.have.length(1);
      title = result.completed[0]!.title;
    } finally {
      client.close();
    }

    const first = mount({ 'user-id': user, count: '1' });
    await missionsShown(first, 1);
    const text = await announced(first);
    expect(text).to.contain(`Mission complete: ${title}.`);
    first.remove();

    const second = mount({ 'user-id': user, count: '1' });
    const [item] = await missionsShown(second, 1);
    expect(item!.dataset['completed']).to.equal('true');
    await sleep(QUIET_MS);
    expect(announcement(second), 'celebrated a second time').to.equal('');
  });
});

describe('celebration: completions recorded on the same page', () => {
  it('celebrates at once a completion that a lesson page records through its own client while the widget is on screen', async () => {
    const user = freshUser('same-page');
    const element = mount({ 'user-id': user, count: '1' });
    const [item] = await missionsShown(element, 1);
    expect(document.hasFocus(), 'the test page has focus').to.equal(true);
    const client = connectMissions({ now: clock.now });
    try {
      const result = await client.record(user, everythingBatch(), { timeZone: ZONE, language: 'en', preferences: { count: 1 } });
      expect(result.completed).to.have.length(1);
      const text = await announced(element);
      expect(text).to.contain(`Mission complete: ${result.completed[0]!.title}.`);
      expect(item!.isConnected ? item!.dataset['completed'] : missionsOf(element)[0]!.dataset['completed']).to.equal('true');
    } finally {
      client.close();
    }
  });
});

describe('celebration: two widgets of one learner on a page', () => {
  it('celebrates its own completion even when the other widget’s sweep reaches the worker first', async () => {
    const user = freshUser('sweep-first');
    const element = mount({ 'user-id': user, count: '1' });
    await missionsShown(element, 1);
    // What a second widget does when it hears of the change (the page has focus): it
    // claims the uncelebrated completions. Here it does so as early as anything on the
    // page can, when the recording widget shows its answer, before that widget's next call.
    const other = connectMissions({ now: clock.now });
    const sweeps: Promise<Mission[]>[] = [];
    const sweep = () => sweeps.push(other.claimCelebrations(user, { timeZone: ZONE, language: 'en', preferences: { count: 1 } }));
    element.addEventListener('missions-change', (event) => event.detail.missions.some((m) => m.completed) && sweep());
    try {
      const completed = await element.record(everythingBatch());
      expect(completed).to.have.length(1);
      expect((await Promise.all(sweeps)).flat(), 'the sweep took the recording widget’s completion').to.deep.equal([]);
      expect(await announced(element)).to.contain(`Mission complete: ${completed[0]!.title}.`);
    } finally {
      other.close();
    }
  });
});

describe('celebration: completion events', () => {
  it('fires mission-complete and missions-all-complete once per award, only in the recording element', async () => {
    const user = freshUser('events');
    const a = mount({ 'user-id': user, count: '3' });
    const b = mount({ 'user-id': user, count: '3' });
    const log = (element: DailyMissionsElement) => {
      const seen = { complete: [] as MissionCompleteDetail[], all: [] as MissionsAllCompleteDetail[], changes: [] as MissionsChangeDetail[] };
      element.addEventListener('mission-complete', (e) => seen.complete.push(e.detail));
      element.addEventListener('missions-all-complete', (e) => seen.all.push(e.detail));
      element.addEventListener('missions-change', (e) => seen.changes.push(e.detail));
      return seen;
    };
    const seenA = log(a);
    const seenB = log(b);
    await missionsShown(a, 3);
    await missionsShown(b, 3);

    const pushed: HostCounters = {};
    const done: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { templateId } = await completeOneByStats(a, pushed);
      done.push(templateId);
      await until(() => seenA.complete.length === i + 1, 4000, `mission-complete #${i + 1}`);
    }
    await until(() => seenA.all.length === 1, 4000, 'missions-all-complete');
    // B follows through the cross-tab refresh.
    await until(() => seenB.changes.at(-1)?.missions.every((m) => m.completed), 8000, 'B showing all missions completed');
    await sleep(QUIET_MS); // late duplicates would show up here

    expect(seenA.complete.map((d) => d.mission.templateId)).to.deep.equal(done);
    expect(new Set(done).size).to.equal(3);
    for (const detail of seenA.complete) {
      expect(detail.day).to.equal(DAY);
      expect(detail.xp).to.equal(detail.mission.xp);
    }
    const total = seenA.complete.reduce((sum, d) => sum + d.xp, 0);
    expect(seenA.all).to.deep.equal([{ day: DAY, xp: total }]);

    expect(seenB.complete, 'B fired mission-complete').to.deep.equal([]);
    expect(seenB.all, 'B fired missions-all-complete').to.deep.equal([]);
    expect(seenB.changes.at(-1)!.missions.map((m) => m.templateId).sort()).to.deep.equal([...done].sort());
    expect(missionsOf(b).every((m) => m.dataset['completed'] === 'true')).to.equal(true);
    expect(announcement(b), 'B celebrated A’s completions').to.equal('');
  });
});
