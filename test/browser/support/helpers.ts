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
