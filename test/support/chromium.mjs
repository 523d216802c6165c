/**
 * Where the browser tests (and the benchmark) find Chromium. No step may download a
 * browser, so the default is the build that ships inside the @sparticuz/chromium npm
 * package (extracted to the temp folder on first use). CHROME_PATH points at another
 * one, e.g. Debian's /usr/bin/chromium.
 */
export async function chromiumExecutable() {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  const { default: chromium } = await import('@sparticuz/chromium');
  return chromium.executablePath();
}

/**
 * Flags for a headless Chromium on a closed, shared machine: no sandbox (tests run as
 * root in CI), no GPU, and none of the background network traffic that would only
 * time out here.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--mute-audio',
  '--autoplay-policy=user-gesture-required',
];
