/**
 * The catalog browser: every template of the shipped catalog with its text, rules and
 * whether the engine could assign it right now to the learner in the widget, with
 * the reason when it could not (the engine's own `unassignableReason`).
 */
import { html, nothing, render } from 'lit';
import type { TemplateResult } from 'lit';
import { icon } from '../src/icons.js';
import { CHECK_FAMILY, LANGUAGES, unassignableReason } from '../worker/engine/index.js';
import type { CompiledCatalog, Family, TemplateRule, Weekday } from '../worker/engine/index.js';
import { BUTTONS_FOR_CHECK, CHECK_HINTS, RECORD_BUTTONS } from './activities.js';
import type { LearnerView } from './learner.js';
import { inWeekOrder, reasonText, selectionContext } from './learner.js';

/** Native names of the widget's languages, for pickers and column headings. */
export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  de: 'Deutsch',
  es: 'Español',
  fr: 'Français',
  el: 'Ελληνικά',
  pt: 'Português',
  tr: 'Türkçe',
  ja: '日本語',
  ar: 'العربية',
};

/** Languages written right to left among the supported ones. */
export const RTL_LANGUAGES = new Set(['ar']);

export const dirOf = (language: string) => (RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr');

const SHORT_WEEKDAY: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

export interface CatalogBrowserState {
  catalog: CompiledCatalog;
  /** A language code, or "all" for every language at once. */
  language: string;
  tracks: readonly Family[];
  /** The learner on the simulated day; null until it has been read. */
  view: LearnerView | null;
}

/** Whether each template is assignable now: null when it is, else the reason. */
export function assignability(state: CatalogBrowserState) {
  const { view } = state;
  return state.catalog.templates.map((template) => {
    const reason = view ? unassignableReason(template, selectionContext(view, state.tracks)) : null;
    return { template, reason, text: reason && view ? reasonText(reason, template, view) : null, onToday: view?.today.includes(template.id) ?? false };
  });
}

const buttonLabel = (id: string) => RECORD_BUTTONS.find((button) => button.id === id)?.label ?? id;

function textCell(catalog: CompiledCatalog, template: TemplateRule, language: string): TemplateResult {
  const languages = language === 'all' ? LANGUAGES : [language];
  return html`${languages.map((code) => {
    const text = catalog.text[code]?.[template.id];
    return html`<div class="template-text" lang=${code} dir=${dirOf(code)}>
      ${language === 'all' ? html`<span class="language-code">${code}</span> ` : nothing}<strong>${text?.title ?? template.id}</strong>
      <span class="description">${text?.description ?? ''}</span>
    </div>`;
  })}`;
}

function statusCell(row: ReturnType<typeof assignability>[number], hasView: boolean): TemplateResult {
  if (!hasView) return html`<span class="status">…</span>`;
  if (row.onToday) return html`<span class="status on-today">On today's list</span>${row.text ? html`<span class="reason">${row.text}</span>` : nothing}`;
  if (!row.text) return html`<span class="status assignable">Assignable</span>`;
  return html`<span class="status blocked">Not assignable</span><span class="reason">${row.text}</span>`;
}

function completeWith(template: TemplateRule): TemplateResult {
  const hint = CHECK_HINTS[template.check];
  return html`<ul class="button-names">${BUTTONS_FOR_CHECK[template.check].map((id) => html`<li>${buttonLabel(id)}</li>`)}</ul>${hint ? html`<span class="hint">${hint}</span>` : nothing}`;
}

/** One sentence on what the table shows, above it. */
function summary(state: CatalogBrowserState, rows: ReturnType<typeof assignability>): string {
  const view = state.view;
  if (!view) return 'Reading the learner…';
  const assignable = rows.filter((row) => row.reason === null).length;
  const mistakes = view.summary.openMistakes;
  return (
    `${assignable} of ${rows.length} templates could be assigned right now on ${view.day} to this ${view.tier} learner ` +
    `(${view.summary.lessonsCompleted} lessons, ${mistakes} open ${mistakes === 1 ? 'mistake' : 'mistakes'}), ` +
    `tracking ${state.tracks.length > 0 ? state.tracks.join(', ') : 'nothing'}; ${view.today.length} on today's list.`
  );
}

/** The rule of a template: what it counts and to how much, the family that feeds it, and when it is offered. */
function ruleCell(template: TemplateRule): TemplateResult {
  const days = template.days ? inWeekOrder(template.days).map((d) => SHORT_WEEKDAY[d]).join(', ') : 'every day';
  return html`<code class="check">${template.check}</code> → ${template.target}
    <span class="rule-detail">family <code>${CHECK_FAMILY[template.check]}</code> · ${days}</span>`;
}

/**
 * Six columns that fit a laptop screen without sideways scrolling; on a phone the rows
 * become cards (the `stacked-table` rule in demo.css), each cell named by its `data-label`.
 */
export function renderCatalogBrowser(container: HTMLElement, state: CatalogBrowserState): void {
  const rows = assignability(state);
  render(
    html`
      <p class="summary" id="catalog-summary">${summary(state, rows)}</p>
      <table class="catalog-table stacked-table">
        <caption class="visually-hidden">Mission templates of the shipped catalog</caption>
        <thead>
          <tr>
            <th scope="col">Template</th>
            <th scope="col">Kind</th>
            <th scope="col">Counts → target</th>
            <th scope="col" class="number">XP</th>
            <th scope="col">Right now</th>
            <th scope="col">Complete with</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) => html`<tr data-template-id=${row.template.id} data-assignable=${row.reason === null ? 'true' : 'false'}>
              <th scope="row" class="text-cell">
                <span class="icon-cell">${icon(row.template.icon)}<code>${row.template.icon}</code></span>
                ${textCell(state.catalog, row.template, state.language)}<code class="template-id">${row.template.id}</code>
              </th>
              <td data-label="Kind">${row.template.category} · <span class="difficulty ${row.template.difficulty}">${row.template.difficulty}</span></td>
              <td data-label="Counts → target" class="rule-cell">${ruleCell(row.template)}</td>
              <td data-label="XP" class="number">${row.template.xp}</td>
              <td data-label="Right now" class="status-cell">${statusCell(row, state.view !== null)}</td>
              <td data-label="Complete with" class="complete-cell">${completeWith(row.template)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    `,
    container,
  );
}
