/**
 * The widget's layout in every engine: at 360 px and 1280 px, light, dark and Arabic
 * (right to left), compared by the boxes of its parts, not by pixels.
 *
 * Two kinds of check per case:
 * - Rules that hold in any engine: nothing wider than the card or outside it, missions
 *   stacked in order without overlapping, each mission's parts inside that mission, and in
 *   Arabic a right-to-left card, mirrored: titles and descriptions start from the right,
 *   past the icon, as they start from the left in English.
 * - The same boxes as the reference measured in Chromium (fixtures/layout-reference.json,
 *   written with the pictures in docs/engines/ by test/support/engine-screenshots.ts),
 *   within a tolerance for fonts: each engine shapes text with its own metrics, which moves
 *   edges by a few pixels (measured: at most 6 px across, 8 px down a whole card, in
 *   Firefox ESR 153 and WebKitGTK 2.50). A layout break moves them by far more: a part
 *   that wraps onto its own row, a column that collapses, a row that is not mirrored.
 */
import { expect } from 'chai';
import { LAYOUT_CASES, caseName } from '../support/layout-cases.js';
import type { LayoutReport, PartBox } from '../support/layout-cases.js';
import { measureParts, setUpScene } from '../support/layout-scene.js';

/** Across: a fixed allowance plus a share of the part's own width (text runs differ in length). */
const acrossTolerance = (reference: PartBox) => 8 + 0.05 * reference.width;
/** Down: edges below several lines of text move with every line above them. */
const downTolerance = (report: LayoutReport) => 12 + 0.04 * report.host.height;

const key = (box: PartBox) => `${box.part}[${box.index}]`;
const inside = (inner: PartBox, outer: PartBox, slack = 1) =>
  inner.x >= outer.x - slack &&
  inner.y >= outer.y - slack &&
  inner.x + inner.width <= outer.x + outer.width + slack &&
  inner.y + inner.height <= outer.y + outer.height + slack;

let reference: Record<string, LayoutReport>;
let stage: HTMLElement;

before(async () => {
  const response = await fetch(new URL('./fixtures/layout-reference.json', import.meta.url));
  reference = (await response.json()) as Record<string, LayoutReport>;
  stage = document.createElement('div');
  document.body.append(stage);
});

after(() => stage.remove());

describe('layout in this engine, by the boxes of the parts', () => {
  for (const layoutCase of LAYOUT_CASES) {
    const name = caseName(layoutCase);

    it(`${layoutCase.width} px, ${layoutCase.variant}: no part outside the card, missions stacked, the same boxes as the reference within font tolerance`, async () => {
      const report = measureParts(await setUpScene(stage, layoutCase));
      const parts = (part: string) => report.parts.filter((box) => box.part === part);
      const [card] = parts('card');
      expect(card, 'the card part').to.not.equal(undefined);

      // Rules that hold in any engine.
      expect(report.overflow, 'the element scrolls sideways').to.be.at.most(0);
      expect(report.host.width, 'the widget fills its stage').to.equal(layoutCase.width - 32);
      for (const box of report.parts) expect(inside(box, card!), `${key(box)} inside the card`).to.equal(true);
      const missions = parts('mission');
      expect(missions, 'three missions').to.have.length(3);
      missions.slice(1).forEach((mission, i) => {
        const above = missions[i]!;
        expect(mission.y, `mission ${i + 1} below mission ${i}`).to.be.at.least(above.y + above.height);
      });
      for (const part of ['mission-title', 'progress', 'xp']) {
        parts(part).forEach((box) => expect(inside(box, missions[box.index]!), `${key(box)} inside its mission`).to.equal(true));
      }
      const rtl = layoutCase.variant === 'arabic';
      expect(report.direction).to.equal(rtl ? 'rtl' : 'ltr');
      // Each mission's title and description start the same distance (the icon's column)
      // from the side a line starts on: the left, and the right in Arabic, where the row
      // is mirrored. Measured from the left-to-right reference, so no text length matters.
      const ltr = reference[`${layoutCase.width}-light`]!;
      const startInset = (box: PartBox, mission: PartBox, rightToLeft: boolean) =>
        rightToLeft ? mission.x + mission.width - (box.x + box.width) : box.x - mission.x;
      for (const box of report.parts.filter((part) => part.part === 'mission-title' || part.part === 'mission-description')) {
        const want = ltr.parts.find((part) => key(part) === key(box))!;
        const wantMission = ltr.parts.find((part) => part.part === 'mission' && part.index === box.index)!;
        const inset = startInset(box, missions[box.index]!, rtl);
        const ltrInset = startInset(want, wantMission, false);
        expect(Math.abs(inset - ltrInset), `${key(box)} starts ${inset} px from the ${rtl ? 'right' : 'left'} (${ltrInset} in the reference)`).to.be.at.most(4);
      }

      // The reference, within font tolerance.
      const expected = reference[name]!;
      expect(report.parts.map(key), 'the same parts, in the same order').to.deep.equal(expected.parts.map(key));
      const down = downTolerance(expected);
      report.parts.forEach((box, i) => {
        const want = expected.parts[i]!;
        const across = acrossTolerance(want);
        expect(Math.abs(box.x - want.x), `${key(box)} left edge (${box.x} vs ${want.x})`).to.be.at.most(across);
        expect(Math.abs(box.width - want.width), `${key(box)} width (${box.width} vs ${want.width})`).to.be.at.most(across);
        expect(Math.abs(box.y - want.y), `${key(box)} top edge (${box.y} vs ${want.y})`).to.be.at.most(down);
        expect(Math.abs(box.height - want.height), `${key(box)} height (${box.height} vs ${want.height})`).to.be.at.most(down);
      });
    });
  }
});
