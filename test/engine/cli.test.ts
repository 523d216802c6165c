/**
 * `daily-missions catalog check | build | simulate`, run the way a host runs it: as a
 * child process, from source through tsx and as the bundled dist/cli.js. Errors must be
 * word for word what the build's compiler (catalog/compile.ts) says for the same file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCliArgs, USAGE, UsageError } from '../../catalog/cli-args.js';
import { formatTable, reasonText, usageBar } from '../../catalog/cli-report.js';
import { bundleCli } from '../../catalog/build-cli.js';
import { compileCatalogFile, compileCatalogSource } from '../../catalog/compile.js';
import { templateText, validateCompiledCatalog } from '../../worker/engine/catalog.js';
import { CatalogError } from '../../worker/engine/errors.js';
import { addDays, weekdayOf } from '../../worker/engine/day.js';
import { simulateDays } from '../../worker/engine/simulate.js';
import { FAMILIES } from '../../worker/engine/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHIPPED = 'catalog/templates.yaml';
const START = '2026-03-02'; // a Monday
const shipped = compileCatalogFile(path.join(root, SHIPPED));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a Node script with arguments from the repository root and collects what it prints. */
function runNode(nodeArgs: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The CLI from source, as `node --import tsx catalog/cli.ts …`. */
const cli = (...args: string[]): Promise<Run> => runNode(['--import', 'tsx', 'catalog/cli.ts', ...args]);

/** What the build's compiler throws for `file` (named as the CLI names it: as given), which must be a catalog error. */
function compileError(file: string): string {
  try {
    compileCatalogFile(file, file);
  } catch (error) {
    assert.ok(error instanceof CatalogError, `expected a CatalogError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`${file} compiled, but the fixture is meant to be invalid`);
}

// ---------------------------------------------------------------------------
// Fixtures: a host's own small catalog, and broken variants of it

const OWN_TEMPLATE = `  - id: read-a-chapter
    category: learning
    difficulty: easy
    check: lessons_completed_today
    target: 1
    xp: 10
    icon: book-open
    text:
      en:
        title: "Read a chapter"
        description: "Finish one chapter of your book today."
`;
const OWN_CATALOG = `version: 1\nlanguages: [en]\ntemplates:\n${OWN_TEMPLATE}`;

/** Each broken file, and a piece of the message that shows it fails for the intended reason. */
const BROKEN: Record<string, { source: string; mentions: string }> = {
  'missing-field.yaml': { source: OWN_CATALOG.replace('    target: 1\n', ''), mentions: 'template "read-a-chapter": target: missing' },
  'missing-xp.yaml': { source: OWN_CATALOG.replace('    xp: 10\n', ''), mentions: 'template "read-a-chapter": xp: missing' },
  'unknown-check.yaml': { source: OWN_CATALOG.replace('lessons_completed_today', 'chapters_read_today'), mentions: 'check: unknown check "chapters_read_today"' },
  'duplicate-id.yaml': { source: `${OWN_CATALOG}${OWN_TEMPLATE}`, mentions: 'template "read-a-chapter": id: duplicate id' },
  'bad-syntax.yaml': { source: OWN_CATALOG.replace('languages: [en]', 'languages: [en'), mentions: 'bad-syntax.yaml:3:1: invalid YAML before template "read-a-chapter": ' },
  'bad-indent.yaml': { source: OWN_CATALOG.replace('    xp: 10', '    xp: [10'), mentions: 'invalid YAML in template "read-a-chapter": ' },
};

let dir = '';
const fixture = (name: string): string => path.join(dir, name);

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'daily-missions-cli-'));
  writeFileSync(fixture('own.yaml'), OWN_CATALOG);
  for (const [name, { source }] of Object.entries(BROKEN)) writeFileSync(fixture(name), source);
});
after(() => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------

describe('catalog check', { concurrency: true }, () => {
  it('accepts the shipped catalog and summarises its templates and languages', async () => {
    const run = await cli('catalog', 'check', SHIPPED);
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'templates.yaml: OK');
    assert.match(run.stdout, /^ {2}22 templates: learning 6, review 4, mastery 4, exploration 5, streak 3$/m);
    assert.match(run.stdout, /^ {2}9 languages: en, de, es, fr, el, pt, tr, ja, ar$/m);
    assert.match(run.stdout, /17 of 22 assignable with the default tracks/);
  });

  it('says which event families the other templates need without suggesting --tracks, an option only simulate takes', async () => {
    const run = await cli('catalog', 'check', SHIPPED);
    assert.match(run.stdout, /^ {2}17 of 22 assignable with the default tracks \(lessons, elements\); the other 5 need a host whose tracks include (review-sessions|review-queue|adaptive|exercises)(, (review-sessions|review-queue|adaptive|exercises)){3}$/m);
    assert.doesNotMatch(run.stdout, /--tracks/);
  });

  it("accepts a host's own one-language catalog", async () => {
    const run = await cli('catalog', 'check', fixture('own.yaml'));
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^own\.yaml: OK\n {2}1 template: learning 1, /);
    assert.match(run.stdout, /^ {2}1 language: en$/m);
    assert.match(run.stdout, /all assignable with the default tracks/);
  });

  for (const [name, { mentions }] of Object.entries(BROKEN)) {
    it(`rejects ${name} with exit status 1 and exactly the build's message`, async () => {
      const expected = compileError(fixture(name));
      assert.ok(expected.includes(mentions), `fixture fails for the intended reason: ${expected}`);
      const run = await cli('catalog', 'check', fixture(name));
      assert.equal(run.status, 1);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, `${expected}\n`);
    });
  }

  it('shows a YAML syntax error at the path as given, with line, column, the line itself and a caret', async () => {
    const given = path.relative(root, fixture('bad-indent.yaml'));
    const run = await cli('catalog', 'check', given);
    assert.equal(run.status, 1);
    const [first, quoted, caret, ...rest] = run.stderr.split('\n');
    assert.deepEqual(rest, [''], 'three lines, nothing repeated');
    const found = /^(.+):(\d+):(\d+): invalid YAML in template "read-a-chapter": (.+)$/.exec(first!);
    assert.ok(found, first);
    const [, file, line, column, reason] = found;
    assert.equal(file, given);
    assert.doesNotMatch(reason!, /line \d|column \d|:$/, 'the position is said once, and the reason does not end on a colon');
    const sourceLine = readFileSync(fixture('bad-indent.yaml'), 'utf8').split('\n')[Number(line) - 1]!;
    const gutter = ` ${line} | `;
    assert.equal(quoted, `${gutter}${sourceLine}`);
    assert.equal(caret, `${' '.repeat(gutter.length - 2)}| ${' '.repeat(Number(column) - 1)}^`);
  });

  it('says "missing" for every absent field, whatever its type', () => {
    const withoutLine = (line: string) => OWN_CATALOG.replace(`${line}\n`, '');
    const cases: [string, string][] = [
      [withoutLine('version: 1'), 'catalog.yaml: version: missing'],
      [withoutLine('languages: [en]'), 'catalog.yaml: languages: missing'],
      [OWN_CATALOG.replace(/templates:\n[\s\S]*$/, ''), 'catalog.yaml: templates: missing'],
      [withoutLine('  - id: read-a-chapter').replace('    category', '  - category'), 'catalog.yaml: templates[0].id: missing'],
      ...['category', 'difficulty', 'check', 'target', 'xp', 'icon'].map((field): [string, string] => [
        OWN_CATALOG.replace(new RegExp(`    ${field}: .*\n`), ''),
        `catalog.yaml: template "read-a-chapter": ${field}: missing`,
      ]),
      [OWN_CATALOG.replace(/    text:\n[\s\S]*$/, ''), 'catalog.yaml: template "read-a-chapter": text: missing'],
      [withoutLine('        title: "Read a chapter"'), 'catalog.yaml: template "read-a-chapter": text.en.title: missing'],
      [withoutLine('        description: "Finish one chapter of your book today."'), 'catalog.yaml: template "read-a-chapter": text.en.description: missing'],
    ];
    for (const [source, start] of cases) {
      const error = (() => {
        try {
          compileCatalogSource(source);
        } catch (caught) {
          return caught as CatalogError;
        }
        assert.fail(`compiled without ${start}`);
      })();
      assert.ok(error instanceof CatalogError);
      assert.ok(error.message === start || error.message.startsWith(`${start};`), `${error.message} (expected "${start}")`);
    }
  });

  it('names a file it cannot read, with exit status 2', async () => {
    const run = await cli('catalog', 'check', fixture('absent.yaml'));
    assert.equal(run.status, 2);
    assert.equal(run.stderr, `daily-missions: cannot read ${fixture('absent.yaml')}: no such file or folder\n`);
  });
});

