/**
 * The page engine-screenshots.ts loads in each engine: the layout scene for the case in
 * the query (?width=360&variant=arabic). `window.layoutReport` carries the parts' boxes
 * once the widget is ready, `window.layoutError` why it could not be set up.
 */
import { measureParts, setUpScene } from './layout-scene.js';
import type { LayoutCase, LayoutReport } from './layout-cases.js';

declare global {
  interface Window {
    layoutReport?: LayoutReport;
    layoutError?: string;
  }
}

const params = new URLSearchParams(location.search);
const layoutCase = { width: Number(params.get('width')), variant: params.get('variant') } as LayoutCase;

// The page behind the card, as a host page in that theme would have it.
document.body.style.background = layoutCase.variant === 'dark' ? '#0b1120' : '#ffffff';

try {
  const element = await setUpScene(document.querySelector<HTMLElement>('#stage')!, layoutCase);
  window.layoutReport = measureParts(element);
} catch (error) {
  window.layoutError = String((error as Error).message ?? error);
}
