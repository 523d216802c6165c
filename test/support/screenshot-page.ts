/**
 * The page docs/screenshot.png is taken of: the real `<daily-missions>` with the real
 * worker and IndexedDB, a fixed clock, and one recorded lesson, so one mission shows
 * progress and one is complete. `window.screenshotReady` tells screenshot.ts when the
 * widget shows that state (or `window.screenshotError` why it cannot).
 */
import { pictureWidget, showOneCompletedMission } from './layout-scene.js';

declare global {
  interface Window {
    screenshotReady?: boolean;
    screenshotError?: string;
  }
}

const params = new URLSearchParams(location.search);
const USER = params.get('user') ?? 'screenshot';

const element = pictureWidget(USER, { theme: params.get('theme') ?? 'light' });
document.querySelector('#stage')!.append(element);

try {
  await showOneCompletedMission(element);
  window.screenshotReady = true;
} catch (error) {
  window.screenshotError = String((error as Error).message ?? error);
}
