/**
 * Catalog validation: the one definition of what a valid catalog is. The build-time
 * YAML compiler, the `catalog` property of the element and the worker all call it.
 *
 * Two shapes are accepted:
 * - the authoring shape (catalog/templates.yaml): text nested in each template;
 * - the compiled shape (CompiledCatalog): rules and text kept apart.
 * Output objects are built field by field from known keys, so keys such as
 * `__proto__` in the input can never reach a prototype.
 */
import { CatalogError } from './errors.js';
import type { CatalogRules, CompiledCatalog, TemplateRule, TemplateText, Weekday } from './types.js';
import { CATEGORIES, CHECK_NAMES, DIFFICULTIES, WEEKDAYS } from './types.js';
import { describe, isPlainObject } from './validate.js';

export const MAX_TEMPLATES = 500;
export const MAX_TITLE_LENGTH = 80;
export const MAX_DESCRIPTION_LENGTH = 300;
export const MAX_XP = 100_000;
export const MAX_TARGET = 100_000;
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const ICON_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const RULE_FIELDS = ['id', 'category', 'difficulty', 'check', 'target', 'xp', 'icon', 'days'];
const FALLBACK_LANGUAGE = 'en';

interface Where {
  file: string;
  templateId?: string;
}

function fail(where: Where, field: string, reason: string): never {
  throw new CatalogError(where.file, where.templateId, field, reason);
}

/**
 * The one wording for an absent field, whatever its type: `target: missing; expected a
 * whole number` rather than a type error about `undefined`.
 */
function present(where: Where, value: unknown, field: string, expected: string): void {
  if (value === undefined) fail(where, field, `missing; expected ${expected}`);
}

function oneOf<T extends string>(where: Where, value: unknown, field: string, allowed: readonly T[]): T {
  const expected = `one of ${allowed.join(', ')}`;
  present(where, value, field, expected);
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(where, field, `unknown ${field} ${describe(value)}; expected ${expected}`);
  return value as T;
}

function wholeNumber(where: Where, value: unknown, field: string, min: number, max: number): number {
  present(where, value, field, 'a whole number');
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(where, field, `must be a whole number, got ${describe(value)}`);
  if (value < min) fail(where, field, `must be ${min === 1 ? 'greater than 0' : `at least ${min}`}, got ${value}`);
  if (value > max) fail(where, field, `must be at most ${max}, got ${value}`);
  return value;
}

function icon(where: Where, value: unknown): string {
  const expected = 'an icon name such as "book-open"';
  present(where, value, 'icon', expected);
  if (typeof value !== 'string' || !ICON_PATTERN.test(value)) fail(where, 'icon', `must be ${expected}, got ${describe(value)}`);
  return value;
}

function text(where: Where, value: unknown, field: string, maxLength: number): string {
  present(where, value, field, 'a non-empty string');
  if (typeof value !== 'string' || value.trim().length === 0) fail(where, field, `must be a non-empty string, got ${describe(value)}`);
  if (value.length > maxLength) fail(where, field, `must be at most ${maxLength} characters`);
  return value;
}

function rejectUnknownKeys(where: Where, value: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(where, field ? `${field}.${key}` : key, `unknown field; expected ${allowed.join(', ')}`);
  }
}

function validateRule(where: Where, raw: Record<string, unknown>, extraFields: readonly string[]): TemplateRule {
  rejectUnknownKeys(where, raw, [...RULE_FIELDS, ...extraFields], '');
  const rule: TemplateRule = {
    id: raw['id'] as string,
    category: oneOf(where, raw['category'], 'category', CATEGORIES),
    difficulty: oneOf(where, raw['difficulty'], 'difficulty', DIFFICULTIES),
    check: oneOf(where, raw['check'], 'check', CHECK_NAMES),
    target: wholeNumber(where, raw['target'], 'target', 1, MAX_TARGET),
    xp: wholeNumber(where, raw['xp'], 'xp', 0, MAX_XP),
    icon: icon(where, raw['icon']),
  };
  if (raw['days'] !== undefined) {
    const days = raw['days'];
    if (!Array.isArray(days) || days.length === 0 || days.length > 7) fail(where, 'days', 'must be a list of 1 to 7 weekdays (mon..sun)');
    const unique = new Set<Weekday>(days.map((day, i) => oneOf(where, day, `days[${i}]`, WEEKDAYS)));
    rule.days = WEEKDAYS.filter((day) => unique.has(day));
  }
  return rule;
}

