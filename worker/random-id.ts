/**
 * A fresh random id for an activity the host recorded without one. Made once, when
 * record() is called, so every retry of that call carries the same id. randomUUID
 * exists only in secure contexts; getRandomValues everywhere
 * (https://developer.mozilla.org/en-US/docs/Web/API/Crypto/randomUUID).
 */
export function newActivityId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
