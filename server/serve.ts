/**
 * `daily-missions serve`: the server as a program. Loaded by the CLI only for this
 * command (catalog/cli.ts), so the catalog commands never load the server, the JWT
 * library or a database driver.
 *
 * Authentication is required: a bearer JWT (HS256 with DAILY_MISSIONS_JWT_SECRET, or
 * a JWKS URL), or, for a local demo only, --insecure-dev-user-header, which trusts a
 * header, refuses any interface but loopback and says so on every start.
 */
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
// Everything from the entry (dist/server.js when bundled), so the server's code exists once.
import type { CatalogRules, MissionsServerOptions, Store } from './index.js';
import { bearerJwt, catalogFromFile, createMissionsServer, DEFAULT_MAX_BODY_BYTES, DEFAULT_RATE_LIMIT, MemoryStore, MIN_SECRET_BYTES, serveNode } from './index.js';

import { DEV_USER_HEADER } from './dev-user-header.js';

export { DEV_USER_HEADER };
const DEFAULT_PORT = 8787;
/** Where the embedded database lives when no store is named, relative to the working folder. */
export const DEFAULT_DATA_DIR = 'daily-missions-data';

export const SERVE_USAGE = `Usage: daily-missions serve [options]

Runs the missions HTTP API (GET /v1/today, POST /v1/activity, … described at /v1/openapi.json).

Storage (default: the embedded database in ./${DEFAULT_DATA_DIR}):
  --data <dir>               embedded database (PGlite) in this folder, created if missing
                             (also --data-dir)
  --database <url>           PostgreSQL (or DATABASE_URL; also --database-url)
  --memory                   keep data in memory only (lost at exit; for tries and tests)

Authentication (one is required):
  DAILY_MISSIONS_JWT_SECRET  environment: HS256 secret (at least ${MIN_SECRET_BYTES} bytes); learner = sub
  --jwks-url <url>           verify tokens against this JWKS (or DAILY_MISSIONS_JWKS_URL)
  --jwt-issuer <iss>         require this issuer (or DAILY_MISSIONS_JWT_ISSUER)
  --jwt-audience <aud>       require this audience (or DAILY_MISSIONS_JWT_AUDIENCE)
  --insecure-dev-user-header trust the ${DEV_USER_HEADER} header as the learner: local demos only,
                             listens on loopback only
  DAILY_MISSIONS_SERVICE_KEY environment: the host backend's key for the award ledger

Network and limits:
  --port <n>                 port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <address>           interface (default 0.0.0.0; 127.0.0.1 behind a local proxy)
  --cors-origin <origin>     allow browser calls from this origin (repeatable)
  --max-body <bytes>         largest request body (default ${DEFAULT_MAX_BODY_BYTES})
  --rate-limit <n>           requests per second per learner (default ${DEFAULT_RATE_LIMIT.perSecond},
                             bursts of ${DEFAULT_RATE_LIMIT.burst / DEFAULT_RATE_LIMIT.perSecond}x); 0 turns it off
  --catalog <file>           your catalog (.yaml, or the .json of "catalog build")
  -h, --help                 show this help
`;

/** A reason the server cannot start that the user can fix: printed without a stack trace, exit status 2. */
export class ServeUsageError extends Error {}

