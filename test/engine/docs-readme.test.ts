/**
 * The README's reference tables, checked against the code they describe, so a renamed
 * attribute, a new custom property or a changed activity field fails here instead of
 * leaving the documentation wrong:
 * - attributes, property-only settings and methods: custom-elements.json;
 * - events: the `@fires` tags of src/daily-missions.ts (each needs a sample `detail`,
 *   whose shape test/browser/docs-events.test.ts checks against the real element);
 * - custom properties and parts: the `@cssprop` / `@csspart` tags (names and text) and
 *   the light and dark defaults in src/styles.ts;
 * - missions-error codes: the MissionsErrorCode type;
 * - the activity vocabulary: ACTIVITY_TYPES, what normalizeActivity accepts and requires,
 *   and which shipped missions and event families each activity feeds.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileCatalogFile } from '../../catalog/compile.js';
import { ACTIVITY_TYPES, normalizeActivity } from '../../worker/engine/activity.js';
import type { ActivityInput, ActivityType } from '../../worker/engine/activity.js';
import { ValidationError } from '../../worker/engine/errors.js';
import { applyActivity, countersFor, emptyDayStats, emptyLearnerState } from '../../worker/engine/stats.js';
import { CHECK_FAMILY, CHECK_NAMES } from '../../worker/engine/types.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const README = read('README.md');
const ELEMENT_SOURCE = read('src/daily-missions.ts');
const STYLES = read('src/styles.ts');

interface Declaration {
  tagName?: string;
  attributes?: { name: string; fieldName?: string }[];
  members?: { name: string; kind: string; privacy?: string; static?: boolean }[];
  events?: { name: string }[];
  cssParts?: { name: string; description?: string }[];
  cssProperties?: { name: string; description?: string }[];
}
const manifest = JSON.parse(read('custom-elements.json')) as { modules: { declarations?: Declaration[] }[] };
const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'daily-missions')!;

// ---- reading the README ----------------------------------------------------------

/** The text of a `## title` section, up to the next `## ` heading. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has no "## ${title}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** Cells of a table row; `\|` inside a cell is a literal pipe. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** The body rows of the first table in `text` whose first header cell is `firstHeader`. */
function table(text: string, firstHeader: string): string[][] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || cells(lines[i]!)[0] !== firstHeader) continue;
    const rows: string[][] = [];
    for (let j = i + 2; j < lines.length && lines[j]!.startsWith('|'); j++) rows.push(cells(lines[j]!));
    return rows;
  }
  assert.fail(`no table with the header "${firstHeader}"`);
}

/** The code spans of a cell, in order (`` `a`, `b?` `` → ['a', 'b?']). */
const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
/** The first code span of a cell, or '' when it has none. */
const code = (cell: string): string => codeSpans(cell)[0] ?? '';
const sorted = (list: Iterable<string>) => [...list].sort();

// ---- reading the code --------------------------------------------------------------

/** `@tag name - description` lines of the element's JSDoc. */
function jsdocTags(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of ELEMENT_SOURCE.matchAll(new RegExp(`^\\s*\\*\\s*@${tag}\\s+([\\w-]+)(?:\\s+-\\s+(.*))?$`, 'gm'))) {
    found.set(match[1]!, (match[2] ?? '').trim());
  }
  return found;
}

