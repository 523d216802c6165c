/**
 * `<daily-missions>`: the element class. `src/index.ts` registers the tag.
 */
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import type { ActivityInput } from '../worker/engine/activity.js';
import type { HostCounters } from '../worker/engine/stats.js';
import type { CompiledCatalog, Family, Mission } from '../worker/engine/types.js';
import type { Intensity } from './celebration.js';
import { connectMissions, publicMission } from './client.js';
import type { CallSettings, ClientMission, DailyMissions, MissionsClient } from './client.js';
import { MissionsError } from './errors.js';
import type { MissionsErrorDetail } from './errors.js';
import { fill, formatDuration, formatNumber, plural } from './i18n/format.js';
import { supportedLanguage } from './i18n/catalog-text.js';
import { loadLocale } from './i18n/locales.js';
import type { Locale } from './i18n/types.js';
import { icon } from './icons.js';
import { styles } from './styles.js';

export type Difficulty = 'balanced' | 'easy' | 'challenging' | 'auto';
export type Theme = 'light' | 'dark' | 'auto';

export interface MissionsChangeDetail {
  day: string;
  missions: Mission[];
}
export interface MissionCompleteDetail {
  day: string;
  mission: Mission;
  xp: number;
}
export interface MissionsAllCompleteDetail {
  day: string;
  xp: number;
}

/** How often the countdown and the midnight check run while the page is visible. */
const TICK_MS = 15_000;

// The element keeps its own copies of the mix names and of the zone check: importing the
// engine's MIXES or isValidTimeZone pulls engine modules into the main-thread entry
// (measured: +0.4 kB and +2.5 kB gzip). The worker still validates every call.
const MIXES: readonly string[] = ['balanced', 'easy', 'challenging', 'auto'];

let checkedZone = { zone: '', known: false };

/** Whether the browser knows the IANA zone (asked once per zone in a row: formatters are costly). */
function isKnownZone(zone: string): boolean {
  if (checkedZone.zone !== zone) {
    let known = true;
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      known = false;
    }
    checkedZone = { zone, known };
  }
  return checkedZone.known;
}

/**
 * The per-call settings the attributes ask for, keeping only values the worker accepts:
 * a typo in an attribute must not leave the widget loading for ever, so a bad value is
 * dropped (the default applies) and named in `problems`. The `time-zone` attribute goes
 * as a per-call preference too, so it wins over a zone stored with setPreferences.
 */
function usableSettings(host: { count: number | undefined; difficulty: string | undefined; timeZone: string; tracks: Family[] | undefined }) {
  const preferences: NonNullable<CallSettings['preferences']> = {};
  const problems: string[] = [];
  const { count, difficulty, timeZone, tracks } = host;
  if (count !== undefined && count !== null) {
    if (Number.isInteger(count) && count >= 1 && count <= 3) preferences.count = count;
    else problems.push(`count: must be 1, 2 or 3, got ${JSON.stringify(String(count))}`);
  }
  if (difficulty) {
    if (MIXES.includes(difficulty)) preferences.mix = difficulty as Difficulty;
    else problems.push(`difficulty: must be one of ${MIXES.join(', ')}, got ${JSON.stringify(difficulty)}`);
  }
  if (tracks) preferences.tracks = tracks;
  let zone = '';
  if (timeZone) {
    if (isKnownZone(timeZone)) zone = preferences.timeZone = timeZone;
    else problems.push(`time-zone: must be an IANA time zone such as "Europe/Berlin", got ${JSON.stringify(timeZone)}`);
  }
  return { preferences, timeZone: zone, problems };
}
/** How long a released connection waits for the element to come back (a DOM move). */
const RELEASE_DELAY_MS = 1_000;



