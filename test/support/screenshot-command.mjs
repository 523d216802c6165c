/**
 * A test-runner command that saves what the browser shows as a PNG, so a layout test can
 * leave pictures a person looks at next to the geometry it asserts:
 *
 *   await executeServerCommand('save-screenshot', { name: 'demo-390-widget' });
 *
 * Files go to .test-results/screenshots/<name>.png (ignored by git). Only the Chromium
 * launcher (puppeteer) is supported, which is the one the tests run in.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../.test-results/screenshots/', import.meta.url));

/** A file name from a test: letters, digits, dashes and dots only, so no payload can reach outside the folder. */
const NAME = /^[a-z0-9][a-z0-9.-]{0,80}$/;

export function screenshotPlugin() {
  return {
    name: 'save-screenshot-command',
    async executeCommand({ command, payload, session }) {
      if (command !== 'save-screenshot') return undefined;
      const name = payload?.name;
      if (typeof name !== 'string' || !NAME.test(name)) throw new Error(`save-screenshot: a name of lower-case letters, digits and dashes, got ${JSON.stringify(name)}`);
      if (session.browser.type !== 'puppeteer') throw new Error('save-screenshot: only the Chromium launcher is supported');
      const page = session.browser.getPage(session.id);
      const png = await page.screenshot({ type: 'png' });
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await writeFile(file, png);
      return { file: path.relative(process.cwd(), file), bytes: png.byteLength };
    },
  };
}