function validateId(where: Where, raw: Record<string, unknown>, index: number, seen: Set<string>): string {
  const id = raw['id'];
  present(where, id, `templates[${index}].id`, 'a template id');
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    fail(where, `templates[${index}].id`, `must be lower-case letters, digits and dashes (max 64), got ${describe(id)}`);
  }
  if (seen.has(id)) fail({ ...where, templateId: id }, 'id', 'duplicate id; every template needs its own');
  seen.add(id);
  return id;
}

function validateLanguages(where: Where, raw: unknown): string[] {
  present(where, raw, 'languages', 'a list of language codes');
  if (!Array.isArray(raw) || raw.length === 0) fail(where, 'languages', 'must be a non-empty list of language codes');
  const languages = raw.map((lang, i) => {
    if (typeof lang !== 'string' || !LANGUAGE_PATTERN.test(lang)) fail(where, `languages[${i}]`, `must be a language code such as "en", got ${describe(lang)}`);
    return lang;
  });
  if (new Set(languages).size !== languages.length) fail(where, 'languages', 'lists a language twice');
  if (!languages.includes(FALLBACK_LANGUAGE)) fail(where, 'languages', `must include "${FALLBACK_LANGUAGE}", the fallback language`);
  return languages;
}

function validateText(where: Where, raw: unknown, field: string): TemplateText {
  if (!isPlainObject(raw)) fail(where, field, `must have a title and a description, got ${describe(raw)}`);
  rejectUnknownKeys(where, raw, ['title', 'description'], field);
  return {
    title: text(where, raw['title'], `${field}.title`, MAX_TITLE_LENGTH),
    description: text(where, raw['description'], `${field}.description`, MAX_DESCRIPTION_LENGTH),
  };
}

function validateTemplates(where: Where, raw: unknown): Record<string, unknown>[] {
  present(where, raw, 'templates', 'a list of templates');
  if (!Array.isArray(raw) || raw.length === 0) fail(where, 'templates', 'must be a non-empty list of templates');
  if (raw.length > MAX_TEMPLATES) fail(where, 'templates', `must have at most ${MAX_TEMPLATES} templates`);
  return raw.map((template, i) => {
    if (!isPlainObject(template)) fail(where, `templates[${i}]`, `must be a template object, got ${describe(template)}`);
    return template;
  });
}

function validateVersion(where: Where, raw: Record<string, unknown>): void {
  present(where, raw['version'], 'version', '1');
  if (raw['version'] !== 1) fail(where, 'version', `must be 1, got ${describe(raw['version'])}`);
}

/** Validates the authoring shape (YAML parsed to plain data) and compiles it. */
export function compileCatalog(raw: unknown, file = 'catalog'): CompiledCatalog {
  const where: Where = { file };
  if (!isPlainObject(raw)) fail(where, 'catalog', `must be a mapping with version, languages and templates, got ${describe(raw)}`);
  rejectUnknownKeys(where, raw, ['version', 'languages', 'templates'], '');
  validateVersion(where, raw);
  const languages = validateLanguages(where, raw['languages']);
  const text: CompiledCatalog['text'] = Object.create(null);
  for (const lang of languages) text[lang] = Object.create(null);
  const seen = new Set<string>();
  const templates = validateTemplates(where, raw['templates']).map((template, index) => {
    const id = validateId(where, template, index, seen);
    const at: Where = { file, templateId: id };
    const rule = validateRule(at, template, ['text']);
    const texts = template['text'];
    present(at, texts, 'text', 'a title and a description in each language');
    if (!isPlainObject(texts)) fail(at, 'text', 'must map each language to a title and a description');
    rejectUnknownKeys(at, texts, languages, 'text');
    for (const lang of languages) {
      if (!Object.hasOwn(texts, lang)) fail(at, `text.${lang}`, `missing; every template needs text in ${languages.join(', ')}`);
      text[lang]![id] = validateText(at, texts[lang], `text.${lang}`);
    }
    return rule;
  });
  return { version: 1, languages, templates, text: toPlain(text) };
}

