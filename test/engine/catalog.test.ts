/**
 * The catalog (docs/architecture.md §4 and §5.3): the shipped templates.yaml against the
 * reference facts in fixtures/catalog-reference.json, trackability by event family, and
 * every way an authored or compiled catalog can be wrong, each reported as a CatalogError
 * naming file, template id and field.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileCatalogFile, compileCatalogSource, MAX_CATALOG_BYTES } from '../../catalog/compile.js';
import { compileCatalog, templateText, validateCompiledCatalog } from '../../worker/engine/catalog.js';
import { CatalogError, ValidationError } from '../../worker/engine/errors.js';
import { CATEGORIES, CHECK_FAMILY, CHECK_NAMES, DEFAULT_TRACKS, FAMILIES, LANGUAGES } from '../../worker/engine/types.js';
import type { CompiledCatalog, Family } from '../../worker/engine/types.js';
import { catchValidationError } from './support/assertions.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const CATALOG_PATH = path.join(repoRoot, 'catalog/templates.yaml');

// ---------------------------------------------------------------------------
// The reference facts (a fixture of this repository: ids, categories, difficulties,
// targets, XP, icons, checks, weekday limits and the family feeding each counter)

interface FactTemplate {
  id: string;
  category: string;
  difficulty: string;
  target: number;
  xp: number;
  icon: string;
  check: string;
  /** Weekdays the template is limited to, when it is. */
  days?: string[];
}

interface CatalogReference {
  categoryCounts: Record<string, number>;
  templates: FactTemplate[];
  counterFamilies: Record<string, string>;
}

const REFERENCE = JSON.parse(readFileSync(path.join(here, 'fixtures/catalog-reference.json'), 'utf8')) as CatalogReference;
const FACT_TEMPLATES = REFERENCE.templates;
const FACT_COUNTERS = Object.entries(REFERENCE.counterFamilies);

/** The total and per-category template counts the reference states. */
function factHeadingCounts(): Record<string, number> {
  const total = Object.values(REFERENCE.categoryCounts).reduce((sum, n) => sum + n, 0);
  return { total, ...REFERENCE.categoryCounts };
}

// ---------------------------------------------------------------------------
// Helpers

function catchCatalogError(fn: () => unknown): CatalogError {
  return catchValidationError(fn, CatalogError);
}

/** Asserts the error's structured fields and that its message names all of them. */
function assertNames(error: CatalogError, file: string, templateId: string | undefined, field: string): void {
  assert.ok(error instanceof ValidationError, 'a CatalogError is a ValidationError');
  assert.equal(error.code, 'invalid-catalog');
  assert.equal(error.file, file);
  assert.equal(error.templateId, templateId);
  assert.equal(error.field, field);
  assert.ok(error.message.includes(file), `message names the file: ${error.message}`);
  if (templateId !== undefined) assert.ok(error.message.includes(`"${templateId}"`), `message names the template: ${error.message}`);
  assert.ok(error.message.includes(field), `message names the field: ${error.message}`);
  assert.ok(error.reason.length > 0, 'a reason is given');
  assert.ok(error.message.endsWith(error.reason), `message ends with the reason: ${error.message}`);
}

/** A minimal valid catalog, as YAML source text, that tests mutate. */
interface TemplateSpec {
  id: string;
  fields: Array<[key: string, value: string]>;
  languages: string[];
  /** Extra lines inside `text:` (indented 6 spaces). */
  textLines: string[];
  /** Extra lines inside `text.en:` (indented 8 spaces). */
  enLines: string[];
}

const FILE = 'mini-catalog.yaml';

function alpha(): TemplateSpec {
  return {
    id: 'alpha-mission',
    fields: [['category', 'learning'], ['difficulty', 'easy'], ['check', 'lessons_completed_today'], ['target', '1'], ['xp', '20'], ['icon', 'book-open']],
    languages: [...LANGUAGES],
    textLines: [],
    enLines: [],
  };
}

function beta(): TemplateSpec {
  return {
    id: 'beta-mission',
    fields: [['category', 'review'], ['difficulty', 'medium'], ['check', 'elements_reviewed_today'], ['target', '5'], ['xp', '35'], ['icon', 'repeat']],
    languages: [...LANGUAGES],
    textLines: [],
    enLines: [],
  };
}

