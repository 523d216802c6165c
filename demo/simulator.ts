/**
 * The 30-day simulator: the engine's `simulateDays` (the generator the worker runs)
 * for one kind of learner, shown as a compact table of each day's picks and a bar
 * chart of how often each template came up. Plain DOM and SVG.
 */
import { html, nothing, render, svg } from 'lit';
import type { TemplateResult } from 'lit';
import { simulateDays } from '../worker/engine/index.js';
import type { CompiledCatalog, Family, LearnerProfileName, Mix, Simulation, UnassignableReason } from '../worker/engine/index.js';
import { dirOf } from './catalog-browser.js';

export const SIMULATED_DAYS = 30;

export interface SimulatorInput {
  profile: LearnerProfileName;
  mix: Mix;
  count: number;
  tracks: Family[];
  start: string;
  userId: string;
  /** Language of the mission titles in the table. */
  language: string;
}

/** Runs the simulation; a message instead when the input cannot be simulated. */
export function simulate(catalog: CompiledCatalog, input: SimulatorInput): Simulation | string {
  if (input.tracks.length === 0) return 'Tick at least one event family: with nothing tracked no mission can be assigned.';
  try {
    return simulateDays(catalog, { profile: input.profile, start: input.start, days: SIMULATED_DAYS, mix: input.mix, count: input.count, tracks: input.tracks, userId: input.userId });
  } catch (error) {
    return (error as Error).message;
  }
}

/** Short words for why a template never came up (the chart has room for little). */
const NEVER_BECAUSE: Record<UnassignableReason, string> = {
  untracked: 'family not tracked',
  'not-today': 'not on that weekday',
  'category-locked': 'category locked for this learner',
  'assigned-yesterday': 'assigned the day before',
  'already-met': 'already met',
  'out-of-reach-today': 'streak too short',
};

const BAR = { row: 22, label: 190, width: 300, gap: 6, tail: 230 };

function chart(catalog: CompiledCatalog, simulation: Simulation): TemplateResult {
  const categories = new Map(catalog.templates.map((t) => [t.id, t.category]));
  const most = Math.max(1, ...simulation.usage.map((u) => u.days));
  const height = simulation.usage.length * BAR.row + 8;
  const width = BAR.label + BAR.width + BAR.tail;
  return html`<svg class="usage-chart" viewBox="0 0 ${width} ${height}" width=${width} height=${height} role="img" aria-labelledby="usage-title usage-desc">
    <title id="usage-title">Days each template was assigned, out of ${simulation.days.length}</title>
    <desc id="usage-desc">${simulation.usage.map((u) => `${u.id}: ${u.days}`).join('; ')}</desc>
    ${simulation.usage.map((usage, i) => {
      const y = i * BAR.row + 4;
      const length = (usage.days / most) * BAR.width;
      const note = usage.days > 0 ? `${usage.days} ${usage.days === 1 ? 'day' : 'days'}` : `never: ${usage.reason ? NEVER_BECAUSE[usage.reason] : 'not drawn'}`;
      return svg`<g class="bar-row" data-template-id=${usage.id}>
        <text class="bar-label" x=${BAR.label - BAR.gap} y=${y + 14} text-anchor="end">${usage.id}</text>
        <rect class="bar-track" x=${BAR.label} y=${y + 2} width=${BAR.width} height="14" rx="3"></rect>
        <rect class="bar ${categories.get(usage.id) ?? ''}" x=${BAR.label} y=${y + 2} width=${Math.max(length, usage.days > 0 ? 2 : 0)} height="14" rx="3"></rect>
        <text class="bar-value ${usage.days === 0 ? 'never' : ''}" x=${BAR.label + Math.max(length, 0) + BAR.gap} y=${y + 14}>${note}</text>
      </g>`;
    })}
  </svg>`;
}

function dayTable(catalog: CompiledCatalog, simulation: Simulation, language: string): TemplateResult {
  const byId = new Map(catalog.templates.map((t) => [t.id, t]));
  const titles = catalog.text[language] ?? catalog.text['en'] ?? {};
  return html`<div class="table-scroll" role="region" aria-label="Assignments per day" tabindex="0">
    <table class="simulation-table">
      <caption class="visually-hidden">Missions assigned on each simulated day</caption>
      <thead>
        <tr><th scope="col">Day</th><th scope="col">Tier</th><th scope="col">Mix</th><th scope="col">Missions</th></tr>
      </thead>
      <tbody>
        ${simulation.days.map(
          (day) => html`<tr data-day=${day.day}>
            <th scope="row"><span class="weekday">${day.weekday}</span> ${day.day}</th>
            <td>${day.tier}</td>
            <td>${day.mix}</td>
            <td>
              <ul class="chips">
                ${day.templates.map((id) => {
                  const template = byId.get(id);
                  return html`<li class="chip ${template?.difficulty ?? ''}" data-template-id=${id} lang=${language} dir=${dirOf(language)} title=${id}>${titles[id]?.title ?? id}</li>`;
                })}
              </ul>
              ${day.short ? html`<span class="short">fewer than asked: nothing else was assignable</span>` : nothing}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

export function renderSimulation(container: HTMLElement, catalog: CompiledCatalog, input: SimulatorInput, result: Simulation | string): void {
  if (typeof result === 'string') {
    render(html`<p class="problem" role="alert">${result}</p>`, container);
    return;
  }
  const never = result.usage.filter((u) => u.days === 0).length;
  render(
    html`
      <p class="summary" id="simulation-summary">
        ${result.days.length} days from ${input.start} for a <strong>${input.profile}</strong> learner, ${input.mix} mix, ${input.count}
        ${input.count === 1 ? 'mission' : 'missions'} a day, tracking ${input.tracks.join(', ')}: ${result.usage.length - never} of
        ${result.usage.length} templates came up.
      </p>
      <div class="simulation">
        <section aria-labelledby="simulation-days-title">
          <h3 id="simulation-days-title">Each day</h3>
          ${dayTable(catalog, result, input.language)}
        </section>
        <section aria-labelledby="simulation-chart-title">
          <h3 id="simulation-chart-title">How often each template came up</h3>
          <figure class="chart-figure">
            <div class="chart-scroll">${chart(catalog, result)}</div>
            <figcaption>Bars coloured by category:
              <span class="legend learning">learning</span> <span class="legend review">review</span>
              <span class="legend mastery">mastery</span> <span class="legend exploration">exploration</span>
              <span class="legend streak">streak</span>.
            </figcaption>
          </figure>
        </section>
      </div>
    `,
    container,
  );
}
