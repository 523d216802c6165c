/**
 * The page docs/screenshot.png is taken of: the real `<daily-missions>` with the real
 * worker and IndexedDB, a fixed clock, and one recorded lesson, so one mission shows
 * progress and one is complete. `window.screenshotReady` tells screenshot.ts when the
 * widget shows that state (or `window.screenshotError` why it cannot).
 */
import '../../src/index.js';
import type { DailyMissionsElement } from '../../src/index.js';

declare global {
  interface Window {
    screenshotReady?: boolean;
    screenshotError?: string;
  }
}

const params = new URLSearchParams(location.search);
/** A Tuesday, 16:20 in Berlin: a weekday, and a countdown with hours and minutes left. */
const NOW = Date.UTC(2025, 2, 4, 15, 20);
const USER = params.get('user') ?? 'screenshot';

const element = document.createElement('daily-missions');
element.setAttribute('user-id', USER);
element.setAttribute('lang', 'en');
element.setAttribute('time-zone', 'Europe/Berlin');
element.setAttribute('theme', params.get('theme') ?? 'light');
element.setAttribute('no-sound', '');
element.setAttribute('no-confetti', '');
element.now = () => NOW;
document.querySelector('#stage')!.append(element);

const missions = (el: DailyMissionsElement) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="mission"]')];

async function until(read: () => boolean, what: string): Promise<void> {
  const start = performance.now();
  while (!read()) {
    if (performance.now() - start > 15_000) throw new Error(`${what} not reached`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

try {
  await until(() => missions(element).length === 3, 'three missions shown');
  // One good lesson in a new set, ten minutes long.
  await element.record({ type: 'lesson-completed', lessonId: 'greetings-3', setId: 'greetings', correct: 9, total: 10, seconds: 600 });
  await element.updateComplete;
  await until(() => missions(element).some((m) => m.dataset['completed'] === 'true'), 'a completed mission');
  window.screenshotReady = true;
} catch (error) {
  window.screenshotError = String((error as Error).message ?? error);
}