export interface ServeConfig {
  port: number;
  host: string;
  memory: boolean;
  /** PGlite's data folder (--data, else DEFAULT_DATA_DIR when no other store is named). */
  dataDir?: string;
  /** PostgreSQL (--database or DATABASE_URL). */
  databaseUrl?: string;
  auth: { kind: 'jwt'; secret: string } | { kind: 'jwks'; url: string } | { kind: 'dev-header' };
  issuer?: string;
  audience?: string;
  corsOrigins: string[];
  maxBodyBytes: number;
  rateLimit: MissionsServerOptions['rateLimit'];
  catalogFile?: string;
  serviceKey?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function whole(value: string, option: string, max: number): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) > max) throw new ServeUsageError(`${option}: must be a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** The configuration `argv` (after "serve") and the environment ask for; free of I/O. */
export function parseServeArgs(argv: readonly string[], env: Record<string, string | undefined>): ServeConfig | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        port: { type: 'string' },
        host: { type: 'string' },
        memory: { type: 'boolean' },
        data: { type: 'string' },
        'data-dir': { type: 'string' },
        database: { type: 'string' },
        'database-url': { type: 'string' },
        'jwks-url': { type: 'string' },
        'jwt-issuer': { type: 'string' },
        'jwt-audience': { type: 'string' },
        'insecure-dev-user-header': { type: 'boolean' },
        'cors-origin': { type: 'string', multiple: true },
        'max-body': { type: 'string' },
        'rate-limit': { type: 'string' },
        catalog: { type: 'string' },
      },
    });
  } catch (error) {
    throw new ServeUsageError((error as Error).message);
  }
  const o = parsed.values;
  if (o.help) return 'help';
  const devHeader = o['insecure-dev-user-header'] === true;
  const jwksUrl = o['jwks-url'] ?? env['DAILY_MISSIONS_JWKS_URL'];
  const secret = env['DAILY_MISSIONS_JWT_SECRET'];
  let auth: ServeConfig['auth'];
  if (devHeader) {
    if (jwksUrl || secret) throw new ServeUsageError('--insecure-dev-user-header cannot be combined with JWT authentication');
    auth = { kind: 'dev-header' };
  } else if (jwksUrl) {
    if (secret) throw new ServeUsageError('give either DAILY_MISSIONS_JWT_SECRET or a JWKS URL, not both');
    if (!/^https?:\/\//.test(jwksUrl)) throw new ServeUsageError(`--jwks-url: must be an http(s) URL, got ${JSON.stringify(jwksUrl)}`);
    auth = { kind: 'jwks', url: jwksUrl };
  } else if (secret) {
    if (new TextEncoder().encode(secret).byteLength < MIN_SECRET_BYTES) throw new ServeUsageError(`DAILY_MISSIONS_JWT_SECRET: must be at least ${MIN_SECRET_BYTES} bytes`);
    auth = { kind: 'jwt', secret };
  } else {
    throw new ServeUsageError(
      'no authentication configured: set DAILY_MISSIONS_JWT_SECRET (HS256) or --jwks-url, or for a local demo only --insecure-dev-user-header',
    );
  }
  const host = o.host ?? (devHeader ? '127.0.0.1' : '0.0.0.0');
  if (devHeader && !LOOPBACK.has(host)) throw new ServeUsageError(`--insecure-dev-user-header listens on loopback only; --host ${host} is refused`);
  if (o.host !== undefined && !LOOPBACK.has(host) && isIP(host) === 0) throw new ServeUsageError(`--host: must be an IP address, got ${JSON.stringify(host)}`);
  const perSecond = o['rate-limit'] === undefined ? DEFAULT_RATE_LIMIT.perSecond : whole(o['rate-limit'], '--rate-limit', 1_000_000);
  const config: ServeConfig = {
    port: o.port === undefined ? DEFAULT_PORT : whole(o.port, '--port', 65_535),
    host,
    memory: o.memory === true,
    auth,
    corsOrigins: o['cors-origin'] ?? [],
    maxBodyBytes: o['max-body'] === undefined ? DEFAULT_MAX_BODY_BYTES : whole(o['max-body'], '--max-body', 1 << 30),
    rateLimit: perSecond === 0 ? false : { perSecond, burst: perSecond * (DEFAULT_RATE_LIMIT.burst / DEFAULT_RATE_LIMIT.perSecond) },
  };
  const issuer = o['jwt-issuer'] ?? env['DAILY_MISSIONS_JWT_ISSUER'];
  const audience = o['jwt-audience'] ?? env['DAILY_MISSIONS_JWT_AUDIENCE'];
  if (issuer !== undefined) config.issuer = issuer;
  if (audience !== undefined) config.audience = audience;
  if (o.catalog !== undefined) config.catalogFile = o.catalog;
  const dataDir = eitherName(o.data, o['data-dir'], '--data or --data-dir');
  const databaseFlag = eitherName(o.database, o['database-url'], '--database or --database-url');
  const databaseUrl = databaseFlag ?? env['DATABASE_URL'];
  if (config.memory && dataDir !== undefined) throw new ServeUsageError('give one store: --memory or --data, not both');
  if (dataDir !== undefined && databaseFlag !== undefined) throw new ServeUsageError('give one store: --data or --database, not both');
  if (dataDir !== undefined) config.dataDir = dataDir;
  else if (!config.memory && databaseUrl !== undefined) config.databaseUrl = databaseUrl;
  // Nothing named: the embedded database, so `serve` works where only Node and npm are.
  else if (!config.memory) config.dataDir = DEFAULT_DATA_DIR;
  const serviceKey = env['DAILY_MISSIONS_SERVICE_KEY'];
  if (serviceKey !== undefined && serviceKey !== '') config.serviceKey = serviceKey;
  return config;
}

/** The value of an option that has two names; both given is an error naming them. */
function eitherName(short: string | undefined, long: string | undefined, names: string): string | undefined {
  if (short !== undefined && long !== undefined) throw new ServeUsageError(`give ${names}, not both`);
  return short ?? long;
}

async function loadCatalog(file: string): Promise<CatalogRules> {
  try {
    return await catalogFromFile(file);
  } catch (error) {
    throw new ServeUsageError(`--catalog ${file}: ${(error as Error).message}`);
  }
}

function authenticator(config: ServeConfig): MissionsServerOptions['authenticate'] {
  const claims = { ...(config.issuer === undefined ? {} : { issuer: config.issuer }), ...(config.audience === undefined ? {} : { audience: config.audience }) };
  switch (config.auth.kind) {
    case 'jwt':
      return bearerJwt({ secret: config.auth.secret, ...claims });
    case 'jwks':
      return bearerJwt({ jwksUrl: config.auth.url, ...claims });
    case 'dev-header':
      return (request) => request.headers.get(DEV_USER_HEADER);
  }
}

async function openStore(config: ServeConfig): Promise<{ store: Store; description: string }> {
  if (config.memory) return { store: new MemoryStore(), description: 'memory (data is lost when the server stops)' };
  // The SQL store and its drivers load only here: a memory server never needs them.
  const { openServerStore } = await import('./store/index.js');
  if (config.dataDir !== undefined) return { store: await openServerStore({ dataDir: config.dataDir }), description: `embedded PGlite in ${config.dataDir}` };
  return { store: await openServerStore({ databaseUrl: config.databaseUrl! }), description: 'PostgreSQL' };
}

const DEV_WARNING = `
${'!'.repeat(78)}
!! INSECURE: --insecure-dev-user-header trusts the ${DEV_USER_HEADER} header as the learner.
!! Anyone who can reach this port can act as any learner. For local demos only,
!! so it listens on loopback only. Anything else: DAILY_MISSIONS_JWT_SECRET or --jwks-url.
${'!'.repeat(78)}
`;

/**
 * Runs `daily-missions serve …` until SIGINT or SIGTERM. Resolves with the exit status
 * when it cannot start (2: wrong arguments), otherwise keeps the process alive.
 */
export async function runServe(argv: readonly string[], io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text) }): Promise<number | undefined> {
  let config: ServeConfig | 'help';
  let opened: { store: Store; description: string };
  let catalog: CatalogRules | undefined;
  try {
    config = parseServeArgs(argv, process.env);
    if (config === 'help') {
      io.stdout(SERVE_USAGE);
      return 0;
    }
    if (config.catalogFile !== undefined) catalog = await loadCatalog(config.catalogFile);
    opened = await openStore(config);
  } catch (error) {
    if (!(error instanceof ServeUsageError)) throw error;
    io.stderr(`daily-missions serve: ${error.message}\nRun "daily-missions serve --help" for usage.\n`);
    return 2;
  }
  if (config.auth.kind === 'dev-header') io.stderr(DEV_WARNING);
  const options: MissionsServerOptions = {
    store: opened.store,
    authenticate: authenticator(config),
    maxBodyBytes: config.maxBodyBytes,
    rateLimit: config.rateLimit,
    corsOrigins: config.corsOrigins,
  };
  if (catalog) options.catalog = catalog;
  if (config.serviceKey) options.serviceKey = config.serviceKey;
  const server = await serveNode(createMissionsServer(options), { port: config.port, host: config.host });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host.includes(':') ? `[${config.host}]` : config.host;
  io.stdout(`daily-missions server listening on http://${shown}:${port} (store: ${opened.description}; auth: ${config.auth.kind})\n`);
  const stop = () => {
    server.close(() => {
      opened.store.close();
      // PGlite writes its folder on close: exit once the store says it is done.
      void Promise.resolve((opened.store as { closed?: Promise<void> }).closed).finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return undefined;
}
