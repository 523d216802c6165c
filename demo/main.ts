/**
 * The demo page: the widget live next to a control panel, time travel, learner
 * presets, an event inspector, a celebration preview, a catalog browser and a 30-day
 * simulator. Everything goes through the package's public surface (the element's
 * properties and methods, `connectMissions`) or the pure engine, so what a designer
 * sees here is what a host gets.
 *
 * `?user=<id>` starts the page on that user (tests use it to keep their data apart).
 */
import '../src/index.js';
import type { ActivityInput, DailyMissionsElement, Family, Mission, Theme } from '../src/index.js';
import { connectMissions } from '../src/client.js';
import type { Intensity } from '../src/celebration.js';
import shippedCatalog from '../catalog/templates.yaml';
import { DEFAULT_TRACKS, FAMILIES, LEARNER_PROFILE_NAMES, LEARNER_PROFILES, MIXES, dayKey, nextMidnight } from '../worker/engine/index.js';
import type { CheckName, CompiledCatalog, LearnerProfileName, Mix } from '../worker/engine/index.js';
import { html, render } from 'lit';
import { DEFAULT_COUNT, MAX_MISSIONS, MIN_MISSIONS } from '../worker/engine/vocabulary.js';
import { activityFor, describeBatch, Ids, RECORD_BUTTONS } from './activities.js';
import { playPreview } from './celebration-preview.js';
import type { PreviewKind } from './celebration-preview.js';
import { renderCatalogBrowser, LANGUAGE_NAMES } from './catalog-browser.js';
import {
  CLOCK_CHANGE_HORIZON_DAYS,
  describeOffset,
  effectiveZone,
  formatCountdown,
  formatMoment,
  justBeforeMidnight,
  nextClockChange,
  nextWeekendMorning,
  OffsetClock,
  tomorrowMorning,
  zoneOffset,
} from './clock.js';
import { EventInspector } from './inspector.js';
import { learnerView } from './learner.js';
import type { LearnerView } from './learner.js';
import { PRESETS, seedHistory } from './presets.js';
import type { PresetName } from './presets.js';
import { renderSimulation, simulate } from './simulator.js';
import { DEMO_SERVER_PATH, demoToken } from './dev-sign-in.js';

/** An element the page cannot work without, typed by the caller. */
function one<T extends Element>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`demo page: ${selector} is missing`);
  return found;
}
const $ = (selector: string): HTMLElement => one<HTMLElement>(selector);

const widget = one<DailyMissionsElement>('daily-missions');
const controls = one<HTMLFormElement>('#controls');
const stage = $('#stage');
const logOutput = one<HTMLOutputElement>('#log');

// "Missions a day", in the panel and in the simulator: the range a host may ask for, the default preselected.
for (const select of document.querySelectorAll<HTMLSelectElement>('select[name="count"]')) {
  const counts = Array.from({ length: MAX_MISSIONS - MIN_MISSIONS + 1 }, (_, i) => MIN_MISSIONS + i);
  render(html`${counts.map((n) => html`<option value=${n} ?selected=${n === DEFAULT_COUNT}>${n}</option>`)}`, select);
}
const catalog: CompiledCatalog = shippedCatalog;

const DEFAULT_USER = 'demo-learner';
const FAMILY_LABELS: Record<Family, string> = {
  lessons: 'Lessons',
  elements: 'Elements (words, items)',
  'review-sessions': 'Review sessions',
  'review-queue': 'Overdue review queue',
  adaptive: 'Adaptive lessons',
  exercises: 'Exercise types',
};
const LOOKS = ['ocean', 'paper', 'terminal'] as const;

// ---- state ----------------------------------------------------------------------

/** The widget's clock: real time plus the time-travel offset. */
const clock = new OffsetClock();
/** While a preset is written, the page's own client runs on the seeded day's clock. */
let pinnedTime: number | null = null;
/** The page's own connection to the same worker and database: presets and the learner read-out. */
const client = connectMissions({ now: () => pinnedTime ?? clock.now() });
let ids = new Ids();
let seeding = false;
let missions: Mission[] = [];
let learner: LearnerView | null = null;

