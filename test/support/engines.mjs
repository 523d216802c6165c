/**
 * The browser engines the suite runs in. `DM_ENGINE` picks one for a run of the browser
 * suite (web-test-runner.config.mjs); `npm test` uses Chromium, `npm run test:engines`
 * adds Firefox and WebKit.
 *
 * - chromium: the build inside the @sparticuz/chromium npm package (or CHROME_PATH), so a
 *   machine with only Node and npm runs it.
 * - firefox: Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi.
 * - webkit: WebKitGTK's MiniBrowser, driven by Debian's WebKitWebDriver through
 *   @web/test-runner-webdriver. MiniBrowser needs a display even when nothing is watched,
 *   so this module starts its own Xvfb on a free display and WebKitWebDriver on a free
 *   port, and stops both by pid when the run ends.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './free-port.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
const MINIBROWSER_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
];
export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? MINIBROWSER_CANDIDATES.find((path) => existsSync(path)) ?? MINIBROWSER_CANDIDATES[0];

/** The engine named by DM_ENGINE (default chromium); anything else is an error naming the variable. */
export function selectedEngine() {
  const engine = process.env.DM_ENGINE ?? 'chromium';
  if (!ENGINES.includes(engine)) throw new Error(`DM_ENGINE must be one of ${ENGINES.join(', ')}; got "${engine}"`);
  return engine;
}

/** What a missing engine needs, said before a run that would only fail to launch. */
export function missingPrograms(engine) {
  const needed = { chromium: [], firefox: [FIREFOX_PATH], webkit: [WEBKIT_DRIVER_PATH, MINIBROWSER_PATH, '/usr/bin/Xvfb'] }[engine];
  return needed.filter((path) => !existsSync(path));
}


/** Stops a child we started, by its pid; one that is already gone is fine. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/**
 * Xvfb on a display it picks itself: `-displayfd` makes the server choose a free display
 * number and write it to the given descriptor once it accepts connections, so two runs on
 * one machine never race for the same :N.
 */
export function startXvfb() {
  return new Promise((resolve, reject) => {
    const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x1200x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    let output = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`Xvfb exited (${code}) before choosing a display: ${errors.trim()}`)));
    child.stdio[3].on('data', (chunk) => {
      output += chunk;
      const match = /^(\d+)\n/.exec(output);
      if (match) resolve({ display: `:${match[1]}`, child });
    });
  });
}

