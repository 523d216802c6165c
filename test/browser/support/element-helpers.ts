/**
 * Helpers for tests that drive the `<daily-missions>` element itself (celebration,
 * accessibility): mounting with a fixed clock and zone, polling, reading the shadow
 * DOM, and completing missions quickly and deterministically.
 */
import '../../../src/index.js';
import type { DailyMissionsElement } from '../../../src/index.js';
import type { HostCounters } from '../../../worker/engine/stats.js';
import type { CheckName, CompiledCatalog, TemplateRule } from '../../../worker/engine/types.js';
import shippedCatalog from '../../../catalog/templates.yaml';
import { TestClock, until } from './helpers.js';

export const ZONE = 'Europe/Berlin';
/** A Tuesday morning in Berlin (10:00 local): no weekend-only template, no midnight nearby. */
export const clock = new TestClock(Date.UTC(2025, 2, 4, 9));
export const DAY = '2025-03-04';

const templates: TemplateRule[] = (shippedCatalog as CompiledCatalog).templates;

/** Creates, configures and appends a `<daily-missions>` (English, Berlin, fixed clock). */
export function mount(
  attributes: Record<string, string> = {},
  properties: Partial<DailyMissionsElement> = {},
  parent: HTMLElement = document.body,
): DailyMissionsElement {
  const element = document.createElement('daily-missions');
  element.setAttribute('time-zone', ZONE);
  element.setAttribute('lang', 'en');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  Object.assign(element, { now: clock.now, ...properties });
  parent.append(element);
  return element;
}

export { until };

export const root = (element: DailyMissionsElement): ShadowRoot => element.shadowRoot!;
export const missionsOf = (element: DailyMissionsElement): HTMLElement[] => [...root(element).querySelectorAll<HTMLElement>('[part="mission"]')];
export const titlesOf = (element: DailyMissionsElement): string[] =>
  missionsOf(element).map((m) => m.querySelector('[part="mission-title"]')!.textContent!.trim());
/** The polite live region (role=status) of the card. */
export const liveRegion = (element: DailyMissionsElement): HTMLElement | null => root(element).querySelector<HTMLElement>('[role="status"]');
export const announcement = (element: DailyMissionsElement): string => liveRegion(element)?.textContent?.trim() ?? '';

/** Waits until the element shows `count` missions (a loaded, assigned day). */
export function missionsShown(element: DailyMissionsElement, count: number, timeoutMs = 8000): Promise<HTMLElement[]> {
  return until(() => missionsOf(element).length === count && missionsOf(element), timeoutMs, `${count} missions shown`);
}

export { everythingBatch } from '../../support/everything-batch.js';

/** The check a shipped template measures. */
export function checkOf(templateId: string): CheckName {
  const template = templates.find((t) => t.id === templateId);
  if (!template) throw new Error(`unknown template ${templateId}`);
  return template.check;
}

/**
 * Completes exactly one unfinished mission through host-provided stats (`element.stats`,
 * which goes through pushStats and fires the events): the one with the lowest target on
 * its check, so no other mission on the same check completes with it. Returns its
 * template id and title. `pushed` accumulates the counters already pushed for this user.
 */
export async function completeOneByStats(element: DailyMissionsElement, pushed: HostCounters): Promise<{ templateId: string; title: string }> {
  const open = missionsOf(element).filter((m) => m.dataset['completed'] === 'false');
  if (open.length === 0) throw new Error('no unfinished mission');
  const candidates = open.map((m) => {
    const templateId = m.dataset['templateId']!;
    const bar = m.querySelector('[part="progress"]')!;
    return { templateId, check: checkOf(templateId), target: Number(bar.getAttribute('aria-valuemax')), title: m.querySelector('[part="mission-title"]')!.textContent!.trim() };
  });
  candidates.sort((a, b) => a.target - b.target);
  const pick = candidates[0]!;
  pushed[pick.check] = Math.max(pushed[pick.check] ?? 0, pick.target);
  element.stats = { ...pushed };
  await until(() => missionsOf(element).find((m) => m.dataset['templateId'] === pick.templateId)?.dataset['completed'] === 'true', 8000, `${pick.templateId} completed`);
  return { templateId: pick.templateId, title: pick.title };
}

/** Removes every mounted widget and any wrapper the tests added. */
export function cleanUp(): void {
  document.querySelectorAll('daily-missions').forEach((element) => element.remove());
  document.querySelectorAll('[data-test-wrapper]').forEach((wrapper) => wrapper.remove());
}
