/**
 * A loader of per-language chunks: each language is imported the first time it is
 * asked for and kept; a failed load (offline, CSP) is retried next time rather than
 * cached. Unsupported languages get English.
 */
export type ChunkLoaders<T> = Record<string, () => Promise<{ default: T }>>;

export function byLanguage<T>(loaders: ChunkLoaders<T>): (language: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (language) => {
    const lang = Object.hasOwn(loaders, language) ? language : 'en';
    let chunk = cache.get(lang);
    if (!chunk) {
      chunk = loaders[lang]!().then((module) => module.default);
      chunk.catch(() => cache.delete(lang));
      cache.set(lang, chunk);
    }
    return chunk;
  };
}
