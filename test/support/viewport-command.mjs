/**
 * A test-runner command that sizes the browser's viewport in every engine and answers with
 * the size the page got:
 *
 *   const { width, height } = await executeServerCommand('resize-viewport', { width: 390, height: 844 });
 *
 * @web/test-runner-commands' setViewport drives puppeteer only (Chromium, Firefox). For
 * WebKit's WebDriver session this sets the window's size plus what the browser's own frame
 * and toolbar take. MiniBrowser's window is never narrower than its toolbar (447 px here),
 * so a test that needs an exact width puts the page in a frame of that width, and uses
 * this for the window around it (what a screenshot shows).
 */
export function viewportPlugin() {
  return {
    name: 'resize-viewport-command',
    async executeCommand({ command, payload, session }) {
      if (command !== 'resize-viewport') return undefined;
      const { width, height } = payload ?? {};
      if (!Number.isInteger(width) || !Number.isInteger(height) || width < 100 || height < 100) {
        throw new Error(`resize-viewport: whole width and height of at least 100 px, got ${JSON.stringify(payload)}`);
      }
      if (session.browser.type === 'puppeteer') {
        await session.browser.getPage(session.id).setViewport({ width, height });
        return { width, height };
      }
      const driver = session.browser.type === 'webdriver' ? session.browser.driver : undefined;
      if (!driver) throw new Error(`resize-viewport: no way to resize a ${session.browser.type} session`);
      const [extraWidth, extraHeight] = await driver.execute('return [outerWidth - innerWidth, outerHeight - innerHeight]');
      await driver.setWindowSize(width + extraWidth, height + extraHeight);
      const [innerWidth, innerHeight] = await driver.execute('return [innerWidth, innerHeight]');
      return { width: innerWidth, height: innerHeight };
    },
  };
}