describe('catalog build', { concurrency: true }, () => {
  it('prints the compiled catalog as JSON that the element and the worker accept', async () => {
    const run = await cli('catalog', 'build', SHIPPED);
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
    const json: unknown = JSON.parse(run.stdout);
    assert.deepEqual(json, shipped);
    assert.deepEqual(validateCompiledCatalog(json), shipped);
  });

  it('writes the JSON to the file given with -o', async () => {
    const out = fixture('own.json');
    const run = await cli('catalog', 'build', fixture('own.yaml'), '-o', out);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, `wrote ${out}: 1 template, 1 language\n`);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), compileCatalogFile(fixture('own.yaml')));
  });

  it('writes nothing for an invalid catalog, and says why in the build’s words', async () => {
    const out = fixture('never-written.json');
    const run = await cli('catalog', 'build', fixture('unknown-check.yaml'), '--output', out);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `${compileError(fixture('unknown-check.yaml'))}\n`);
    assert.equal(existsSync(out), false);
  });
});

/** The rows of a simulation report that start with a date, and the template usage rows. */
function reportRows(stdout: string): { days: string[]; usage: Map<string, string> } {
  const lines = stdout.split('\n');
  const days = lines.filter((line) => /^\d{4}-\d{2}-\d{2}  /.test(line));
  const ids = new Set(shipped.templates.map((t) => t.id));
  const usage = new Map<string, string>();
  for (const line of lines) {
    const id = line.split(' ')[0]!;
    if (ids.has(id)) {
      assert.equal(usage.has(id), false, `one usage line for ${id}`);
      usage.set(id, line);
    }
  }
  return { days, usage };
}

