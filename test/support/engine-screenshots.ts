/**
 * Pictures of the widget in every engine for the README: Chromium, Firefox and WebKit at
 * 360 px and 1280 px, light, dark and Arabic (docs/engines/ENGINE-WIDTH-VARIANT.png), and
 * the layout reference the cross-engine layout test compares with
 * (test/browser/fixtures/layout-reference.json: every part's box, measured in Chromium).
 *
 *   node --import tsx test/support/engine-screenshots.ts [--port 5183] [--engines chromium,firefox,webkit]
 *
 * Run it again after a deliberate layout change, and look at the pictures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { remote } from 'webdriverio';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium.mjs';
import { startDocsServer } from './docs-server.js';
import { FIREFOX_PATH, engineVersion, startWebKitDriver, startXvfb, webkitSessionOptions } from './engines.mjs';
import { LAYOUT_CASES, caseName } from './layout-cases.js';
import type { LayoutCase, LayoutReport } from './layout-cases.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '5183' }, engines: { type: 'string', default: 'chromium,firefox,webkit' } },
});
const port = Number(values.port);
const OUT = new URL('../../docs/engines/', import.meta.url);
const REFERENCE = new URL('../browser/fixtures/layout-reference.json', import.meta.url);
/** Room for the 1280 px stage and the tallest card. */
const WINDOW = { width: 1360, height: 1100 };

type Shot = { png: Buffer; report: LayoutReport };
/** Loads one case and returns the widget's picture and its parts' boxes. */
type Camera = (layoutCase: LayoutCase) => Promise<Shot>;

const pageUrl = (layoutCase: LayoutCase) =>
  `http://localhost:${port}/test/support/layout-page.html?width=${layoutCase.width}&variant=${layoutCase.variant}`;

/** What layout-page.ts reports on its window, read once it has either answer. */
const READ_REPORT = `return window.layoutReport ?? (window.layoutError ? { error: window.layoutError } : null)`;

/** Crops a base64 PNG to a rectangle in a canvas; returns base64 PNG (run in the page). */
const CROP = `
  const [png, rect] = arguments;
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  return image.decode().then(() => {
    const canvas = document.createElement('canvas');
    canvas.width = rect.width;
    canvas.height = rect.height;
    canvas.getContext('2d').drawImage(image, rect.x, rect.y, rect.width, rect.height, 0, 0, rect.width, rect.height);
    return canvas.toDataURL('image/png').split(',')[1];
  });
`;

function checked(report: LayoutReport | { error: string }): LayoutReport {
  if ('error' in report) throw new Error(`the page could not set up the widget: ${report.error}`);
  return report;
}

/** Chromium and Firefox, both through puppeteer-core (Firefox over WebDriver BiDi). */
async function puppeteerCamera(engine: 'chromium' | 'firefox'): Promise<{ shoot: Camera; close: () => Promise<void> }> {
  const browser = engine === 'chromium'
    ? await puppeteer.launch({ executablePath: await chromiumExecutable(), headless: 'shell', args: CHROMIUM_ARGS })
    : await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true });
  const page = await browser.newPage();
  await page.setViewport({ ...WINDOW, deviceScaleFactor: 1 });
  return {
    async shoot(layoutCase) {
      await page.goto(pageUrl(layoutCase));
      const handle = await page.waitForFunction(new Function(READ_REPORT) as () => unknown, { timeout: 30_000 });
      const report = checked((await handle.jsonValue()) as LayoutReport);
      const widget = await page.$('daily-missions');
      const png = Buffer.from(await widget!.screenshot({ type: 'png' }));
      return { png, report };
    },
    close: () => browser.close(),
  };
}

/** WebKit: MiniBrowser through WebKitWebDriver, on an Xvfb of its own. */
async function webkitCamera(): Promise<{ shoot: Camera; close: () => Promise<void> }> {
  const xvfb = await startXvfb();
  const driver = await startWebKitDriver(xvfb.display);
  const browser = await remote(webkitSessionOptions(driver.port) as Parameters<typeof remote>[0]);
  await browser.setWindowSize(WINDOW.width, WINDOW.height);
  return {
    async shoot(layoutCase) {
      await browser.url(pageUrl(layoutCase));
      let report: LayoutReport | { error: string } | null = null;
      await browser.waitUntil(async () => (report = (await browser.execute(READ_REPORT)) as typeof report) !== null, { timeout: 30_000 });
      // WebKitGTK's driver draws element screenshots blank past their first rows, but its
      // viewport screenshot is right: take that and let the page's own canvas crop it.
      const widget = await browser.$('daily-missions');
      const rect = await browser.getElementRect(await widget.elementId);
      const viewport = await browser.takeScreenshot();
      const cropped = (await browser.execute(CROP, viewport, rect)) as unknown as string;
      const png = Buffer.from(cropped, 'base64');
      return { png, report: checked(report!) };
    },
    async close() {
      await browser.deleteSession();
      driver.child.kill();
      xvfb.child.kill();
    },
  };
}

const server = await startDocsServer(port);
mkdirSync(OUT, { recursive: true });
const reference: Record<string, LayoutReport> = {};
try {
  for (const engine of values.engines!.split(',') as ('chromium' | 'firefox' | 'webkit')[]) {
    const camera = engine === 'webkit' ? await webkitCamera() : await puppeteerCamera(engine);
    try {
      console.log(`${engine}: ${await engineVersion(engine, chromiumExecutable)}`);
      for (const layoutCase of LAYOUT_CASES) {
        const { png, report } = await camera.shoot(layoutCase);
        const file = `${engine}-${caseName(layoutCase)}.png`;
        writeFileSync(new URL(file, OUT), png);
        if (engine === 'chromium') reference[caseName(layoutCase)] = report;
        console.log(`  docs/engines/${file}: ${png.byteLength} bytes, card ${report.host.width}x${report.host.height}`);
      }
    } finally {
      await camera.close();
    }
  }
  if (Object.keys(reference).length > 0) {
    writeFileSync(REFERENCE, `${JSON.stringify(reference, null, 1)}\n`);
    console.log('test/browser/fixtures/layout-reference.json written');
  }
} finally {
  await server.stop();
}
