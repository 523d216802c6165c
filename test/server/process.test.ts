/**
 * The real `daily-missions serve` process over HTTP: bearer JWT authentication, the
 * isolation of learners by every route, malformed and oversized requests, the
 * loopback-only dev mode and a clean stop.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { RunningServer } from './support.js';
import { call, lesson, SECRET, serveFails, SERVICE_KEY, startServer, token } from './support.js';

describe('daily-missions serve with HS256 tokens', () => {
  let server: RunningServer;
  let alice: string;
  let bob: string;
  before(async () => {
    server = await startServer(['--memory', '--max-body', '65536'], { DAILY_MISSIONS_JWT_SECRET: SECRET, DAILY_MISSIONS_SERVICE_KEY: SERVICE_KEY });
    [alice, bob] = await Promise.all([token('alice'), token('bob')]);
  });
  after(() => server.stop());

  it('takes the learner from the token’s sub', async () => {
    const today = await call(server.url, 'GET', '/v1/today', { bearer: alice });
    assert.equal(today.status, 200);
    assert.equal(today.body.userId, 'alice');
  });

  it('refuses missing, expired, forged, unsigned and malformed tokens with 401', async () => {
    const expired = await token('alice', { issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    const forged = await token('alice', { secret: 'another-secret-of-at-least-thirty-two-bytes' });
    const [header, payload] = alice.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: 'bob', exp: 9999999999 })).toString('base64url')}.${alice.split('.')[2]}`;
    const cases: [string, Record<string, string>, string][] = [
      ['none', {}, 'unauthenticated'],
      ['expired', { authorization: `Bearer ${expired}` }, 'token-expired'],
      ['forged', { authorization: `Bearer ${forged}` }, 'invalid-token'],
      ['alg none', { authorization: `Bearer ${unsigned}` }, 'invalid-token'],
      ['tampered payload', { authorization: `Bearer ${tampered}` }, 'invalid-token'],
      ['not bearer', { authorization: `Basic ${Buffer.from('alice:pw').toString('base64')}` }, 'invalid-token'],
      ['garbage', { authorization: 'Bearer not.a.jwt' }, 'invalid-token'],
      ['dev header', { 'x-learner-id': 'alice' }, 'unauthenticated'],
    ];
    for (const [label, headers, code] of cases) {
      const answer = await call(server.url, 'GET', '/v1/today', { headers });
      assert.equal(answer.status, 401, label);
      assert.equal(answer.body.error.code, code, label);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/, label);
    }
  });

  it('A’s token can neither read nor change B’s data, by any route, query or body', async () => {
    const busy = { activities: ['b1', 'b2', 'b3', 'b4'].map((id) => lesson(id, { seconds: 1800 })) };
    assert.equal((await call(server.url, 'POST', '/v1/activity', { bearer: bob, json: busy })).status, 200);
    assert.equal((await call(server.url, 'PATCH', '/v1/preferences', { bearer: bob, json: { count: 2 } })).status, 200);
    const bobsData = async () => {
      const { body } = await call(server.url, 'GET', '/v1/export', { bearer: bob });
      return { ...body, exportedAt: 0 };
    };
    const bobBefore = await bobsData();
    assert.equal(bobBefore.activity.length, 4);

    // Alice tries every route, naming Bob wherever a request can name anyone.
    const attempts: [string, string, { json?: unknown; headers?: Record<string, string> }][] = [
      ['GET', '/v1/today?userId=bob', {}],
      ['GET', '/v1/today', { headers: { 'x-learner-id': 'bob', 'x-user-id': 'bob' } }],
      ['POST', '/v1/activity', { json: { userId: 'bob', activities: [lesson('a1')] } }],
      ['POST', '/v1/activity', { json: { activities: [{ ...lesson('a2'), userId: 'bob' }] } }],
      ['POST', '/v1/stats?userId=bob', { json: { stats: { lessons_completed_today: 9 } } }],
      ['POST', '/v1/reroll', { json: { userId: 'bob' } }],
      ['POST', '/v1/celebrations/claim', { json: { userId: 'bob' } }],
      ['PATCH', '/v1/preferences', { json: { userId: 'bob', count: 1 } }],
      ['GET', '/v1/history?user=bob', {}],
      ['POST', '/v1/import?replace=true', { json: { ...bobBefore, exportedAt: 1 } }],
      ['GET', '/v1/export', {}],
      ['DELETE', '/v1/me', { json: { userId: 'bob' } }],
      ['GET', '/v1/awards?learner=bob', {}],
      ['POST', '/v1/awards/acknowledge', { json: { learner: 'bob', awardIds: ['award:v1:x:y:bob'] } }],
    ];
    for (const [method, path, init] of attempts) {
      const answer = await call(server.url, method, path, { bearer: alice, ...init });
      if (answer.status === 200) assert.ok(JSON.stringify(answer.body).includes('bob') === false || path === '/v1/import?replace=true', `${method} ${path} showed Bob's data`);
      if (path.startsWith('/v1/awards')) assert.equal(answer.status, 403, `${method} ${path}: a learner's token is not the service key`);
    }
    // The backup of Bob landed in Alice's account, re-keyed; Alice's export holds no row of Bob's.
    assert.deepEqual(await bobsData(), bobBefore, "Bob's data is exactly as before");
  });

  it('refuses malformed JSON, wrong content types and bodies over the limit, and keeps serving', async () => {
    const broken = await call(server.url, 'POST', '/v1/activity', { bearer: alice, body: '{"activities": [}', headers: { 'content-type': 'application/json' } });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error.code, 'invalid-json');
    const form = await call(server.url, 'POST', '/v1/activity', { bearer: alice, body: 'activities=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
    const notUtf8 = await fetch(`${server.url}/v1/activity`, { method: 'POST', body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' } });
    assert.equal(notUtf8.status, 400);
    const huge = JSON.stringify({ activities: [lesson('x'.repeat(2 * 1024 * 1024))] });
    const tooBig = await call(server.url, 'POST', '/v1/activity', { bearer: alice, body: huge, headers: { 'content-type': 'application/json' } });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error.code, 'payload-too-large');
    assert.equal(await chunkedUpload(server.url, alice, 3 * 1024 * 1024), 413, 'a chunked upload without Content-Length is cut off too');
    assert.equal((await call(server.url, 'GET', '/v1/today', { bearer: alice })).status, 200, 'still serving');
  });

  it('serves health and the OpenAPI document without credentials', async () => {
    const health = await call(server.url, 'GET', '/v1/health');
    assert.deepEqual(health.body, { status: 'ok', store: 'memory' });
    assert.equal((await call(server.url, 'GET', '/v1/openapi.json')).body.openapi, '3.1.0');
  });
});

/** Streams `bytes` of JSON without a Content-Length (chunked); resolves with the status. */
function chunkedUpload(base: string, bearer: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/v1/activity`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('daily-missions serve with a JWKS URL', () => {
  it('accepts tokens signed by a key of the set and refuses HS256 tokens and unknown keys', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const jwks = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const server = await startServer(['--memory', '--jwks-url', `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`, '--jwt-audience', 'missions']);
    try {
      const sign = (key: typeof privateKey, audience = 'missions') => new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('carol').setAudience(audience).setExpirationTime('5m').sign(key);
      const good = await call(server.url, 'GET', '/v1/today', { bearer: await sign(privateKey) });
      assert.equal(good.status, 200);
      assert.equal(good.body.userId, 'carol');
      for (const [label, bearer] of [
        ['another key', await sign(other.privateKey)],
        ['another audience', await sign(privateKey, 'elsewhere')],
        ['HS256', await token('carol')],
      ] as const) {
        const answer = await call(server.url, 'GET', '/v1/today', { bearer });
        assert.equal(answer.status, 401, label);
        assert.equal(answer.body.error.code, 'invalid-token', label);
      }
    } finally {
      await server.stop();
      jwks.close();
    }
  });
});

describe('daily-missions serve refuses to start unsafely', () => {
  it('without any authentication, with a short secret, and with the dev header off loopback', async () => {
    const none = await serveFails(['--memory']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no authentication configured/);
    const short = await serveFails(['--memory'], { DAILY_MISSIONS_JWT_SECRET: 'short' });
    assert.equal(short.status, 2);
    assert.match(short.stderr, /at least 32 bytes/);
    const exposed = await serveFails(['--memory', '--insecure-dev-user-header', '--host', '0.0.0.0']);
    assert.equal(exposed.status, 2);
    assert.match(exposed.stderr, /loopback only/);
    const unknown = await serveFails(['--memory', '--insecure-dev-user-header', '--colour']);
    assert.equal(unknown.status, 2);
  });

  it('the dev header mode trusts the header on loopback and says so loudly', async () => {
    const server = await startServer(['--memory', '--insecure-dev-user-header']);
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(server.stderr(), /INSECURE/);
      const today = await call(server.url, 'GET', '/v1/today', { headers: { 'x-learner-id': 'demo' } });
      assert.equal(today.body.userId, 'demo');
    } finally {
      await server.stop();
    }
  });
});