const zone = () => effectiveZone(widget.timeZone);
const field = <T extends HTMLInputElement | HTMLSelectElement>(name: string) => controls.elements.namedItem(name) as T;
const language = () => field<HTMLSelectElement>('language').value;
const checkedFamilies = (container: Element): Family[] =>
  [...container.querySelectorAll<HTMLInputElement>('input[type="checkbox"]:checked')].map((box) => box.value as Family);
const tracks = () => checkedFamilies($('#track-checks'));
const checkOf = (templateId: string) => catalog.templates.find((t) => t.id === templateId)?.check as CheckName | undefined;

function log(message: string): void {
  logOutput.textContent = message;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

// ---- the widget -----------------------------------------------------------------

const initialUser = new URLSearchParams(location.search).get('user')?.trim() || DEFAULT_USER;
field<HTMLInputElement>('userId').value = initialUser;
// Set before the element's first update (a microtask away), so its first load uses them.
widget.userId = initialUser;
widget.now = clock.now;
widget.tracks = [...DEFAULT_TRACKS];

// ---- server mode ----------------------------------------------------------------

let secondDevice: DailyMissionsElement | null = null;

/**
 * Local or server mode for the widget, and in server mode a second "device": another
 * widget for the same learner with its own cache and outbox. `npm start` runs the demo's
 * missions server behind DEMO_SERVER_PATH and signs the learner in from the page's demo
 * token (demo/dev-sign-in.ts; development only).
 */
function useMode(mode: string): void {
  const server = mode === 'server' ? DEMO_SERVER_PATH : undefined;
  const token = () => demoToken(widget.userId);
  widget.getToken = server ? token : undefined;
  widget.server = server;
  if (server && !secondDevice) {
    secondDevice = document.createElement('daily-missions');
    secondDevice.noSound = true;
    secondDevice.noConfetti = true;
    $('#second-device').append(secondDevice);
  }
  if (secondDevice) {
    secondDevice.userId = `${widget.userId}@second-device`;
    secondDevice.getToken = token;
    secondDevice.server = server;
    secondDevice.disabled = !server;
  }
  $('#second-device-panel').hidden = !server;
  log(server ? `Server mode: ${widget.userId} on the demo's missions server.` : 'Local mode: missions in this browser.');
}

// The second device asks the server whenever the first one changed something (a real
// device would notice on focus, or within 30 s).
widget.addEventListener('missions-change', () => void secondDevice?.refresh());

function applyLook(look: string): void {
  for (const name of LOOKS) widget.classList.toggle(`look-${name}`, name === look);
  stage.dataset['look'] = look;
}

controls.addEventListener('change', (event) => {
  const target = event.target as HTMLInputElement | HTMLSelectElement;
  const value = target.value;
  switch (target.name) {
    case 'userId':
      widget.userId = value.trim() || DEFAULT_USER;
      ids = new Ids();
      useMode(widget.server ? 'server' : 'local');
      break;
    case 'mode':
      useMode(value);
      return;
    case 'language':
      widget.lang = value;
      renderCatalog();
      runSimulation();
      return;
    case 'timeZone':
      widget.timeZone = value;
      updateClock();
      break;
    case 'count':
      widget.count = Number(value);
      return;
    case 'difficulty':
      widget.difficulty = value as Mix;
      return;
    case 'celebration':
      widget.celebration = value as Intensity;
      return;
    case 'sound':
      widget.noSound = !(target as HTMLInputElement).checked;
      return;
    case 'confetti':
      widget.noConfetti = !(target as HTMLInputElement).checked;
      return;
    case 'theme':
      widget.theme = value as Theme;
      stage.dataset['theme'] = value;
      return;
    case 'look':
      applyLook(value);
      return;
    case 'track':
      widget.tracks = tracks();
      renderRecordGroups();
      break;
    default:
      return;
  }
  scheduleLearnerRefresh();
});

// ---- recording activity ---------------------------------------------------------

function renderTrackChecks(container: HTMLElement, selected: readonly Family[]): void {
  render(
    html`${FAMILIES.map(
      (family) => html`<label class="check"><input type="checkbox" name="track" value=${family} ?checked=${selected.includes(family)} />
        ${FAMILY_LABELS[family]} <code>${family}</code></label>`,
    )}`,
    container,
  );
}

function renderRecordGroups(): void {
  const tracked = tracks();
  render(
    html`${FAMILIES.map((family) => {
      const buttons = RECORD_BUTTONS.filter((button) => button.family === family);
      return html`<fieldset class="record-group" data-family=${family}>
        <legend>${FAMILY_LABELS[family]}${tracked.includes(family) ? '' : html` <span class="untracked">(not tracked: recorded, but no mission uses it)</span>`}</legend>
        <div class="button-row">${buttons.map((button) => html`<button type="button" data-record=${button.id}>${button.label}</button>`)}</div>
      </fieldset>`;
    })}`,
    $('#record-groups'),
  );
}

async function recordBatch(batch: ActivityInput[], label: string): Promise<void> {
  try {
    const completed = await widget.record(batch);
    log(completed.length > 0 ? `${label}: completed ${completed.map((m) => `"${m.title}" (+${m.xp} XP)`).join(', ')}` : `${label}: recorded ${describeBatch(batch)}`);
  } catch (error) {
    log(`${label}: rejected: ${messageOf(error)}`);
  }
}

$('#record-groups').addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-record]');
  const spec = RECORD_BUTTONS.find((candidate) => candidate.id === button?.dataset['record']);
  if (spec) void recordBatch(spec.make(ids), spec.label);
});

