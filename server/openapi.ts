/**
 * The OpenAPI 3.1 description served at GET /v1/openapi.json. Its schemas are JSON
 * Schema 2020-12 built from the engine's own lists (categories, checks, activity
 * types), so the document cannot name a value the engine does not know; the server
 * tests validate real responses against it.
 */
import { ACTIVITY_TYPES } from '../worker/engine/activity.js';
import { CATEGORIES, CHECK_NAMES, DIFFICULTIES, FAMILIES, MIXES } from '../worker/engine/types.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../worker/backup.js';
import { DEFAULT_HISTORY_DAYS, MAX_HISTORY_DAYS } from '../worker/constants.js';
import { MAX_MISSIONS, MIN_MISSIONS } from '../worker/engine/vocabulary.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const closed = (properties: Record<string, unknown>, optional: readonly string[] = []) => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  additionalProperties: false,
});
const integer = (minimum = 0) => ({ type: 'integer', minimum });
const string = { type: 'string' };
const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const epochMs = { type: 'integer', minimum: 0, description: 'epoch milliseconds' };
const list = (items: unknown) => ({ type: 'array', items });

const missionProperties = {
  templateId: string,
  category: { enum: [...CATEGORIES] },
  difficulty: { enum: [...DIFFICULTIES] },
  check: { enum: [...CHECK_NAMES] },
  icon: string,
  target: integer(1),
  xp: integer(),
  current: integer(),
  completed: { type: 'boolean' },
  completedAt: epochMs,
  slot: integer(),
  celebrated: { type: 'boolean' },
};

const schemas = {
  Error: closed({
    error: closed({ code: string, field: { type: 'string', description: 'the offending field, as a dotted path such as activities[2].correct' }, message: string }, ['field']),
  }),
  Mission: closed(missionProperties, ['completedAt']),
  CompletedMission: closed({ ...missionProperties, day, awardId: { type: 'string', description: 'award:v1:<day>:<templateId>:<learner>, the same in browser and server mode; an idempotency key for crediting XP' } }, ['completedAt']),
  Streak: closed({ days: integer(), jokers: integer(), status: { enum: ['done-today', 'alive', 'needs-joker', 'none'] } }),
  Preferences: closed({
    enabled: { type: 'boolean' },
    count: { type: 'integer', minimum: MIN_MISSIONS, maximum: MAX_MISSIONS },
    mix: { enum: [...MIXES] },
    timeZone: { type: 'string', description: 'IANA zone; empty: the zone of each call' },
    tracks: list({ enum: [...FAMILIES] }),
    rerollsPerDay: integer(),
  }),
  PreferenceChanges: { ...closed({ enabled: { type: 'boolean' }, count: integer(1), mix: { enum: [...MIXES] }, timeZone: string, tracks: list({ enum: [...FAMILIES] }), rerollsPerDay: integer() }), required: [] },
  Day: closed({
    userId: string,
    day,
    enabled: { type: 'boolean' },
    missions: list(ref('Mission')),
    mix: { enum: ['balanced', 'easy', 'challenging', null] },
    rerollsLeft: integer(),
    nextDayAt: epochMs,
    streak: ref('Streak'),
    xpToday: integer(),
    allComplete: { type: 'boolean' },
    preferences: ref('Preferences'),
  }),
  Activity: {
    type: 'object',
    description: 'One entry of the activity vocabulary (docs/architecture.md §3); `at` defaults to the server clock',
    properties: {
      id: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$', description: 'makes a resend harmless; the server makes one when absent' },
      type: { enum: [...ACTIVITY_TYPES] },
      at: epochMs,
    },
    required: ['type'],
  },
  RecordResult: closed({
    activities: list(closed({ id: string })),
    completed: list(ref('CompletedMission')),
    allCompleted: { oneOf: [{ type: 'null' }, closed({ day, xp: integer() })] },
    daily: ref('Day'),
  }),
  StatsResult: closed({
    completed: list(ref('CompletedMission')),
    allCompleted: { oneOf: [{ type: 'null' }, closed({ day, xp: integer() })] },
    daily: ref('Day'),
  }),
  RerollResult: closed({ refused: { enum: ['disabled', 'limit-reached', 'nothing-to-reroll', null] }, daily: ref('Day') }),
  History: closed({
    days: list(closed({ day, assigned: integer(), completed: integer(), xp: integer(), templateIds: list(string) })),
    streak: ref('Streak'),
    lifetimeXp: integer(),
  }),
  Export: {
    type: 'object',
    properties: {
      format: { const: EXPORT_FORMAT },
      version: { const: EXPORT_VERSION },
      exportedAt: epochMs,
      userId: string,
      profile: { type: ['object', 'null'] },
      days: list({ type: 'object' }),
      missions: list({ type: 'object' }),
      awards: list({ type: 'object' }),
      activity: list({ type: 'object' }),
    },
    required: ['format', 'version', 'exportedAt', 'userId', 'profile', 'days', 'missions', 'awards', 'activity'],
  },
  Award: closed({ awardId: string, userId: string, day, templateId: string, xp: integer(), awardedAt: epochMs }),
  Health: closed({ status: { const: 'ok' }, store: string }),
};

