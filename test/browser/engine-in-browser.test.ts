/**
 * The pure engine and the compiled catalog, running in real Chromium: proves the
 * browser path (YAML compiled by the dev server, seedrandom's CommonJS converted,
 * Intl time zones) works end to end.
 */
import { expect } from 'chai';
import catalog from '../../catalog/templates.yaml';
import { dayKey, generateMissions, nextMidnight, validateCompiledCatalog } from '../../worker/engine/index.js';

describe('engine in the browser', () => {
  it('loads the compiled catalog with all 22 templates in 9 languages', () => {
    const validated = validateCompiledCatalog(catalog);
    expect(validated.templates).to.have.length(22);
    expect(validated.languages).to.deep.equal(['en', 'de', 'es', 'fr', 'el', 'pt', 'tr', 'ja', 'ar']);
  });

  it('generates the same missions as the engine does in Node', () => {
    const request = {
      userId: 'golden-user',
      day: '2025-03-09',
      mix: 'balanced' as const,
      count: 3,
      reroll: 0,
      tracks: ['lessons' as const, 'elements' as const],
      learner: { lessonsCompleted: 60, openMistakes: 2 },
      counters: {},
      yesterday: [],
    };
    const first = generateMissions(catalog, request).templates.map((t) => t.id);
    const second = generateMissions(catalog, request).templates.map((t) => t.id);
    expect(first).to.have.length(3);
    expect(second).to.deep.equal(first);
  });

  it('computes local days and midnights with the browser Intl data', () => {
    const instant = Date.UTC(2025, 2, 9, 6, 59); // 01:59 EST, one minute before the DST jump
    expect(dayKey(instant, 'America/New_York')).to.equal('2025-03-09');
    expect(new Date(nextMidnight(instant, 'America/New_York')).toISOString()).to.equal('2025-03-10T04:00:00.000Z');
  });
});
