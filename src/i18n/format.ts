/** Language-aware formatting: placeholders, plurals, numbers and durations, all through Intl. */
import type { Locale, PluralForms } from './types.js';

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

/** Replaces `{name}` placeholders; unknown names stay visible rather than vanish. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : match));
}

export function formatNumber(locale: Locale, value: number): string {
  let format = numberFormats.get(locale.code);
  if (!format) {
    format = new Intl.NumberFormat(locale.code);
    numberFormats.set(locale.code, format);
  }
  return format.format(value);
}

/** The plural form for `count` in the locale's language. */
export function plural(locale: Locale, forms: PluralForms, count: number): string {
  let rules = pluralRules.get(locale.code);
  if (!rules) {
    rules = new Intl.PluralRules(locale.code);
    pluralRules.set(locale.code, rules);
  }
  return forms[rules.select(count)] ?? forms.other;
}

/** Time left as hours and minutes in the locale (Intl.DurationFormat where available). */
export function formatDuration(locale: Locale, ms: number): string {
  const totalMinutes = Math.max(0, Math.ceil(ms / 60_000));
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  const DurationFormat = (Intl as unknown as { DurationFormat?: new (lang: string, options: object) => { format(d: object): string } }).DurationFormat;
  if (DurationFormat) {
    const duration = hours > 0 ? { hours, minutes } : { minutes };
    return new DurationFormat(locale.code, { style: 'short' }).format(duration);
  }
  const unit = (value: number, name: 'hour' | 'minute') =>
    new Intl.NumberFormat(locale.code, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  return hours > 0 ? `${unit(hours, 'hour')} ${unit(minutes, 'minute')}` : unit(minutes, 'minute');
}
