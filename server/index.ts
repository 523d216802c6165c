/**
 * daily-missions/server: the daily flows of the worker (worker/daily.ts, worker/backup.ts)
 * as an HTTP service (docs/architecture.md §11). `createMissionsServer` returns a standard
 * fetch handler, `(request: Request) => Promise<Response>`, that any Node framework can
 * mount (Node's own http server through `serveNode`, Express or Fastify through their
 * fetch adapters, Hono directly).
 *
 * The rules live in the worker's flows; this file only turns requests into calls:
 * - who: `authenticate(request)`, never a user id sent by the browser;
 * - when: the server's clock (`now`), never a time sent over HTTP;
 * - where: one transaction of `store` per call, and no fallback. A database it cannot
 *   reach is a 503: a second store would forget what the first one paid.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { normalizeActivity } from '../worker/engine/activity.js';
import type { Activity } from '../worker/engine/activity.js';
import { requireCatalog } from '../worker/engine/catalog-cache.js';
import { requireTimeZone } from '../worker/engine/day.js';
import { ValidationError } from '../worker/engine/errors.js';
import { MAX_MISSIONS, MIN_MISSIONS } from '../worker/engine/vocabulary.js';
import { awardIdFor, isActivityId } from '../worker/engine/ids.js';
import { normalizeHostCounters } from '../worker/engine/stats.js';
import type { CatalogRules } from '../worker/engine/types.js';
import { MIXES } from '../worker/engine/types.js';
import { describe, isPlainObject, requireArray, requireInteger, requireOneOf, requireString } from '../worker/engine/validate.js';
import { exportUser, importUser } from '../worker/backup.js';
import type { CallContext, RecordOutcome } from '../worker/daily.js';
import * as daily from '../worker/daily.js';
import { DEFAULT_HISTORY_DAYS, MAX_HISTORY_DAYS } from '../worker/constants.js';
import { normalizePreferences } from '../worker/preferences.js';
import type { AwardRow, MissionRow, Preferences } from '../worker/store/rows.js';
import type { Store, Tx, TxMode } from '../worker/store/store.js';
import type { MissionData } from '../worker/views.js';
import { dayView, toMissionData } from '../worker/views.js';
import { errorResponse, hasBody, HttpError, json, readJson } from './http.js';
import { openApiDocument } from './openapi.js';
import type { RateLimit } from './rate-limit.js';
import { createRateLimiter, DEFAULT_RATE_LIMIT } from './rate-limit.js';

export { HttpError } from './http.js';
export type { ErrorBody } from './http.js';
export type { RateLimit } from './rate-limit.js';
export { DEFAULT_RATE_LIMIT } from './rate-limit.js';
export { bearerJwt, MIN_SECRET_BYTES } from './auth.js';
export type { BearerJwtOptions } from './auth.js';
export { serveNode } from './node.js';
export type { Store, Tx } from '../worker/store/store.js';
export { StorageError } from '../worker/store/store.js';
export { MemoryStore } from '../worker/store/memory-store.js';
export type { DayView, MissionData } from '../worker/views.js';
export type { CatalogRules } from '../worker/engine/types.js';

/** A paid award, as `onAward` and the ledger see it. */
export interface Award {
  awardId: string;
  userId: string;
  day: string;
  templateId: string;
  xp: number;
  awardedAt: number;
}

export interface MissionsServerOptions {
  /** Where learners' data lives; every call is one transaction of it. */
  store: Store;
  /**
   * The learner a request is from, or null/undefined for an anonymous request (401).
   * May throw an HttpError (401 or 403) to answer with its own code and message.
   */
  authenticate: (request: Request) => string | null | undefined | Promise<string | null | undefined>;
  /** The clock, epoch ms (default Date.now). Tests inject one; it is never read from a request. */
  now?: () => number;
  /** The catalog's rules (default: the shipped catalog/templates.yaml). */
  catalog?: CatalogRules;
  /**
   * Called for each award inside the transaction that writes it, with that
   * transaction's handle: a host on the same database credits XP atomically. If it
   * throws, the whole call is rolled back (nothing recorded, nothing paid).
   */
  onAward?: (award: Award, tx: Tx) => void | Promise<void>;
  /** The credential of the host's backend for the award ledger (`Authorization: Bearer <key>`). Without one the ledger routes answer 403. */
  serviceKey?: string;
  /** Largest request body in bytes (default 64 KiB); an import may be larger (`maxImportBytes`). */
  maxBodyBytes?: number;
  /** Largest backup accepted by POST /v1/import (default 16 MiB). */
  maxImportBytes?: number;
  /** Requests per learner (default 60 at once, 10 per second after that); false: no limit. */
  rateLimit?: RateLimit | false;
  /** Origins a browser may call from (CORS); '*' for any. Default: none (same origin only). */
  corsOrigins?: readonly string[] | '*';
  /** Unexpected failures (500s), for the host's logs. Default: console.error. */
  onError?: (error: unknown, request: Request) => void;
}

