/** UI locales, one chunk per language, loaded the first time a widget shows it. */
import type { Locale } from './types.js';

const LOADERS: Record<string, () => Promise<{ default: Locale }>> = {
  en: () => import('./locales/en.js'),
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  el: () => import('./locales/el.js'),
  pt: () => import('./locales/pt.js'),
  tr: () => import('./locales/tr.js'),
  ja: () => import('./locales/ja.js'),
  ar: () => import('./locales/ar.js'),
};

export const SUPPORTED_LANGUAGES = Object.keys(LOADERS);

const cache = new Map<string, Promise<Locale>>();

/** The locale of a supported base language (callers normalize with supportedLanguage first). */
export function loadLocale(language: string): Promise<Locale> {
  const lang = Object.hasOwn(LOADERS, language) ? language : 'en';
  let locale = cache.get(lang);
  if (!locale) {
    locale = LOADERS[lang]!().then((module) => module.default);
    locale.catch(() => cache.delete(lang));
    cache.set(lang, locale);
  }
  return locale;
}