/** Replaces (or appends) one field of a template spec. */
function withField(spec: TemplateSpec, key: string, value: string): TemplateSpec {
  const fields = spec.fields.some(([k]) => k === key)
    ? spec.fields.map(([k, v]): [string, string] => (k === key ? [k, value] : [k, v]))
    : [...spec.fields, [key, value] as [string, string]];
  return { ...spec, fields };
}

function renderTemplate(spec: TemplateSpec): string[] {
  const lines = [`  - id: ${spec.id}`];
  for (const [key, value] of spec.fields) lines.push(`    ${key}: ${value}`);
  lines.push('    text:');
  for (const lang of spec.languages) {
    lines.push(`      ${lang}:`, `        title: "${spec.id} title ${lang}"`, `        description: "What ${spec.id} asks for, in ${lang}."`);
    if (lang === 'en') lines.push(...spec.enLines);
  }
  lines.push(...spec.textLines);
  return lines;
}

function renderCatalog(templates: TemplateSpec[] = [alpha(), beta()], topLines: string[] = []): string {
  return [
    '# a minimal catalog for tests',
    'version: 1',
    `languages: [${LANGUAGES.join(', ')}]`,
    ...topLines,
    'templates:',
    ...templates.flatMap(renderTemplate),
    '',
  ].join('\n');
}

function compileMini(source: string): CompiledCatalog {
  return compileCatalogSource(source, FILE);
}

function prototypeKeys(): string[] {
  return Reflect.ownKeys(Object.prototype).map(String).sort();
}

function shippedCatalog(): CompiledCatalog {
  return compileCatalogFile(CATALOG_PATH);
}

/** A deep, plain-JSON copy, as a host would hand over a compiled catalog. */
function jsonCopy(catalog: CompiledCatalog): CompiledCatalog {
  return JSON.parse(JSON.stringify(catalog)) as CompiledCatalog;
}

// ---------------------------------------------------------------------------

describe('the shipped catalog (catalog/templates.yaml)', () => {
  const catalog = shippedCatalog();
  const byId = new Map(catalog.templates.map((t) => [t.id, t]));

  it('compiles to 22 templates in 5 categories: learning 6, review 4, mastery 4, exploration 5, streak 3', () => {
    assert.equal(catalog.version, 1);
    assert.equal(catalog.templates.length, 22);
    assert.equal(byId.size, 22, 'ids are unique');
    const counts: Record<string, number> = {};
    for (const template of catalog.templates) counts[template.category] = (counts[template.category] ?? 0) + 1;
    assert.deepEqual(counts, { learning: 6, review: 4, mastery: 4, exploration: 5, streak: 3 });
    assert.deepEqual(Object.keys(counts).sort(), [...CATEGORIES].sort());
  });

  it('has the counts the reference states', () => {
    const stated = factHeadingCounts();
    assert.equal(FACT_TEMPLATES.length, stated['total']);
    assert.equal(catalog.templates.length, stated['total']);
    for (const category of CATEGORIES) {
      assert.equal(catalog.templates.filter((t) => t.category === category).length, stated[category], category);
      assert.equal(FACT_TEMPLATES.filter((t) => t.category === category).length, stated[category], `facts table: ${category}`);
    }
  });

  it('matches the reference in id, category, difficulty, target, xp, icon and check for every template', () => {
    assert.equal(FACT_TEMPLATES.length, 22, 'the facts table lists 22 templates');
    assert.deepEqual([...byId.keys()].sort(), FACT_TEMPLATES.map((t) => t.id).sort());
    for (const fact of FACT_TEMPLATES) {
      const template = byId.get(fact.id);
      assert.ok(template, `template ${fact.id} exists`);
      assert.deepEqual(
        { category: template.category, difficulty: template.difficulty, target: template.target, xp: template.xp, icon: template.icon, check: template.check },
        { category: fact.category, difficulty: fact.difficulty, target: fact.target, xp: fact.xp, icon: fact.icon, check: fact.check },
        fact.id,
      );
    }
  });

  it('limits only weekend-learner to certain days, Saturday and Sunday', () => {
    // Days are a set; the compiler stores them in WEEKDAYS order (sun first), so compare sorted.
    const days = byId.get('weekend-learner')?.days;
    assert.ok(days, 'weekend-learner has days');
    assert.deepEqual([...days].sort(), ['sat', 'sun']);
    assert.equal(new Set(days).size, days.length, 'no weekday twice');
    const withDays = catalog.templates.filter((t) => t.days !== undefined).map((t) => t.id);
    assert.deepEqual(withDays, ['weekend-learner']);
    // The reference says the same.
    assert.deepEqual(FACT_TEMPLATES.filter((t) => t.days !== undefined).map((t) => [t.id, t.days]), [['weekend-learner', ['sat', 'sun']]]);
  });

  it('gives every template a non-empty title and description in all 9 languages', () => {
    assert.deepEqual(catalog.languages, ['en', 'de', 'es', 'fr', 'el', 'pt', 'tr', 'ja', 'ar']);
    assert.deepEqual(Object.keys(catalog.text).sort(), [...LANGUAGES].sort());
    for (const lang of LANGUAGES) {
      const texts = catalog.text[lang]!;
      assert.deepEqual(Object.keys(texts).sort(), [...byId.keys()].sort(), `${lang} covers exactly the templates`);
      for (const id of byId.keys()) {
        const text = texts[id]!;
        assert.ok(text.title.trim().length > 0, `${lang}/${id} title`);
        assert.ok(text.description.trim().length > 0, `${lang}/${id} description`);
      }
    }
  });

  it('writes its own text per language rather than copying English everywhere', () => {
    for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
      const same = [...byId.keys()].filter((id) => catalog.text[lang]![id]!.title === catalog.text['en']![id]!.title);
      assert.deepEqual(same, [], `${lang} titles identical to English`);
    }
  });

  it('uses only checks that exist, with the families the reference assigns to them', () => {
    assert.deepEqual(Object.fromEntries(FACT_COUNTERS), { ...CHECK_FAMILY });
    assert.equal(CHECK_NAMES.length, 16);
    for (const template of catalog.templates) assert.ok(CHECK_NAMES.includes(template.check), template.check);
  });

  it('compiles identically from source text and from the file', () => {
    assert.deepEqual(compileCatalogSource(readFileSync(CATALOG_PATH, 'utf8'), 'templates.yaml'), catalog);
  });
});

