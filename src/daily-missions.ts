/**
 * `<daily-missions>`: the element class. `src/index.ts` registers the tag.
 *
 * The class wires its parts together; each part is in src/element/ under its name:
 * - settings.ts: the attributes as worker call settings (pure functions);
 * - connection-controller.ts: the client, the subscription, the host's catalog, loading;
 * - clock-controller.ts: the countdown, the midnight rollover and the wake-ups;
 * - celebration-controller.ts: claiming, queueing and playing celebrations;
 * - view.ts: the templates.
 */
import { LitElement, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import type { ActivityInput } from '../worker/engine/activity.js';
import type { HostCounters } from '../worker/engine/stats.js';
import type { CompiledCatalog, Family, Mission } from '../worker/engine/types.js';
import type { Mix } from '../worker/engine/vocabulary.js';
import type { Intensity } from './celebration.js';
import { publicMission } from './client.js';
import type { AwardData, CallSettings, DailyMissions, RecordResponse } from './client.js';
import { celebrationController } from './element/celebration-controller.js';
import { clockController } from './element/clock-controller.js';
import { connectionController } from './element/connection-controller.js';
import { callSettings, requestedShape, shapeChanged } from './element/settings.js';
import type { Shape } from './element/settings.js';
import { renderCard } from './element/view.js';
import type { ConfirmActions } from './element/view.js';
import { MissionsError } from './errors.js';
import type { MissionsErrorDetail } from './errors.js';
import { supportedLanguage } from './i18n/catalog-text.js';
import { loadLocale } from './i18n/locales.js';
import type { Locale } from './i18n/types.js';
import { styles } from './styles.js';

export type Theme = 'light' | 'dark' | 'auto';

export interface MissionsChangeDetail {
  day: string;
  missions: Mission[];
}
export interface MissionCompleteDetail {
  day: string;
  mission: Mission;
  xp: number;
  /** Whose XP it is: the user the paying call was made for. */
  userId: string;
  /** The award's stable id (docs/architecture.md §6): credit XP under it, idempotently. */
  awardId: string;
  /** true: announced again, because the page that paid it closed (or showed another user) before announcing it. */
  redelivery: boolean;
  /** false: kept in memory only (no IndexedDB on this page). */
  durable: boolean;
}

export interface MissionsAllCompleteDetail {
  day: string;
  xp: number;
}

/**
 * `<daily-missions>`: today's missions for one learner, live.
 *
 * A thin view over the missions worker (through `connectMissions`'s client, less the
 * methods only a host's own pages call): it renders, fires the public events and
 * celebrates; assignment, evaluation and storage happen in the worker. Everything a
 * host passes in (catalog text included) is rendered as text.
 *
 * @fires missions-change - `{ day, missions }` whenever the list or any progress changes.
 * @fires mission-complete - `{ day, mission, xp, userId, awardId, redelivery, durable }` for each award, at least once (redelivered with the same `awardId` if the page that paid it closed first): credit XP here, keyed by `awardId`.
 * @fires missions-all-complete - `{ day, xp }` when the last mission of the day completes; `xp` is the day's total.
 * @fires missions-error - `{ code, message }` for degraded states (storage unavailable, invalid catalog, worker failed).
 *
 * @csspart card - The card around everything.
 * @csspart mission - One mission (`data-template-id`, `data-category`, `data-difficulty`, `data-completed`).
 * @csspart mission-title - A mission's title.
 * @csspart mission-description - A mission's one-line description.
 * @csspart progress - A mission's progress bar (role=progressbar).
 * @csspart xp - A mission's XP reward.
 * @csspart countdown - Time left until new missions.
 * @csspart empty - Shown when there are no missions today.
 * @csspart error - A short note about a degraded state.
 *
 * @cssprop --dm-background - Card background.
 * @cssprop --dm-surface - Mission background.
 * @cssprop --dm-text - Main text colour.
 * @cssprop --dm-muted - Secondary text colour.
 * @cssprop --dm-border - Card border colour.
 * @cssprop --dm-accent - Buttons and icons.
 * @cssprop --dm-accent-text - Text on the accent colour.
 * @cssprop --dm-progress-track - Progress bar track.
 * @cssprop --dm-progress-fill - Progress bar fill.
 * @cssprop --dm-progress-done - Progress bar fill of a completed mission.
 * @cssprop --dm-done - "Done" text and completed icons.
 * @cssprop --dm-focus - Focus ring colour.
 * @cssprop --dm-warning-bg - Background of the degraded-state note.
 * @cssprop --dm-warning-text - Text of the degraded-state note.
 * @cssprop --dm-easy - Easy badge colour.
 * @cssprop --dm-medium - Medium badge colour.
 * @cssprop --dm-hard - Hard badge colour.
 * @cssprop --dm-radius - Card corner radius.
 * @cssprop --dm-radius-small - Mission and button corner radius.
 * @cssprop --dm-font - Font family.
 * @cssprop --dm-font-size - Base font size.
 * @cssprop --dm-gap - Space between blocks.
 * @cssprop --dm-padding - Card padding.
 * @cssprop --dm-progress-height - Progress bar thickness.
 * @cssprop --dm-shadow - Card shadow.
 *
 * @tag daily-missions
 */
export class DailyMissionsElement extends LitElement {
  static override styles = styles;

  static override properties = {
    userId: { attribute: 'user-id' },
    lang: { reflect: true },
    timeZone: { attribute: 'time-zone' },
    count: { type: Number },
    difficulty: {},
    celebration: {},
    noSound: { type: Boolean, attribute: 'no-sound' },
    noConfetti: { type: Boolean, attribute: 'no-confetti' },
    disabled: { type: Boolean, reflect: true },
    theme: { reflect: true },
    tracks: { attribute: false },
    catalog: { attribute: false },
    workerUrl: { attribute: false },
    server: {},
    getToken: { attribute: false },
    now: { attribute: false },
    stats: { attribute: false },
    _daily: { state: true },
    _locale: { state: true },
    _error: { state: true },
    _confirming: { state: true },
  };

  /** The learner. Required: nothing is assigned without it. */
  declare userId: string;
  /** Language of the widget (default: the document's, then the browser's; unknown → English). */
  declare lang: string;
  /** IANA time zone of the learner's days (default: the browser's). */
  declare timeZone: string;
  /** Missions per day, 1 to 3 (default 3). */
  declare count: number | undefined;
  /** Difficulty mix: balanced, easy, challenging or auto (default balanced). */
  declare difficulty: Mix | undefined;
  /** How much celebration: subtle, normal or enthusiastic (default normal). */
  declare celebration: Intensity;
  /** No sounds. */
  declare noSound: boolean;
  /** No confetti. */
  declare noConfetti: boolean;
  /** Missions off: renders nothing, assigns nothing, records nothing. */
  declare disabled: boolean;
  /** light, dark or auto (default auto, from prefers-color-scheme). */
  declare theme: Theme;
  /** Event families the host reports (default lessons and elements). Property only. */
  declare tracks: Family[] | undefined;
  /** A compiled catalog to use instead of the shipped one. Property only. */
  declare catalog: CompiledCatalog | undefined;
  /** Where the worker script is (default: next to this module). Property only. */
  declare workerUrl: string | URL | undefined;
  /**
   * Server mode: the base URL of a daily-missions server (docs/server.md). The server
   * decides who the learner is; `user-id` then only names this browser's cache.
   */
  declare server: string | undefined;
  /** Server mode: resolves to the learner's bearer token; asked before requests and again after a 401. Property only. */
  declare getToken: (() => string | null | undefined | Promise<string | null | undefined>) | undefined;
  /** The clock, epoch ms (default Date.now); the demo and tests move time with it. */
  declare now: () => number;
  /** Today's counters from a host that keeps its own learning data (docs/architecture.md §5.7). Property only. */
  declare stats: HostCounters | undefined;

  /** @internal */
  declare private _daily: DailyMissions | null;
  /** @internal */
  declare private _locale: Locale | null;
  /** @internal */
  declare private _error: MissionsErrorDetail | null;
  /** @internal */
  declare private _confirming: boolean;

  // The element's own parts are #private: out of a host's reach at run time, not only in
  // the types, and a minifier may shorten their names (measured: 100 B of gzip on the entry).
  readonly #connection = connectionController(this, {
    onError: (detail) => this.#setError(detail),
    // Another tab or a lesson page changed this learner's missions: show them. Events
    // belong to the caller that recorded. A completion is celebrated here only while this
    // page has focus (a client on this page, or the tab the learner is looking at);
    // a background tab leaves it to the widget the learner sees, or to its next wake-up.
    onChangedElsewhere: () => void this.#load(document.hasFocus()),
  });

  readonly #clock = clockController(this, {
    onNewDay: () => void this.#load(true),
    onWake: () => {
      void this.#celebrations.flush();
      if (this._daily) void this.#celebrations.claimUncelebrated();
    },
  });

  readonly #celebrations = celebrationController(this, this.#connection, {
    settings: () => this.#settings(),
    daily: () => this._daily,
    locale: () => this._locale ?? loadLocale(this.#language()),
    onFailure: (error) => this.#reportError(error),
  });

  /** The reroll confirmation's buttons and keys. */
  readonly #confirmActions: ConfirmActions = {
    open: () => void this.#showConfirm(true, '.confirm button.keep'),
    confirm: async () => {
      this._confirming = false;
      await this.reroll();
      await this.#focusAfterUpdate('button.reroll');
    },
    close: () => void this.#showConfirm(false, 'button.reroll'),
    // Escape in the confirmation means "keep them", as in any dialog.
    onKey: (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      this.#confirmActions.close();
    },
  };

  #lastChange = '';
  #lastSettingProblems = '';
  /** The count and mix today's list was assigned with (a changed attribute applies tomorrow). */
  #assignedWith: Shape | null = null;

  constructor() {
    super();
    this.userId = '';
    this.lang = '';
    this.timeZone = '';
    this.celebration = 'normal';
    this.noSound = false;
    this.noConfetti = false;
    this.disabled = false;
    this.theme = 'auto';
    this.now = Date.now;
    this._daily = null;
    this._locale = null;
    this._error = null;
    this._confirming = false;
  }

  // ---- public API -------------------------------------------------------------

  /**
   * Records one activity or a batch and resolves to the missions newly completed by
   * this call, each with `userId` and `awardId`. A disabled widget records nothing and
   * resolves to `[]`. Invalid input (or no `user-id`) rejects with a MissionsError
   * naming the field; nothing of the batch is stored. A call the worker could not
   * answer, even on a fresh worker, rejects with its code (`worker-timeout`): retrying
   * it is safe, as each activity is stored once under its `id`. The call belongs to the
   * user it was made for: if `user-id` changed meanwhile, its awards are announced by
   * that user's next widget, never by this one.
   */
  async record(activity: ActivityInput | ActivityInput[]): Promise<Mission[]> {
    if (this.disabled) return [];
    const userId = this.userId;
    if (!userId) throw new MissionsError('invalid-input', 'user-id: is required to record', { field: 'user-id' });
    const client = this.#connection.ensure();
    try {
      const result = await client.record(userId, activity, { ...this.#settings(), celebrate: true });
      if (this.userId === userId) {
        this.#applyDaily(result.daily);
        this.#announceCompletions(userId, result);
      }
      return result.completed;
    } catch (error) {
      if (!(error instanceof MissionsError && (error.code === 'invalid-input' || error.code === 'invalid-catalog'))) this.#reportError(error);
      throw error;
    }
  }

  /** Reloads today's missions (after a host-side change, for example). */
  async refresh(): Promise<void> {
    await this.#load(false);
  }

  /** Replaces today's unfinished missions (once a day by default). Resolves whether it happened. */
  async reroll(): Promise<boolean> {
    if (this.disabled || !this.userId) return false;
    const userId = this.userId;
    try {
      const result = await this.#connection.ensure().reroll(userId, this.#settings());
      // Another learner's day is never shown here (user-id changed while it ran).
      if (this.userId === userId) {
        this.#applyDaily(result.daily);
        this.#assignedWith = requestedShape(this);
      }
      return result.refused === null;
    } catch (error) {
      this.#reportError(error);
      return false;
    }
  }

  // ---- lifecycle --------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lang') || !this._locale) void this.#loadLanguage();
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.disabled || !this.userId) return nothing;
    return renderCard(
      {
        locale: this._locale,
        daily: this._daily,
        error: this._error,
        time: this.#clock.time,
        announcement: this.#celebrations.announcement,
        confirming: this._confirming,
        shapeChanged: shapeChanged(this.#assignedWith, this),
      },
      this.#confirmActions,
    );
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.#sizeProgressBars();
    this.#celebrations.warmUp();
    // A new clock (the demo's time travel, a test) may mean another day: read again.
    const reload = ['userId', 'timeZone', 'disabled', 'workerUrl', 'server', 'tracks', 'lang', 'now'] as const;
    if (changed.has('catalog')) void this.#registerCatalog();
    else if (reload.some((key) => changed.has(key)) && this.isConnected) void this.#load(true);
    if (changed.has('stats') && this.stats) void this.#pushStats(this.stats);
  }

  /**
   * Progress widths are set through the CSSOM after each render: a `style` attribute in
   * the template (even through styleMap) is an inline style that a Content-Security-Policy
   * without 'unsafe-inline' styles blocks, and the bars would all look full.
   */
  #sizeProgressBars(): void {
    for (const fill of this.renderRoot.querySelectorAll<HTMLElement>('.fill')) {
      fill.style.inlineSize = `${fill.dataset['percent'] ?? 0}%`;
    }
  }

  async #loadLanguage(): Promise<void> {
    const locale = await loadLocale(this.#language());
    if (this.#language() === locale.code) this._locale = locale;
  }

  /** The widget's language: its `lang`, the document's, the browser's; unsupported → en. */
  #language(): string {
    return supportedLanguage(this.lang || document.documentElement.lang || navigator.language);
  }

  #settings(): CallSettings {
    const { settings, problems } = callSettings(this, this.#language(), this.#connection.catalogId);
    this.#reportSettingProblems(problems);
    return settings;
  }

  /** Attribute values the widget cannot use are reported once each (it goes on with the defaults). */
  #reportSettingProblems(problems: string[]): void {
    const key = problems.join('; ');
    if (key === this.#lastSettingProblems) return;
    this.#lastSettingProblems = key;
    if (key) this.#emit<MissionsErrorDetail>('missions-error', { code: 'invalid-input', message: `${key} (using the default)` });
  }

  // ---- the worker's answers ---------------------------------------------------

  async #registerCatalog(): Promise<void> {
    try {
      await this.#connection.useCatalog(this.catalog);
    } catch (error) {
      this.#reportError(error);
    }
    if (this.isConnected) await this.#load(true);
  }

  /** Loads today's missions; `claim` also celebrates completions nobody has celebrated yet. */
  async #load(claim: boolean): Promise<void> {
    if (this.disabled || !this.userId) {
      this._daily = null;
      return;
    }
    try {
      const daily = await this.#connection.load(this.userId, () => this.#settings());
      if (!daily) return;
      if (!this._daily || this._daily.day !== daily.day) this.#assignedWith = requestedShape(this);
      this.#applyDaily(daily);
      await this.#redeliver(this.userId);
      if (claim) await this.#celebrations.claimUncelebrated();
    } catch (error) {
      this.#reportError(error);
    }
  }

  async #pushStats(stats: HostCounters): Promise<void> {
    if (this.disabled || !this.userId) return;
    const userId = this.userId;
    try {
      const result = await this.#connection.ensure().pushStats(userId, stats, { ...this.#settings(), celebrate: true });
      if (this.userId !== userId) return;
      this.#applyDaily(result.daily);
      this.#announceCompletions(userId, result);
    } catch (error) {
      this.#reportError(error);
    }
  }

  #applyDaily(daily: DailyMissions): void {
    // Server mode offline before the server assigned anything: no list to show yet (the
    // card stays "loading" with its will-sync note), and no missions-change of an empty one.
    if (daily.status.confirmed === false && !daily.missions.length) return void (this._daily = null);
    this._daily = daily;
    // Storage works again (or the page's own engine runs on IndexedDB): the note goes.
    if (!daily.status.error && this._error && this._error.code !== 'invalid-input') this._error = null;
    this.#clock.follow(daily.nextDayAt);
    const missions = daily.missions.map(publicMission);
    const signature = JSON.stringify([daily.day, missions.map((m) => [m.templateId, m.current, m.completed])]);
    if (signature !== this.#lastChange) {
      this.#lastChange = signature;
      this.#emit<MissionsChangeDetail>('missions-change', { day: daily.day, missions });
    }
  }

  // ---- events and errors ------------------------------------------------------

  /** Every public event bubbles out of the shadow root (composed) to the host page. */
  #emit<T>(type: string, detail: T): void {
    const event = new CustomEvent<T>(type, { detail, bubbles: true, composed: true });
    this.dispatchEvent(event);
  }

  #setError(detail: MissionsErrorDetail): void {
    this._error = detail;
    this.#emit<MissionsErrorDetail>('missions-error', detail);
  }

  #reportError(error: unknown): void {
    const failure = error instanceof MissionsError ? error : new MissionsError('worker-unavailable', (error as Error)?.message ?? String(error));
    this.#setError({ code: failure.code, message: failure.message });
  }

  /** Fires the events of this tab's own completions, records their delivery, and celebrates them (once, claimed). */
  #announceCompletions(userId: string, result: RecordResponse): void {
    const { completed, awards, allCompleted: all } = result;
    completed.forEach((mission, i) => this.#announceAward(awards[i]!, publicMission(mission), false));
    this.#acknowledge(userId, awards.map((a) => a.awardId));
    if (all) this.#emit<MissionsAllCompleteDetail>('missions-all-complete', all);
    void this.#celebrations.celebrateOwn(result.celebrations, all);
  }

  #announceAward(award: AwardData, mission: Mission, redelivery: boolean): void {
    const { day, xp, userId, awardId, durable } = award;
    this.#emit<MissionCompleteDetail>('mission-complete', { day, mission, xp, userId, awardId, redelivery, durable });
  }

  /** Records delivery after the events went out; an award not acknowledged is announced again later. */
  #acknowledge(userId: string, awardIds: string[]): void {
    if (awardIds.length > 0) void this.#connection.client?.acknowledgeAwards(userId, awardIds).catch(() => undefined);
  }

  /**
   * Announces the learner's awards that were paid but never announced (the paying tab
   * closed, reloaded or showed another user first), marked as redeliveries; other
   * widgets starting at the same moment do not get the same ones (the worker leases them).
   */
  async #redeliver(userId: string): Promise<void> {
    const pending = await this.#connection.ensure().claimAwards(userId, this.#settings());
    if (pending.length === 0 || this.userId !== userId) return;
    for (const { award, mission } of pending) this.#announceAward(award, publicMission(mission), true);
    this.#acknowledge(userId, pending.map((p) => p.award.awardId));
  }

  // ---- the reroll confirmation ------------------------------------------------

  async #showConfirm(open: boolean, focus: string): Promise<void> {
    this._confirming = open;
    await this.#focusAfterUpdate(focus);
  }

  async #focusAfterUpdate(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(selector)?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'daily-missions': DailyMissionsElement;
  }
  interface GlobalEventHandlersEventMap {
    'missions-change': CustomEvent<MissionsChangeDetail>;
    'mission-complete': CustomEvent<MissionCompleteDetail>;
    'missions-all-complete': CustomEvent<MissionsAllCompleteDetail>;
    'missions-error': CustomEvent<MissionsErrorDetail>;
  }
}
