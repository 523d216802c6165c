/**
 * The public contract of docs/architecture.md §3, checked against custom-elements.json
 * (generated from the element's code and JSDoc by `npm run build`): hosts and outside
 * tests rely on these names, so a rename fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

interface Declaration {
  customElement?: boolean;
  tagName?: string;
  attributes?: { name: string; fieldName?: string }[];
  members?: { name: string; kind: string }[];
  events?: { name: string }[];
  cssParts?: { name: string }[];
  cssProperties?: { name: string; default?: string }[];
}

const manifest = JSON.parse(readFileSync(new URL('../../custom-elements.json', import.meta.url), 'utf8')) as {
  modules: { declarations?: Declaration[] }[];
};
const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement)!;
const names = (list: { name: string }[] | undefined) => (list ?? []).map((item) => item.name).sort();

describe('public contract (custom-elements.json)', () => {
  it('defines <daily-missions>', () => {
    assert.equal(element.tagName, 'daily-missions');
  });

  it('has exactly the contract attributes', () => {
    assert.deepEqual(names(element.attributes), [
      // `server`: server mode (docs/architecture.md §11).
      'celebration', 'count', 'difficulty', 'disabled', 'lang', 'no-confetti', 'no-sound', 'server', 'theme', 'time-zone', 'user-id',
    ]);
  });

  it('has the property-only settings and the three methods', () => {
    const members = new Set(names(element.members));
    for (const property of ['tracks', 'catalog', 'workerUrl', 'now', 'stats', 'getToken']) assert.ok(members.has(property), property);
    const methods = (element.members ?? []).filter((m) => m.kind === 'method').map((m) => m.name).sort();
    assert.deepEqual(methods, ['record', 'refresh', 'reroll']);
  });

  it('fires the four contract events', () => {
    assert.deepEqual(names(element.events), ['mission-complete', 'missions-all-complete', 'missions-change', 'missions-error']);
  });

  it('exposes the contract parts', () => {
    assert.deepEqual(names(element.cssParts), [
      'card', 'countdown', 'empty', 'error', 'mission', 'mission-description', 'mission-title', 'progress', 'xp',
    ]);
  });

  it('documents every custom property the styles declare on :host', () => {
    const styles = readFileSync(new URL('../../src/styles.ts', import.meta.url), 'utf8');
    const declared = [...new Set([...styles.matchAll(/^\s*(--dm-[a-z-]+):/gm)].map((m) => m[1]!))].sort();
    assert.deepEqual(names(element.cssProperties), declared);
  });
});