/** Does whatever each unfinished mission still needs, in one batch: the quickest way to the all-done celebration. */
$('#complete-all').addEventListener('click', () => {
  const open = missions.filter((mission) => !mission.completed);
  if (open.length === 0) {
    log(missions.length === 0 ? 'No missions to complete.' : 'Every mission is already done today.');
    return;
  }
  const batch = open.flatMap((mission) => {
    const check = checkOf(mission.templateId);
    return check ? activityFor(check, mission.target - mission.current, ids) : [];
  });
  void recordBatch(batch, 'Complete every mission');
});

// ---- presets --------------------------------------------------------------------

function setBusy(busy: boolean): void {
  for (const fieldset of controls.querySelectorAll<HTMLFieldSetElement>(':scope > fieldset')) fieldset.disabled = busy;
  one<HTMLButtonElement>('#complete-all').disabled = busy;
  stage.setAttribute('aria-busy', String(busy));
  $('#seeding-note').hidden = !busy;
}

async function seed(preset: PresetName): Promise<void> {
  if (seeding) return;
  const { label } = PRESETS[preset];
  const status = one<HTMLOutputElement>('#seed-status');
  const progress = one<HTMLProgressElement>('#seed-progress');
  seeding = true;
  setBusy(true);
  // The widget would otherwise assign today's missions from a half-written history.
  const wasDisabled = widget.disabled;
  widget.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  status.textContent = `Seeding "${label}"…`;
  const started = performance.now();
  try {
    const result = await seedHistory(client, (instant) => (pinnedTime = instant), {
      userId: widget.userId,
      preset,
      now: clock.now(),
      timeZone: zone(),
      preferences: { count: widget.count ?? 3, mix: widget.difficulty ?? 'balanced', tracks: tracks() },
      catalog,
      onProgress: (done, total) => {
        progress.max = total;
        progress.value = done;
        status.textContent = `Seeding "${label}": day ${done} of ${total}…`;
      },
    });
    ids = result.ids;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    status.textContent =
      result.days === 0
        ? `"${label}": ${widget.userId} starts with no history.`
        : `"${label}": ${result.days} days of history, ${result.activities} activities, written in ${seconds} s.`;
    status.dataset['done'] = preset;
  } catch (error) {
    status.textContent = `Seeding failed: ${messageOf(error)}`;
  } finally {
    pinnedTime = null;
    seeding = false;
    widget.disabled = wasDisabled;
    progress.hidden = true;
    setBusy(false);
    scheduleLearnerRefresh();
  }
}

controls.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-preset]');
  if (button) void seed(button.dataset['preset'] as PresetName);
});

