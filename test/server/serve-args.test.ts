/** `daily-missions serve` options and environment, parsed without starting anything. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseServeArgs, ServeUsageError } from '../../server/serve.js';
import { SECRET } from './support.js';

const env = { DAILY_MISSIONS_JWT_SECRET: SECRET };

describe('parseServeArgs', () => {
  it('defaults: port 8787 on every interface with HS256, the default limits, no CORS, no service key', () => {
    const config = parseServeArgs([], env);
    assert.notEqual(config, 'help');
    if (config === 'help') return;
    assert.equal(config.port, 8787);
    assert.equal(config.host, '0.0.0.0');
    assert.deepEqual(config.auth, { kind: 'jwt', secret: SECRET });
    assert.deepEqual(config.rateLimit, { perSecond: 10, burst: 60 });
    assert.deepEqual(config.corsOrigins, []);
    assert.equal(config.serviceKey, undefined);
  });

  it('reads the options and the environment', () => {
    const config = parseServeArgs(
      ['--port', '0', '--host', '127.0.0.1', '--cors-origin', 'https://a.example', '--cors-origin', 'https://b.example', '--rate-limit', '0', '--max-body', '1024', '--jwt-issuer', 'auth'],
      { ...env, DAILY_MISSIONS_SERVICE_KEY: 'k', DAILY_MISSIONS_JWT_AUDIENCE: 'missions' },
    );
    assert.deepEqual(config, {
      port: 0,
      host: '127.0.0.1',
      memory: false,
      dataDir: 'daily-missions-data',
      auth: { kind: 'jwt', secret: SECRET },
      corsOrigins: ['https://a.example', 'https://b.example'],
      maxBodyBytes: 1024,
      rateLimit: false,
      issuer: 'auth',
      audience: 'missions',
      serviceKey: 'k',
    });
    assert.equal(parseServeArgs(['--help'], {}), 'help');
  });

  it('the dev header listens on loopback by default and refuses any other interface or JWT settings', () => {
    const config = parseServeArgs(['--insecure-dev-user-header'], {});
    assert.ok(config !== 'help' && config.host === '127.0.0.1' && config.auth.kind === 'dev-header');
    assert.throws(() => parseServeArgs(['--insecure-dev-user-header', '--host', '192.168.1.2'], {}), /loopback only/);
    assert.throws(() => parseServeArgs(['--insecure-dev-user-header'], env), /cannot be combined/);
  });

  it('names what is wrong', () => {
    for (const [argv, environment, message] of [
      [[], {}, /no authentication configured/],
      [[], { DAILY_MISSIONS_JWT_SECRET: 'short' }, /at least 32 bytes/],
      [['--jwks-url', 'file:///keys.json'], {}, /--jwks-url: must be an http\(s\) URL/],
      [['--jwks-url', 'https://id.example/jwks'], env, /either DAILY_MISSIONS_JWT_SECRET or a JWKS URL/],
      [['--port', '65536'], env, /--port: must be a whole number from 0 to 65535/],
      [['--port', '80x'], env, /--port/],
      [['--host', 'example.com'], env, /--host: must be an IP address/],
      [['--colour'], env, /Unknown option '--colour'/],
      [['extra'], env, /Unexpected argument 'extra'/],
    ] as const) {
      assert.throws(() => parseServeArgs(argv, environment), (error: unknown) => error instanceof ServeUsageError && message.test(error.message), JSON.stringify(argv));
    }
  });

  it('a store: --data-dir (embedded PGlite), --database-url or DATABASE_URL (PostgreSQL), one at a time', () => {
    const embedded = parseServeArgs(['--data-dir', './data'], env);
    assert.ok(embedded !== 'help' && embedded.dataDir === './data' && embedded.databaseUrl === undefined);
    const postgres = parseServeArgs([], { ...env, DATABASE_URL: 'postgres://db/missions' });
    assert.ok(postgres !== 'help' && postgres.databaseUrl === 'postgres://db/missions');
    const memory = parseServeArgs(['--memory'], { ...env, DATABASE_URL: 'postgres://db/missions' });
    assert.ok(memory !== 'help' && memory.memory && memory.databaseUrl === undefined, '--memory wins over the environment');
    assert.throws(() => parseServeArgs(['--memory', '--data-dir', './data'], env), ServeUsageError);
    assert.throws(() => parseServeArgs(['--data-dir', './data', '--database-url', 'postgres://db/x'], env), /one store/);
  });

  it('the short names --data and --database, and the embedded database in ./daily-missions-data when no store is given', () => {
    const embedded = parseServeArgs(['--data', './data'], env);
    assert.ok(embedded !== 'help' && embedded.dataDir === './data' && embedded.databaseUrl === undefined);
    const postgres = parseServeArgs(['--database', 'postgres://db/missions'], env);
    assert.ok(postgres !== 'help' && postgres.databaseUrl === 'postgres://db/missions' && postgres.dataDir === undefined);
    const byDefault = parseServeArgs([], env);
    assert.ok(byDefault !== 'help' && byDefault.dataDir === 'daily-missions-data' && byDefault.databaseUrl === undefined && !byDefault.memory);
    assert.throws(() => parseServeArgs(['--data', './a', '--data-dir', './b'], env), /--data or --data-dir/);
    assert.throws(() => parseServeArgs(['--database', 'postgres://db/a', '--database-url', 'postgres://db/b'], env), /--database or --database-url/);
    assert.throws(() => parseServeArgs(['--data', './data', '--database', 'postgres://db/x'], env), /one store/);
  });
});