describe('trackability by event family (docs/architecture.md §5.3)', () => {
  const catalog = shippedCatalog();
  const trackable = (tracks: readonly Family[]) => catalog.templates.filter((t) => tracks.includes(CHECK_FAMILY[t.check]));

  it('makes 11 distinct checks and 17 templates assignable with the default tracks (lessons + elements)', () => {
    assert.deepEqual([...DEFAULT_TRACKS].sort(), ['elements', 'lessons']);
    const templates = trackable(DEFAULT_TRACKS);
    assert.equal(templates.length, 17);
    assert.equal(new Set(templates.map((t) => t.check)).size, 11);
    const defaultChecks = CHECK_NAMES.filter((check) => DEFAULT_TRACKS.includes(CHECK_FAMILY[check]));
    assert.equal(defaultChecks.length, 11);
  });

  it('leaves exactly the five templates of the other families unassignable by default', () => {
    const untracked = catalog.templates.filter((t) => !DEFAULT_TRACKS.includes(CHECK_FAMILY[t.check])).map((t) => t.id);
    assert.deepEqual(untracked.sort(), ['complete-review-session', 'review-overdue', 'try-adaptive-lesson', 'use-all-types', 'use-cloze']);
  });

  it('makes all 22 templates assignable when the host reports every family', () => {
    assert.equal(trackable(FAMILIES).length, 22);
    assert.equal(new Set(trackable(FAMILIES).map((t) => t.check)).size, 16);
  });
});

