/**
 * What `<daily-missions>` shows: pure templates of the element's state. Everything a
 * host passes in (catalog text included) goes into text bindings, never into markup.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ClientMission, DailyMissions } from '../client.js';
import type { MissionsErrorDetail } from '../errors.js';
import { fill, formatDuration, formatNumber, plural } from '../i18n/format.js';
import type { Locale } from '../i18n/types.js';
import { icon } from '../icons.js';

export interface ViewState {
  locale: Locale | null;
  daily: DailyMissions | null;
  error: MissionsErrorDetail | null;
  /** Epoch ms the countdown counts from. */
  time: number;
  /** The live region's text (the last celebration). */
  announcement: string;
  /** The reroll confirmation is open. */
  confirming: boolean;
  /** The attributes ask for another count or mix than today's list was assigned with. */
  shapeChanged: boolean;
}

/** The reroll confirmation's handlers (Lit calls them with the element as `this`). */
export interface ConfirmActions {
  open(): void;
  confirm(): void;
  close(): void;
  onKey(event: KeyboardEvent): void;
}

/** The card: a loading state until the words and the list are there, then the list. */
export function renderCard(state: ViewState, actions: ConfirmActions): TemplateResult | typeof nothing {
  const { locale, daily } = state;
  if (!locale || !daily) {
    return html`<section part="card" class="card" aria-busy="true"><p>${locale?.loading ?? ''}</p>${renderError(state.error, locale)}</section>`;
  }
  if (!daily.enabled) return nothing;
  return html`
    <section part="card" class="card" dir=${locale.dir} lang=${locale.code} aria-labelledby="title">
      <header>
        <h2 id="title">${locale.title}</h2>
        <span part="countdown" class="countdown">${fill(locale.resetsIn, { time: formatDuration(locale, daily.nextDayAt - state.time) })}</span>
      </header>
      ${renderError(state.error, locale)}
      ${daily.missions.length === 0
        ? html`<p part="empty" class="empty">${locale.empty}</p>`
        : html`<ul>${daily.missions.map((mission) => renderMission(locale, mission))}</ul>`}
      ${daily.allComplete ? html`<p class="all-done">${locale.allDone}</p>` : nothing}
      ${renderFooter(locale, daily, state, actions)}
      <div class="visually-hidden" role="status" aria-live="polite">${state.announcement}</div>
    </section>
  `;
}

/** A short note about a degraded state (a bad attribute or a refused activity is reported by event only). */
function renderError(error: MissionsErrorDetail | null, locale: Locale | null): TemplateResult | typeof nothing {
  // A bad attribute or one refused activity is the host's to handle: the event says which.
  if (!error || /^(invalid-input|activity)/.test(error.code)) return nothing;
  // Server mode: offline or signed out, the missions shown are not confirmed and will sync.
  return html`<p part="error" class="error">${locale?.[/^(server|unauth)/.test(error.code) ? 'willSync' : 'degraded'] ?? ''}</p>`;
}

function renderMission(locale: Locale, mission: ClientMission): TemplateResult {
  const percent = Math.round((mission.current / mission.target) * 100);
  const current = formatNumber(locale, mission.current);
  const target = formatNumber(locale, mission.target);
  const why = locale.why[mission.check];
  return html`
    <li
      part="mission"
      class="mission"
      data-template-id=${mission.templateId}
      data-category=${mission.category}
      data-difficulty=${mission.difficulty}
      data-completed=${mission.completed ? 'true' : 'false'}
    >
      <span class="icon">${icon(mission.icon, mission.completed)}</span>
      <div class="top">
        <span part="mission-title" class="title">${mission.title}</span>
        <span class="meta">
          <span class="badge ${mission.difficulty}">${locale.difficulty[mission.difficulty]}</span>
          <span part="xp" class="xp">${fill(locale.xp, { xp: formatNumber(locale, mission.xp) })}</span>
          ${mission.completed ? html`<span class="done">${locale.completed}</span>` : nothing}
        </span>
      </div>
      <p part="mission-description" class="description">${mission.description}</p>
      <div class="bar">
        <div
          part="progress"
          class="track"
          role="progressbar"
          aria-valuemin="0"
          aria-valuemax=${mission.target}
          aria-valuenow=${mission.current}
          aria-label=${fill(locale.progressLabel, { title: mission.title, current, target })}
        >
          <div class="fill" data-percent=${percent}></div>
        </div>
        <span class="count">${current} / ${target}</span>
      </div>
      ${!mission.completed && why
        ? html`<details><summary>${locale.whyToggle}</summary>${fill(plural(locale, why, mission.target), { current, target, remaining: formatNumber(locale, mission.target - mission.current) })}</details>`
        : nothing}
    </li>
  `;
}

/** The streak, the reroll button (or its confirmation) and the note about changed attributes. */
function renderFooter(locale: Locale, daily: DailyMissions, state: ViewState, actions: ConfirmActions): TemplateResult {
  const streak = daily.streak;
  const streakText =
    streak.status === 'none' ? locale.streakStart : plural(locale, locale.streakDays, streak.days).replace('{count}', formatNumber(locale, streak.days));
  const unfinished = daily.missions.some((m) => !m.completed);
  return html`
    <footer>
      <span class="streak">
        ${streakText}${streak.jokers > 0 ? html` · ${locale.jokerHeld}` : nothing}
        ${streak.status === 'needs-joker' ? html`<br />${locale.jokerWillBridge}` : nothing}
      </span>
      ${unfinished && !state.confirming
        ? daily.rerollsLeft > 0
          ? html`<button class="reroll" @click=${actions.open}>${locale.reroll}</button>`
          : html`<span class="note">${locale.rerollUsed}</span>`
        : nothing}
    </footer>
    ${state.shapeChanged ? html`<p class="note">${locale.changesApply}</p>` : nothing}
    ${state.confirming ? renderConfirm(locale, actions) : nothing}
  `;
}

/** The reroll confirmation: a group, not a modal dialog, so the page around it stays usable. */
function renderConfirm(locale: Locale, actions: ConfirmActions): TemplateResult {
  return html`<div class="confirm" role="group" aria-label=${locale.reroll} @keydown=${actions.onKey}>
    <span>${locale.rerollConfirm}</span>
    <div class="actions">
      <button class="primary" @click=${actions.confirm}>${locale.rerollYes}</button>
      <button class="keep" @click=${actions.close}>${locale.rerollNo}</button>
    </div>
  </div>`;
}