describe('catalog simulate', { concurrency: true }, () => {
  it('prints 30 days and one usage line per template, agreeing with the engine', async () => {
    const run = await cli('catalog', 'simulate', SHIPPED, '--start', START, '--profile', 'veteran');
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
    const { days, usage } = reportRows(run.stdout);
    const expected = simulateDays(shipped, { profile: 'veteran', start: START });
    assert.equal(days.length, 30);
    days.forEach((row, i) => {
      const day = expected.days[i]!;
      assert.ok(row.startsWith(`${addDays(START, i)}  ${weekdayOf(day.day)}  veteran  ${day.mix}  `), row);
      const titles = day.templates.map((id) => templateText(shipped, id, 'en').title);
      assert.ok(row.endsWith(titles.join(' | ')), `${row} lists ${titles.join(', ')}`);
    });
    assert.equal(usage.size, 22);
    const byId = new Map(shipped.templates.map((t) => [t.id, t]));
    for (const entry of expected.usage) {
      const line = usage.get(entry.id)!;
      const columns = line.split(/\s{2,}/);
      assert.equal(columns[3], String(entry.days), line);
      if (entry.days > 0) assert.equal(columns[4], '#'.repeat(entry.days), line);
      else assert.equal(columns[4], `never: ${reasonText(entry.reason, byId.get(entry.id)!, { tracks: ['lessons', 'elements'], days: expected.days })}`);
    }
    const used = expected.usage.filter((u) => u.days > 0).length;
    assert.ok(run.stdout.endsWith(`\n${used} of 22 templates came up at least once; ${22 - used} never did.\n`));
  });

  it('explains why templates never came up: untracked families, locked categories, out-of-reach streaks', async () => {
    const run = await cli('catalog', 'simulate', SHIPPED, '--start', START, '--profile', 'new');
    const { usage } = reportRows(run.stdout);
    assert.match(usage.get('use-cloze')!, /never: not tracked: cloze_exercises_today counts "exercises" events; try --tracks lessons,elements,exercises$/);
    assert.match(usage.get('review-5-elements')!, /never: locked for this learner: review missions open to learners with mistakes to fix/);
    assert.match(usage.get('extend-streak-7')!, /never: out of reach in one day: current_streak_days rises by at most 1 a day/);
  });

  it('honours --days, --count, --mix, --tracks, --lang and --ids', async () => {
    const options = ['--start', START, '--days', '7', '--count', '2', '--mix', 'auto', '--tracks', 'all', '--profile', 'veteran'];
    const expected = simulateDays(shipped, { profile: 'veteran', start: START, days: 7, count: 2, mix: 'auto', tracks: FAMILIES });
    const [titles, ids] = await Promise.all([
      cli('catalog', 'simulate', SHIPPED, ...options, '--lang', 'de'),
      cli('catalog', 'simulate', SHIPPED, ...options, '--ids'),
    ]);
    assert.equal(titles.status, 0);
    assert.equal(ids.status, 0);
    const titleRows = reportRows(titles.stdout).days;
    const idRows = reportRows(ids.stdout).days;
    assert.equal(titleRows.length, 7);
    expected.days.forEach((day, i) => {
      assert.ok(titleRows[i]!.endsWith(day.templates.map((id) => templateText(shipped, id, 'de').title).join(' | ')), titleRows[i]);
      assert.ok(idRows[i]!.endsWith(day.templates.join(' | ')), idRows[i]);
    });
    assert.match(titles.stdout, /tracks lessons, elements, review-sessions, review-queue, adaptive, exercises\)/);
  });

  it('marks days on which the catalog runs out of templates', async () => {
    // One template, never two days running: every other day has nothing to assign.
    const run = await cli('catalog', 'simulate', fixture('own.yaml'), '--start', START, '--days', '4', '--ids');
    assert.equal(run.status, 0);
    const rows = run.stdout.split('\n').filter((line) => line.startsWith('2026-03-0'));
    assert.deepEqual(
      rows.map((row) => row.split(/\s{2,}/).slice(4).join('  ')),
      ['read-a-chapter  (1 of 3: nothing else assignable)', '(0 of 3: nothing assignable)', 'read-a-chapter  (1 of 3: nothing else assignable)', '(0 of 3: nothing assignable)'],
    );
    assert.match(run.stdout, /\nEvery template came up at least once\.\n$/);
  });

  it('starts today (UTC) without --start', async () => {
    const before = new Date().toISOString().slice(0, 10);
    const run = await cli('catalog', 'simulate', SHIPPED, '--days', '1');
    const after = new Date().toISOString().slice(0, 10);
    const [row] = reportRows(run.stdout).days;
    assert.ok(row !== undefined && [before, after].includes(row.slice(0, 10)), `first day is today: ${row}`);
  });

  it('reports an invalid catalog as check does', async () => {
    const run = await cli('catalog', 'simulate', fixture('duplicate-id.yaml'), '--start', START);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `${compileError(fixture('duplicate-id.yaml'))}\n`);
  });
});

