/**
 * How the demo signs a learner in to its missions server in server mode: the page's
 * getToken answers `demo:<learner>`, and the dev server in front of
 * `daily-missions serve --insecure-dev-user-header` (vite.config.ts for `npm start`, the
 * test runner for the demo's tests) turns that bearer token into the header the server
 * trusts. Good for a demo on this machine, never for anything else.
 */
import { DEV_USER_HEADER } from '../server/dev-user-header.js';

/** Where the page reaches the demo's missions server (same origin: the dev server forwards it). */
export const DEMO_SERVER_PATH = '/missions-api';

const TOKEN_PREFIX = 'demo:';

/** The token the demo page sends for `learner`. */
export const demoToken = (learner: string): string => `${TOKEN_PREFIX}${learner}`;

/**
 * The header a forwarded request gets instead of its `Authorization: Bearer demo:<learner>`,
 * or null for a request without a demo token (forwarded as it is: the server refuses it).
 */
export function devSignIn(authorization: unknown): [name: string, learner: string] | null {
  const bearer = `Bearer ${TOKEN_PREFIX}`;
  if (typeof authorization !== 'string' || !authorization.startsWith(bearer)) return null;
  return [DEV_USER_HEADER, authorization.slice(bearer.length)];
}