export type MissionsHandler = (request: Request) => Promise<Response>;

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const DEFAULT_MAX_IMPORT_BYTES = 16 * 1024 * 1024;
const MAX_ACTIVITIES_PER_CALL = 1000;
const MAX_USER_ID_LENGTH = 1000;

/** The zone of a call that names none and whose learner stored none. */
const DEFAULT_TIME_ZONE = 'UTC';

/** Query parameters every learner route takes: the call's zone and preferences for this call. */
const CONTEXT_PARAMS = ['timeZone', 'count', 'difficulty'] as const;

interface Call {
  request: Request;
  url: URL;
  ctx: CallContext;
}

type LearnerRoute = (call: Call) => Promise<unknown>;
type PlainRoute = (request: Request, url: URL) => Promise<Response>;
type Route = { kind: 'learner'; params?: readonly string[]; handle: LearnerRoute } | { kind: 'open'; handle: PlainRoute } | { kind: 'service'; handle: PlainRoute };

/** A mission this call completed: the award's id (the same in browser and server mode) and day. */
export interface CompletedMission extends MissionData {
  day: string;
  awardId: string;
}

export function createMissionsServer(options: MissionsServerOptions): MissionsHandler {
  const { store } = options;
  if (!store || typeof store.transact !== 'function') throw new TypeError('createMissionsServer: options.store must be a Store');
  if (typeof options.authenticate !== 'function') throw new TypeError('createMissionsServer: options.authenticate must be a function from the request to the learner id');
  const now = options.now ?? Date.now;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxImport = options.maxImportBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  const limited = options.rateLimit === false ? null : createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const onError = options.onError ?? ((error: unknown, request: Request) => console.error(`daily-missions server: ${request.method} ${new URL(request.url).pathname} failed:`, error));
  let catalog: CatalogRules | Promise<CatalogRules> = options.catalog ? requireCatalog(options.catalog) : loadShippedCatalog();
  // Awaited by the first request; until then a failure must not count as unhandled.
  if (catalog instanceof Promise) catalog.catch(() => undefined);

  /** Runs one flow in one transaction; `onAward` joins the transaction that pays. */
  const transact = <T>(mode: TxMode, flow: (tx: Tx) => Promise<T>): Promise<T> => store.transact(mode, flow);

  async function award(tx: Tx, ctx: CallContext, outcome: RecordOutcome): Promise<CompletedMission[]> {
    const completed = outcome.completed.map((mission) => completedMission(ctx.userId, mission));
    if (options.onAward) {
      for (const mission of completed) await options.onAward(awardOf(ctx, mission), tx);
    }
    return completed;
  }

  async function context(request: Request, url: URL, allowed: readonly string[]): Promise<CallContext> {
    const userId = await learnerOf(request, options.authenticate);
    if (limited) {
      const wait = limited(userId);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw new HttpError(429, 'rate-limited', `too many requests for this learner; retry in ${seconds} s`, undefined, { 'retry-after': String(seconds) });
      }
    }
    rejectUnknownParams(url, [...CONTEXT_PARAMS, ...allowed]);
    const q = url.searchParams;
    const overrides: Partial<Preferences> = {};
    const count = q.get('count');
    if (count !== null) overrides.count = wholeNumber(count, 'count', MIN_MISSIONS, MAX_MISSIONS);
    const difficulty = q.get('difficulty');
    if (difficulty !== null) overrides.mix = requireOneOf(difficulty, 'difficulty', MIXES);
    return {
      userId,
      now: now(),
      timeZone: requireTimeZone(q.get('timeZone') ?? DEFAULT_TIME_ZONE, 'timeZone'),
      overrides,
      catalog: await catalog,
    };
  }

  const routes = new Map<string, Route>();
  const learner = (method: string, path: string, handle: LearnerRoute, params?: readonly string[]) => {
    routes.set(`${method} ${path}`, params ? { kind: 'learner', handle, params } : { kind: 'learner', handle });
  };

  learner('GET', '/v1/today', async ({ ctx }) => {
    // The warm case first: a read-only transaction; the day's first call assigns.
    const state = (await transact('readonly', (tx) => daily.readDaily(tx, ctx))) ?? (await transact('readwrite', (tx) => daily.getDaily(tx, ctx)));
    return dayView(ctx.userId, state);
  });

  learner('POST', '/v1/activity', async ({ request, ctx }) => {
    const body = requireObjectBody(await readJson(request, maxBody), ['activities']);
    const batch = normalizeBatch(body['activities'], ctx.now);
    const result = await transact('readwrite', async (tx) => {
      // Each activity is stored under its id: a resend of the same id is not counted again.
      const outcome = await daily.recordActivities(
        tx,
        ctx,
        batch.map((entry) => ({ ...entry.activity, id: entry.id })),
      );
      return { outcome, completed: await award(tx, ctx, outcome) };
    });
    return {
      activities: batch.map((entry) => ({ id: entry.id })),
      completed: result.completed,
      allCompleted: result.outcome.allCompleted,
      daily: dayView(ctx.userId, result.outcome.state),
    };
  });

  learner('POST', '/v1/stats', async ({ request, ctx }) => {
    const body = requireObjectBody(await readJson(request, maxBody), ['stats']);
    const counters = normalizeHostCounters(body['stats'], 'stats');
    const result = await transact('readwrite', async (tx) => {
      const outcome = await daily.pushStats(tx, ctx, counters);
      return { outcome, completed: await award(tx, ctx, outcome) };
    });
    return { completed: result.completed, allCompleted: result.outcome.allCompleted, daily: dayView(ctx.userId, result.outcome.state) };
  });

  learner('POST', '/v1/reroll', async ({ request, ctx }) => {
    if (hasBody(request)) requireObjectBody(await readJson(request, maxBody), []);
    const result = await transact('readwrite', (tx) => daily.reroll(tx, ctx));
    return { refused: result.refused, daily: dayView(ctx.userId, result.state) };
  });

  learner('POST', '/v1/celebrations/claim', async ({ request, ctx }) => {
    const body = hasBody(request) ? requireObjectBody(await readJson(request, maxBody), ['templateIds']) : {};
    const ids = body['templateIds'] === undefined ? undefined : requireArray(body['templateIds'], 'templateIds', 100).map((id, i) => requireString(id, `templateIds[${i}]`, 100));
    const claimed = await transact('readwrite', (tx) => daily.claimCelebrations(tx, ctx, ids));
    return { claimed: claimed.map(toMissionData) };
  });

  learner('GET', '/v1/preferences', async ({ ctx }) => transact('readonly', (tx) => daily.getPreferences(tx, ctx)));

  learner('PATCH', '/v1/preferences', async ({ request, ctx }) => {
    const changes = normalizePreferences(requireObjectBody(await readJson(request, maxBody)), 'preferences');
    return transact('readwrite', (tx) => daily.setPreferences(tx, ctx, changes));
  });

  learner(
    'GET',
    '/v1/history',
    async ({ url, ctx }) => {
      const given = url.searchParams.get('limit');
      const limit = given === null ? DEFAULT_HISTORY_DAYS : wholeNumber(given, 'limit', 1, MAX_HISTORY_DAYS);
      return transact('readonly', (tx) => daily.history(tx, ctx, limit));
    },
    ['limit'],
  );

  learner('GET', '/v1/export', async ({ ctx }) => transact('readonly', (tx) => exportUser(tx, ctx.userId, ctx.now)));

  learner(
    'POST',
    '/v1/import',
    async ({ request, url, ctx }) => {
      const replace = flag(url.searchParams.get('replace'), 'replace');
      const data = await readJson(request, maxImport);
      // The backup is re-keyed to the authenticated learner, whoever it was exported from.
      await transact('readwrite', (tx) => importUser(tx, data, { replace, userId: ctx.userId, catalog: ctx.catalog }));
      return { imported: true };
    },
    ['replace'],
  );

  learner('DELETE', '/v1/me', async ({ ctx }) => {
    await transact('readwrite', (tx) => tx.deleteUser(ctx.userId));
    return { deleted: true };
  });

  routes.set('GET /v1/health', {
    kind: 'open',
    handle: async () => {
      // A real round trip to the database: a load balancer takes an instance whose
      // database is gone out of rotation.
      await transact('readonly', (tx) => tx.getProfile(''));
      return json({ status: 'ok', store: store.kind });
    },
  });
  routes.set('GET /v1/openapi.json', { kind: 'open', handle: async () => json(openApiDocument) });

  routes.set('GET /v1/awards', {
    kind: 'service',
    handle: async (_request, url) => {
      rejectUnknownParams(url, ['learner']);
      const userId = requireString(url.searchParams.get('learner') ?? undefined, 'learner', MAX_USER_ID_LENGTH);
      const awards = await transact('readonly', async (tx) => (await ledgerOf(tx).undeliveredAwards(userId)).map(ledgerAward));
      return json({ awards });
    },
  });
  routes.set('POST /v1/awards/acknowledge', {
    kind: 'service',
    handle: async (request) => {
      const body = requireObjectBody(await readJson(request, maxBody), ['learner', 'awardIds']);
      const userId = requireString(body['learner'], 'learner', MAX_USER_ID_LENGTH);
      const awardIds = requireArray(body['awardIds'], 'awardIds', 1000).map((id, i) => requireString(id, `awardIds[${i}]`, 2 * MAX_USER_ID_LENGTH));
      await transact('readwrite', (tx) => ledgerOf(tx).markAwardsDelivered(userId, awardIds, now()));
      return json({ acknowledged: awardIds.length });
    },
  });

  const methodsOf = (path: string) => [...routes.keys()].filter((key) => key.endsWith(` ${path}`)).map((key) => key.split(' ')[0]!);

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const key = `${request.method} ${url.pathname}`;
    const found = routes.get(key);
    if (!found) {
      const allowed = methodsOf(url.pathname);
      if (allowed.length > 0) throw new HttpError(405, 'method-not-allowed', `${url.pathname} takes ${allowed.join(', ')}`, undefined, { allow: allowed.join(', ') });
      throw new HttpError(404, 'not-found', `no route ${url.pathname}; the API is described at /v1/openapi.json`);
    }
    if (found.kind === 'open') return found.handle(request, url);
    if (found.kind === 'service') {
      requireServiceKey(request, options.serviceKey);
      return found.handle(request, url);
    }
    const ctx = await context(request, url, found.params ?? []);
    const body = await found.handle({ request, url, ctx });
    return request.method === 'GET' ? conditional(request, body) : json(body);
  }

  const cors = corsHeaders(options.corsOrigins);

  return async function handle(request: Request): Promise<Response> {
    const extra = cors(request);
    if (request.method === 'OPTIONS' && extra) return new Response(null, { status: 204, headers: { ...extra, ...PREFLIGHT_HEADERS } });
    let response: Response;
    try {
      // The shipped catalog is read on the first request; a broken file is a 500 for each.
      if (catalog instanceof Promise) catalog = await catalog;
      response = await route(request);
    } catch (error) {
      const answer = errorResponse(error);
      if (answer.unexpected) onError(error, request);
      response = answer.response;
    }
    if (extra) for (const [name, value] of Object.entries(extra)) response.headers.set(name, value);
    return response;
  };
}