describe('usage', { concurrency: true }, () => {
  it('--help prints the usage on stdout', async () => {
    for (const args of [['--help'], ['catalog', 'simulate', '-h']]) {
      const run = await cli(...args);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, USAGE);
      assert.match(USAGE, /catalog <command> <file\.yaml>/);
    }
  });

  it('a missing or unknown command or option gives the message and the usage, exit status 2', async () => {
    const cases: [string[], string][] = [
      [[], 'missing command'],
      [['check', SHIPPED], 'unknown command "check"; did you mean "daily-missions catalog check"?'],
      [['catalog', 'lint', SHIPPED], 'unknown catalog command "lint"; expected check, build, simulate'],
      [['catalog', 'check'], 'check: missing the catalog file (<file.yaml>)'],
      [['catalog', 'check', SHIPPED, '--verbose'], 'unknown option --verbose'],
      [['catalog', 'check', SHIPPED, '--days', '3'], '--days is an option of "simulate", not of "check"'],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(...args)));
    runs.forEach((run, i) => {
      assert.equal(run.status, 2, cases[i]![1]);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, `daily-missions: ${cases[i]![1]}\n\n${USAGE}`);
    });
  });

  it('a bad option value is refused with a message naming the option', async () => {
    const cases: [string[], string][] = [
      [['--days', '0'], '--days: must be between 1 and 366, got 0'],
      [['--days', 'ten'], '--days: must be a whole number, got "ten"'],
      [['--count', '4'], '--count: must be between 1 and 3, got 4'],
      [['--profile', 'expert'], '--profile: must be one of new, active-with-mistakes, veteran, got "expert"'],
      [['--mix', 'hard'], '--mix: must be one of balanced, easy, challenging, auto, got "hard"'],
      [['--start', '2026-02-30'], '--start: must be a calendar date YYYY-MM-DD, got "2026-02-30"'],
      [['--tracks', 'lessons,videos'], `--tracks: must be one of ${FAMILIES.join(', ')}, got "videos"`],
      [['--lang', 'xx'], '--lang: templates.yaml has no text in "xx"; it has en, de, es, fr, el, pt, tr, ja, ar'],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli('catalog', 'simulate', SHIPPED, ...args)));
    runs.forEach((run, i) => {
      assert.equal(run.status, 2, cases[i]![1]);
      assert.equal(run.stderr, `daily-missions: ${cases[i]![1]}\nRun "daily-missions --help" for usage.\n`);
    });
  });
});

