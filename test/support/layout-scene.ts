/**
 * One definition of the widget the cross-engine layout check and the per-engine
 * screenshots look at: the real `<daily-missions>` on the real worker, a fixed clock, one
 * recorded lesson (so one mission shows progress and one is complete), in a stage of a
 * given width. The widget sizes itself by its container (container queries), so the stage
 * width stands for the page width.
 *
 * `measureParts` reads the bounding box of every exposed part relative to the element:
 * what the layout test compares across engines instead of pixels, so a different font
 * (Firefox and WebKit draw text with their own shaping) moves nothing but a layout break
 * (a part outside the card, overlapping missions, a mirrored RTL row that is not) does.
 */
import '../../src/index.js';
import type { DailyMissionsElement } from '../../src/index.js';
import { caseName } from './layout-cases.js';
import type { LayoutCase, LayoutReport, PartBox } from './layout-cases.js';

/** A Tuesday, 16:20 in Berlin: a weekday, and a countdown with hours and minutes left. */
const NOW = Date.UTC(2025, 2, 4, 15, 20);

const missions = (element: DailyMissionsElement) => [...element.shadowRoot!.querySelectorAll<HTMLElement>('[part="mission"]')];

async function until(read: () => boolean, what: string): Promise<void> {
  const start = performance.now();
  while (!read()) {
    if (performance.now() - start > 15_000) throw new Error(`${what} not reached`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The widget of the documentation pictures: English or Arabic, a theme, a fixed clock in Berlin, silent. */
export function pictureWidget(userId: string, { lang = 'en', theme = 'light' } = {}): DailyMissionsElement {
  const element = document.createElement('daily-missions');
  element.setAttribute('user-id', userId);
  element.setAttribute('lang', lang);
  element.setAttribute('time-zone', 'Europe/Berlin');
  element.setAttribute('theme', theme);
  element.setAttribute('no-sound', '');
  element.setAttribute('no-confetti', '');
  element.now = () => NOW;
  return element;
}

/** Once the mounted widget shows its three missions, records one lesson and waits until a mission shows as completed. */
export async function showOneCompletedMission(element: DailyMissionsElement): Promise<void> {
  await until(() => missions(element).length === 3, 'three missions shown');
  // One good lesson in a new set, ten minutes long.
  await element.record({ type: 'lesson-completed', lessonId: 'greetings-3', setId: 'greetings', correct: 9, total: 10, seconds: 600 });
  await element.updateComplete;
  await until(() => missions(element).some((m) => m.dataset['completed'] === 'true'), 'a completed mission');
}

/** Mounts the widget for `layoutCase` in `stage` (emptied first) and waits until it shows one completed mission. */
export async function setUpScene(stage: HTMLElement, layoutCase: LayoutCase): Promise<DailyMissionsElement> {
  stage.replaceChildren();
  stage.style.boxSizing = 'border-box';
  stage.style.inlineSize = `${layoutCase.width}px`;
  stage.style.padding = '16px';
  // The user decides the missions (selection is deterministic): one per case, as in the reference.
  const element = pictureWidget(`layout-${caseName(layoutCase)}`, {
    lang: layoutCase.variant === 'arabic' ? 'ar' : 'en',
    theme: layoutCase.variant === 'dark' ? 'dark' : 'light',
  });
  stage.append(element);
  await showOneCompletedMission(element);
  // Fonts and the last progress-bar widths settle after the render that completed the mission.
  await document.fonts.ready;
  await new Promise((resolve) => setTimeout(resolve, 300));
  return element;
}

/** Every exposed part's box, relative to the element's own box. */
export function measureParts(element: DailyMissionsElement): LayoutReport {
  const origin = element.getBoundingClientRect();
  const counts = new Map<string, number>();
  const parts: PartBox[] = [];
  for (const node of element.shadowRoot!.querySelectorAll<HTMLElement>('[part]')) {
    const part = node.getAttribute('part')!.split(/\s+/)[0]!;
    const index = counts.get(part) ?? 0;
    counts.set(part, index + 1);
    const box = node.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue; // not rendered in this state
    const round = (value: number) => Math.round(value * 10) / 10;
    parts.push({ part, index, x: round(box.x - origin.x), y: round(box.y - origin.y), width: round(box.width), height: round(box.height) });
  }
  return {
    host: { width: Math.round(origin.width), height: Math.round(origin.height) },
    overflow: element.scrollWidth - element.clientWidth,
    direction: getComputedStyle(element.shadowRoot!.querySelector('[part~="card"]')!).direction,
    parts,
  };
}