// ---- time travel ----------------------------------------------------------------

/** Where each time-travel button goes, and what to tell the designer about it. */
function travelTarget(kind: string): { to: number | null; note: string } {
  const now = clock.now();
  const timeZone = zone();
  switch (kind) {
    case 'midnight': {
      const to = justBeforeMidnight(now, timeZone);
      return { to, note: `Jumped to ${formatMoment(to, timeZone)}: watch the widget roll over to a new day in 10 seconds.` };
    }
    case 'tomorrow': {
      const to = tomorrowMorning(now, timeZone);
      return { to, note: `Jumped to ${formatMoment(to, timeZone)}.` };
    }
    case 'weekend': {
      const to = nextWeekendMorning(now, timeZone);
      return { to, note: `Jumped to ${formatMoment(to, timeZone)}: weekend-only missions can come up today.` };
    }
    case 'clock-change': {
      const change = nextClockChange(now, timeZone);
      if (!change) {
        const hours = zoneOffset(now, timeZone) / 3_600_000;
        return { to: null, note: `${timeZone} has no clock change in the next ${CLOCK_CHANGE_HORIZON_DAYS} days (it stays at UTC${hours >= 0 ? '+' : ''}${hours}). Pick a zone such as Europe/Berlin or America/Santiago.` };
      }
      const to = change.at - 60_000;
      return {
        to,
        note: `${change.day} lasts ${change.dayHours} hours in ${timeZone}: at ${change.from} the clocks go to ${change.to}. Jumped to one minute before the change.`,
      };
    }
    default:
      return { to: Date.now(), note: 'Back to real time. What was recorded on future days stays recorded.' };
  }
}

$('#travel').addEventListener('click', async (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-travel]');
  if (!button) return;
  const { to, note } = travelTarget(button.dataset['travel']!);
  $('#travel-note').textContent = note;
  if (to === null) return;
  if (button.dataset['travel'] === 'now') clock.reset();
  else clock.travelTo(to);
  updateClock();
  // `now` is read on every call, but a new instant only shows after a reload.
  await widget.refresh();
  scheduleLearnerRefresh();
});

function updateClock(): void {
  const now = clock.now();
  const timeZone = zone();
  const moment = one<HTMLTimeElement>('#sim-time');
  moment.dateTime = new Date(now).toISOString();
  moment.textContent = formatMoment(now, timeZone);
  $('#sim-offset').textContent = describeOffset(clock.offset);
  $('#sim-zone').textContent = widget.timeZone ? timeZone : `${timeZone} (browser default)`;
  $('#until-midnight').textContent = formatCountdown(nextMidnight(now, timeZone) - now);
}

setInterval(updateClock, 1000);
updateClock();

// ---- learner read-out and catalog browser ----------------------------------------

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshToken = 0;

/** Many things change the learner at once (a batch, a new day): read them once, shortly after. */
function scheduleLearnerRefresh(): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refreshLearner(), 150);
}

async function refreshLearner(): Promise<void> {
  if (seeding) return;
  const token = ++refreshToken;
  const timeZone = zone();
  try {
    const data = await client.exportData(widget.userId, { timeZone });
    if (token !== refreshToken) return;
    learner = learnerView(data, dayKey(clock.now(), timeZone));
  } catch (error) {
    log(`Could not read the learner: ${messageOf(error)}`);
    return;
  }
  renderLearner();
  renderCatalog();
}

function streakText(view: LearnerView): string {
  const { days, jokers, status } = view.missionStreak;
  const state = { 'done-today': 'today counts', alive: 'complete a mission today to extend it', 'needs-joker': 'a joker will bridge yesterday', none: 'no live streak' }[status];
  return `${days} ${days === 1 ? 'day' : 'days'} (${state})${jokers > 0 ? ', streak joker held' : ''}`;
}

