/**
 * The README's sample `detail` of every event, checked against the real element so the
 * documentation cannot drift from the code.
 *
 * The README marks each sample with an HTML comment (`<!-- sample: mission-complete -->`)
 * directly above a ```json block. This file fetches the README from the test server (it
 * serves the project root), makes a real `<daily-missions>` fire every event (real
 * worker, real IndexedDB; a worker URL that 404s for `missions-error`) and requires every
 * real detail to have exactly the sample's keys at every level, with values of the same
 * types. Values may differ. In an array, each real element must have the shape of one of
 * the sample's elements, and every element the sample shows must occur: a sample with a
 * completed and an open mission documents that `completedAt` is there only once a mission
 * is completed.
 */
import { expect } from 'chai';
import type { DailyMissionsElement } from '../../src/index.js';
import { freshUser } from './support/helpers.js';
import { cleanUp, completeOneByStats, everythingBatch, missionsShown, mount, until } from './support/element-helpers.js';
import type { HostCounters } from '../../worker/engine/stats.js';

const DOC = new URL('../../README.md', import.meta.url);
const MANIFEST = new URL('../../custom-elements.json', import.meta.url);

/** `<!-- sample: name -->` followed by a JSON code block. */
const SAMPLE_PATTERN = /<!--\s*sample:\s*([a-z-]+)\s*-->\s*```json\r?\n([\s\S]*?)\r?\n```/g;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Where `actual` differs in shape from `sample`: missing or extra keys, different value
 * types, array elements that match none of the sample's elements. `shape` is the path
 * without indices (`missions[]`); each sample array element an actual element matched
 * is added to `seen` as `shape#index`.
 */
function shapeDiff(sample: Json, actual: unknown, where: string, shape: string, seen: Set<string>): string[] {
  const expected = kindOf(sample);
  const got = kindOf(actual);
  if (expected !== got) return [`${where}: documented as ${expected}, fired as ${got} (${JSON.stringify(actual)})`];
  if (Array.isArray(sample)) {
    if (sample.length === 0) return [`${where}: the sample's array is empty; show one element of each shape`];
    const diffs: string[] = [];
    (actual as unknown[]).forEach((item, i) => {
      const attempts = sample.map((variant, j) => {
        const found = new Set<string>();
        return { j, found, diff: shapeDiff(variant, item, `${where}[${i}]`, `${shape}[]`, found) };
      });
      const match = attempts.find((attempt) => attempt.diff.length === 0);
      if (match) {
        seen.add(`${shape}[]#${match.j}`);
        for (const key of match.found) seen.add(key);
      } else {
        const closest = attempts.reduce((a, b) => (b.diff.length < a.diff.length ? b : a));
        diffs.push(`${where}[${i}] has the shape of no element of the sample; closest: ${closest.diff.join('; ')}`);
      }
    });
    return diffs;
  }
  if (expected === 'object') {
    const documented = sample as Record<string, Json>;
    const fired = actual as Record<string, unknown>;
    const diffs: string[] = [];
    for (const key of Object.keys(documented)) {
      if (!Object.hasOwn(fired, key)) diffs.push(`${where}.${key}: in the sample, missing from the real detail`);
      else diffs.push(...shapeDiff(documented[key]!, fired[key], `${where}.${key}`, `${shape}.${key}`, seen));
    }
    for (const key of Object.keys(fired)) {
      if (!Object.hasOwn(documented, key)) diffs.push(`${where}.${key}: in the real detail, missing from the sample`);
    }
    return diffs;
  }
  return [];
}

/** Every `shape#index` of the sample's array elements, for the "every element occurs" check. */
function arrayElements(sample: Json, shape: string, out: string[] = []): string[] {
  if (Array.isArray(sample)) {
    sample.forEach((variant, j) => {
      out.push(`${shape}[]#${j}`);
      arrayElements(variant, `${shape}[]`, out);
    });
  } else if (sample !== null && typeof sample === 'object') {
    for (const [key, value] of Object.entries(sample)) arrayElements(value, `${shape}.${key}`, out);
  }
  return out;
}

