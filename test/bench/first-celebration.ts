/**
 * The first-celebration page (test/bench/first-celebration.html), on the built package
 * like the cold start: the driver (run.mjs) opens it in a new browser context for every
 * run (its own HTTP cache, code cache and IndexedDB), renders one widget for a new
 * learner with sound and confetti on, clicks (a real user gesture), and calls record()
 * once with a batch that completes every mission of the day. The steps are separate
 * functions so the driver can read the main-thread metrics between them.
 */
import '../../dist/index.js';
import type { DailyMissionsElement } from '../../src/index.js';
import { BENCH_START, ZONE } from './clock.js';
import { everythingBatch } from '../support/everything-batch.js';
import { whenMissionsRendered } from './rendered.js';

interface RecordOutcome {
  /** performance.now() when record() was called. */
  startedAt: number;
  /** From record() until the shadow DOM shows every mission complete. */
  renderedMs: number;
  completed: number;
  allComplete: boolean;
}

declare global {
  interface Window {
    firstCelebration: {
      mount(): Promise<number>;
      hasUserGesture(): boolean;
      record(): Promise<RecordOutcome>;
      confettiGone(timeoutMs: number): Promise<{ confetti: boolean; goneMs: number }>;
    };
  }
}

let element: DailyMissionsElement;
let startedAt = 0;

/** True once every progress bar in the view is full. */
function completeShown(): boolean {
  const bars = [...(element.shadowRoot?.querySelectorAll('[part="progress"]') ?? [])];
  return bars.length > 0 && bars.every((bar) => Number(bar.getAttribute('aria-valuenow')) >= Number(bar.getAttribute('aria-valuemax')));
}

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

window.firstCelebration = {
  /** A widget for a new learner, sound and confetti on; resolves when its missions show. */
  async mount(): Promise<number> {
    element = document.createElement('daily-missions');
    element.setAttribute('time-zone', ZONE);
    element.setAttribute('lang', 'en');
    element.setAttribute('user-id', `first-${crypto.randomUUID()}`);
    element.now = () => BENCH_START;
    const t0 = performance.now();
    document.body.append(element);
    return (await whenMissionsRendered(element)) - t0;
  },

  hasUserGesture: (): boolean => (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation?.hasBeenActive === true,

  /** The one record() that completes the day; resolves once the view shows it. */
  async record(): Promise<RecordOutcome> {
    let allComplete = false;
    element.addEventListener('missions-all-complete', () => (allComplete = true), { once: true });
    performance.mark('first-celebration:record');
    startedAt = performance.now();
    const completed = await element.record(everythingBatch());
    while (!completeShown() && performance.now() - startedAt < 10_000) await nextFrame();
    return { startedAt, renderedMs: performance.now() - startedAt, completed: completed.length, allComplete };
  },

  /** Waits until the confetti canvas has come and gone (or `timeoutMs` passed without one). */
  async confettiGone(timeoutMs: number): Promise<{ confetti: boolean; goneMs: number }> {
    const root = element.shadowRoot!;
    let confetti = false;
    while (performance.now() - startedAt < timeoutMs) {
      const canvas = root.querySelector('canvas.confetti');
      if (canvas) confetti = true;
      else if (confetti) break;
      await nextFrame();
    }
    performance.mark('first-celebration:gone');
    return { confetti, goneMs: performance.now() - startedAt };
  },
};