function renderLearner(): void {
  const view = learner;
  if (!view) return;
  const today = Object.entries(view.counters).filter(([, value]) => value > 0);
  render(
    html`
      <dt>Tier</dt><dd id="learner-tier">${view.tier}</dd>
      <dt>Lessons completed</dt><dd>${view.summary.lessonsCompleted}</dd>
      <dt>Open mistakes</dt><dd id="learner-open-mistakes">${view.summary.openMistakes}</dd>
      <dt>Learning streak</dt><dd>${view.learningStreak} ${view.learningStreak === 1 ? 'day' : 'days'}</dd>
      <dt>Mission streak</dt><dd id="learner-mission-streak" data-days=${view.missionStreak.days}>${streakText(view)}</dd>
      <dt>Lifetime mission XP</dt><dd>${view.lifetimeXp}</dd>
      <dt>Today's counters</dt>
      <dd class="counters">${today.length === 0 ? 'nothing yet' : today.map(([name, value]) => html`<code>${name}</code> ${value}<br />`)}</dd>
    `,
    $('#learner-summary'),
  );
}

const catalogLanguage = one<HTMLSelectElement>('#catalog-language');
render(
  html`<option value="">the widget's language</option><option value="all">all languages</option>
    ${catalog.languages.map((code) => html`<option value=${code} lang=${code}>${LANGUAGE_NAMES[code] ?? code}</option>`)}`,
  catalogLanguage,
);
catalogLanguage.addEventListener('change', () => renderCatalog());

function renderCatalog(): void {
  renderCatalogBrowser($('#catalog-browser'), { catalog, language: catalogLanguage.value || language(), tracks: tracks(), view: learner });
}

// ---- events ---------------------------------------------------------------------

const inspector = new EventInspector($('#event-log'), clock.now, zone);
inspector.watch(widget);
$('#clear-events').addEventListener('click', () => inspector.clear());

widget.addEventListener('missions-change', (event) => {
  missions = event.detail.missions;
  $('#widget-day').textContent = event.detail.day;
  // A rollover shows at once next to the clock, not up to a second later.
  updateClock();
  scheduleLearnerRefresh();
});
widget.addEventListener('missions-all-complete', (event) => log(`All missions done: ${event.detail.xp} XP today.`));

// ---- celebration preview --------------------------------------------------------

$('#celebration-stage').addEventListener('click', async (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-preview]');
  if (!button) return;
  $('#preview-status').textContent = await playPreview(button.dataset['preview'] as PreviewKind, widget.celebration, $('#celebration-stage'));
});

// ---- simulator ------------------------------------------------------------------

const simulatorForm = one<HTMLFormElement>('#simulator-form');

function profileLabel(name: LearnerProfileName): string {
  const profile = LEARNER_PROFILES[name];
  return `${name}: ${profile.lessonsCompleted} lessons so far, ${profile.lessonsPerDay} a day${profile.makesMistakes ? ', makes mistakes' : ''}, completes ${Math.round(profile.completionRate * 100)}%`;
}

render(html`${LEARNER_PROFILE_NAMES.map((name) => html`<option value=${name}>${profileLabel(name)}</option>`)}`, $('#simulator-profile'));
renderTrackChecks($('#simulator-tracks'), DEFAULT_TRACKS);
(simulatorForm.elements.namedItem('start') as HTMLInputElement).value = dayKey(clock.now(), zone());

function runSimulation(): void {
  const data = new FormData(simulatorForm);
  const mix = String(data.get('mix'));
  const input = {
    profile: String(data.get('profile')) as LearnerProfileName,
    mix: ((MIXES as readonly string[]).includes(mix) ? mix : 'balanced') as Mix,
    count: Number(data.get('count')),
    tracks: data.getAll('track').map(String) as Family[],
    start: String(data.get('start')) || dayKey(clock.now(), zone()),
    userId: widget.userId,
    language: language(),
  };
  renderSimulation($('#simulation-result'), catalog, input, simulate(catalog, input));
}

simulatorForm.addEventListener('submit', (event) => {
  event.preventDefault();
  runSimulation();
});
simulatorForm.addEventListener('change', () => runSimulation());

// ---- first render ---------------------------------------------------------------

renderTrackChecks($('#track-checks'), DEFAULT_TRACKS);
renderRecordGroups();
renderCatalog();
runSimulation();