/** The learner of a request, from the host's `authenticate`; 401 when there is none. */
async function learnerOf(request: Request, authenticate: MissionsServerOptions['authenticate']): Promise<string> {
  const userId = await authenticate(request);
  if (userId === null || userId === undefined) throw new HttpError(401, 'unauthenticated', 'sign in first: this request carries no valid credentials', undefined, { 'www-authenticate': 'Bearer' });
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    throw new HttpError(401, 'unauthenticated', `the credentials name no usable learner (1 to ${MAX_USER_ID_LENGTH} characters)`);
  }
  return userId;
}

/** The ledger routes belong to the host's backend: its key, compared in constant time. */
function requireServiceKey(request: Request, serviceKey: string | undefined): void {
  const header = request.headers.get('authorization');
  if (header === null) throw new HttpError(401, 'unauthenticated', 'the award ledger needs the service key as Authorization: Bearer <key>', undefined, { 'www-authenticate': 'Bearer' });
  if (!serviceKey) throw new HttpError(403, 'forbidden', 'this server has no service key configured, so its award ledger is closed');
  const given = new TextEncoder().encode(header.replace(/^Bearer\s+/i, ''));
  const expected = new TextEncoder().encode(serviceKey);
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i += 1) difference |= expected[i]! ^ (given[i] ?? 0);
  if (difference !== 0) throw new HttpError(403, 'forbidden', 'the award ledger is for the host backend with the service key');
}

