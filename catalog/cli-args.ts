/**
 * Command-line arguments of `daily-missions catalog …`, parsed without any I/O so every
 * rule (and every message) can be tested directly. Option values are checked here with
 * the engine's own guards, so a bad `--start` is refused with the same wording the
 * engine would use, but naming the option the user typed.
 */
import type { DayKey } from '../worker/engine/day.js';
import { requireDayKey } from '../worker/engine/day.js';
import { ValidationError } from '../worker/engine/errors.js';
import type { LearnerProfileName } from '../worker/engine/simulate.js';
import { LEARNER_PROFILE_NAMES, MAX_SIMULATED_DAYS } from '../worker/engine/simulate.js';
import type { Family, Mix } from '../worker/engine/types.js';
import { DEFAULT_TRACKS, FAMILIES } from '../worker/engine/types.js';
import { DEFAULT_COUNT, DEFAULT_MIX, MAX_MISSIONS, MIN_MISSIONS, MIXES } from '../worker/engine/vocabulary.js';
import { requireInteger, requireOneOf } from '../worker/engine/validate.js';

export const PROGRAM = 'daily-missions';
export const SUBCOMMANDS = ['check', 'build', 'simulate'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

/** The profile a simulation uses when none is given: it starts active and turns veteran within 30 days. */
export const DEFAULT_PROFILE: LearnerProfileName = 'active-with-mistakes';
export const DEFAULT_DAYS = 30;

export interface SimulateArgs {
  profile: LearnerProfileName;
  days: number;
  /** Absent: the caller supplies today, so parsing stays free of the clock. */
  start?: DayKey;
  mix: Mix;
  count: number;
  tracks: Family[];
  lang: string;
  /** Show template ids instead of titles. */
  ids: boolean;
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'check'; file: string }
  | { kind: 'build'; file: string; output?: string }
  | ({ kind: 'simulate'; file: string } & SimulateArgs);

/**
 * Wrong arguments: the CLI prints the message and exits with status 2. A wrong command
 * or option (`showUsage`) is followed by the usage; a wrong value only needs its message.
 */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

interface OptionSpec {
  name: string;
  short?: string;
  takesValue: boolean;
  /** The subcommand the option belongs to (help belongs to all). */
  command?: Subcommand;
}

const OPTIONS: readonly OptionSpec[] = [
  { name: 'help', short: 'h', takesValue: false },
  { name: 'output', short: 'o', takesValue: true, command: 'build' },
  { name: 'profile', takesValue: true, command: 'simulate' },
  { name: 'days', takesValue: true, command: 'simulate' },
  { name: 'start', takesValue: true, command: 'simulate' },
  { name: 'mix', takesValue: true, command: 'simulate' },
  { name: 'count', takesValue: true, command: 'simulate' },
  { name: 'tracks', takesValue: true, command: 'simulate' },
  { name: 'lang', takesValue: true, command: 'simulate' },
  { name: 'ids', takesValue: false, command: 'simulate' },
];

export const USAGE = `Usage: ${PROGRAM} catalog <command> <file.yaml> [options]
       ${PROGRAM} serve [options]     the HTTP server ("${PROGRAM} serve --help")

Check, compile and try out a mission catalog written in YAML.

Commands:
  check <file.yaml>                 validate; print a summary, or the first error
  build <file.yaml> [-o out.json]   compile to the JSON that the element's \`catalog\`
                                    property and connectMissions().useCatalog() take
  simulate <file.yaml> [options]    show the missions one kind of learner gets each day

Options of build:
  -o, --output <file>     write the JSON to <file> instead of standard output

Options of simulate:
  --profile <name>        ${LEARNER_PROFILE_NAMES.join(' | ')} (default ${DEFAULT_PROFILE})
  --days <n>              days to simulate, 1 to ${MAX_SIMULATED_DAYS} (default ${DEFAULT_DAYS})
  --start <YYYY-MM-DD>    first day (default today, UTC)
  --mix <mix>             ${MIXES.join(' | ')} (default ${DEFAULT_MIX})
  --count <n>             missions a day, ${MIN_MISSIONS} to ${MAX_MISSIONS} (default ${DEFAULT_COUNT})
  --tracks <list>         event families the host reports, comma-separated, or "all"
                          (default ${DEFAULT_TRACKS.join(',')}; families: ${FAMILIES.join(', ')})
  --lang <code>           language of the mission titles (default en)
  --ids                   show template ids instead of titles

  -h, --help              show this help

Exit status: 0 success, 1 invalid catalog, 2 wrong arguments or a file that cannot be
read or written.
`;

/** An option as given on the command line, before its value is checked. */
interface GivenOption {
  spec: OptionSpec;
  /** How the user wrote it (`-o`, `--output`), for messages. */
  written: string;
  value: string | undefined;
}

function findOption(token: string): { spec: OptionSpec; inlineValue: string | undefined } {
  const long = /^--([^=]+)(?:=(.*))?$/s.exec(token);
  const spec = long ? OPTIONS.find((o) => o.name === long[1]) : OPTIONS.find((o) => o.short !== undefined && `-${o.short}` === token);
  if (!spec) throw new UsageError(`unknown option ${long ? `--${long[1]}` : token}`);
  return { spec, inlineValue: long?.[2] };
}

/** Splits the arguments into positionals and options; values are taken but not yet checked. */
function tokenize(argv: readonly string[]): { positionals: string[]; options: GivenOption[] } {
  const positionals: string[] = [];
  const options: GivenOption[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      // Conventional end of options: lets a file whose name starts with "-" through.
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    const { spec, inlineValue } = findOption(token);
    const written = token.split('=')[0]!;
    if (!spec.takesValue) {
      if (inlineValue !== undefined) throw new UsageError(`${written} takes no value`);
      options.push({ spec, written, value: undefined });
      continue;
    }
    let value = inlineValue;
    if (value === undefined) {
      // A following option is a forgotten value, not the value itself; "-3" still reaches
      // the number check, which says what is wrong with it.
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${written} needs a value`);
      value = next;
      i += 1;
    }
    options.push({ spec, written, value });
  }
  return { positionals, options };
}

/** Runs an engine guard, turning its ValidationError into a usage error that names the option. */
function guarded<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(error.message, false);
    throw error;
  }
}

function wholeNumber(option: string, value: string, min: number, max: number): number {
  // Number("") is 0 and Number("1e1") is 10: only plain digits count as a whole number here.
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${option}: must be a whole number, got ${JSON.stringify(value)}`, false);
  return guarded(() => requireInteger(Number(value), option, min, max));
}

function parseTracks(value: string): Family[] {
  if (value === 'all') return [...FAMILIES];
  const names = value.split(',').map((name) => name.trim());
  const tracks = names.map((name) => guarded(() => requireOneOf(name, '--tracks', FAMILIES)));
  return [...new Set(tracks)];
}

function simulateArgs(values: Map<string, string | undefined>): SimulateArgs {
  const get = (name: string): string | undefined => values.get(name);
  const args: SimulateArgs = {
    profile: guarded(() => requireOneOf(get('profile') ?? DEFAULT_PROFILE, '--profile', LEARNER_PROFILE_NAMES)),
    days: wholeNumber('--days', get('days') ?? String(DEFAULT_DAYS), 1, MAX_SIMULATED_DAYS),
    mix: guarded(() => requireOneOf(get('mix') ?? DEFAULT_MIX, '--mix', MIXES)),
    count: wholeNumber('--count', get('count') ?? String(DEFAULT_COUNT), MIN_MISSIONS, MAX_MISSIONS),
    tracks: get('tracks') === undefined ? [...DEFAULT_TRACKS] : parseTracks(get('tracks')!),
    // Whether the catalog has text in this language is known only once it is compiled.
    lang: get('lang') ?? 'en',
    ids: values.has('ids'),
  };
  const start = get('start');
  if (start !== undefined) args.start = guarded(() => requireDayKey(start, '--start'));
  return args;
}

function subcommandOf(positionals: readonly string[]): Subcommand {
  const [group, sub] = positionals;
  if (group === undefined) throw new UsageError('missing command');
  if (group !== 'catalog') {
    const hint = (SUBCOMMANDS as readonly string[]).includes(group) ? `; did you mean "${PROGRAM} catalog ${group}"?` : '';
    throw new UsageError(`unknown command ${JSON.stringify(group)}${hint}`);
  }
  if (sub === undefined) throw new UsageError(`missing catalog command: ${SUBCOMMANDS.join(', ')}`);
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(`unknown catalog command ${JSON.stringify(sub)}; expected ${SUBCOMMANDS.join(', ')}`);
  }
  return sub as Subcommand;
}

/** Each option once, and only with the command it belongs to. */
function optionValues(command: Subcommand, options: readonly GivenOption[]): Map<string, string | undefined> {
  const values = new Map<string, string | undefined>();
  for (const { spec, written, value } of options) {
    if (spec.command !== undefined && spec.command !== command) throw new UsageError(`${written} is an option of "${spec.command}", not of "${command}"`);
    if (values.has(spec.name)) throw new UsageError(`${written} is given twice`);
    values.set(spec.name, value);
  }
  return values;
}

/** The command the arguments ask for (without the program name), or a UsageError saying what is wrong. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const { positionals, options } = tokenize(argv);
  // Help wins over everything else, so `… simulate --days x --help` still helps.
  if (options.some((o) => o.spec.name === 'help')) return { kind: 'help' };
  const command = subcommandOf(positionals);
  const values = optionValues(command, options);
  const file = positionals[2];
  if (file === undefined) throw new UsageError(`${command}: missing the catalog file (<file.yaml>)`);
  if (positionals.length > 3) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[3])}`);
  switch (command) {
    case 'check':
      return { kind: 'check', file };
    case 'build': {
      const output = values.get('output');
      return output === undefined ? { kind: 'build', file } : { kind: 'build', file, output };
    }
    case 'simulate':
      return { kind: 'simulate', file, ...simulateArgs(values) };
  }
}