/** The README's samples by event name; a sample that is not valid JSON fails here, named. */
async function readSamples(): Promise<Map<string, Json>> {
  const response = await fetch(DOC);
  expect(response.ok, `${DOC.pathname} is served`).to.equal(true);
  const text = await response.text();
  const samples = new Map<string, Json>();
  for (const [, name, body] of text.matchAll(SAMPLE_PATTERN)) {
    expect(samples.has(name!), `a second sample for ${name}`).to.equal(false);
    try {
      samples.set(name!, JSON.parse(body!) as Json);
    } catch (error) {
      throw new Error(`the README's sample for ${name} is not valid JSON: ${(error as Error).message}`);
    }
  }
  return samples;
}

/** The events the element declares (`@fires` in src/daily-missions.ts, through custom-elements.json). */
async function declaredEvents(): Promise<string[]> {
  const manifest = (await (await fetch(MANIFEST)).json()) as { modules: { declarations?: { tagName?: string; events?: { name: string }[] }[] }[] };
  const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'daily-missions');
  return (element?.events ?? []).map((event) => event.name).sort();
}

const EVENTS = ['missions-change', 'mission-complete', 'missions-all-complete', 'missions-error'] as const;

/** Listens to every public event of `element`; details by event name. */
function listen(element: DailyMissionsElement): Map<string, unknown[]> {
  const fired = new Map<string, unknown[]>(EVENTS.map((name) => [name, []]));
  for (const name of EVENTS) element.addEventListener(name, (event) => fired.get(name)!.push((event as CustomEvent).detail));
  return fired;
}

let samples: Map<string, Json>;
/** Real details, by event name, from the scenarios below. */
const fired = new Map<string, unknown[]>(EVENTS.map((name) => [name, []]));

before(async function () {
  this.timeout(60_000);
  samples = await readSamples();

  // A learner's day: missions appear, one completes through host counters (a list with
  // a completed and an open mission), then one batch completes the rest.
  const day = mount({ 'user-id': freshUser('docs'), 'no-sound': '', 'no-confetti': '' });
  const dayEvents = listen(day);
  await missionsShown(day, 3);
  const pushed: HostCounters = {};
  await completeOneByStats(day, pushed);
  await day.record(everythingBatch());
  await until(() => dayEvents.get('missions-all-complete')!.length > 0, 8000, 'missions-all-complete');

  // A worker that cannot start: the widget carries on on the page and reports it.
  const broken = mount({ 'user-id': freshUser('docs-broken'), 'no-sound': '' }, { workerUrl: '/does-not-exist.js' });
  const brokenEvents = listen(broken);
  await until(() => brokenEvents.get('missions-error')!.length > 0, 15_000, 'missions-error');
  await missionsShown(broken, 3, 15_000);

  for (const source of [dayEvents, brokenEvents]) {
    for (const [name, details] of source) fired.get(name)!.push(...details);
  }
});

after(() => cleanUp());

describe('README event samples', () => {
  it('has one sample for every event the element fires, and none for any other', async () => {
    const declared = await declaredEvents();
    expect(declared, 'custom-elements.json lists the events').to.deep.equal([...EVENTS].sort());
    expect([...samples.keys()].sort(), 'events with a sample in the README').to.deep.equal(declared);
  });

  for (const name of EVENTS) {
    it(`the ${name} sample has exactly the keys and value types of the real detail`, () => {
      const sample = samples.get(name);
      expect(sample, `no sample for ${name} in the README`).to.not.equal(undefined);
      const details = fired.get(name)!;
      expect(details.length, `${name} was fired`).to.be.greaterThan(0);
      const seen = new Set<string>();
      for (const [i, detail] of details.entries()) {
        const diff = shapeDiff(sample!, detail, `detail`, 'detail', seen);
        expect(diff, `${name} #${i + 1}: ${JSON.stringify(detail)}`).to.deep.equal([]);
      }
      const unseen = arrayElements(sample!, 'detail').filter((key) => !seen.has(key));
      expect(unseen, `elements of the ${name} sample that no real detail had the shape of`).to.deep.equal([]);
    });
  }

  it('reports a worker that cannot start as worker-unavailable', () => {
    const codes = fired.get('missions-error')!.map((detail) => (detail as { code: string }).code);
    expect(codes).to.include('worker-unavailable');
  });
});
