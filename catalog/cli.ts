/**
 * `daily-missions catalog check | build | simulate`: the catalog tools for hosts who
 * write their own catalog; `daily-missions serve` hands over to server/serve.ts. Compiling goes through catalog/compile.ts, the same code the
 * package build uses, so a catalog passes here exactly when it would pass there, with
 * the same messages. Shipped as dist/cli.js (catalog/build-cli.ts); `yaml` stays a
 * runtime dependency instead of being bundled in.
 *
 * This module is the program: importing it runs it. The argument rules live in
 * cli-args.ts and the wording of the output in cli-report.ts, both free of I/O.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CatalogError } from '../worker/engine/errors.js';
import { simulateDays } from '../worker/engine/simulate.js';
import type { CompiledCatalog } from '../worker/engine/types.js';
import type { CliCommand } from './cli-args.js';
import { parseCliArgs, PROGRAM, USAGE, UsageError } from './cli-args.js';
import { buildNote, checkSummary, simulationReport } from './cli-report.js';
import { compileCatalogFile } from './compile.js';

/** The terminal and the clock, handed in so the commands read no process globals. */
interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Today as YYYY-MM-DD (UTC): where a simulation starts when no --start is given. */
  today(): string;
}

const EXIT_OK = 0;
const EXIT_INVALID_CATALOG = 1;
const EXIT_USAGE = 2;

/** Ends a command early with an exit status and a message for stderr. */
class Failure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const HELP_HINT = `Run "${PROGRAM} --help" for usage.\n`;

/** Plain words for the file-system errors a user can fix (a typo in the path, a folder). */
function fileProblem(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EISDIR: 'is a folder, not a file',
    ENOTDIR: 'a part of the path is not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  };
  return code !== undefined && Object.hasOwn(words, code) ? words[code] : undefined;
}

/** Compiles the catalog file; an invalid catalog is reported in the compiler's own words, naming the file as the user gave it. */
function compileOrFail(file: string): CompiledCatalog {
  try {
    return compileCatalogFile(file, file);
  } catch (error) {
    if (error instanceof CatalogError) throw new Failure(EXIT_INVALID_CATALOG, error.message);
    const problem = fileProblem(error);
    if (problem !== undefined) throw new Failure(EXIT_USAGE, `${PROGRAM}: cannot read ${file}: ${problem}`);
    throw error;
  }
}

function writeOrFail(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const problem = fileProblem(error);
    if (problem !== undefined) throw new Failure(EXIT_USAGE, `${PROGRAM}: cannot write ${path}: ${problem}`);
    throw error;
  }
}

/** The JSON a host hands to the element or to connectMissions().useCatalog(): indented, so a committed copy diffs well. */
function catalogJson(catalog: CompiledCatalog): string {
  return `${JSON.stringify(catalog, null, 2)}\n`;
}

function build(command: Extract<CliCommand, { kind: 'build' }>, io: CliIO): void {
  const catalog = compileOrFail(command.file);
  if (command.output === undefined) {
    io.stdout(catalogJson(catalog));
    return;
  }
  writeOrFail(command.output, catalogJson(catalog));
  io.stdout(buildNote(command.output, catalog));
}

function simulate(command: Extract<CliCommand, { kind: 'simulate' }>, io: CliIO): void {
  const catalog = compileOrFail(command.file);
  if (!catalog.languages.includes(command.lang)) {
    throw new UsageError(`--lang: ${basename(command.file)} has no text in ${JSON.stringify(command.lang)}; it has ${catalog.languages.join(', ')}`, false);
  }
  const start = command.start ?? io.today();
  const simulation = simulateDays(catalog, {
    profile: command.profile,
    start,
    days: command.days,
    mix: command.mix,
    count: command.count,
    tracks: command.tracks,
  });
  io.stdout(simulationReport(basename(command.file), catalog, simulation, { ...command, start }));
}

function execute(command: CliCommand, io: CliIO): void {
  switch (command.kind) {
    case 'help':
      io.stdout(USAGE);
      return;
    case 'check':
      io.stdout(checkSummary(basename(command.file), compileOrFail(command.file)));
      return;
    case 'build':
      return build(command, io);
    case 'simulate':
      return simulate(command, io);
  }
}

/**
 * Runs one command line (without the program name) and returns the exit status:
 * 0 success, 1 invalid catalog, 2 wrong arguments or an unreadable or unwritable file.
 */
function runCli(argv: readonly string[], io: CliIO): number {
  try {
    execute(parseCliArgs(argv), io);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${PROGRAM}: ${error.message}\n${error.showUsage ? `\n${USAGE}` : HELP_HINT}`);
      return EXIT_USAGE;
    }
    if (error instanceof Failure) {
      io.stderr(`${error.message}\n`);
      return error.status;
    }
    throw error;
  }
}

// A reader that leaves early (`… simulate | head`) closes the pipe: that is not worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? EXIT_OK);
});

const argv = process.argv.slice(2);
if (argv[0] === 'serve') {
  // Loaded for this command only: the catalog commands never load the server, its JWT
  // library or a database driver (dist/serve.js is a file of its own).
  const { runServe } = await import('../server/serve.js');
  const status = await runServe(argv.slice(1));
  if (status !== undefined) process.exitCode = status;
} else {
  // exitCode rather than process.exit(): a large build written to a pipe is flushed before Node exits.
  process.exitCode = runCli(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    today: () => new Date().toISOString().slice(0, 10),
  });
}
