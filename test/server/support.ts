/**
 * Helpers of the server tests: the real `daily-missions serve` process on a free port,
 * the handler in-process with an injected clock, and signed tokens.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import type { MissionsServerOptions } from '../../server/index.js';
import { catalogFromFile, createMissionsServer, MemoryStore } from '../../server/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SECRET = 'a-test-secret-of-at-least-thirty-two-bytes!';
export const SERVICE_KEY = 'service-key-for-tests';
/** 2026-03-04 10:00 UTC, a Wednesday. */
export const NOON_ISH = Date.UTC(2026, 2, 4, 10, 0, 0);

export interface RunningServer {
  url: string;
  process: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `daily-missions serve --port 0 …` from the sources and waits until it listens. */
export function startServer(args: readonly string[], env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'catalog/cli.ts', 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, DAILY_MISSIONS_JWT_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start within 30 s:\n${err}`)), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`the server exited with ${code} before listening:\n${err}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+:\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url: match[1]!.replace('0.0.0.0', '127.0.0.1'),
        process: child,
        stderr: () => err,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Runs `daily-missions serve …` expecting it to refuse to start; its status and stderr. */
export function serveFails(args: readonly string[], env: Record<string, string> = {}): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'catalog/cli.ts', 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, DAILY_MISSIONS_JWT_SECRET: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill(), 30_000);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr: err });
    });
  });
}

export interface TokenOptions {
  secret?: string;
  expiresIn?: string | number;
  issuedAt?: number;
}

export function token(sub: string, options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt(options.issuedAt).setExpirationTime(options.expiresIn ?? '1h');
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** One HTTP call: JSON in and out; `auth` is a bearer token or a header object. */
export async function call(
  base: string | ((request: Request) => Promise<Response>),
  method: string,
  path: string,
  options: { bearer?: string; headers?: Record<string, string>; json?: unknown; body?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer !== undefined) headers['authorization'] = `Bearer ${options.bearer}`;
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const url = typeof base === 'string' ? `${base}${path}` : `http://server.test${path}`;
  const request = new Request(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const response = typeof base === 'string' ? await fetch(request) : await base(request);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** The handler in-process, on a memory store, with a clock the test moves; learner from `x-test-user`. */
export function inProcess(options: Partial<MissionsServerOptions> = {}) {
  const clock = { now: NOON_ISH };
  const store = options.store ?? new MemoryStore();
  const handler = createMissionsServer({
    store,
    authenticate: (request) => request.headers.get('x-test-user'),
    now: () => clock.now,
    rateLimit: false,
    onError: () => undefined,
    ...options,
  });
  const as = (user: string) => (method: string, path: string, init: { json?: unknown; headers?: Record<string, string>; body?: string } = {}) =>
    call(handler, method, path, { ...init, headers: { 'x-test-user': user, ...init.headers } });
  return { handler, clock, store, as };
}

/** The shipped catalog's rules, as the server loads them by default. */
export function shippedCatalog() {
  return catalogFromFile(`${ROOT}catalog/templates.yaml`);
}

export const lesson = (lessonId: string, extra: Record<string, unknown> = {}) => ({ type: 'lesson-completed', lessonId, correct: 10, total: 10, seconds: 600, ...extra });