interface LedgerTx {
  undeliveredAwards(userId: string): Promise<(AwardRow & { awardId?: string })[]>;
  markAwardsDelivered(userId: string, awardIds: string[], at: number): Promise<void>;
}

/** The award-ledger part of the storage contract (docs/architecture.md §6), when the store has it. */
function ledgerOf(tx: Tx): LedgerTx {
  const ledger = tx as Tx & Partial<LedgerTx>;
  if (typeof ledger.undeliveredAwards !== 'function' || typeof ledger.markAwardsDelivered !== 'function') {
    throw new HttpError(501, 'not-implemented', 'this store keeps no award ledger');
  }
  return ledger as Tx & LedgerTx;
}

function ledgerAward(row: AwardRow & { awardId?: string }): Award {
  return { awardId: row.awardId ?? awardIdFor(row.userId, row.day, row.templateId), userId: row.userId, day: row.day, templateId: row.templateId, xp: row.xp, awardedAt: row.awardedAt };
}

function completedMission(userId: string, mission: MissionRow): CompletedMission {
  return { ...toMissionData(mission), day: mission.day, awardId: awardIdFor(userId, mission.day, mission.templateId) };
}

/** The award row this call wrote for `mission` (the flow stamps it with the call's clock). */
function awardOf(ctx: CallContext, mission: CompletedMission): Award {
  return { awardId: mission.awardId, userId: ctx.userId, day: mission.day, templateId: mission.templateId, xp: mission.xp, awardedAt: ctx.now };
}