describe('catalog source errors name file, template id, field and reason', () => {
  it('accepts the minimal catalog the error cases start from', () => {
    const compiled = compileMini(renderCatalog());
    assert.deepEqual(compiled.templates.map((t) => t.id), ['alpha-mission', 'beta-mission']);
    assert.deepEqual(compiled.languages, [...LANGUAGES]);
    assert.equal(compiled.text['ja']!['beta-mission']!.title, 'beta-mission title ja');
    assert.deepEqual(compiled.templates[1], {
      id: 'beta-mission', category: 'review', difficulty: 'medium', check: 'elements_reviewed_today', target: 5, xp: 35, icon: 'repeat',
    });
  });

  it('rejects a duplicate template id', () => {
    const error = catchCatalogError(() => compileMini(renderCatalog([alpha(), { ...beta(), id: 'alpha-mission' }])));
    assertNames(error, FILE, 'alpha-mission', 'id');
    assert.match(error.reason, /duplicate/);
  });

  it('rejects an unknown category', () => {
    const error = catchCatalogError(() => compileMini(renderCatalog([alpha(), withField(beta(), 'category', 'grammar')])));
    assertNames(error, FILE, 'beta-mission', 'category');
    assert.match(error.message, /grammar/);
  });

  it('rejects an unknown difficulty', () => {
    const error = catchCatalogError(() => compileMini(renderCatalog([withField(alpha(), 'difficulty', 'extreme'), beta()])));
    assertNames(error, FILE, 'alpha-mission', 'difficulty');
    assert.match(error.message, /extreme/);
  });

  it('rejects an unknown check', () => {
    const error = catchCatalogError(() => compileMini(renderCatalog([alpha(), withField(beta(), 'check', 'lessons_done_today')])));
    assertNames(error, FILE, 'beta-mission', 'check');
    assert.match(error.message, /lessons_done_today/);
  });

  it('rejects a target of 0 or below, or not a whole number', () => {
    for (const target of ['0', '-1', '1.5', '"3"']) {
      const error = catchCatalogError(() => compileMini(renderCatalog([alpha(), withField(beta(), 'target', target)])));
      assertNames(error, FILE, 'beta-mission', 'target');
    }
    assert.match(catchCatalogError(() => compileMini(renderCatalog([withField(alpha(), 'target', '0')]))).reason, /greater than 0/);
  });

  it('rejects a negative xp reward', () => {
    const error = catchCatalogError(() => compileMini(renderCatalog([alpha(), withField(beta(), 'xp', '-5')])));
    assertNames(error, FILE, 'beta-mission', 'xp');
    assert.match(error.reason, /-5/);
    // Zero xp is allowed (xp >= 0).
    assert.equal(compileMini(renderCatalog([alpha(), withField(beta(), 'xp', '0')])).templates[1]!.xp, 0);
  });

  it('rejects a template missing the text of one language', () => {
    const spec = beta();
    spec.languages = spec.languages.filter((lang) => lang !== 'ja');
    const error = catchCatalogError(() => compileMini(renderCatalog([alpha(), spec])));
    assertNames(error, FILE, 'beta-mission', 'text.ja');
    assert.match(error.reason, /missing/);
  });

  it('rejects an unknown field such as the typo "tagret"', () => {
    const spec = alpha();
    spec.fields = spec.fields.map(([k, v]): [string, string] => [k === 'target' ? 'tagret' : k, v]);
    const error = catchCatalogError(() => compileMini(renderCatalog([spec, beta()])));
    assertNames(error, FILE, 'alpha-mission', 'tagret');
    assert.match(error.reason, /unknown field/);
  });

  it('rejects duplicate YAML keys, naming the line, the column, the key and the template', () => {
    const spec = beta();
    spec.fields = [...spec.fields, ['target', '6']];
    const source = renderCatalog([alpha(), spec]);
    const lines = source.split('\n');
    const duplicateLine = lines.lastIndexOf('    target: 6') + 1;
    assert.ok(duplicateLine > 0);
    const error = catchCatalogError(() => compileMini(source));
    assert.equal(error.code, 'invalid-catalog');
    assert.equal(error.templateId, 'beta-mission');
    assert.equal(error.field, `line ${duplicateLine}, column 5`);
    assert.equal(error.reason, 'duplicate key "target"');
    assert.equal(
      error.message,
      `${FILE}:${duplicateLine}:5: invalid YAML in template "beta-mission": duplicate key "target"\n ${duplicateLine} |     target: 6\n${' '.repeat(String(duplicateLine).length + 2)}|     ^`,
    );
  });

  it('refuses a "billion laughs" alias bomb quickly instead of expanding it', () => {
    const names = 'abcdefghi';
    const bomb = [`${names[0]}: &${names[0]} [${Array(9).fill('"lol"').join(', ')}]`];
    for (let level = 1; level < names.length; level += 1) {
      bomb.push(`${names[level]}: &${names[level]} [${Array(9).fill(`*${names[level - 1]}`).join(', ')}]`);
    }
    const source = renderCatalog(undefined, bomb);
    const started = performance.now();
    const error = catchCatalogError(() => compileMini(source));
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    assertNames(error, FILE, undefined, 'yaml');
    assert.match(error.reason, /alias/);
  });

  it('refuses even a single harmless alias', () => {
    const spec = beta();
    spec.fields = spec.fields.map(([k, v]): [string, string] => (k === 'icon' ? [k, '*icon'] : [k, v]));
    const first = withField(alpha(), 'icon', '&icon book-open');
    const error = catchCatalogError(() => compileMini(renderCatalog([first, spec])));
    assertNames(error, FILE, undefined, 'yaml');
  });

  describe('__proto__ keys are rejected and never reach Object.prototype', () => {
    const cases: Array<{ where: string; source: () => string; templateId: string | undefined; field: string }> = [
      { where: 'at the top level', source: () => renderCatalog(undefined, ['__proto__: { polluted: true }']), templateId: undefined, field: '__proto__' },
      { where: 'inside a template', source: () => renderCatalog([alpha(), withField(beta(), '__proto__', '{ polluted: true }')]), templateId: 'beta-mission', field: '__proto__' },
      { where: 'inside a template text', source: () => renderCatalog([alpha(), { ...beta(), textLines: ['      __proto__: { polluted: true }'] }]), templateId: 'beta-mission', field: 'text.__proto__' },
      { where: "inside one language's text", source: () => renderCatalog([{ ...alpha(), enLines: ['        __proto__: { polluted: true }'] }, beta()]), templateId: 'alpha-mission', field: 'text.en.__proto__' },
    ];
    for (const { where, source, templateId, field } of cases) {
      it(`rejects __proto__ ${where}`, () => {
        const before = prototypeKeys();
        const error = catchCatalogError(() => compileMini(source()));
        assertNames(error, FILE, templateId, field);
        assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
        assert.deepEqual(prototypeKeys(), before);
        assert.equal(Object.getPrototypeOf({}), Object.prototype);
      });
    }

    it('rejects __proto__ in an already parsed object handed to compileCatalog', () => {
      const raw = JSON.parse(JSON.stringify({ version: 1, languages: ['en'], templates: [] }).replace('{', '{"__proto__":{"polluted":true},'));
      assert.ok(Object.hasOwn(raw, '__proto__'), 'JSON.parse makes __proto__ an own key');
      const error = catchCatalogError(() => compileCatalog(raw));
      assertNames(error, 'catalog', undefined, '__proto__');
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });
  });

  it('rejects a source over 1 MB before parsing, naming its size', () => {
    const source = `${renderCatalog()}# ${'x'.repeat(MAX_CATALOG_BYTES)}\n`;
    const bytes = Buffer.byteLength(source, 'utf8');
    assert.ok(bytes > 1_000_000);
    const started = performance.now();
    const error = catchCatalogError(() => compileMini(source));
    assert.ok(performance.now() - started < 1000);
    assertNames(error, FILE, undefined, 'file');
    assert.ok(error.reason.includes(String(bytes)), error.reason);
    assert.ok(error.reason.includes(String(MAX_CATALOG_BYTES)), error.reason);
    assert.match(error.reason, /bytes/);
  });

  it('counts the size limit in UTF-8 bytes, not characters', () => {
    // 400,000 three-byte characters: 1.2 MB, though fewer than a million characters.
    const source = `${renderCatalog()}# ${'日'.repeat(400_000)}\n`;
    assert.ok(source.length < MAX_CATALOG_BYTES);
    assertNames(catchCatalogError(() => compileMini(source)), FILE, undefined, 'file');
  });

  it('rejects YAML that is not a mapping, and a wrong version', () => {
    assertNames(catchCatalogError(() => compileMini('- just\n- a list\n')), FILE, undefined, 'catalog');
    assertNames(catchCatalogError(() => compileMini(renderCatalog().replace('version: 1', 'version: 2'))), FILE, undefined, 'version');
  });
});