/** WebKitWebDriver on a free port, answering /status before it is used. */
export async function startWebKitDriver(display) {
  const port = await freePort();
  const child = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`, '--host=127.0.0.1'], {
    stdio: ['ignore', 'ignore', process.env.DM_BROWSER_LOG ? 'inherit' : 'ignore'],
    env: { ...process.env, DISPLAY: display },
  });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode}) on port ${port}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok) return { port, child };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stopChild(child);
      throw new Error(`WebKitWebDriver did not answer on port ${port} within 15 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The programs a WebKit run started, stopped together by pid (on stop and on exit). */
export function stopOnExit(children) {
  const stop = () => children.forEach(stopChild);
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  return stop;
}

/** webdriverio's options for a MiniBrowser session on the WebKitWebDriver at `port`. */
export function webkitSessionOptions(port) {
  return {
    hostname: '127.0.0.1',
    port,
    path: '/',
    logLevel: 'error',
    capabilities: {
      browserName: 'MiniBrowser',
      // WebKitWebDriver speaks classic WebDriver only; without this webdriverio asks for BiDi.
      'wdio:enforceWebDriverClassic': true,
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    },
  };
}

/** The display of the WebKit run's Xvfb, for pages opened beside the test page (openWebKitPage). */
let webkitDisplay = null;

/**
 * A page in a MiniBrowser of its own, for tests that need a second "device": in Chromium
 * and Firefox that is a new browser context (puppeteer), which WebDriver classic does not
 * have. WebKitWebDriver holds one session at a time ("Maximum number of active sessions"),
 * so each page gets a driver of its own on the run's display; MiniBrowser's automation
 * sessions keep their storage apart, so the page has its own IndexedDB and workers.
 * Returns { evaluate(expression), reload(), close() }.
 */
export async function openWebKitPage(url) {
  if (!webkitDisplay) throw new Error('openWebKitPage: no WebKit run is in progress');
  const { remote } = await import('webdriverio');
  const driver = await startWebKitDriver(webkitDisplay);
  let browser;
  try {
    browser = await remote(webkitSessionOptions(driver.port));
    await browser.url(url);
  } catch (error) {
    stopChild(driver.child);
    throw error;
  }
  return {
    // WebDriver waits for a returned promise, as puppeteer's evaluate does.
    evaluate: (expression) => browser.execute(`return (${expression});`),
    reload: () => browser.refresh(),
    async close() {
      await browser.deleteSession().catch(() => undefined);
      stopChild(driver.child);
    },
  };
}

/** @web/test-runner launcher for the engine, plus a stop function for what it started. */
export async function engineLauncher(engine, { chromiumExecutable, chromiumArgs }) {
  const missing = missingPrograms(engine);
  if (missing.length > 0) {
    throw new Error(`${engine}: not installed here: ${missing.join(', ')} (Debian: apt-get install firefox-esr webkit2gtk-driver xvfb)`);
  }
  if (engine === 'chromium' || engine === 'firefox') {
    const { chromeLauncher } = await import('@web/test-runner-chrome');
    if (engine === 'chromium') {
      return chromeLauncher({
        launchOptions: {
          executablePath: await chromiumExecutable(),
          headless: 'shell',
          // DM_BROWSER_LOG=1 shows the browser's own output (crashes, GPU and sandbox messages).
          dumpio: Boolean(process.env.DM_BROWSER_LOG),
          args: chromiumArgs,
        },
      });
    }
    const puppeteer = await import('puppeteer-core');
    // puppeteer-core speaks WebDriver BiDi to Firefox; @web/test-runner-chrome only
    // needs a puppeteer-shaped launcher, so no Firefox-specific package is needed.
    return chromeLauncher({
      puppeteer: puppeteer.default,
      launchOptions: {
        browser: 'firefox',
        executablePath: FIREFOX_PATH,
        headless: true,
        dumpio: Boolean(process.env.DM_BROWSER_LOG),
        extraPrefsFirefox: {
          // A closed machine: no update checks, telemetry or safe-browsing downloads that
          // would only time out.
          'app.update.enabled': false,
          'browser.safebrowsing.update.enabled': false,
          'datareporting.policy.dataSubmissionEnabled': false,
          'toolkit.telemetry.enabled': false,
          'browser.sessionhistory.max_total_viewers': 8,
        },
      },
    });
  }
  const { webdriverLauncher } = await import('@web/test-runner-webdriver');
  const xvfb = await startXvfb();
  webkitDisplay = xvfb.display;
  let driver;
  try {
    driver = await startWebKitDriver(xvfb.display);
  } catch (error) {
    stopChild(xvfb.child);
    throw error;
  }
  const stopAll = stopOnExit([driver.child, xvfb.child]);
  const launcher = webdriverLauncher(webkitSessionOptions(driver.port));
  const stopLauncher = launcher.stop.bind(launcher);
  launcher.stop = async () => {
    await stopLauncher();
    stopAll();
  };
  return launcher;
}

/** The version a engine reports, for the run's header and the README. */
export async function engineVersion(engine, chromiumExecutable) {
  const { execFileSync } = await import('node:child_process');
  const read = (file, args) => {
    try {
      return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  if (engine === 'firefox') return read(FIREFOX_PATH, ['--version']);
  if (engine === 'webkit') return `WebKitGTK ${read('dpkg-query', ['-W', '-f', '${Version}', 'libwebkit2gtk-4.1-0'])}`;
  return read(await chromiumExecutable(), ['--version']);
}
