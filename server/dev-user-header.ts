/**
 * The header `daily-missions serve --insecure-dev-user-header` trusts as the learner: for
 * local demos only (server/serve.ts). A module of its own so that the demo's dev servers
 * (demo/dev-sign-in.ts) name the same header without loading the server.
 */
export const DEV_USER_HEADER = 'x-learner-id';