const jsonContent = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...jsonContent(ref('Error')) });
const ok = (schema: unknown, description = 'OK') => ({ description, ...jsonContent(schema) });
const learnerErrors = {
  400: error('invalid input; `field` names it'),
  401: error('no valid credentials (missing, forged or expired token)'),
  413: error('body larger than the limit'),
  415: error('body not sent as application/json'),
  429: error('this learner sent too many requests; see Retry-After'),
  503: error('the database is unreachable; nothing was changed'),
};
/** GET answers carry a weak ETag; If-None-Match with it gets a bodiless 304 while nothing changed. */
const notModified = { 304: { description: 'not modified: If-None-Match matched the ETag' } };
const query = (name: string, schema: unknown, description: string) => ({ name, in: 'query', required: false, schema, description });
const contextParams = [
  query('timeZone', string, "the learner's IANA zone when none is stored (default UTC)"),
  query('count', { type: 'integer', minimum: MIN_MISSIONS, maximum: MAX_MISSIONS }, 'missions a day, for this call'),
  query('difficulty', { enum: [...MIXES] }, 'the mix, for this call'),
];
const learner = (summary: string, responses: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  summary,
  security: [{ bearer: [] }],
  parameters: contextParams,
  responses: { ...responses, ...learnerErrors },
  ...extra,
});
const body = (schema: unknown, required = true) => ({ requestBody: { required, ...jsonContent(schema) } });

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'daily-missions server',
    version: '1',
    description: 'Daily missions for one authenticated learner per request. The learner comes from the credentials, never from the body; the server keeps the time.',
  },
  components: {
    schemas,
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "the learner's token (sub = learner id), or the host's own authentication" },
      service: { type: 'http', scheme: 'bearer', description: "the host backend's service key (award ledger only)" },
    },
  },
  paths: {
    '/v1/today': { get: learner("Today's missions, assigned on the day's first call", { 200: ok(ref('Day')), ...notModified }) },
    '/v1/activity': {
      post: learner('Records a batch of activities (all or none) and awards what they complete', { 200: ok(ref('RecordResult')) }, body(closed({ activities: list(ref('Activity')) }))),
    },
    '/v1/stats': {
      post: learner("Host counters for today, evaluated like recorded activity (the larger value wins)", { 200: ok(ref('StatsResult')) }, body(closed({ stats: { type: 'object', propertyNames: { enum: [...CHECK_NAMES] }, additionalProperties: integer() } }))),
    },
    '/v1/reroll': { post: learner("Replaces today's unfinished missions", { 200: ok(ref('RerollResult')) }) },
    '/v1/celebrations/claim': {
      post: learner("Marks today's completed, uncelebrated missions celebrated; each is claimed once", { 200: ok(closed({ claimed: list(ref('Mission')) })) }, body(closed({ templateIds: list(string) }, ['templateIds']), false)),
    },
    '/v1/preferences': {
      get: learner('Stored preferences', { 200: ok(ref('Preferences')), ...notModified }),
      patch: learner('Changes preferences (count and difficulty apply from the next assignment or a reroll)', { 200: ok(ref('Preferences')) }, body(ref('PreferenceChanges'))),
    },
    '/v1/history': {
      get: {
        ...learner('Days with missions among the last `limit` days, newest first', { 200: ok(ref('History')), ...notModified }),
        parameters: [...contextParams, query('limit', { type: 'integer', minimum: 1, maximum: MAX_HISTORY_DAYS }, `calendar days (default ${DEFAULT_HISTORY_DAYS})`)],
      },
    },
    '/v1/export': { get: learner("Everything stored for the learner (a backup)", { 200: ok(ref('Export')), ...notModified }) },
    '/v1/import': {
      post: {
        ...learner('Restores a backup into the authenticated learner (refused over existing data unless replace=true)', { 200: ok(closed({ imported: { const: true } })) }, body(ref('Export'))),
        parameters: [...contextParams, query('replace', { enum: ['true', 'false'] }, 'overwrite existing data')],
      },
    },
    '/v1/me': { delete: learner("Deletes the learner's data (the ledger of paid award ids stays, so nothing is paid twice)", { 200: ok(closed({ deleted: { const: true } })) }) },
    '/v1/awards': {
      get: {
        summary: "The learner's awards not yet acknowledged by the host backend, oldest first",
        security: [{ service: [] }],
        parameters: [{ name: 'learner', in: 'query', required: true, schema: string }],
        responses: { 200: ok(closed({ awards: list(ref('Award')) })), 400: error('invalid input'), 401: error('no service key'), 403: error('wrong service key'), 503: error('database unreachable') },
      },
    },
    '/v1/awards/acknowledge': {
      post: {
        summary: 'Marks awards delivered (credited by the host); acknowledging twice is harmless',
        security: [{ service: [] }],
        ...body(closed({ learner: string, awardIds: list(string) })),
        responses: { 200: ok(closed({ acknowledged: integer() })), 400: error('invalid input'), 401: error('no service key'), 403: error('wrong service key'), 503: error('database unreachable') },
      },
    },
    '/v1/health': { get: { summary: 'The server and its database answer', responses: { 200: ok(ref('Health')), 503: error('database unreachable') } } },
    '/v1/openapi.json': { get: { summary: 'This document', responses: { 200: ok({ type: 'object' }) } } },
  },
} as const;