/**
 * `<daily-missions>`: today's missions for one learner, live.
 *
 * A thin view over the missions worker (through `connectMissions`): it renders, fires
 * the public events and celebrates; assignment, evaluation and storage happen in the
 * worker. Everything a host passes in (catalog text included) is rendered as text.
 *
 * @fires missions-change - `{ day, missions }` whenever the list or any progress changes.
 * @fires mission-complete - `{ day, mission, xp }` once per mission per user and day, in the tab that recorded it: credit XP here.
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
    now: { attribute: false },
    stats: { attribute: false },
    _daily: { state: true },
    _locale: { state: true },
    _error: { state: true },
    _confirming: { state: true },
    _clock: { state: true },
    _announcement: { state: true },
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
  declare difficulty: Difficulty | undefined;
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
  /** @internal */
  declare private _clock: number;
  /** @internal */
  declare private _announcement: string;

  private client: MissionsClient | null = null;
  private clientUrl = '';
  private releaseTimer: ReturnType<typeof setTimeout> | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private midnightTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | null = null;
  private catalogId: string | undefined;
  private lastChange = '';
  private loadToken = 0;
  private pendingCelebrations: { missions: Mission[]; all: { day: string; xp: number } | null }[] = [];
  private assignedWith: { count: number; mix: string } | null = null;

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
    this._clock = 0;
    this._announcement = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    clearTimeout(this.releaseTimer);
    document.addEventListener('visibilitychange', this.onWake);
    window.addEventListener('pageshow', this.onWake);
    window.addEventListener('focus', this.onWake);
    this.startTicking();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onWake);
    window.removeEventListener('pageshow', this.onWake);
    window.removeEventListener('focus', this.onWake);
    this.stopTicking();
    // A DOM move disconnects and reconnects at once: keep the worker for a moment.
    this.releaseTimer = setTimeout(() => this.releaseClient(), RELEASE_DELAY_MS);
  }

  // ---- public API -------------------------------------------------------------

  /**
   * Records one activity or a batch and resolves to the missions newly completed by
   * this call. A disabled widget records nothing and resolves to `[]`. Invalid input
   * rejects with a MissionsError naming the field; nothing of the batch is stored.
   */
  async record(activity: ActivityInput | ActivityInput[]): Promise<Mission[]> {
    if (this.disabled || !this.userId) return [];
    const client = this.ensureClient();
    try {
      const result = await client.record(this.userId, activity, this.settings());
      this.applyDaily(result.daily);
      this.announceCompletions(result.completedDays, result.completed, result.allCompleted);
      return result.completed;
    } catch (error) {
      if (error instanceof MissionsError && (error.code === 'invalid-input' || error.code === 'invalid-catalog')) throw error;
      this.reportError(error);
      return [];
    }
  }

  /** Reloads today's missions (after a host-side change, for example). */
  async refresh(): Promise<void> {
    await this.load(false);
  }

  /** Replaces today's unfinished missions (once a day by default). Resolves whether it happened. */
  async reroll(): Promise<boolean> {
    if (this.disabled || !this.userId) return false;
    try {
      const result = await this.ensureClient().reroll(this.userId, this.settings());
      this.applyDaily(result.daily);
      this.assignedWith = this.requestedShape();
      return result.refused === null;
    } catch (error) {
      this.reportError(error);
      return false;
    }
  }

  // ---- lifecycle --------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lang') || !this._locale) void this.loadLanguage();
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.sizeProgressBars();
    // A new clock (the demo's time travel, a test) may mean another day: read again.
    const reload = ['userId', 'timeZone', 'disabled', 'workerUrl', 'tracks', 'lang', 'now'] as const;
    if (changed.has('catalog')) void this.registerCatalog();
    else if (reload.some((key) => changed.has(key)) && this.isConnected) void this.load(true);
    if (changed.has('stats') && this.stats) void this.pushStats(this.stats);
  }

  /**
   * Progress widths are set through the CSSOM after each render: a `style` attribute in
   * the template (even through styleMap) is an inline style that a Content-Security-Policy
   * without 'unsafe-inline' styles blocks, and the bars would all look full.
   */
  private sizeProgressBars(): void {
    for (const fill of this.renderRoot.querySelectorAll<HTMLElement>('.fill')) {
      fill.style.inlineSize = `${fill.dataset['percent'] ?? 0}%`;
    }
  }

  private async loadLanguage(): Promise<void> {
    const locale = await loadLocale(this.language());
    if (this.language() === locale.code) this._locale = locale;
  }

  /** The widget's language: its `lang`, the document's, the browser's; unsupported → en. */
  private language(): string {
    return supportedLanguage(this.lang || document.documentElement.lang || navigator.language);
  }

  /** The count and mix the attributes ask for (defaults 3 and balanced): today's list keeps the ones it was assigned with. */
  private requestedShape(): { count: number; mix: string } {
    const { preferences } = usableSettings(this);
    return { count: preferences.count ?? 3, mix: preferences.mix ?? 'balanced' };
  }

  private settings(): CallSettings {
    const { preferences, timeZone, problems } = usableSettings(this);
    this.reportSettingProblems(problems);
    // No time-zone attribute: the client uses the browser's zone.
    const settings: CallSettings = { language: this.language(), preferences };
    if (timeZone) settings.timeZone = timeZone;
    if (this.catalogId) settings.catalogId = this.catalogId;
    return settings;
  }

  private lastSettingProblems = '';

  /** Attribute values the widget cannot use are reported once each (it goes on with the defaults). */
  private reportSettingProblems(problems: string[]): void {
    const key = problems.join('; ');
    if (key === this.lastSettingProblems) return;
    this.lastSettingProblems = key;
    if (key) this.emit<MissionsErrorDetail>('missions-error', { code: 'invalid-input', message: `${key} (using the default)` });
  }

  private ensureClient(): MissionsClient {
    const url = this.workerUrl === undefined ? '' : String(this.workerUrl);
    if (this.client && this.clientUrl === url) return this.client;
    this.releaseClient();
    const options: Parameters<typeof connectMissions>[0] = {
      now: () => this.now(),
      mainThreadFallback: true,
      onError: (detail) => this.setError(detail),
    };
    if (this.workerUrl !== undefined) options.workerUrl = this.workerUrl;
    this.client = connectMissions(options);
    this.clientUrl = url;
    return this.client;
  }

  private releaseClient(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.client?.close();
    this.client = null;
    this.catalogId = undefined;
  }

  private subscribedTo = '';

  /** Follows changes to this learner's missions made elsewhere (once per client and user). */
  private subscribe(): void {
    if (!this.client || !this.userId) return;
    if (this.unsubscribe && this.subscribedTo === this.userId) return;
    this.unsubscribe?.();
    this.subscribedTo = this.userId;
    // Another tab or a lesson page changed this learner's missions: show them. Events
    // belong to the caller that recorded. A completion is celebrated here only while this
    // page has focus (a client on this page, or the tab the learner is looking at);
    // a background tab leaves it to the widget the learner sees, or to its next wake-up.
    this.unsubscribe = this.client.subscribe(this.userId, () => void this.load(document.hasFocus()));
  }

  private async registerCatalog(): Promise<void> {
    this.catalogId = undefined;
    if (this.catalog) {
      try {
        this.catalogId = await this.ensureClient().useCatalog(this.catalog);
      } catch (error) {
        this.reportError(error);
      }
    }
    if (this.isConnected) await this.load(true);
  }

  /** Loads today's missions; `claim` also celebrates completions nobody has celebrated yet. */
  private async load(claim: boolean): Promise<void> {
    if (this.disabled || !this.userId) {
      this._daily = null;
      return;
    }
    const token = ++this.loadToken;
    const client = this.ensureClient();
    this.subscribe();
    try {
      const daily = await client.getDaily(this.userId, this.settings());
      if (token !== this.loadToken) return;
      if (!this._daily || this._daily.day !== daily.day) this.assignedWith = this.requestedShape();
      this.applyDaily(daily);
      if (claim) await this.claimUncelebrated();
    } catch (error) {
      if (token === this.loadToken) this.reportError(error);
    }
  }

  private async pushStats(stats: HostCounters): Promise<void> {
    if (this.disabled || !this.userId) return;
    try {
      const result = await this.ensureClient().pushStats(this.userId, stats, this.settings());
      this.applyDaily(result.daily);
      this.announceCompletions(result.completedDays, result.completed, result.allCompleted);
    } catch (error) {
      this.reportError(error);
    }
  }

  private applyDaily(daily: DailyMissions): void {
    this._daily = daily;
    this._clock = this.now();
    if (!daily.status.error && this._error?.code.startsWith('storage')) this._error = null;
    this.scheduleMidnight(daily.nextDayAt);
    const missions = daily.missions.map(publicMission);
    const signature = JSON.stringify([daily.day, missions.map((m) => [m.templateId, m.current, m.completed])]);
    if (signature !== this.lastChange) {
      this.lastChange = signature;
      this.emit<MissionsChangeDetail>('missions-change', { day: daily.day, missions });
    }
  }

  // ---- time -------------------------------------------------------------------

  private readonly onWake = (): void => {
    if (document.visibilityState === 'hidden') {
      this.stopTicking();
      return;
    }
    this.startTicking();
    this.tick();
    void this.flushCelebrations();
    if (this._daily) void this.claimUncelebrated();
  };

  private startTicking(): void {
    if (this.tickTimer !== undefined || document.visibilityState === 'hidden') return;
    this.tickTimer = setInterval(() => this.tick(), TICK_MS);
  }

  private stopTicking(): void {
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
  }

  /** Updates the countdown and rolls over when local midnight has passed. */
  private tick(): void {
    this._clock = this.now();
    if (this._daily && this._clock >= this._daily.nextDayAt) void this.load(true);
  }

  private scheduleMidnight(nextDayAt: number): void {
    clearTimeout(this.midnightTimer);
    // Timers drift and sleep with the device; the tick and the wake-up checks catch up.
    const delay = Math.min(Math.max(0, nextDayAt - this.now()) + 250, 2 ** 31 - 1);
    this.midnightTimer = setTimeout(() => this.tick(), delay);
  }

  // ---- events, errors, celebration --------------------------------------------

  /** Every public event bubbles out of the shadow root (composed) to the host page. */
  private emit<T>(type: string, detail: T): void {
    const event = new CustomEvent<T>(type, { detail, bubbles: true, composed: true });
    this.dispatchEvent(event);
  }

  private setError(detail: MissionsErrorDetail): void {
    this._error = detail;
    this.emit<MissionsErrorDetail>('missions-error', detail);
  }

  private reportError(error: unknown): void {
    const failure = error instanceof MissionsError ? error : new MissionsError('worker-unavailable', (error as Error)?.message ?? String(error));
    this.setError({ code: failure.code, message: failure.message });
  }

  /** Fires the events of this tab's own completions and celebrates them (once, claimed). */
  private announceCompletions(days: string[], completed: Mission[], all: { day: string; xp: number } | null): void {
    completed.forEach((mission, i) => this.emit<MissionCompleteDetail>('mission-complete', { day: days[i]!, mission, xp: mission.xp }));
    if (all) this.emit<MissionsAllCompleteDetail>('missions-all-complete', all);
    if (completed.length > 0) void this.claimAndCelebrate(completed.map((m) => m.templateId), all);
  }

  private async claimAndCelebrate(templateIds: string[] | undefined, all: { day: string; xp: number } | null): Promise<void> {
    if (!this.client || !this.userId) return;
    try {
      const settings = templateIds ? { ...this.settings(), templateIds } : this.settings();
      const claimed = await this.client.claimCelebrations(this.userId, settings);
      if (claimed.length === 0) return;
      const dayAll = all ?? (this._daily?.allComplete && this._daily.missions.every((m) => m.celebrated || claimed.some((c) => c.templateId === m.templateId)) ? { day: this._daily.day, xp: this._daily.xpToday } : null);
      this.pendingCelebrations.push({ missions: claimed, all: dayAll });
      await this.flushCelebrations();
    } catch (error) {
      this.reportError(error);
    }
  }

  /** Completions recorded while no widget was on screen: celebrated now that one is. */
  private async claimUncelebrated(): Promise<void> {
    if (document.visibilityState === 'hidden') return;
    if (this._daily?.missions.some((m) => m.completed && !m.celebrated)) await this.claimAndCelebrate(undefined, null);
  }

  /** Plays queued celebrations, but only while the page is visible. */
  private async flushCelebrations(): Promise<void> {
    if (document.visibilityState === 'hidden' || !this.isConnected) return;
    const queue = this.pendingCelebrations.splice(0);
    for (const { missions, all } of queue) await this.celebrate(missions, all);
  }

  private async celebrate(missions: Mission[], all: { day: string; xp: number } | null): Promise<void> {
    // Sounds, praise and confetti load with the first celebration, not with the page.
    const [locale, { burstConfetti, playChime, playFanfare, praise }] = await Promise.all([
      this._locale ?? loadLocale(this.language()),
      import('./celebration.js'),
    ]);
    const subtle = this.celebration === 'subtle';
    const messages = missions.map((m) => fill(locale.missionDone, { title: m.title }));
    if (!subtle) messages.push(praise.next(locale.code, locale.praise));
    if (all) messages.push(fill(locale.allDoneAnnouncement, { xp: formatNumber(locale, all.xp) }));
    this._announcement = messages.join(' ');
    if (!this.noSound) {
      if (all) playFanfare(this.celebration);
      else playChime(this.celebration);
    }
    if (all && !this.noConfetti && !subtle) {
      await this.updateComplete;
      await burstConfetti(this.renderRoot as ShadowRoot, this.celebration);
    }
  }

  // ---- rendering --------------------------------------------------------------

  private async confirmReroll(): Promise<void> {
    this._confirming = false;
    await this.reroll();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.reroll')?.focus();
  }

  private async openConfirm(): Promise<void> {
    this._confirming = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.confirm button.keep')?.focus();
  }

  /** Escape in the confirmation means "keep them", as in any dialog. */
  private readonly onConfirmKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    void this.closeConfirm();
  };

  private async closeConfirm(): Promise<void> {
    this._confirming = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.reroll')?.focus();
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.disabled || !this.userId) return nothing;
    const locale = this._locale;
    const daily = this._daily;
    if (!locale || !daily) {
      return html`<section part="card" class="card" aria-busy="true"><p>${locale?.loading ?? ''}</p>${this.renderError(locale)}</section>`;
    }
    if (!daily.enabled) return nothing;
    return html`
      <section part="card" class="card" dir=${locale.dir} lang=${locale.code} aria-labelledby="title">
        <header>
          <h2 id="title">${locale.title}</h2>
          <span part="countdown" class="countdown">${fill(locale.resetsIn, { time: formatDuration(locale, daily.nextDayAt - this._clock) })}</span>
        </header>
        ${this.renderError(locale)}
        ${daily.missions.length === 0
          ? html`<p part="empty" class="empty">${locale.empty}</p>`
          : html`<ul>${daily.missions.map((mission) => this.renderMission(locale, mission))}</ul>`}
        ${daily.allComplete ? html`<p class="all-done">${locale.allDone}</p>` : nothing}
        ${this.renderFooter(locale, daily)}
        <div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
      </section>
    `;
  }

  private renderError(locale: Locale | null): TemplateResult | typeof nothing {
    if (!this._error || this._error.code === 'invalid-input') return nothing;
    return html`<p part="error" class="error">${locale?.degraded ?? ''}</p>`;
  }

  private renderMission(locale: Locale, mission: ClientMission): TemplateResult {
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

  private renderFooter(locale: Locale, daily: DailyMissions): TemplateResult {
    const streak = daily.streak;
    const streakText =
      streak.status === 'none' ? locale.streakStart : plural(locale, locale.streakDays, streak.days).replace('{count}', formatNumber(locale, streak.days));
    const unfinished = daily.missions.some((m) => !m.completed);
    const requested = this.requestedShape();
    const changed = this.assignedWith !== null && (requested.count !== this.assignedWith.count || requested.mix !== this.assignedWith.mix);
    return html`
      <footer>
        <span class="streak">
          ${streakText}${streak.jokers > 0 ? html` · ${locale.jokerHeld}` : nothing}
          ${streak.status === 'needs-joker' ? html`<br />${locale.jokerWillBridge}` : nothing}
        </span>
        ${unfinished && !this._confirming
          ? daily.rerollsLeft > 0
            ? html`<button class="reroll" @click=${this.openConfirm}>${locale.reroll}</button>`
            : html`<span class="note">${locale.rerollUsed}</span>`
          : nothing}
      </footer>
      ${changed ? html`<p class="note">${locale.changesApply}</p>` : nothing}
      ${this._confirming
        ? html`<div class="confirm" role="group" aria-label=${locale.reroll} @keydown=${this.onConfirmKey}>
            <span>${locale.rerollConfirm}</span>
            <div class="actions">
              <button class="primary" @click=${this.confirmReroll}>${locale.rerollYes}</button>
              <button class="keep" @click=${this.closeConfirm}>${locale.rerollNo}</button>
            </div>
          </div>`
        : nothing}
    `;
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
