/** UI locales, one chunk per language, loaded the first time a widget shows it. */
import type { Locale } from './types.js';
import { byLanguage } from './by-language.js';
import type { ChunkLoaders } from './by-language.js';

const LOADERS: ChunkLoaders<Locale> = {
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

/** The locale of a supported base language (callers normalize with supportedLanguage first). */
export const loadLocale: (language: string) => Promise<Locale> = byLanguage(LOADERS);
