/**
 * The demo page's own logic, without the page: time-travel targets in real zones
 * (daylight saving days, skipped midnights, zones without clock changes), the record
 * buttons reaching every check of the catalog, the presets' history plans and the
 * catalog browser's reasons.
 */
import { expect } from 'chai';
import catalogSource from '../../catalog/templates.yaml';
import {
  addDays,
  applyActivity,
  CHECK_NAMES,
  countersFor,
  dayKey,
  emptyDayStats,
  emptyLearnerState,
  normalizeActivities,
  weekdayOf,
} from '../../worker/engine/index.js';
import type { ActivityInput, CheckName, CompiledCatalog, Counters, LearnerState, TemplateRule, UnassignableReason } from '../../worker/engine/index.js';
import { activityFor, BUTTONS_FOR_CHECK, Ids, RECORD_BUTTONS } from '../../demo/activities.js';
import {
  describeOffset,
  instantAt,
  justBeforeMidnight,
  nextClockChange,
  nextWeekendMorning,
  tomorrowMorning,
  wallClock,
} from '../../demo/clock.js';
import { learnerView, reasonText } from '../../demo/learner.js';
import { activeDays, PRESETS, seededRandom } from '../../demo/presets.js';

const catalog: CompiledCatalog = catalogSource;
const HOUR = 3_600_000;

