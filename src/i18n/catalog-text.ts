/**
 * Mission titles and descriptions of the shipped catalog, one language at a time:
 * each language is its own small chunk, loaded the first time it is shown.
 */
import type { TemplateText } from '../../worker/engine/types.js';
import { byLanguage } from './by-language.js';
import type { ChunkLoaders } from './by-language.js';

export type CatalogText = Record<string, TemplateText>;

const LOADERS: ChunkLoaders<CatalogText> = {
  en: () => import('../../catalog/templates.yaml?text=en'),
  de: () => import('../../catalog/templates.yaml?text=de'),
  es: () => import('../../catalog/templates.yaml?text=es'),
  fr: () => import('../../catalog/templates.yaml?text=fr'),
  el: () => import('../../catalog/templates.yaml?text=el'),
  pt: () => import('../../catalog/templates.yaml?text=pt'),
  tr: () => import('../../catalog/templates.yaml?text=tr'),
  ja: () => import('../../catalog/templates.yaml?text=ja'),
  ar: () => import('../../catalog/templates.yaml?text=ar'),
};

/** The supported language for a BCP 47 tag: `pt-BR` → `pt`, unknown → `en`. */
export function supportedLanguage(tag: string | null | undefined): string {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return Object.hasOwn(LOADERS, base) ? base : 'en';
}

const load = byLanguage(LOADERS);

export function loadCatalogText(language: string): Promise<CatalogText> {
  return load(supportedLanguage(language));
}
