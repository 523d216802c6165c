/**
 * What `daily-missions catalog` prints, as pure functions from data to text: the check
 * summary and the simulation report. No I/O here, so the output can be tested and the
 * wording changed without touching the command plumbing.
 */
import { templateText } from '../worker/engine/catalog.js';
import type { UnassignableReason } from '../worker/engine/generator.js';
import { VETERAN_LESSONS } from '../worker/engine/generator.js';
import type { Simulation, SimulatedDay } from '../worker/engine/simulate.js';
import type { Category, CompiledCatalog, Family, TemplateRule } from '../worker/engine/types.js';
import { CATEGORIES, CHECK_DAILY_GAIN, CHECK_FAMILY, DEFAULT_TRACKS, DIFFICULTIES } from '../worker/engine/types.js';
import type { SimulateArgs } from './cli-args.js';

/** Longest usage bar: one mark per day up to this, scaled beyond. */
export const BAR_WIDTH = 30;
const MISSION_SEPARATOR = ' | ';

export type Align = 'left' | 'right';

/**
 * Lays rows out in columns two spaces apart. The last column is not padded, so long
 * titles (and scripts whose characters are wider than one column) only ever sit at
 * the end of a line and cannot push the others out of line.
 */
export function formatTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        if (i === row.length - 1 && align[i] !== 'right') return cell;
        return align[i] === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd(),
  );
}