const wall = (instant: number, zone: string) => {
  const w = wallClock(instant, zone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
};

describe('demo clock: time-travel targets', () => {
  it('finds the spring and autumn clock changes of Europe/Berlin, with 23- and 25-hour days', () => {
    const spring = nextClockChange(Date.UTC(2025, 0, 15, 12), 'Europe/Berlin')!;
    expect(spring).to.deep.equal({ at: Date.UTC(2025, 2, 30, 1), day: '2025-03-30', dayHours: 23, from: '02:00', to: '03:00' });
    const autumn = nextClockChange(Date.UTC(2025, 5, 1), 'Europe/Berlin')!;
    expect(autumn).to.deep.equal({ at: Date.UTC(2025, 9, 26, 1), day: '2025-10-26', dayHours: 25, from: '03:00', to: '02:00' });
  });

  it('finds America/Santiago skipping midnight (00:00 becomes 01:00 on a 23-hour day)', () => {
    const change = nextClockChange(Date.UTC(2025, 7, 1), 'America/Santiago')!;
    expect(change.day).to.equal('2025-09-07');
    expect(change.dayHours).to.equal(23);
    expect([change.from, change.to]).to.deep.equal(['00:00', '01:00']);
    expect(wall(change.at, 'America/Santiago')).to.equal('2025-09-07 01:00:00');
  });

  it('says when a zone has no clock change (Asia/Tokyo, UTC, Asia/Kathmandu)', () => {
    for (const zone of ['Asia/Tokyo', 'UTC', 'Asia/Kathmandu']) expect(nextClockChange(Date.UTC(2025, 0, 1), zone), zone).to.equal(null);
  });

  it('lands ten seconds before local midnight, also in +05:45 and +14 zones', () => {
    const now = Date.UTC(2025, 4, 10, 8, 0);
    for (const zone of ['Asia/Kathmandu', 'Pacific/Kiritimati', 'America/New_York']) {
      const target = justBeforeMidnight(now, zone);
      expect(wall(target, zone), zone).to.match(/ 23:59:50$/);
      expect(dayKey(target + 10_000, zone), zone).to.equal(addDays(dayKey(target, zone), 1));
    }
  });

  it('jumps to 09:00 tomorrow across a daylight-saving change (a 23-hour day is not 24 hours)', () => {
    const target = tomorrowMorning(instantAt('2025-03-29', 12, 0, 'Europe/Berlin'), 'Europe/Berlin');
    expect(wall(target, 'Europe/Berlin')).to.equal('2025-03-30 09:00:00');
    expect(target - instantAt('2025-03-29', 9, 0, 'Europe/Berlin')).to.equal(23 * HOUR);
  });

  it('finds the next weekend day: Saturday after a weekday, Sunday after Saturday, Saturday after Sunday', () => {
    const zone = 'Asia/Tokyo';
    const from = (day: string) => dayKey(nextWeekendMorning(instantAt(day, 15, 0, zone), zone), zone);
    expect(from('2025-06-11')).to.equal('2025-06-14'); // Wednesday → Saturday
    expect(from('2025-06-14')).to.equal('2025-06-15'); // Saturday → Sunday
    expect(from('2025-06-15')).to.equal('2025-06-21'); // Sunday → next Saturday
    expect(weekdayOf(from('2025-06-11'))).to.equal('sat');
  });

  it('describes the offset from real time', () => {
    expect(describeOffset(0)).to.equal('real time');
    expect(describeOffset(2 * 24 * HOUR + 3 * HOUR + 5 * 60_000)).to.equal('2 d 3 h 5 min ahead of real time');
    expect(describeOffset(-HOUR)).to.equal('1 h behind real time');
  });
});

/** Folds a batch through the engine onto one day and returns that day's counters. */
function countersAfter(batch: ActivityInput[], day: string, learner: LearnerState = emptyLearnerState()): Counters {
  const at = instantAt(day, 12, 0, 'UTC');
  let stats = emptyDayStats(day);
  let state = learner;
  for (const activity of normalizeActivities(batch, at)) ({ day: stats, learner: state } = applyActivity(stats, state, activity));
  return countersFor(stats, state);
}

const SATURDAY = '2025-06-14';

describe('demo activity: every mission can be completed from the page', () => {
  it('each check of the catalog is raised by every button listed for it', () => {
    const used = new Set(catalog.templates.map((t) => t.check));
    for (const check of CHECK_NAMES) {
      if (!used.has(check)) continue;
      for (const id of BUTTONS_FOR_CHECK[check]) {
        const button = RECORD_BUTTONS.find((b) => b.id === id);
        expect(button, `${check}: button ${id} exists`).to.not.equal(undefined);
        expect(countersAfter(button!.make(new Ids('t')), SATURDAY)[check], `${check} by ${id}`).to.be.greaterThan(0);
      }
    }
  });

  it('pressing the buttons reaches the target of every template (streaks over several days)', () => {
    for (const template of catalog.templates as TemplateRule[]) {
      const ids = new Ids('t');
      const button = RECORD_BUTTONS.find((b) => b.id === BUTTONS_FOR_CHECK[template.check][0])!;
      const day = template.days?.includes('sat') || !template.days ? SATURDAY : addDays(SATURDAY, 2);
      // A learning streak of target - 1 days before today: the page gets there with "Tomorrow" and a lesson a day.
      const learner: LearnerState = template.check === 'current_streak_days'
        ? { ...emptyLearnerState(), lessonsCompleted: template.target - 1, streakStart: addDays(day, 1 - template.target), streakEnd: addDays(day, -1) }
        : emptyLearnerState();
      const batch: ActivityInput[] = [];
      let counters = countersAfter(batch, day, learner);
      for (let presses = 0; presses < 40 && counters[template.check] < template.target; presses += 1) {
        batch.push(...(template.check === 'exercise_types_used_today' ? RECORD_BUTTONS.filter((b) => b.family === 'exercises')[presses % 6]! : button).make(ids));
        counters = countersAfter(batch, day, learner);
      }
      expect(counters[template.check], template.id).to.be.at.least(template.target);
    }
  });

  it('activityFor completes any template in one batch, as the seeded learners and "Complete every mission" do', () => {
    for (const template of catalog.templates as TemplateRule[]) {
      const learner: LearnerState = template.check === 'current_streak_days'
        ? { ...emptyLearnerState(), streakStart: addDays(SATURDAY, 1 - template.target), streakEnd: addDays(SATURDAY, -1) }
        : emptyLearnerState();
      const counters = countersAfter(activityFor(template.check as CheckName, template.target, new Ids('t')), SATURDAY, learner);
      expect(counters[template.check], template.id).to.be.at.least(template.target);
    }
  });

  it('"Master" fixes the mistakes made with "Get an element wrong" first', () => {
    const ids = new Ids('t');
    const wrong = RECORD_BUTTONS.find((b) => b.id === 'review-wrong')!.make(ids);
    const mastered = RECORD_BUTTONS.find((b) => b.id === 'master')!.make(ids);
    expect(mastered[0]).to.deep.include({ type: 'element-mastered', elementId: (wrong[0] as { elementId: string }).elementId });
    expect(ids.mistakes).to.deep.equal([]);
  });
});

describe('demo presets: history plans', () => {
  it('is the same history for the same user and preset, and another for another user', () => {
    const a = seededRandom('u1|veteran');
    const b = seededRandom('u1|veteran');
    const c = seededRandom('u2|veteran');
    const draw = (r: () => number) => Array.from({ length: 5 }, r);
    expect(draw(a)).to.deep.equal(draw(b));
    expect(draw(seededRandom('u1|veteran'))).to.not.deep.equal(draw(c));
  });

  it('gives the veteran months of nearly daily learning ending yesterday, and a new learner none', () => {
    const today = '2025-06-14';
    const days = activeDays(PRESETS.veteran, today, seededRandom('x'));
    expect(days.length).to.be.greaterThan(90);
    expect(days[days.length - 1]).to.equal(addDays(today, -1));
    expect(days.slice(-PRESETS.veteran.streakDays)).to.deep.equal(Array.from({ length: PRESETS.veteran.streakDays }, (_, i) => addDays(today, i - PRESETS.veteran.streakDays)));
    expect(activeDays(PRESETS.new, today, seededRandom('x'))).to.deep.equal([]);
  });
});

describe('demo catalog browser: reasons in words', () => {
  it('explains every reason the engine gives', () => {
    const view = learnerView({ format: 'daily-missions-export', version: 1, exportedAt: 0, userId: 'u', profile: null, days: [], missions: [], awards: [], activity: [] }, '2025-06-11');
    expect(view.tier).to.equal('new');
    const weekend = catalog.templates.find((t) => t.id === 'weekend-learner')!;
    const reasons: UnassignableReason[] = ['untracked', 'not-today', 'category-locked', 'assigned-yesterday', 'already-met', 'out-of-reach-today'];
    const texts = reasons.map((reason) => reasonText(reason, weekend, view));
    expect(texts.every((text) => text.length > 20)).to.equal(true);
    expect(new Set(texts).size).to.equal(reasons.length);
    expect(texts[1]).to.equal('Only on Saturday and Sunday; today is Wednesday.');
  });
});
