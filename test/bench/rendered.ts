/**
 * When a `<daily-missions>` element has rendered its missions. No import of the element:
 * the cold-start page (cold.ts) uses it with the built package, whose element
 * class is not the one in src/.
 */
/** True once the shadow DOM shows the day's missions (or the "no missions today" note). */
export function missionsRendered(element: HTMLElement & { userId?: string }): boolean {
  return element.shadowRoot?.querySelector('[part="mission"], [part="empty"]') != null;
}

/**
 * Resolves with performance.now() at the moment the missions appear in the shadow DOM:
 * a MutationObserver callback runs in the microtask right after Lit's render commits.
 */
export function whenMissionsRendered(element: HTMLElement & { userId?: string }, timeoutMs = 20_000): Promise<number> {
  const root = element.shadowRoot;
  if (!root) return Promise.reject(new Error('the element has no shadow root (not connected?)'));
  if (missionsRendered(element)) return Promise.resolve(performance.now());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`missions not rendered within ${timeoutMs} ms for ${element.userId}`));
    }, timeoutMs);
    const observer = new MutationObserver(() => {
      if (!missionsRendered(element)) return;
      const at = performance.now();
      clearTimeout(timer);
      observer.disconnect();
      resolve(at);
    });
    observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
  });
}