describe('argument parsing and layout (in process)', () => {
  it('reads options in either form, anywhere after the command', () => {
    assert.deepEqual(parseCliArgs(['catalog', 'build', '-o', 'out.json', 'x.yaml']), { kind: 'build', file: 'x.yaml', output: 'out.json' });
    assert.deepEqual(parseCliArgs(['catalog', 'build', 'x.yaml', '--output=out.json']), { kind: 'build', file: 'x.yaml', output: 'out.json' });
    assert.deepEqual(parseCliArgs(['catalog', 'check', '--', '-odd.yaml']), { kind: 'check', file: '-odd.yaml' });
    const simulate = parseCliArgs(['catalog', 'simulate', 'x.yaml', '--tracks', 'all', '--days=7']);
    assert.ok(simulate.kind === 'simulate');
    assert.deepEqual(simulate.tracks, [...FAMILIES]);
    assert.equal(simulate.days, 7);
    assert.equal(simulate.start, undefined, 'today is filled in by the caller, not the parser');
  });

  it('refuses a missing value, a repeated option and a value for a flag', () => {
    for (const [args, message] of [
      [['catalog', 'simulate', 'x.yaml', '--days'], '--days needs a value'],
      [['catalog', 'simulate', 'x.yaml', '--days', '--ids'], '--days needs a value'],
      [['catalog', 'simulate', 'x.yaml', '--ids', '--ids'], '--ids is given twice'],
      [['catalog', 'simulate', 'x.yaml', '--ids=yes'], '--ids takes no value'],
    ] as const) {
      assert.throws(() => parseCliArgs(args), (e: unknown) => e instanceof UsageError && e.message === message);
    }
  });

  it('pads every column but the last, right-aligning where asked', () => {
    assert.deepEqual(formatTable([['id', 'n', 'bar'], ['a-long-id', '12', '##'], ['b', '3', '']], ['left', 'right', 'left']), [
      'id          n  bar',
      'a-long-id  12  ##',
      'b           3',
    ]);
  });

  it('draws one mark per day up to the bar width, then scales', () => {
    assert.equal(usageBar(4, 10), '####');
    assert.equal(usageBar(0, 10), '');
    assert.equal(usageBar(60, 60, 30).length, 30);
    assert.equal(usageBar(1, 300, 30), '#', 'a template that came up at all keeps a mark');
  });
});

// ---------------------------------------------------------------------------

/** dist/cli.js when built (npm test builds first); otherwise a fresh bundle made the same way. */
async function bundledCli(): Promise<{ file: string; cleanup: () => void }> {
  const built = path.join(root, 'dist/cli.js');
  if (existsSync(built)) return { file: built, cleanup: () => {} };
  // Inside node_modules so the bundle resolves `yaml` (kept external) as an installed package would.
  const cache = path.join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const tempDir = mkdtempSync(path.join(cache, 'daily-missions-cli-'));
  const file = path.join(tempDir, 'cli.js');
  await bundleCli(file);
  return { file, cleanup: () => rmSync(tempDir, { recursive: true, force: true }) };
}

describe('the bundled bin (dist/cli.js)', () => {
  it('is the package bin: runs under plain node, without tsx, with the same output as the source', async () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
    assert.deepEqual(pkg.bin, { 'daily-missions': 'dist/cli.js' });
    const bundle = await bundledCli();
    try {
      const code = readFileSync(bundle.file, 'utf8');
      assert.ok(code.startsWith('#!/usr/bin/env node\n'), 'starts with a shebang');
      assert.match(code, /from\s*["']yaml["']/, 'yaml is imported at run time, not bundled');
      const [fromBundle, fromSource] = await Promise.all([runNode([bundle.file, 'catalog', 'check', SHIPPED]), cli('catalog', 'check', SHIPPED)]);
      assert.equal(fromBundle.status, 0, fromBundle.stderr);
      assert.equal(fromBundle.stdout, fromSource.stdout);
      const broken = await runNode([bundle.file, 'catalog', 'check', fixture('bad-syntax.yaml')]);
      assert.equal(broken.status, 1);
      assert.equal(broken.stderr, `${compileError(fixture('bad-syntax.yaml'))}\n`);
    } finally {
      bundle.cleanup();
    }
  });
});