describe('compileCatalogFile', () => {
  it('names the file by its base name, not its full path', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'daily-missions-catalog-'));
    try {
      const broken = path.join(dir, 'broken-catalog.yaml');
      writeFileSync(broken, renderCatalog([alpha(), withField(beta(), 'category', 'grammar')]));
      const error = catchCatalogError(() => compileCatalogFile(broken));
      assertNames(error, 'broken-catalog.yaml', 'beta-mission', 'category');
      assert.ok(!error.message.includes(dir), `message leaks the directory: ${error.message}`);

      const good = path.join(dir, 'good-catalog.yaml');
      writeFileSync(good, renderCatalog());
      assert.deepEqual(compileCatalogFile(good), compileCatalogSource(renderCatalog(), 'good-catalog.yaml'));

      const huge = path.join(dir, 'huge-catalog.yaml');
      writeFileSync(huge, `${renderCatalog()}# ${'x'.repeat(MAX_CATALOG_BYTES)}\n`);
      assertNames(catchCatalogError(() => compileCatalogFile(huge)), 'huge-catalog.yaml', undefined, 'file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validateCompiledCatalog', () => {
  const compiled = shippedCatalog();

  it('accepts the compiled shipped catalog after a JSON round trip, unchanged', () => {
    const copy = jsonCopy(compiled);
    const validated = validateCompiledCatalog(copy);
    assert.deepEqual(validated, compiled);
    assert.equal(validated.templates.length, 22);
  });

  it('rejects values that are not a catalog object', () => {
    for (const bad of [null, undefined, 42, 'catalog', [], [compiled]]) {
      assertNames(catchCatalogError(() => validateCompiledCatalog(bad)), 'catalog', undefined, 'catalog');
    }
    assertNames(catchCatalogError(() => validateCompiledCatalog(null, 'host-catalog')), 'host-catalog', undefined, 'catalog');
  });

  it('rejects a template without text in one language', () => {
    const copy = jsonCopy(compiled);
    delete copy.text['fr']!['keep-streak'];
    const error = catchCatalogError(() => validateCompiledCatalog(copy));
    assertNames(error, 'catalog', 'keep-streak', 'text.fr');
  });

  it('rejects text for a template id the catalog does not have', () => {
    const copy = jsonCopy(compiled);
    copy.text['en']!['ghost-mission'] = { title: 'Ghost', description: 'Not in the catalog.' };
    const error = catchCatalogError(() => validateCompiledCatalog(copy));
    assertNames(error, 'catalog', undefined, 'text.en.ghost-mission');
    assert.match(error.reason, /unknown field/);
  });

  it('rejects templates that are not an array', () => {
    const copy = jsonCopy(compiled) as unknown as Record<string, unknown>;
    copy['templates'] = Object.fromEntries(compiled.templates.map((t) => [t.id, t]));
    assertNames(catchCatalogError(() => validateCompiledCatalog(copy)), 'catalog', undefined, 'templates');
  });

  it('rejects a compiled template with a bad rule, naming the template', () => {
    const copy = jsonCopy(compiled);
    copy.templates[3] = { ...copy.templates[3]!, target: 0 };
    const id = copy.templates[3]!.id;
    assertNames(catchCatalogError(() => validateCompiledCatalog(copy)), 'catalog', id, 'target');
  });
});

describe('templateText', () => {
  const catalog = shippedCatalog();

  it('returns the text in the requested language', () => {
    assert.deepEqual(templateText(catalog, 'complete-1-lesson', 'ja'), catalog.text['ja']!['complete-1-lesson']);
    assert.deepEqual(templateText(catalog, 'weekend-learner', 'ar'), catalog.text['ar']!['weekend-learner']);
  });

  it('falls back to English for an unknown language', () => {
    const english = catalog.text['en']!['complete-1-lesson']!;
    assert.deepEqual(templateText(catalog, 'complete-1-lesson', 'xx'), english);
    assert.deepEqual(templateText(catalog, 'complete-1-lesson', '__proto__'), english);
  });

  it('uses the base language for a region tag', () => {
    const german = catalog.text['de']!['complete-1-lesson']!;
    assert.notDeepEqual(german, catalog.text['en']!['complete-1-lesson']);
    assert.deepEqual(templateText(catalog, 'complete-1-lesson', 'de-AT'), german);
    assert.deepEqual(templateText(catalog, 'review-5-elements', 'pt-BR'), catalog.text['pt']!['review-5-elements']);
  });

  it('falls back to the id as title for a template without text', () => {
    assert.deepEqual(templateText(catalog, 'no-such-mission', 'de'), { title: 'no-such-mission', description: '' });
  });
});
