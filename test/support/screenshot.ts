/**
 * Renders docs/screenshot.png: the real widget on test/support/screenshot-page.html,
 * served by @web/dev-server (the same plugins as the browser tests) and captured by
 * headless Chromium at 2x, cropped to the widget.
 *
 *   node --import tsx test/support/screenshot.ts [--user id] [--theme light|dark] [--out docs/screenshot.png] [--port 5182]
 *
 * The user id decides which missions are assigned (selection is deterministic), so the
 * picture is the same on every run.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium.mjs';
import { startDocsServer } from './docs-server.js';

const { values } = parseArgs({
  options: {
    user: { type: 'string', default: 'maria' },
    theme: { type: 'string', default: 'light' },
    out: { type: 'string', default: 'docs/screenshot.png' },
    port: { type: 'string', default: '5182' },
  },
});

const server = await startDocsServer(Number(values.port));

const browser = await puppeteer.launch({ executablePath: await chromiumExecutable(), headless: 'shell', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 452, height: 900, deviceScaleFactor: 2 });
  await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
  const url = new URL(`http://localhost:${values.port}/test/support/screenshot-page.html`);
  url.searchParams.set('user', values.user!);
  url.searchParams.set('theme', values.theme!);
  await page.goto(url.href);
  // What screenshot-page.ts reports on its window.
  type Report = { screenshotReady?: boolean; screenshotError?: string };
  await page.waitForFunction(() => {
    const report = globalThis as Report;
    return report.screenshotReady === true || typeof report.screenshotError === 'string';
  }, { timeout: 30_000 });
  const error = await page.evaluate(() => (globalThis as Report).screenshotError);
  if (error) throw new Error(`the page could not set up the widget: ${error}`);
  // Fonts and the last progress-bar widths are applied after the render that completed the mission.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const widget = await page.$('daily-missions');
  if (!widget) throw new Error('no <daily-missions> on the page');
  // The element's box plus a margin for the card's shadow, on a transparent background
  // so the picture sits well on light and dark pages alike.
  const box = await widget.boundingBox();
  if (!box) throw new Error('the widget has no layout box');
  const margin = 8;
  const clip = { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin };
  const png = await page.screenshot({ type: 'png', omitBackground: true, clip });
  writeFileSync(new URL(`../../${values.out}`, import.meta.url), png);
  console.log(`${values.out}: ${png.byteLength} bytes`);
} finally {
  await browser.close();
  await server.stop();
}