/** The batch of POST /v1/activity: every entry valid, or none stored; each keeps (or gets) an id. */
function normalizeBatch(input: unknown, now: number): { id: string; activity: Activity }[] {
  const entries = requireArray(input, 'activities', MAX_ACTIVITIES_PER_CALL);
  if (entries.length === 0) throw new ValidationError('activities', 'must hold at least one activity');
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const field = `activities[${i}]`;
    const activity = normalizeActivity(entry, now, field);
    const given = (entry as Record<string, unknown>)['id'];
    if (given !== undefined && !isActivityId(given)) throw new ValidationError(`${field}.id`, `must be 1 to 128 visible ASCII characters, got ${describe(given)}`);
    const id = given ?? randomUUID();
    if (seen.has(id)) throw new ValidationError(`${field}.id`, `repeats the id of an earlier activity in this batch`);
    seen.add(id);
    return { id, activity };
  });
}

/**
 * A GET answer with a weak ETag of its JSON: a device polling for changes made on
 * another one (If-None-Match) gets a bodiless 304 while nothing changed.
 */
function conditional(request: Request, body: unknown): Response {
  const text = JSON.stringify(body);
  const etag = `W/"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  const given = request.headers.get('if-none-match');
  if (given !== null && given.split(',').some((tag) => tag.trim() === etag)) return new Response(null, { status: 304, headers: { etag, 'cache-control': 'no-cache' } });
  return new Response(text, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', etag } });
}

function requireObjectBody(body: unknown, known?: readonly string[]): Record<string, unknown> {
  if (!isPlainObject(body)) throw new ValidationError('body', `must be a JSON object, got ${describe(body)}`);
  if (known) for (const key of Object.keys(body)) if (!known.includes(key)) throw new ValidationError(key, `is not a field of this request; known: ${known.join(', ') || 'none'}`);
  return body;
}

function rejectUnknownParams(url: URL, allowed: readonly string[]): void {
  for (const name of url.searchParams.keys()) {
    if (!allowed.includes(name)) throw new ValidationError(name, `is not a query parameter of ${url.pathname}; known: ${allowed.join(', ')}`);
  }
}

function wholeNumber(value: string, field: string, min: number, max: number): number {
  // Number("") is 0 and Number("1e1") is 10: only plain digits count here.
  if (!/^\d{1,15}$/.test(value)) throw new ValidationError(field, `must be a whole number, got ${describe(value)}`);
  return requireInteger(Number(value), field, min, max);
}

function flag(value: string | null, field: string): boolean {
  if (value === null) return false;
  return requireOneOf(value, field, ['true', 'false'] as const) === 'true';
}

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-max-age': '600',
};

/** CORS headers for a request from an allowed origin (credentials allowed, so never a literal '*'). */
function corsHeaders(origins: MissionsServerOptions['corsOrigins']): (request: Request) => Record<string, string> | null {
  if (!origins || (Array.isArray(origins) && origins.length === 0)) return () => null;
  return (request) => {
    const origin = request.headers.get('origin');
    if (origin === null || (origins !== '*' && !origins.includes(origin))) return null;
    return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'retry-after', vary: 'origin' };
  };
}

/** A catalog's rules from a file: YAML source, or the JSON that `daily-missions catalog build` writes. */
export async function catalogFromFile(path: string): Promise<CatalogRules> {
  if (!/\.ya?ml$/i.test(path)) return requireCatalog(JSON.parse(await readFile(path, 'utf8')));
  // The YAML compiler loads only for YAML files.
  const { compileCatalogFile } = await import('../catalog/compile.js');
  return requireCatalog(compileCatalogFile(path));
}

/** The shipped catalog, compiled from catalog/templates.yaml (which the package ships). */
function loadShippedCatalog(): Promise<CatalogRules> {
  return catalogFromFile(fileURLToPath(new URL('../catalog/templates.yaml', import.meta.url)));
}
