/**
 * A test-runner command that saves what the browser shows as a PNG, so a layout test can
 * leave pictures a person looks at next to the geometry it asserts:
 *
 *   await executeServerCommand('save-screenshot', { name: 'demo-390-widget' });
 *
 * Files go to .test-results/screenshots/<name>.png (ignored by git); a run in Firefox or
 * WebKit (DM_ENGINE) writes to .test-results/screenshots/<engine>/ instead. Chromium and
 * Firefox are captured through puppeteer, WebKit through its WebDriver session.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../.test-results/screenshots/', import.meta.url));

/** A file name from a test: letters, digits, dashes and dots only, so no payload can reach outside the folder. */
const NAME = /^[a-z0-9][a-z0-9.-]{0,80}$/;

/** The session's page as a PNG: puppeteer's page, or the WebDriver session's window (one page at a time, concurrency 1). */
async function capture(session) {
  if (session.browser.type === 'puppeteer') return session.browser.getPage(session.id).screenshot({ type: 'png' });
  if (session.browser.type === 'webdriver' && session.browser.driver) {
    return Buffer.from(await session.browser.driver.takeScreenshot(), 'base64');
  }
  throw new Error(`save-screenshot: no way to capture a ${session.browser.type} session`);
}

export function screenshotPlugin() {
  return {
    name: 'save-screenshot-command',
    async executeCommand({ command, payload, session }) {
      if (command !== 'save-screenshot') return undefined;
      const name = payload?.name;
      if (typeof name !== 'string' || !NAME.test(name)) throw new Error(`save-screenshot: a name of lower-case letters, digits and dashes, got ${JSON.stringify(name)}`);
      const png = await capture(session);
      const engine = process.env.DM_ENGINE ?? 'chromium';
      const folder = engine === 'chromium' ? SCREENSHOT_DIR : path.join(SCREENSHOT_DIR, engine);
      await mkdir(folder, { recursive: true });
      const file = path.join(folder, `${name}.png`);
      await writeFile(file, png);
      return { file: path.relative(process.cwd(), file), bytes: png.byteLength };
    },
  };
}