/** A bar of `#`, one per day while the busiest template fits in BAR_WIDTH, scaled beyond; never empty for a non-zero count. */
export function usageBar(count: number, busiest: number, width = BAR_WIDTH): string {
  if (count <= 0) return '';
  const length = busiest <= width ? count : Math.max(1, Math.round((count / busiest) * width));
  return '#'.repeat(length);
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "learning 6, review 4, …" in the given order, zeros included (a missing difficulty matters to the mixes). */
function countsIn<T extends string>(order: readonly T[], values: readonly T[]): string {
  return order.map((key) => `${key} ${values.filter((v) => v === key).length}`).join(', ');
}

/** The short report of a catalog that compiled. */
export function checkSummary(file: string, catalog: CompiledCatalog): string {
  const { templates, languages } = catalog;
  const untracked = templates.filter((t) => !DEFAULT_TRACKS.includes(CHECK_FAMILY[t.check]));
  const families = [...new Set(untracked.map((t) => CHECK_FAMILY[t.check]))];
  const defaults = `the default tracks (${DEFAULT_TRACKS.join(', ')})`;
  const tracking =
    untracked.length === 0
      ? `all assignable with ${defaults}`
      : // Not "--tracks": only simulate takes it; a host sets the element's `tracks`.
        `${templates.length - untracked.length} of ${templates.length} assignable with ${defaults}; the other ${untracked.length} need a host whose tracks include ${families.join(', ')}`;
  return [
    `${file}: OK`,
    `  ${plural(templates.length, 'template')}: ${countsIn(CATEGORIES, templates.map((t) => t.category))}`,
    `  difficulties: ${countsIn(DIFFICULTIES, templates.map((t) => t.difficulty))}`,
    `  ${plural(languages.length, 'language')}: ${languages.join(', ')}`,
    `  ${tracking}`,
  ].join('\n') + '\n';
}

/** The note after `build -o`: where the JSON went and what it holds. */
export function buildNote(output: string, catalog: CompiledCatalog): string {
  return `wrote ${output}: ${plural(catalog.templates.length, 'template')}, ${plural(catalog.languages.length, 'language')}\n`;
}

/** What a simulation knows when it explains a template that never came up. */
export interface ReasonContext {
  tracks: readonly Family[];
  days: readonly SimulatedDay[];
}

/**
 * What opens each category, in the words of docs/architecture.md §5.2 (the rule itself lives in
 * the generator's eligibleCategories). Keyed by every category so a new one cannot be
 * left without an explanation.
 */
const CATEGORY_UNLOCK: Record<Category, string> = {
  learning: 'learning missions are open to every learner',
  exploration: 'exploration missions are open to every learner',
  streak: 'streak missions open with the first completed lesson',
  review: `review missions open to learners with mistakes to fix and to veterans (${VETERAN_LESSONS}+ lessons)`,
  mastery: `mastery missions open to learners with mistakes to fix and to veterans (${VETERAN_LESSONS}+ lessons)`,
};

/** One sentence per reason the generator gives; a Record so a new reason cannot go unexplained. */
const REASON_TEXT: Record<UnassignableReason, (template: TemplateRule, context: ReasonContext) => string> = {
  untracked: (t, { tracks }) => {
    const family = CHECK_FAMILY[t.check];
    return `not tracked: ${t.check} counts "${family}" events; try --tracks ${[...tracks, family].join(',')}`;
  },
  'not-today': (t, { days }) => {
    const offered = days.filter((d) => t.days?.includes(d.weekday)).length;
    return `offered only on ${(t.days ?? []).join(', ')}: ${offered} of the ${plural(days.length, 'simulated day')}`;
  },
  'category-locked': (t) => `locked for this learner: ${CATEGORY_UNLOCK[t.category]}`,
  'assigned-yesterday': () => 'assigned the day before, and no template comes two days running',
  'already-met': () => "already met when the day's missions are picked",
  'out-of-reach-today': (t) => {
    const gain = CHECK_DAILY_GAIN[t.check] ?? 0;
    return `out of reach in one day: ${t.check} rises by at most ${gain} a day and a simulated day starts from 0 (a learner already at ${t.target - gain} gets it)`;
  },
};

/** Why a template never came up, in words. `null`: nothing stopped it; the draw just never chose it. */
export function reasonText(reason: UnassignableReason | null, template: TemplateRule, context: ReasonContext): string {
  return reason === null ? 'assignable, but never drawn' : REASON_TEXT[reason](template, context);
}

function missionsCell(catalog: CompiledCatalog, day: SimulatedDay, args: Pick<SimulateArgs, 'ids' | 'lang' | 'count'>): string {
  const names = day.templates.map((id) => (args.ids ? id : templateText(catalog, id, args.lang).title));
  if (!day.short) return names.join(MISSION_SEPARATOR);
  if (names.length === 0) return `(0 of ${args.count}: nothing assignable)`;
  return `${names.join(MISSION_SEPARATOR)}  (${names.length} of ${args.count}: nothing else assignable)`;
}

/** One row per simulated day, under a header row. */
export function dayTable(catalog: CompiledCatalog, simulation: Simulation, args: Pick<SimulateArgs, 'ids' | 'lang' | 'count'>): string[] {
  const rows = simulation.days.map((day) => [day.day, day.weekday, day.tier, day.mix, missionsCell(catalog, day, args)]);
  return formatTable([['day', 'wd', 'tier', 'mix', args.ids ? 'missions' : `missions (${args.lang})`], ...rows]);
}

/** One row per catalog template: how many days it came up, as a number and a bar, or why it never did. */
export function usageTable(catalog: CompiledCatalog, simulation: Simulation, tracks: readonly Family[]): string[] {
  const busiest = Math.max(0, ...simulation.usage.map((u) => u.days));
  const byId = new Map(catalog.templates.map((t) => [t.id, t]));
  const context: ReasonContext = { tracks, days: simulation.days };
  const rows = simulation.usage.map((usage) => {
    const template = byId.get(usage.id)!;
    const last = usage.days > 0 ? usageBar(usage.days, busiest) : `never: ${reasonText(usage.reason, template, context)}`;
    return [usage.id, template.category, template.difficulty, String(usage.days), last];
  });
  return formatTable([['template', 'category', 'difficulty', 'days', ''], ...rows], ['left', 'left', 'left', 'right', 'left']);
}

/** The whole simulation report: a heading, the day table, the usage table and a closing count. */
export function simulationReport(file: string, catalog: CompiledCatalog, simulation: Simulation, args: SimulateArgs & { start: string }): string {
  const days = simulation.days.length;
  const used = simulation.usage.filter((u) => u.days > 0).length;
  const heading =
    `${file}: ${plural(days, 'day')} from ${args.start} for the "${args.profile}" learner ` +
    `(mix ${args.mix}, ${plural(args.count, 'mission')} a day, tracks ${args.tracks.join(', ')})`;
  return [
    heading,
    '',
    ...dayTable(catalog, simulation, args),
    '',
    `How often each template came up (for those that never did: why, as of the last day)`,
    '',
    ...usageTable(catalog, simulation, args.tracks),
    '',
    used === simulation.usage.length
      ? 'Every template came up at least once.'
      : `${used} of ${plural(simulation.usage.length, 'template')} came up at least once; ${simulation.usage.length - used} never did.`,
  ].join('\n') + '\n';
}
