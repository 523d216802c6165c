/**
 * The HTTP API through its fetch handler, in-process: the real daily flows on the
 * memory store with a clock the test moves (the server reads no time from requests).
 * The same routes as a real process are exercised in process.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { awardIdFor } from '../../worker/engine/ids.js';
import { MemoryStore, StorageError } from '../../server/index.js';
import type { Award, Store, Tx } from '../../server/index.js';
import { inProcess, lesson, NOON_ISH, shippedCatalog } from './support.js';

const DAY_MS = 86_400_000;

describe('GET /v1/today', () => {
  it('assigns once per local day, in the zone of the call, and the server clock decides the day', async () => {
    const { as, clock } = inProcess();
    const ana = as('ana');
    const first = await ana('GET', '/v1/today?timeZone=Pacific/Kiritimati');
    assert.equal(first.status, 200);
    // 10:00 UTC is already the next day at UTC+14.
    assert.equal(first.body.day, '2026-03-05');
    assert.equal(first.body.missions.length, 3);
    assert.equal(first.body.userId, 'ana');
    const again = await ana('GET', '/v1/today?timeZone=Pacific/Kiritimati');
    assert.deepEqual(again.body.missions, first.body.missions);
    clock.now += DAY_MS;
    const tomorrow = await ana('GET', '/v1/today?timeZone=Pacific/Kiritimati');
    assert.equal(tomorrow.body.day, '2026-03-06');
  });

  it('answers a poll with 304 while nothing changed, and with the new day once something did', async () => {
    const { as } = inProcess();
    const rae = as('rae');
    const first = await rae('GET', '/v1/today');
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^W\/"[\w-]+"$/);
    const unchanged = await rae('GET', '/v1/today', { headers: { 'if-none-match': etag! } });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.body, undefined);
    await rae('POST', '/v1/activity', { json: { activities: [lesson('l1')] } });
    const changed = await rae('GET', '/v1/today', { headers: { 'if-none-match': etag! } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
  });

  it('takes count and difficulty for the call, and refuses bad values naming the parameter', async () => {
    const { as } = inProcess();
    const one = await as('bo')('GET', '/v1/today?count=1&difficulty=easy');
    assert.equal(one.status, 200);
    assert.equal(one.body.missions.length, 1);
    assert.equal(one.body.mix, 'easy');
    for (const [query, field] of [
      ['count=0', 'count'],
      ['count=1e1', 'count'],
      ['count=4', 'count'],
      ['difficulty=extreme', 'difficulty'],
      ['timeZone=Mars/Olympus', 'timeZone'],
      ['userId=someone-else', 'userId'],
    ] as const) {
      const answer = await as('bo')('GET', `/v1/today?${query}`);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.error.code, 'invalid-input');
      assert.equal(answer.body.error.field, field, query);
    }
  });

  it('answers 401 without a learner, 404 for unknown paths and 405 with Allow for a wrong method', async () => {
    const { handler, as } = inProcess();
    const anonymous = await handler(new Request('http://server.test/v1/today'));
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'unauthenticated');
    assert.equal((await as('x')('GET', '/v2/today')).status, 404);
    const wrong = await as('x')('DELETE', '/v1/today');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
  });
});

/**
 * The worker's API on its memory store. worker/api.ts compiles against the WebWorker
 * lib (its IndexedDB store) and the server's tsconfig has no DOM, so it is loaded
 * by a computed path with the few types this test needs.
 */
async function workerApi(catalog: unknown) {
  type View = { status: unknown } & Record<string, unknown>;
  type Call = { userId: string; now: number; timeZone: string };
  const path = '../../worker/api.js';
  const { createMissionsApi } = (await import(path)) as {
    createMissionsApi(options: { store: null; catalog: unknown }): {
      getDaily(call: Call): Promise<View>;
      record(call: Call & { activities: unknown }): Promise<{ daily: View; completed: unknown[] }>;
    };
  };
  return createMissionsApi({ store: null, catalog });
}

describe('the same answers as the worker', () => {
  it('today and a record give the views the worker API gives, for the same learner, clock and zone', async () => {
    const catalog = await shippedCatalog();
    const { as } = inProcess({ catalog });
    const api = await workerApi(catalog);
    const call = { userId: 'twin', now: NOON_ISH, timeZone: 'America/Denver' };
    const { status: _status, ...workerDay } = await api.getDaily(call);
    assert.deepEqual((await as('twin')('GET', '/v1/today?timeZone=America/Denver')).body, workerDay);
    const activities = ['a', 'b', 'c'].map((id) => lesson(id, { at: NOON_ISH - 1000 }));
    const recorded = await api.record({ ...call, activities });
    const answered = (await as('twin')('POST', '/v1/activity?timeZone=America/Denver', { json: { activities } })).body;
    const { status: _recordStatus, ...workerAfter } = recorded.daily;
    assert.deepEqual(answered.daily, workerAfter);
    assert.deepEqual(
      answered.completed.map(({ awardId: _id, day: _day, ...mission }: { awardId: string; day: string }) => mission),
      recorded.completed,
    );
  });
});

