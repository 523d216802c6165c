/**
 * The cold-start page (test/bench/cold.html): the built package, dist/index.js with its
 * lazy chunks and the self-contained dist/worker.js (lit and comlink as the dev server
 * serves them from node_modules). The driver (run.mjs) loads this page afresh for each
 * run, so each widget starts the worker, opens the database and loads its text itself,
 * as on a host page's first view.
 */
import '../../dist/index.js';
import { BENCH_START, ZONE } from './clock.js';
import { whenMissionsRendered } from './rendered.js';

declare global {
  interface Window {
    coldStart(userId: string): Promise<{ ms: number; fetched: string[] }>;
  }
}

/**
 * From `document.body.append(element)` until the stored day's missions are in the shadow
 * DOM; with the paths of the files the page fetched by then (resource timing), from which
 * the driver picks the lazy chunks the widget loaded.
 */
window.coldStart = async (userId: string): Promise<{ ms: number; fetched: string[] }> => {
  const element = document.createElement('daily-missions');
  element.setAttribute('time-zone', ZONE);
  element.setAttribute('lang', 'en');
  element.setAttribute('user-id', userId);
  element.now = () => BENCH_START;
  const startedAt = performance.now();
  document.body.append(element);
  const ms = (await whenMissionsRendered(element)) - startedAt;
  const fetched = performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
  return { ms, fetched };
};
