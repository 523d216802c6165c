/** Rewrites generator.json from the current generator. Run on purpose, then review the diff. */
import { writeFileSync } from 'node:fs';
import { generateMissions } from '../../../worker/engine/generator.js';
import { catalog } from '../support/fixtures.js';
import { goldenCases } from './cases.js';

const vectors = goldenCases().map(({ name, request }) => ({
  name,
  expected: generateMissions(catalog, request).templates.map((t) => t.id),
}));
writeFileSync(new URL('./generator.json', import.meta.url), `${JSON.stringify(vectors, null, 1)}\n`);
console.log(`wrote ${vectors.length} golden vectors`);