describe('POST /v1/activity', () => {
  it('answers what this request completed, with award ids; a second lesson pays nothing twice', async () => {
    const { as } = inProcess();
    const cy = as('cy');
    const today = await cy('GET', '/v1/today?count=3');
    const answer = await cy('POST', '/v1/activity', { json: { activities: [{ ...lesson('l1'), id: 'act-1' }, lesson('l2'), lesson('l3')] } });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.activities[0].id, 'act-1');
    assert.match(answer.body.activities[1].id, /^[0-9a-f-]{36}$/, 'the server names activities sent without an id');
    assert.ok(answer.body.completed.length > 0);
    for (const mission of answer.body.completed) {
      assert.equal(mission.awardId, awardIdFor('cy', today.body.day, mission.templateId));
      assert.equal(mission.day, today.body.day);
    }
    const more = await cy('POST', '/v1/activity', { json: { activities: [lesson('l4')] } });
    const paidTwice = more.body.completed.filter((m: { templateId: string }) => answer.body.completed.some((n: { templateId: string }) => n.templateId === m.templateId));
    assert.deepEqual(paidTwice, []);
    const history = await cy('GET', '/v1/history');
    const paid = [...answer.body.completed, ...more.body.completed].reduce((sum: number, m: { xp: number }) => sum + m.xp, 0);
    assert.equal(history.body.lifetimeXp, paid);
  });

  it('stores all of a batch or none of it, naming the first bad entry', async () => {
    const { as } = inProcess();
    const di = as('di');
    const bad = await di('POST', '/v1/activity', { json: { activities: [lesson('ok'), { type: 'lesson-completed', lessonId: 'x', correct: 11, total: 10 }] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'activities[1].correct');
    const exported = await di('GET', '/v1/export');
    assert.deepEqual(exported.body.activity, []);
    for (const [json, field] of [
      [{}, 'activities'],
      [{ activities: [] }, 'activities'],
      [{ activities: [lesson('a')], userId: 'someone-else' }, 'userId'],
      [{ activities: [{ ...lesson('a'), id: 'has space' }] }, 'activities[0].id'],
      [{ activities: [{ ...lesson('a'), id: 'same' }, { ...lesson('b'), id: 'same' }] }, 'activities[1].id'],
      [[lesson('a')], 'body'],
    ] as const) {
      const answer = await di('POST', '/v1/activity', { json });
      assert.equal(answer.status, 400, JSON.stringify(json));
      assert.equal(answer.body.error.field, field);
    }
  });

  it('dates an activity by its own time: yesterday’s lesson completes yesterday’s missions', async () => {
    const { as, clock } = inProcess();
    const ed = as('ed');
    const yesterday = await ed('GET', '/v1/today');
    clock.now += DAY_MS;
    const answer = await ed('POST', '/v1/activity', { json: { activities: [lesson('late', { at: NOON_ISH + 60_000 })] } });
    assert.ok(answer.body.completed.length > 0);
    for (const mission of answer.body.completed) assert.equal(mission.day, yesterday.body.day);
    assert.equal(answer.body.daily.day, '2026-03-05');
  });
});

describe('the other learner routes', () => {
  it('reroll, host stats, celebrations claimed once, preferences and history', async () => {
    const { as } = inProcess();
    const fa = as('fa');
    const before = await fa('GET', '/v1/today');
    // An empty POST, even one that says it is JSON, is a reroll without options.
    const rerolled = await fa('POST', '/v1/reroll', { headers: { 'content-type': 'application/json' } });
    assert.equal(rerolled.status, 200);
    assert.equal(rerolled.body.refused, null);
    assert.notDeepEqual(rerolled.body.daily.missions.map((m: { templateId: string }) => m.templateId), before.body.missions.map((m: { templateId: string }) => m.templateId));
    assert.equal((await fa('POST', '/v1/reroll')).body.refused, 'limit-reached');

    const stats = await fa('POST', '/v1/stats', { json: { stats: { lessons_completed_today: 5, minutes_learned_today: 90, lessons_min_2_stars_today: 5, lessons_min_3_stars_today: 5 } } });
    assert.equal(stats.status, 200);
    assert.ok(stats.body.completed.length > 0);
    assert.equal((await fa('POST', '/v1/stats', { json: { stats: { lessons_today: 1 } } })).body.error.field, 'stats.lessons_today');

    const claimed = await fa('POST', '/v1/celebrations/claim');
    assert.deepEqual(claimed.body.claimed.map((m: { templateId: string }) => m.templateId).sort(), stats.body.completed.map((m: { templateId: string }) => m.templateId).sort());
    assert.deepEqual((await fa('POST', '/v1/celebrations/claim', { json: {} })).body.claimed, [], 'a second claim gets nothing');

    const prefs = await fa('PATCH', '/v1/preferences', { json: { count: 2, timeZone: 'Asia/Tokyo' } });
    assert.equal(prefs.status, 200);
    assert.equal(prefs.body.count, 2);
    assert.equal((await fa('GET', '/v1/preferences')).body.timeZone, 'Asia/Tokyo');
    assert.equal((await fa('PATCH', '/v1/preferences', { json: { colour: 'red' } })).body.error.field, 'preferences.colour');

    const history = await fa('GET', '/v1/history?limit=7');
    assert.equal(history.status, 200);
    assert.equal(history.body.days.length, 1);
    assert.equal((await fa('GET', '/v1/history?limit=0')).body.error.field, 'limit');
  });

  it('export, import into another learner (re-keyed to the caller), refusal without replace, delete', async () => {
    const { as } = inProcess();
    const source = as('gus');
    await source('POST', '/v1/activity', { json: { activities: [lesson('l1')] } });
    const backup = (await source('GET', '/v1/export')).body;
    assert.equal(backup.userId, 'gus');
    assert.equal(backup.activity.length, 1);

    const target = as('hal');
    assert.deepEqual((await target('POST', '/v1/import', { json: backup })).body, { imported: true });
    const copy = (await target('GET', '/v1/export')).body;
    assert.equal(copy.userId, 'hal');
    assert.ok([copy.profile, ...copy.days, ...copy.missions, ...copy.awards, ...copy.activity].every((row) => row.userId === 'hal'));
    const refused = await target('POST', '/v1/import', { json: backup });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.field, 'replace');
    assert.equal((await target('POST', '/v1/import?replace=true', { json: backup })).status, 200);
    assert.equal((await target('POST', '/v1/import', { json: { ...backup, format: 'other' } })).body.error.field, 'data.format');

    assert.deepEqual((await target('DELETE', '/v1/me')).body, { deleted: true });
    const empty = (await target('GET', '/v1/export')).body;
    assert.equal(empty.profile, null);
    assert.deepEqual(empty.days, []);
    assert.equal((await source('GET', '/v1/export')).body.activity.length, 1, 'the other learner keeps their data');
  });
});