/** `--dm-*: value;` declarations of a block of src/styles.ts. */
function declarations(block: string): Map<string, string> {
  return new Map([...block.matchAll(/^\s*(--dm-[a-z-]+):\s*([^;]+);/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  assert.ok(from >= 0, `"${start}" not found`);
  const to = text.indexOf(end, from + start.length);
  assert.ok(to >= 0, `"${end}" not found after "${start}"`);
  return text.slice(from + start.length, to);
}

const lightDefaults = declarations(between(STYLES.slice(STYLES.indexOf('export const styles')), ':host {', '}'));
const darkDefaults = declarations(between(STYLES, 'const darkTheme = css`', '`;'));

/** The string literals of a TypeScript union type declared as `export type Name = ...;`. */
function unionLiterals(source: string, name: string): string[] {
  const body = between(source, `export type ${name} =`, ';');
  return [...body.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

// ---- the element's API ---------------------------------------------------------------

describe('README: attributes, properties and methods', () => {
  const api = section('API');

  it('lists exactly the attributes of <daily-missions>, each with its property', () => {
    const rows = table(api, 'attribute');
    assert.deepEqual(sorted(rows.map((row) => code(row[0]!))), sorted((element.attributes ?? []).map((a) => a.name)));
    for (const row of rows) {
      const attribute = element.attributes!.find((a) => a.name === code(row[0]!))!;
      assert.equal(code(row[1]!), attribute.fieldName, `property of ${attribute.name}`);
    }
  });

  it('lists exactly the public properties that have no attribute', () => {
    const withAttribute = new Set((element.attributes ?? []).map((a) => a.fieldName));
    const propertyOnly = (element.members ?? [])
      .filter((m) => m.kind === 'field' && m.privacy === 'public' && !m.static && !withAttribute.has(m.name))
      .map((m) => m.name);
    assert.deepEqual(sorted(table(api, 'property').map((row) => code(row[0]!))), sorted(propertyOnly));
  });

  it('lists exactly the public methods', () => {
    const methods = (element.members ?? []).filter((m) => m.kind === 'method' && (m.privacy ?? 'public') === 'public').map((m) => m.name);
    const documented = table(api, 'method').map((row) => code(row[0]!).replace(/\(.*$/, ''));
    assert.deepEqual(sorted(documented), sorted(methods));
  });
});

// ---- events --------------------------------------------------------------------------

describe('README: events', () => {
  const samples = new Map(
    [...README.matchAll(/<!--\s*sample:\s*([a-z-]+)\s*-->\s*```json\r?\n([\s\S]*?)\r?\n```/g)].map((m) => [m[1]!, m[2]!]),
  );

  it('has a sample detail for every event named by @fires in src/daily-missions.ts, and no other', () => {
    const fires = [...jsdocTags('fires').keys()];
    assert.equal(fires.length, 4, 'the element declares its four events');
    assert.deepEqual(sorted(samples.keys()), sorted(fires));
  });

  it('custom-elements.json (which the browser test reads) names the same events', () => {
    assert.deepEqual(sorted((element.events ?? []).map((e) => e.name)), sorted(jsdocTags('fires').keys()));
  });

  it('every sample is a JSON object', () => {
    for (const [name, body] of samples) {
      const value = JSON.parse(body) as unknown;
      assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${name}: a JSON object`);
    }
  });

  it('lists exactly the missions-error codes of MissionsErrorCode', () => {
    const codes = [
      ...unionLiterals(read('src/errors.ts'), 'MissionsErrorCode'),
      ...unionLiterals(read('worker/store/store.ts'), 'StorageErrorCode'),
    ];
    assert.ok(read('src/errors.ts').includes('| StorageErrorCode;'), 'MissionsErrorCode includes the storage codes');
    assert.deepEqual(sorted(table(section('Events'), 'code').map((row) => code(row[0]!))), sorted(codes));
  });
});

// ---- styling -------------------------------------------------------------------------

describe('README: styling', () => {
  const styling = section('Styling');

  it('lists exactly the @cssprop custom properties, with their JSDoc text', () => {
    const documented = jsdocTags('cssprop');
    const rows = table(styling, 'custom property');
    assert.deepEqual(sorted(rows.map((row) => code(row[0]!))), sorted(documented.keys()));
    for (const row of rows) assert.equal(row[3], documented.get(code(row[0]!)), `description of ${code(row[0]!)}`);
    // The manifest carries the same list to editors and to the browser tests.
    assert.deepEqual(sorted((element.cssProperties ?? []).map((p) => p.name)), sorted(documented.keys()));
  });

  it('gives each custom property its light default and, where it has one, its dark default from src/styles.ts', () => {
    assert.deepEqual(sorted(lightDefaults.keys()), sorted(jsdocTags('cssprop').keys()), 'every documented property is declared on :host');
    for (const row of table(styling, 'custom property')) {
      const name = code(row[0]!);
      assert.equal(code(row[1]!), lightDefaults.get(name), `default of ${name}`);
      assert.equal(code(row[2]!), darkDefaults.get(name) ?? '', `dark default of ${name}`);
    }
  });

  it('lists exactly the @csspart parts, with their JSDoc text', () => {
    const documented = jsdocTags('csspart');
    const rows = table(styling, 'part');
    assert.deepEqual(sorted(rows.map((row) => code(row[0]!))), sorted(documented.keys()));
    for (const row of rows) assert.equal(row[1], documented.get(code(row[0]!)), `description of ${code(row[0]!)}`);
    assert.deepEqual(sorted((element.cssParts ?? []).map((p) => p.name)), sorted(documented.keys()));
  });
});

// ---- the activity vocabulary -----------------------------------------------------------

// `at` and `id` are common to every type (the README says so above the table).
type FieldsOf<T extends ActivityType> = Omit<Extract<ActivityInput, { type: T }>, 'type' | 'at' | 'id'>;

/**
 * Every field of every activity type, optional ones included, with a value that feeds as
 * much as that activity can. `Required` makes the type check fail when a field is added to
 * or removed from ActivityInput without updating this (and then the README).
 */
const ALL_FIELDS: { [T in ActivityType]: Required<FieldsOf<T>> } = {
  'lesson-started': { lessonId: 'l-1', setId: 'set-new', adaptive: true },
  'lesson-completed': { lessonId: 'l-1', setId: 'set-new', correct: 10, total: 10, seconds: 1800 },
  'element-reviewed': { elementId: 'e-1', correct: false },
  'element-mastered': { elementId: 'e-1' },
  'exercise-completed': { exerciseType: 'cloze' },
  'review-session-completed': {},
  'overdue-cleared': {},
  'study-time': { seconds: 1800 },
};

/** A Saturday, so the weekend mission counts too. */
const SATURDAY = '2025-03-08';
const AT = Date.UTC(2025, 2, 8, 12);

describe('README: activity vocabulary', () => {
  const rows = table(section('Activity vocabulary'), 'type');
  const byType = new Map(rows.map((row) => [code(row[0]!), row]));
  const catalog = compileCatalogFile(fileURLToPath(new URL('../../catalog/templates.yaml', import.meta.url)));

  it('lists exactly ACTIVITY_TYPES, in order', () => {
    assert.deepEqual(rows.map((row) => code(row[0]!)), [...ACTIVITY_TYPES]);
  });

  for (const type of ACTIVITY_TYPES) {
    it(`${type}: the documented fields are the accepted ones, and exactly the unmarked ones are required`, () => {
      const documented = codeSpans(byType.get(type)![1]!);
      const names = documented.map((field) => field.replace(/\?$/, ''));
      const full = ALL_FIELDS[type] as Record<string, unknown>;
      assert.deepEqual(sorted(names), sorted(Object.keys(full)), 'documented fields');
      const normalized = normalizeActivity({ type, ...full, at: AT }, AT);
      assert.deepEqual(sorted(Object.keys(normalized)), sorted([...names, 'type', 'at']), 'fields kept by validation');
      for (const field of documented) {
        const name = field.replace(/\?$/, '');
        const without: Record<string, unknown> = { type, ...full };
        delete without[name];
        if (field.endsWith('?')) {
          assert.doesNotThrow(() => normalizeActivity(without, AT), `${name} is optional`);
        } else {
          assert.throws(
            () => normalizeActivity(without, AT),
            (error: unknown) => error instanceof ValidationError && error.field === `activity.${name}`,
            `${name} is required`,
          );
        }
      }
    });

    it(`${type}: feeds exactly the documented missions and families`, () => {
      const activity = normalizeActivity({ type, ...ALL_FIELDS[type], at: AT }, AT);
      const before = countersFor(emptyDayStats(SATURDAY), emptyLearnerState());
      const folded = applyActivity(emptyDayStats(SATURDAY), emptyLearnerState(), activity);
      const after = countersFor(folded.day, folded.learner);
      const raised = CHECK_NAMES.filter((check) => after[check] > before[check]);
      const missions = catalog.templates.filter((t) => raised.includes(t.check)).map((t) => t.id);
      const families = [...new Set(raised.map((check) => CHECK_FAMILY[check]))];
      const row = byType.get(type)!;
      assert.deepEqual(sorted(codeSpans(row[2]!)), sorted(missions), 'missions');
      assert.deepEqual(sorted(codeSpans(row[3]!)), sorted(families), 'families');
    });
  }
});

// ---- the quick start ----------------------------------------------------------------------

/** The fenced code blocks of a Markdown text, in order. */
const codeBlocks = (markdown: string): string[] => [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

describe('README: what a newcomer runs first', () => {
  it('opens with the two commands that work on a fresh machine: the demo, and every test', () => {
    const first = codeBlocks(README)[0]!;
    assert.deepEqual(
      first.split('\n').filter(Boolean).map((line) => line.replace(/\s+#.*$/, '')),
      ['npm install && npm start', 'npm ci && npm test'],
    );
  });

  it('pins the package version in every CDN URL, in the README and docs/packaging.md', () => {
    const { version } = JSON.parse(read('package.json')) as { version: string };
    for (const file of ['README.md', 'docs/packaging.md']) {
      const urls = [...read(file).matchAll(/https:\/\/(?:cdn\.jsdelivr\.net\/npm|unpkg\.com)\/daily-missions[^\s"'`)]*/g)].map((m) => m[0]);
      assert.ok(urls.length > 0 || file !== 'README.md', `${file} shows a CDN URL`);
      for (const url of urls.filter((u) => u.endsWith('.js') && !u.includes('<version>'))) assert.ok(url.includes(`daily-missions@${version}/`), `${file}: ${url} pins ${version}`);
    }
  });

  it('defines every function of its own that the quick start calls, and says where the import goes and that the page needs http(s)', () => {
    const quickStart = section('Quick start');
    const code = codeBlocks(quickStart).join('\n');
    // Functions with camel-case names that the platform does not provide are the host's own.
    const platform = ['whenDefined', 'querySelector', 'addEventListener'];
    const own = [...new Set([...code.matchAll(/\b([a-z]+[A-Z]\w*)\(/g)].map((m) => m[1]!))].filter((name) => !platform.includes(name));
    assert.ok(own.includes('creditXp'), 'the quick start credits XP through a function of the host');
    for (const name of own) assert.match(code, new RegExp(`function ${name}\\(`), `${name} is defined in the quick start`);
    assert.match(quickStart, /import 'daily-missions';/);
    assert.match(quickStart, /entry module/, 'says where the import goes');
    assert.match(quickStart, /`http:\/\/` or `https:\/\/`/, 'says the page must be served');
  });
});
