/**
 * A loader of per-language chunks: each language is imported the first time it is
 * asked for and kept; a failed load (offline, CSP) is retried next time rather than
 * cached. Unsupported languages get English.
 */
import type { Language } from '../../worker/engine/vocabulary.js';

/** One loader for each of the shared LANGUAGES, no more and no fewer (the compiler checks the table). */
export type ChunkLoaders<T> = Record<Language, () => Promise<{ default: T }>>;

export function byLanguage<T>(loaders: ChunkLoaders<T>): (language: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (language) => {
    const lang = (Object.hasOwn(loaders, language) ? language : 'en') as Language;
    let chunk = cache.get(lang);
    if (!chunk) {
      chunk = loaders[lang]().then((module) => module.default);
      chunk.catch(() => cache.delete(lang));
      cache.set(lang, chunk);
    }
    return chunk;
  };
}