describe('onAward', () => {
  it('runs inside the award’s transaction with its handle; if it throws, nothing is recorded or paid', async () => {
    const seen: { award: Award; tx: Tx }[] = [];
    let fail = true;
    const { as } = inProcess({
      onAward: async (award, tx) => {
        seen.push({ award, tx });
        // The handle is live: the award row of this very transaction is visible through it.
        const rows = await tx.allAwards(award.userId);
        assert.ok(rows.some((row) => row.templateId === award.templateId));
        if (fail) throw new Error('the host could not credit XP');
      },
    });
    const ivy = as('ivy');
    // A busy morning: enough to complete some of any day's missions.
    const busy = { activities: ['l1', 'l2', 'l3', 'l4'].map((id) => lesson(id, { seconds: 1800 })) };
    const failed = await ivy('POST', '/v1/activity', { json: busy });
    assert.equal(failed.status, 500);
    assert.ok(seen.length > 0);
    const after = (await ivy('GET', '/v1/export')).body;
    assert.deepEqual(after.awards, [], 'rolled back with the host’s failure');
    assert.deepEqual(after.activity, []);

    fail = false;
    seen.length = 0;
    const paid = await ivy('POST', '/v1/activity', { json: busy });
    assert.equal(paid.status, 200);
    assert.ok(paid.body.completed.length > 0);
    assert.deepEqual(
      seen.map((s) => s.award.awardId),
      paid.body.completed.map((m: { awardId: string }) => m.awardId),
    );
    assert.equal(seen[0]!.award.userId, 'ivy');
    assert.equal(seen[0]!.award.awardedAt, NOON_ISH);
  });
});

/** A store whose database is gone until `up` is set again. */
function flakyStore(): Store & { up: boolean } {
  const inner = new MemoryStore();
  return {
    kind: 'memory',
    up: true,
    transact(mode, flow) {
      if (!this.up) return Promise.reject(new StorageError('storage-unavailable', 'connection refused'));
      return inner.transact(mode, flow);
    },
    close: () => inner.close(),
  };
}

