/**
 * /v1/openapi.json says what the server really answers: a day of real calls (and their
 * errors) is validated against the document's response schemas with Ajv (JSON Schema
 * 2020-12, the dialect of OpenAPI 3.1), and every documented operation is served.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Answer } from './support.js';
import { call, inProcess, lesson, SERVICE_KEY } from './support.js';

type Doc = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json': { schema: unknown } } }> }>> };

const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

describe('the OpenAPI document', () => {
  it('describes every real response of a day of calls, errors included', async () => {
    const { as, handler, clock } = inProcess({ serviceKey: SERVICE_KEY, rateLimit: { burst: 3, perSecond: 0.001 } });
    const doc = (await call(handler, 'GET', '/v1/openapi.json')).body as Doc;
    assert.equal(doc.openapi, '3.1.0');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema(doc, 'openapi.json');

    const seen: { method: string; path: string; answer: Answer }[] = [];
    const record = async (user: string | null, method: string, path: string, init: { json?: unknown; headers?: Record<string, string>; body?: string } = {}) => {
      const answer = user === null ? await call(handler, method, path, init) : await as(user)(method, path, init);
      seen.push({ method: method.toLowerCase(), path: path.split('?')[0]!, answer });
      return answer;
    };
    const busy = { activities: ['a', 'b', 'c', 'd'].map((id) => lesson(id, { seconds: 1800 })) };
    // Each learner stays within the burst of 3 except the last, whose fourth call is a 429.
    await record('u1', 'GET', '/v1/today?timeZone=Europe/Berlin');
    await record('u1', 'POST', '/v1/activity', { json: busy });
    await record('u1', 'POST', '/v1/celebrations/claim');
    const etag = (await record('u6', 'GET', '/v1/today')).headers.get('etag')!;
    assert.equal((await record('u6', 'GET', '/v1/today', { headers: { 'if-none-match': etag } })).status, 304);
    await record('u2', 'POST', '/v1/stats', { json: { stats: { lessons_completed_today: 4 } } });
    await record('u2', 'POST', '/v1/reroll');
    await record('u2', 'POST', '/v1/reroll');
    await record('u3', 'GET', '/v1/preferences');
    await record('u3', 'PATCH', '/v1/preferences', { json: { mix: 'auto', tracks: ['lessons'] } });
    await record('u3', 'GET', '/v1/history?limit=3');
    await record('u4', 'GET', '/v1/today?count=2&difficulty=challenging');
    const backup = (await record('u4', 'GET', '/v1/export')).body;
    await record('u4', 'POST', '/v1/import?replace=true', { json: backup });
    clock.now += 1;
    await record('u5', 'DELETE', '/v1/me');
    await record('u5', 'POST', '/v1/activity', { json: { activities: [{ type: 'nap' }] } });
    await record('u5', 'POST', '/v1/activity', { body: 'x', headers: { 'content-type': 'text/plain' } });
    await record('u5', 'GET', '/v1/today');
    await record(null, 'GET', '/v1/today');
    await record(null, 'GET', '/v1/health');
    await record(null, 'GET', '/v1/awards?learner=u1');
    await record(null, 'GET', '/v1/awards?learner=u1', { headers: { authorization: 'Bearer wrong' } });
    await record(null, 'POST', '/v1/awards/acknowledge', { json: { learner: 'u1', awardIds: [] }, headers: { authorization: 'Bearer nope' } });

    const statuses = new Set(seen.map((s) => s.answer.status));
    for (const status of [200, 304, 400, 401, 403, 415, 429]) assert.ok(statuses.has(status), `the calls include a ${status}`);
    for (const { method, path, answer } of seen) {
      const operation = doc.paths[path]?.[method];
      assert.ok(operation, `${method.toUpperCase()} ${path} is documented`);
      const documented = operation.responses[String(answer.status)];
      assert.ok(documented, `${method.toUpperCase()} ${path} documents ${answer.status}`);
      if (!documented.content) {
        assert.equal(answer.body, undefined, `${method.toUpperCase()} ${path} ${answer.status} has no body`);
        continue;
      }
      const pointer = `openapi.json#/paths/${escape(path)}/${method}/responses/${answer.status}/content/application~1json/schema`;
      const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
      assert.ok(validate(answer.body), `${method.toUpperCase()} ${path} ${answer.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(answer.body).slice(0, 400)}`);
    }
  });

  it('lists only operations the server answers, and the server answers none it does not list', async () => {
    const { handler } = inProcess({ serviceKey: SERVICE_KEY });
    const doc = (await call(handler, 'GET', '/v1/openapi.json')).body as Doc;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const method of ['get', 'post', 'patch', 'delete', 'put']) {
        const answer = await call(handler, method.toUpperCase(), path, { headers: { 'x-test-user': 'probe' } });
        if (method in operations) assert.notEqual(answer.status, 405, `${method} ${path}`);
        else assert.equal(answer.status, 405, `${method} ${path} is served but not documented`);
        assert.notEqual(answer.status, 404, `${method} ${path}`);
      }
    }
  });
});
