/**
 * The event inspector: every public event the widget fires (docs/architecture.md §3), newest
 * first, with the real and simulated time it arrived and its `detail` as JSON,
 * exactly as a host's listener would receive it.
 */
import { html, render } from 'lit';
import type { TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

/** The widget's public events. */
export const WIDGET_EVENTS = ['missions-change', 'mission-complete', 'missions-all-complete', 'missions-error'] as const;
export type WidgetEventType = (typeof WIDGET_EVENTS)[number];

/** Entries kept: enough to scroll back through a session without slowing the page. */
const MAX_ENTRIES = 200;

export interface LoggedEvent {
  id: number;
  type: WidgetEventType;
  /** Wall-clock time it arrived, and the widget's (simulated) time. */
  at: number;
  simulatedAt: number;
  detail: unknown;
}

/** One line that says what an event was about, before its JSON. */
export function headline(type: WidgetEventType, detail: unknown): string {
  const d = detail as Record<string, unknown> | null;
  switch (type) {
    case 'missions-change': {
      const missions = (d?.['missions'] as { completed: boolean }[] | undefined) ?? [];
      return `${String(d?.['day'])}: ${missions.length} missions, ${missions.filter((m) => m.completed).length} done`;
    }
    case 'mission-complete': {
      const mission = d?.['mission'] as { title?: string } | undefined;
      return `${String(mission?.title)}, +${String(d?.['xp'])} XP`;
    }
    case 'missions-all-complete':
      return `${String(d?.['day'])}: all done, ${String(d?.['xp'])} XP today`;
    case 'missions-error':
      return `${String(d?.['code'])}: ${String(d?.['message'])}`;
  }
}

const time = (instant: number, timeZone?: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone }).format(instant);

export class EventInspector {
  private entries: LoggedEvent[] = [];
  private next = 1;

  constructor(
    private readonly container: HTMLElement,
    private readonly simulatedNow: () => number,
    private readonly zone: () => string,
  ) {
    this.render();
  }

  /** Listens for the public events on `target` (they bubble and are composed, so any ancestor would do). */
  watch(target: EventTarget): void {
    for (const type of WIDGET_EVENTS) target.addEventListener(type, (event) => this.add(type, (event as CustomEvent).detail));
  }

  add(type: WidgetEventType, detail: unknown): void {
    this.entries.unshift({ id: this.next++, type, at: Date.now(), simulatedAt: this.simulatedNow(), detail });
    this.entries.length = Math.min(this.entries.length, MAX_ENTRIES);
    this.render();
  }

  clear(): void {
    this.entries = [];
    this.render();
  }

  counts(): Record<WidgetEventType, number> {
    const counts = Object.fromEntries(WIDGET_EVENTS.map((type) => [type, 0])) as Record<WidgetEventType, number>;
    for (const entry of this.entries) counts[entry.type] += 1;
    return counts;
  }

  private entry(entry: LoggedEvent, newest: boolean): TemplateResult {
    return html`<li class="event ${entry.type}" data-event=${entry.type}>
      <details ?open=${newest}>
        <summary>
          <span class="event-type">${entry.type}</span>
          <span class="event-time">at ${time(entry.at)} (widget time ${time(entry.simulatedAt, this.zone())})</span>
          <span class="event-headline">${headline(entry.type, entry.detail)}</span>
        </summary>
        <pre class="event-detail"><code>${JSON.stringify(entry.detail, null, 2)}</code></pre>
      </details>
    </li>`;
  }

  private render(): void {
    const counts = this.counts();
    render(
      html`<p class="event-counts" id="event-counts">
          ${WIDGET_EVENTS.map((type) => html`<span class="event-count"><code>${type}</code> ${counts[type]}</span>`)}
        </p>
        ${this.entries.length === 0
          ? html`<p class="empty-log">No events yet. Record some activity or travel in time.</p>`
          : // Keyed, so an entry a designer opened stays open as newer ones arrive above it.
            html`<ol class="event-list" reversed>${repeat(this.entries, (entry) => entry.id, (entry, i) => this.entry(entry, i === 0))}</ol>`}`,
      this.container,
    );
  }
}
