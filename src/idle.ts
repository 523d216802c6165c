/**
 * Runs `work` when the main thread is idle (requestIdleCallback, at most `timeoutMs`
 * later on a busy page), or in a later task where the browser has no idle callbacks
 * (Safari: https://caniuse.com/requestidlecallback).
 */
export function whenIdle(work: () => void, timeoutMs = 2_000): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: timeoutMs });
  else setTimeout(work, 0);
}
