/**
 * The 30-day simulator: the engine's `simulateDays` (the generator the worker runs)
 * for one kind of learner, shown as a compact table of each day's picks and a bar
 * chart of how often each template came up. Plain DOM.
 */
import { html, nothing, render } from 'lit';
import type { TemplateResult } from 'lit';
import { CATEGORIES, DIFFICULTIES, simulateDays } from '../worker/engine/index.js';
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

/**
 * How many days each template came up, as a list of bars (HTML, so the labels keep their
 * size and wrap under the bar on a phone instead of shrinking with a scaled picture).
 */
function chart(catalog: CompiledCatalog, simulation: Simulation): TemplateResult {
  const categories = new Map(catalog.templates.map((t) => [t.id, t.category]));
  const most = Math.max(1, ...simulation.usage.map((u) => u.days));
  return html`<ol class="usage-chart" aria-labelledby="simulation-chart-title">
    ${simulation.usage.map((usage) => {
      const note = usage.days > 0 ? `${usage.days} ${usage.days === 1 ? 'day' : 'days'}` : `never: ${usage.reason ? NEVER_BECAUSE[usage.reason] : 'not drawn'}`;
      const width = `inline-size: ${((usage.days / most) * 100).toFixed(1)}%`;
      return html`<li class="bar-row" data-template-id=${usage.id}>
        <code class="bar-label">${usage.id}</code>
        <span class="bar-track" aria-hidden="true"><span class="bar" data-category=${categories.get(usage.id) ?? ''} style=${width}></span></span>
        <span class="bar-value ${usage.days === 0 ? 'never' : ''}">${note}</span>
      </li>`;
    })}
  </ol>`;
}

/*
 * The two colourings side by side, each with its key above it: the day pills by difficulty,
 * the bars by category. Keys and marks share one colour rule each in demo.css.
 */
function difficultyLegend(): TemplateResult {
  return html`<p class="colour-key difficulty-legend">
    Each pill is a mission, outlined in its difficulty's colour:
    ${DIFFICULTIES.map((difficulty) => html`<span class="chip-key" data-difficulty=${difficulty}>${difficulty}</span> `)}
  </p>`;
}

function categoryLegend(): TemplateResult {
  return html`<p class="colour-key category-legend">
    Bars are coloured by category:
    ${CATEGORIES.map((category) => html`<span class="bar-key" data-category=${category}>${category}</span> `)}
  </p>`;
}

function dayTable(catalog: CompiledCatalog, simulation: Simulation, language: string): TemplateResult {
  const byId = new Map(catalog.templates.map((t) => [t.id, t]));
  const titles = catalog.text[language] ?? catalog.text['en'] ?? {};
  return html`<div class="table-scroll" role="region" aria-label="Assignments per day" tabindex="0">
    <table class="simulation-table stacked-table">
      <caption class="visually-hidden">Missions assigned on each simulated day</caption>
      <thead>
        <tr><th scope="col">Day</th><th scope="col">Tier</th><th scope="col">Mix</th><th scope="col">Missions</th></tr>
      </thead>
      <tbody>
        ${simulation.days.map(
          (day) => html`<tr data-day=${day.day}>
            <th scope="row"><span class="weekday">${day.weekday}</span> ${day.day}</th>
            <td data-label="Tier">${day.tier}</td>
            <td data-label="Mix">${day.mix}</td>
            <td data-label="Missions">
              <ul class="chips">
                ${day.templates.map((id) => {
                  const template = byId.get(id);
                  return html`<li class="chip" data-difficulty=${template?.difficulty ?? ''} data-template-id=${id} lang=${language} dir=${dirOf(language)} title=${id}>${titles[id]?.title ?? id}</li>`;
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
          ${difficultyLegend()}
          ${dayTable(catalog, result, input.language)}
        </section>
        <section aria-labelledby="simulation-chart-title">
          <h3 id="simulation-chart-title">How often each template came up</h3>
          ${categoryLegend()}
          ${chart(catalog, result)}
        </section>
      </div>
    `,
    container,
  );
}
