/** Shared helpers for the browser tests. */
import type { ActivityInput } from '../../../src/client.js';

/** A user id no other test uses (tests share the origin's IndexedDB). */
export function freshUser(label = 'u'): string {
  return `${label}-${crypto.randomUUID()}`;
}

export const lesson = (correct = 10, total = 10, extra: Partial<ActivityInput> = {}): ActivityInput =>
  ({ type: 'lesson-completed', lessonId: `lesson-${Math.random().toString(36).slice(2, 8)}`, correct, total, ...extra }) as ActivityInput;

/** A fixed, controllable clock for `connectMissions({ now })`. */
export class TestClock {
  constructor(public time: number) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** The worker through the dev server (TypeScript served as JS). */
export const WORKER_URL = new URL('../../../worker/main.ts', import.meta.url);

/** Collects unhandled errors and rejections on the page while a test runs. */
export function watchPageErrors(): { errors: string[]; stop: () => void } {
  const errors: string[] = [];
  const onError = (event: ErrorEvent) => errors.push(`error: ${event.message}`);
  const onRejection = (event: PromiseRejectionEvent) => errors.push(`unhandledrejection: ${String((event.reason as Error)?.message ?? event.reason)}`);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    stop: () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it returns something truthy; throws after `timeoutMs`. */
export async function until<T>(read: () => T | null | undefined | false, timeoutMs = 8000, what = 'condition'): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = read();
    if (value) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Swaps the two values of prefers-reduced-motion in a media query. */
const swapMotionPreference = (query: string): string =>
  query.replace(/prefers-reduced-motion\s*:\s*(reduce|no-preference)/g, (_, value: string) =>
    `prefers-reduced-motion: ${value === 'reduce' ? 'no-preference' : 'reduce'}`);

/**
 * The page as a learner who asked for less motion sees it, in every engine; returns the
 * undo. Only Chromium can emulate the media feature itself (CDP's Emulation.setEmulatedMedia);
 * neither WebDriver BiDi nor classic WebDriver has a command for it
 * (https://w3c.github.io/webdriver-bidi/#module-emulation). The element reads the preference
 * through `matchMedia` alone, so this answers every query the page asks with the
 * preference's two values swapped: the engine still parses and evaluates the query itself.
 * Only meaningful where the real preference is no-preference, so that is checked first.
 */
export function preferReducedMotion(): () => void {
  const original = window.matchMedia;
  if (!original.call(window, '(prefers-reduced-motion: no-preference)').matches) {
    throw new Error('this browser already prefers reduced motion: swapping the preference would turn it off');
  }
  window.matchMedia = (query: string) => original.call(window, swapMotionPreference(query));
  return () => {
    window.matchMedia = original;
  };
}

export type BrowserEngine = 'chromium' | 'firefox' | 'webkit';

/** The engine running the tests, from its user agent (Chromium's names Chrome, WebKit's only Safari). */
export function browserEngine(): BrowserEngine {
  if (/Firefox\//.test(navigator.userAgent)) return 'firefox';
  if (/Chrom(e|ium)\//.test(navigator.userAgent)) return 'chromium';
  return 'webkit';
}

/**
 * How much longer wall-clock waits may take in this engine than in Chromium. WebKitGTK's
 * MiniBrowser draws in software under Xvfb, so on a loaded machine its animation frames
 * (canvas-confetti's burst) and bulk worker work come about twice as slowly (measured in
 * CI: a confetti burst past 15 s, seeding months of history in 10.2 s where Chromium
 * takes under half).
 */
export const ENGINE_TIME_FACTOR = browserEngine() === 'webkit' ? 2 : 1;
