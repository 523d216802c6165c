/**
 * Test-runner commands for the server-mode browser tests (test/browser/server-mode.test.ts):
 * a real `daily-missions serve` process on PostgreSQL where one can be had (DATABASE_URL or a
 * throwaway cluster from the installed binaries, as in CI), else on the embedded database
 * (PGlite in a temporary folder; the run says which), reached through a small proxy on a fixed port that the test can slow down, and
 * "devices": pages in their own browser contexts (their own IndexedDB and workers; in
 * WebKit a MiniBrowser of their own, see engines.mjs openWebKitPage), which the test drives.
 *
 *   await executeServerCommand('missions-server', { action: 'start', origin: location.origin })
 *   → { url }   (the proxy's URL: stays the same across stop and start; the server is up
 *                once GET <url>/v1/health answers 200)
 *
 * `start` takes `maxBody` (serve's --max-body, in bytes) for a server that refuses larger
 * bodies with 413, and `devHeader: true` for the demo's sign-in (serve's
 * --insecure-dev-user-header instead of JWTs); a start without them runs the defaults again
 * (restarting a server started with others).
 *
 * The demo's path to its server (DEMO_SERVER_PATH of demo/dev-sign-in.ts) is forwarded on
 * the test runner's own origin to this server, its demo token turned into the learner
 * header as `npm start` does (vite.config.ts), so the demo page runs in server mode here.
 *
 * Actions: start, stop (the process ends; the proxy drops connections as a dead host
 * would), delay { ms } (answers held back after the server has answered), token { sub,
 * seconds } (an HS256 token the server accepts, valid for `seconds`), reset (stop, and a new
 * empty database), open-device { path } → { id }, device-eval { id, script } → { value },
 * reload-device { id }, close-devices.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { DEMO_SERVER_PATH, devSignIn } from '../../demo/dev-sign-in.ts';
import { openWebKitPage } from './engines.mjs';
import { createTestDatabase, POSTGRES_UNAVAILABLE } from './postgres.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'server-mode-browser-tests-secret-of-at-least-32-bytes';

export function missionsServerPlugin() {
  let child = null;
  let upstreamPort = 0;
  /** Where the server keeps its data: `{ args, dispose }`, made on the first start after a reset. */
  let storage = null;
  let storageSaid = false;
  let proxy = null;
  let proxyPort = 0;
  let delayMs = 0;
  let origin = '';
  /** Options of the running (or next) server: serve's --max-body (null: its default), and the demo's sign-in. */
  let options = { maxBody: null, devHeader: false };
  const devices = new Map();
  let deviceCount = 0;
  /** The start in progress: a command must answer within 20 s, a start under load may take longer. */
  let starting = null;

  const startProxy = () =>
    new Promise((resolve) => {
      proxy = createServer((req, res) => {
        if (!child || !upstreamPort) {
          // No server: the connection drops, as with a host that is down.
          req.socket.destroy();
          return;
        }
        const upstream = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          const chunks = [];
          answer.on('data', (chunk) => chunks.push(chunk));
          answer.on('end', () => {
            setTimeout(() => {
              if (res.destroyed) return;
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(chunks));
            }, delayMs);
          });
        });
        upstream.on('error', () => req.socket.destroy());
        req.pipe(upstream);
      });
      proxy.listen(0, '127.0.0.1', () => {
        proxyPort = proxy.address().port;
        resolve();
      });
    });

  /** A new empty PostgreSQL database where PostgreSQL is available, else a PGlite folder. */
  const openStorage = async () => {
    if (storage) return storage;
    if (!POSTGRES_UNAVAILABLE) {
      const database = await createTestDatabase();
      storage = { args: ['--database', database.url], dispose: () => database.dispose() };
    } else {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'dm-server-mode-'));
      storage = { args: ['--data', dataDir], dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
    }
    if (!storageSaid) {
      storageSaid = true;
      console.log(POSTGRES_UNAVAILABLE ? `server-mode browser tests: the server runs on PGlite. ${POSTGRES_UNAVAILABLE}` : 'server-mode browser tests: the server runs on PostgreSQL');
    }
    return storage;
  };

  const dropStorage = async () => {
    const dropped = storage;
    storage = null;
    await dropped?.dispose();
  };

  const startServer = async () => {
    const { args: storageArgs } = await openStorage();
    return new Promise((resolve, reject) => {
      const args = ['--import', 'tsx', 'catalog/cli.ts', 'serve', '--port', String(upstreamPort), '--host', '127.0.0.1', ...storageArgs, '--rate-limit', '0'];
      if (origin) args.push('--cors-origin', origin);
      if (options.maxBody !== null) args.push('--max-body', String(options.maxBody));
      const env = { ...process.env, DAILY_MISSIONS_JWT_SECRET: SECRET };
      if (options.devHeader) {
        // serve takes one kind of authentication.
        args.push('--insecure-dev-user-header');
        delete env.DAILY_MISSIONS_JWT_SECRET;
      }
      const started = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`the missions server did not start within 60 s:\n${err}`)), 60_000);
      started.stderr.on('data', (chunk) => (err += chunk));
      started.once('exit', (code) => {
        clearTimeout(timer);
        if (child === started) child = null;
        reject(new Error(`the missions server exited with ${code}:\n${err}`));
      });
      started.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /listening on http:\/\/\S+:(\d+)/.exec(out);
        if (!match) return;
        clearTimeout(timer);
        upstreamPort = Number(match[1]);
        child = started;
        resolve();
      });
    });
  };

  const stopServer = async () => {
    await starting;
    const running = child;
    if (!running) return;
    child = null;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGTERM');
      setTimeout(() => running.kill('SIGKILL'), 10_000).unref();
    });
  };

  /** A page with storage of its own: a new browser context (puppeteer), or a MiniBrowser of its own (WebKit). */
  const openDevicePage = async (session, path) => {
    if (typeof session.browser.getPage !== 'function') return openWebKitPage(new URL(path, origin).href);
    const testPage = session.browser.getPage(session.id);
    const context = await testPage.browser().createBrowserContext();
    const page = await context.newPage();
    await page.goto(new URL(path, testPage.url()).href);
    return { evaluate: (script) => page.evaluate(script), reload: () => page.reload(), close: () => context.close() };
  };

  const pageOf = (id) => {
    const page = devices.get(id)?.page;
    if (!page) throw new Error(`missions-server: no device ${id}`);
    return page;
  };

  /**
   * Forwards a request on the demo's path to the server, as vite.config.ts's demo proxy
   * does; resolves with the status answered (0: no server).
   */
  const forwardDemoRequest = (req, res) =>
    new Promise((resolve) => {
      const headers = { ...req.headers };
      const header = devSignIn(headers.authorization);
      if (header) {
        delete headers.authorization;
        headers[header[0]] = header[1];
      }
      const path = req.url.slice(DEMO_SERVER_PATH.length) || '/';
      const upstream = request({ host: '127.0.0.1', port: proxyPort, method: req.method, path, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        resolve(answer.statusCode ?? 502);
      });
      upstream.on('error', () => {
        // No server (or no proxy yet): the connection drops, as with a host that is down.
        res.destroy();
        resolve(0);
      });
      req.pipe(upstream);
    });

  return {
    name: 'missions-server-command',
    /**
     * Koa middleware for the test runner's config (`middleware`), where it runs before the
     * runner's own file serving: the demo's path goes to the server.
     */
    demoServerMiddleware(context, next) {
      if (context.path !== DEMO_SERVER_PATH && !context.path.startsWith(`${DEMO_SERVER_PATH}/`)) return next();
      context.respond = false;
      // The status, for the runner's log of failed requests (it reads the context's).
      return forwardDemoRequest(context.req, context.res).then((status) => void (context.status = status || 502));
    },
    async executeCommand({ command, payload, session }) {
      if (command !== 'missions-server') return undefined;
      switch (payload?.action) {
        case 'start':
          // Answers at once; the test waits for /v1/health through the proxy.
          if (payload.origin) origin = payload.origin;
          if (!proxy) await startProxy();
          {
            const wanted = { maxBody: payload.maxBody ?? null, devHeader: payload.devHeader === true };
            if (JSON.stringify(wanted) !== JSON.stringify(options)) {
              await stopServer();
              options = wanted;
            }
          }
          if (!child && !starting) {
            starting = startServer()
              .catch((error) => console.error(String(error)))
              .finally(() => (starting = null));
          }
          return { url: `http://127.0.0.1:${proxyPort}` };
        case 'stop':
          await stopServer();
          return true;
        case 'reset':
          await stopServer();
          await dropStorage();
          upstreamPort = 0;
          return true;
        case 'delay':
          delayMs = Number(payload.ms) || 0;
          return true;
        case 'token':
          return new SignJWT({})
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject(String(payload.sub))
            .setIssuedAt()
            .setExpirationTime(Math.floor(Date.now() / 1000) + Number(payload.seconds ?? 3600))
            .sign(new TextEncoder().encode(SECRET));
        case 'open-device': {
          const id = `device-${++deviceCount}`;
          devices.set(id, { page: await openDevicePage(session, payload.path) });
          return { id };
        }
        case 'device-eval':
          // Wrapped: a command answering undefined counts as not handled.
          return { value: await pageOf(payload.id).evaluate(payload.script) };
        case 'reload-device':
          await pageOf(payload.id).reload();
          return true;
        case 'close-devices':
          for (const { page } of devices.values()) await page.close().catch(() => undefined);
          devices.clear();
          return true;
        case 'shutdown':
          await stopServer();
          proxy?.close();
          proxy = null;
          await dropStorage();
          upstreamPort = 0;
          return true;
        default:
          throw new Error(`missions-server: unknown action ${JSON.stringify(payload?.action)}`);
      }
    },
    async serverStop() {
      await stopServer();
      proxy?.close();
      await dropStorage();
    },
  };
}
