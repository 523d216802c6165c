/**
 * The first celebration on a fresh page is as cheap as any later one
 * (docs/architecture.md §8, no long task): the element loads the celebration code, and
 * the confetti code when confetti may be drawn, in idle time after its first render;
 * the celebration then plays the sound in a later task than the one that renders the
 * announcement. `npm run bench` measures the long tasks themselves on fresh pages.
 *
 * Module loading is per page and this file has its page to itself, so the order of the
 * tests matters: the first one sees the page before any confetti code was loaded.
 */
import { expect } from 'chai';
import { sendMouse, resetMouse } from '@web/test-runner-commands';
import type { DailyMissionsElement } from '../../src/index.js';
import { audio, installAudioSpy } from './support/audio-spy.js';
import { freshUser, sleep } from './support/helpers.js';
import { announcement, cleanUp, everythingBatch, liveRegion, missionsShown, mount, until } from './support/element-helpers.js';

/** Paths of the scripts this page has fetched so far. */
const fetched = (pattern: RegExp): string[] =>
  performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    .filter((path) => pattern.test(path));

const CELEBRATION_CODE = /\/src\/celebration\.ts$/;
const CONFETTI_CODE = /canvas-confetti/;

/** Resolves after the page has been idle once more (the element's warm-up runs then). */
const idle = (): Promise<void> => new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 3000 }));

installAudioSpy();

afterEach(async () => {
  cleanUp();
  await resetMouse();
});

describe('celebration: loaded ahead, played in steps', () => {
  it('loads the celebration code in idle time after the first render, but no confetti code with no-confetti', async () => {
    expect(fetched(CELEBRATION_CODE), 'nothing loaded before a widget').to.deep.equal([]);
    const element = mount({ 'user-id': freshUser('warm'), 'no-confetti': '' });
    await missionsShown(element, 3);
    await until(() => fetched(CELEBRATION_CODE).length > 0, 8000, 'the celebration code');
    await idle();
    await sleep(300);
    expect(announcement(element), 'nothing was celebrated').to.equal('');
    expect(fetched(CONFETTI_CODE)).to.deep.equal([]);
  });

  it('loads the confetti code ahead when confetti is on, before any completion', async () => {
    const element = mount({ 'user-id': freshUser('warm') });
    await missionsShown(element, 3);
    await until(() => fetched(CONFETTI_CODE).length > 0, 8000, 'the confetti code');
    expect(announcement(element), 'nothing was celebrated').to.equal('');
  });

  it('fetches no code at the first completion, and plays the sound in a later task than the announcement', async () => {
    await sendMouse({ type: 'click', position: [790, 590] });
    const element: DailyMissionsElement = mount({ 'user-id': freshUser('warm') });
    await missionsShown(element, 3);
    await idle();
    const scriptsBefore = performance.getEntriesByType('resource').length;
    // A MutationObserver callback runs in the microtask checkpoint of the task that
    // rendered the announcement: what the AudioContext count is there tells whether the
    // sound started in that same task.
    let soundsWhenAnnounced = -1;
    const observer = new MutationObserver(() => {
      if (soundsWhenAnnounced === -1 && announcement(element) !== '') soundsWhenAnnounced = audio.constructed;
    });
    observer.observe(liveRegion(element)!, { childList: true, subtree: true, characterData: true });
    const before = audio.constructed;
    await element.record(everythingBatch());
    await until(() => audio.constructed > before, 8000, 'the sound');
    observer.disconnect();
    expect(soundsWhenAnnounced, 'no AudioContext yet when the announcement rendered').to.equal(before);
    expect(performance.getEntriesByType('resource').length, 'nothing fetched for the celebration').to.equal(scriptsBefore);
    await until(() => element.shadowRoot!.querySelector('canvas.confetti'), 8000, 'the confetti');
  });
});