describe('storage faults', () => {
  it('a database that cannot be reached is a 503 with Retry-After, never a silent memory fallback; it recovers without a restart', async () => {
    const store = flakyStore();
    const { as, handler } = inProcess({ store });
    const jo = as('jo');
    const first = await jo('POST', '/v1/activity', { json: { activities: [lesson('l1')] } });
    assert.equal(first.status, 200);
    store.up = false;
    for (const [method, path, json] of [
      ['GET', '/v1/today', undefined],
      ['POST', '/v1/activity', { activities: [lesson('l2')] }],
      ['POST', '/v1/reroll', undefined],
      ['GET', '/v1/history', undefined],
    ] as const) {
      const answer = await jo(method, path, json === undefined ? {} : { json });
      assert.equal(answer.status, 503, path);
      assert.equal(answer.body.error.code, 'storage-unavailable');
      assert.equal(answer.headers.get('retry-after'), '5');
    }
    assert.equal((await handler(new Request('http://server.test/v1/health'))).status, 503);
    store.up = true;
    assert.equal((await handler(new Request('http://server.test/v1/health'))).status, 200);
    const back = (await jo('GET', '/v1/export')).body;
    assert.equal(back.activity.length, 1, 'nothing from the outage was kept anywhere');
  });
});

describe('limits', () => {
  it('429 with Retry-After once a learner exceeds the burst; other learners go on', async () => {
    const { as } = inProcess({ rateLimit: { burst: 5, perSecond: 1 } });
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await as('kim')('GET', '/v1/preferences'));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200, 429]);
    assert.equal(answers[5]!.body.error.code, 'rate-limited');
    assert.ok(Number(answers[5]!.headers.get('retry-after')) >= 1);
    assert.equal((await as('lou')('GET', '/v1/preferences')).status, 200);
  });

  it('413 for a body over the limit (declared or streamed), 415 for a body that is not JSON', async () => {
    const { as, handler } = inProcess({ maxBodyBytes: 1024 });
    const big = JSON.stringify({ activities: [lesson('x'.repeat(2000))] });
    const declared = await as('mo')('POST', '/v1/activity', { body: big, headers: { 'content-type': 'application/json' } });
    assert.equal(declared.status, 413);
    assert.equal(declared.body.error.code, 'payload-too-large');
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i += 1) controller.enqueue(new TextEncoder().encode(' '.repeat(400)));
        controller.close();
      },
    });
    const chunked = await handler(new Request('http://server.test/v1/activity', { method: 'POST', body: stream, duplex: 'half', headers: { 'x-test-user': 'mo', 'content-type': 'application/json' } } as RequestInit));
    assert.equal(chunked.status, 413);
    const typed = await as('mo')('POST', '/v1/activity', { body: '{}', headers: { 'content-type': 'text/plain' } });
    assert.equal(typed.status, 415);
    assert.equal(typed.body.error.field, 'content-type');
    const broken = await as('mo')('POST', '/v1/activity', { body: '{"activities": [', headers: { 'content-type': 'application/json' } });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error.code, 'invalid-json');
  });
});

describe('import size', () => {
  it('takes a backup larger than the body limit up to maxImportBytes', async () => {
    const { as } = inProcess({ maxBodyBytes: 2048, maxImportBytes: 1024 * 1024 });
    const source = as('pat');
    const many = Array.from({ length: 40 }, (_, i) => lesson(`lesson-${i}`));
    assert.equal((await source('POST', '/v1/activity', { json: { activities: many.slice(0, 10) } })).status, 200);
    assert.equal((await source('POST', '/v1/activity', { json: { activities: many.slice(10, 20) } })).status, 200);
    const backup = (await source('GET', '/v1/export')).body;
    assert.ok(JSON.stringify(backup).length > 2048, 'the backup is over the ordinary body limit');
    assert.equal((await as('quin')('POST', '/v1/import', { json: backup })).status, 200);
    assert.equal((await as('quin')('POST', '/v1/activity', { json: { activities: many } })).status, 413, 'other routes keep the ordinary limit');
  });
});

describe('CORS', () => {
  it('answers preflights and marks responses only for the allowed origins', async () => {
    const { handler, as } = inProcess({ corsOrigins: ['https://app.example'] });
    const preflight = await handler(new Request('http://server.test/v1/activity', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } }));
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.match(preflight.headers.get('access-control-allow-headers')!, /authorization/);
    const allowed = await as('ned')('GET', '/v1/today', { headers: { origin: 'https://app.example' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
    const other = await as('ned')('GET', '/v1/today', { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});
