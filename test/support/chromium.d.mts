// Types for chromium.mjs, so type-checked Node tests can drive Chromium too.

/** Path of the Chromium to launch: CHROME_PATH, else the one inside @sparticuz/chromium. */
export function chromiumExecutable(): Promise<string>;

/** Launch flags for a headless Chromium on a closed, shared machine. */
export const CHROMIUM_ARGS: string[];