/**
 * Validates the rules of a catalog (its templates), ignoring any text: what the
 * generator needs, and all the worker carries.
 */
export function validateCatalogRules(raw: unknown, file = 'catalog'): CatalogRules {
  const where: Where = { file };
  return { version: 1, templates: validateRules(where, compiledCatalogObject(where, raw)).templates };
}

/** The checks every compiled catalog passes first: an object, known keys, version 1. */
function compiledCatalogObject(where: Where, raw: unknown): Record<string, unknown> {
  if (!isPlainObject(raw)) fail(where, 'catalog', `must be a compiled catalog object, got ${describe(raw)}`);
  rejectUnknownKeys(where, raw, ['version', 'languages', 'templates', 'text'], '');
  validateVersion(where, raw);
  return raw;
}

/** The templates' rules of a compiled catalog, and the ids seen (in order). */
function validateRules(where: Where, raw: Record<string, unknown>): { templates: TemplateRule[]; seen: Set<string> } {
  const seen = new Set<string>();
  const templates = validateTemplates(where, raw['templates']).map((template, index) =>
    validateRule({ file: where.file, templateId: validateId(where, template, index, seen) }, template, []),
  );
  return { templates, seen };
}

/** Validates a compiled catalog (for example one a host assigns to the `catalog` property). */
export function validateCompiledCatalog(input: unknown, file = 'catalog'): CompiledCatalog {
  const where: Where = { file };
  const raw = compiledCatalogObject(where, input);
  const languages = validateLanguages(where, raw['languages']);
  const { templates, seen } = validateRules(where, raw);
  const rawText = raw['text'];
  present(where, rawText, 'text', 'the text of each template in each language');
  if (!isPlainObject(rawText)) fail(where, 'text', 'must map each language to the text of each template');
  rejectUnknownKeys(where, rawText, languages, 'text');
  const text: CompiledCatalog['text'] = {};
  for (const lang of languages) {
    const byId = rawText[lang];
    if (!isPlainObject(byId)) fail(where, `text.${lang}`, 'missing');
    rejectUnknownKeys(where, byId, [...seen], `text.${lang}`);
    const entries: Record<string, TemplateText> = {};
    for (const id of seen) {
      if (!Object.hasOwn(byId, id)) fail({ file, templateId: id }, `text.${lang}`, 'missing');
      entries[id] = validateText({ file, templateId: id }, byId[id], `text.${lang}`);
    }
    text[lang] = entries;
  }
  return { version: 1, languages, templates, text };
}

/** Plain (Object.prototype) copies of null-prototype maps, so the result serializes and clones everywhere. */
function toPlain(text: CompiledCatalog['text']): CompiledCatalog['text'] {
  const plain: CompiledCatalog['text'] = {};
  for (const [lang, byId] of Object.entries(text)) plain[lang] = { ...byId };
  return plain;
}

/** The text of one template in `language`, falling back to English, then to the id. */
export function templateText(catalog: CompiledCatalog, templateId: string, language: string): TemplateText {
  const base = language.toLowerCase().split('-')[0] ?? FALLBACK_LANGUAGE;
  for (const lang of [language, base, FALLBACK_LANGUAGE]) {
    if (Object.hasOwn(catalog.text, lang)) {
      const byId = catalog.text[lang]!;
      if (Object.hasOwn(byId, templateId)) return byId[templateId]!;
    }
  }
  return { title: templateId, description: '' };
}
