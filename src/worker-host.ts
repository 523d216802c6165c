/**
 * Starting, sharing, timing out and restarting the missions worker.
 *
 * - One worker per script URL per page, shared by every widget and client, released
 *   when the last one disconnects.
 * - Every call races a timeout and the worker's death: it never hangs. A worker that
 *   timed out or died is terminated and replaced on the next call.
 * - A worker script on another origin (the package loaded from a CDN) is started
 *   through a same-origin blob: module that imports it (see `startableScript`).
 * - Under Trusted Types the URL goes through a policy named `daily-missions` that
 *   only lets same-origin worker scripts, and the blob: URLs made here, through.
 */
import * as Comlink from 'comlink';
import type { MissionsApi } from '../worker/api.js';
import { MissionsError, toMissionsError } from './errors.js';

export type RemoteApi = Comlink.Remote<MissionsApi>;

/** How long a started worker has to answer its first ping. */
export const START_TIMEOUT_MS = 5_000;
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

/** The worker shipped with the package, found relative to this module (bundlers and CDNs alike). */
export function defaultWorkerUrl(): URL {
  return new URL('../worker/main.ts', import.meta.url);
}

interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown };
}

const POLICY_KEY = Symbol.for('daily-missions.trusted-types-policy');
const BLOB_URLS_KEY = Symbol.for('daily-missions.worker-blob-urls');

/**
 * The blob: URLs this package made for its workers and has not revoked yet. Any script
 * on the page can make a blob: URL of its own origin, so the policy lets a blob: URL
 * through only when it is one of these. Global like the policy itself, which a second
 * copy of the package on the page shares.
 */
function ownBlobUrls(): Set<string> {
  const store = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  return (store[BLOB_URLS_KEY] ??= new Set());
}

/** Whether the policy may turn `candidate` into a worker script URL. */
function allowedWorkerScript(candidate: URL): boolean {
  if (candidate.protocol === 'blob:') return ownBlobUrls().has(candidate.href);
  return candidate.origin === location.origin;
}

/** The URL as a TrustedScriptURL where Trusted Types exist, else as a string. */
function trustedScriptUrl(url: URL): string {
  const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!tt) return url.href;
  const store = globalThis as unknown as Record<symbol, { createScriptURL(url: string): unknown } | undefined>;
  // Shared through a global symbol: a second copy of the package on the page must not
  // try to create the policy again (a duplicate policy name throws).
  store[POLICY_KEY] ??= tt.createPolicy('daily-missions', {
    createScriptURL(candidate: string) {
      const parsed = new URL(candidate, location.href);
      if (!allowedWorkerScript(parsed)) {
        throw new TypeError(`daily-missions: refusing worker script ${parsed.href}: not of this origin, nor a blob: URL made by daily-missions`);
      }
      return parsed.href;
    },
  });
  return store[POLICY_KEY]!.createScriptURL(url.href) as string;
}

/** A script `new Worker` can start, and how to give it up once the worker is gone. */
interface StartableScript {
  url: URL;
  dispose(): void;
}

/**
 * `url` itself when it is of the page's origin; else a blob: module of the page's origin
 * whose one statement imports `url`.
 *
 * Why: a worker's own script must be of the page's origin. HTML fetches it in
 * "same-origin" mode, and `new Worker` with a URL of another origin throws a SecurityError:
 * https://html.spec.whatwg.org/multipage/workers.html#dom-worker and
 * https://developer.mozilla.org/en-US/docs/Web/API/Worker/Worker#exceptions.
 * The scripts that script imports only need CORS, which CDNs send. So a page that loads the
 * package from a CDN still gets the real worker instead of the main-thread fallback.
 * Under a Content-Security-Policy this needs `blob:` and the worker's origin in
 * `worker-src` (a module worker's imports are fetched as worker scripts too).
 */
function startableScript(url: URL): StartableScript {
  const page = globalThis.location?.origin;
  const remote = (url.protocol === 'https:' || url.protocol === 'http:') && url.origin !== page;
  // An opaque origin ('null') can start no worker from a network URL: leave that to the fallback.
  if (!remote || !page || page === 'null') return { url, dispose() {} };
  // JSON.stringify makes a valid string literal of any URL.
  const source = `import ${JSON.stringify(url.href)};\n`;
  const blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  ownBlobUrls().add(blobUrl);
  return {
    url: new URL(blobUrl),
    dispose() {
      ownBlobUrls().delete(blobUrl);
      URL.revokeObjectURL(blobUrl);
    },
  };
}

class WorkerInstance {
  readonly remote: RemoteApi;
  private readonly worker: Worker;
  private readonly script: StartableScript;
  private dead: MissionsError | null = null;
  private readonly deathListeners = new Set<(error: MissionsError) => void>();

  constructor(url: URL) {
    this.script = startableScript(url);
    try {
      this.worker = new Worker(trustedScriptUrl(this.script.url), { type: 'module', name: 'daily-missions' });
    } catch (error) {
      this.script.dispose();
      throw error;
    }
    this.worker.addEventListener('error', (event) => {
      event.preventDefault(); // reported through the call that fails, not as an uncaught page error
      this.die(new MissionsError('worker-unavailable', `The missions worker failed to load or crashed (${url.href}).`));
    });
    this.worker.addEventListener('messageerror', () => {
      this.die(new MissionsError('worker-unavailable', 'The missions worker sent a message that could not be read.'));
    });
    this.remote = Comlink.wrap<MissionsApi>(this.worker);
  }

  get alive(): boolean {
    return this.dead === null;
  }

  die(error: MissionsError): void {
    if (this.dead) return;
    this.dead = error;
    this.worker.terminate();
    // Kept until now: the blob: URL is the running worker's own address.
    this.script.dispose();
    for (const listener of this.deathListeners) listener(error);
    this.deathListeners.clear();
  }

  /**
   * Runs `call` against the worker with a timeout; rejects with a MissionsError. The
   * timeout counts from the last sign of progress: `call` gets a `touch` function that
   * restarts it (a long import reporting progress never times out while it advances).
   */
  async call<T>(label: string, call: (remote: RemoteApi, touch: () => void) => Promise<T>, timeoutMs: number): Promise<T> {
    if (this.dead) throw this.dead;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onDeath: ((error: MissionsError) => void) | undefined;
    let arm = () => {};
    const failure = new Promise<never>((_, reject) => {
      arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const error = new MissionsError('worker-timeout', `The missions worker did not answer ${label} within ${timeoutMs} ms.`);
          reject(error);
          this.die(error);
        }, timeoutMs);
      };
      arm();
      onDeath = reject;
      this.deathListeners.add(onDeath);
    });
    try {
      return await Promise.race([call(this.remote, () => arm()), failure]);
    } catch (error) {
      throw toMissionsError(error);
    } finally {
      clearTimeout(timer);
      arm = () => {};
      if (onDeath) this.deathListeners.delete(onDeath);
    }
  }

  /** Stops the worker; calls still waiting reject at once as closed. */
  release(): void {
    this.die(new MissionsError('worker-unavailable', 'This missions connection was closed.'));
    this.remote[Comlink.releaseProxy]();
  }
}

interface Shared {
  instance: WorkerInstance | null;
  starting: Promise<WorkerInstance> | null;
  users: number;
  /** A worker of this URL answered its start-up ping once: it can run here, so a failure is a crash to restart from. */
  started: boolean;
}

const shared = new Map<string, Shared>();

/**
 * A handle on the shared worker for one URL. `call` starts the worker if needed
 * (restarting one that died), then runs the call with a timeout.
 */
export class WorkerHandle {
  private readonly url: URL;
  private readonly entry: Shared;
  private released = false;

  constructor(url: URL) {
    this.url = url;
    const key = url.href;
    let entry = shared.get(key);
    if (!entry) {
      entry = { instance: null, starting: null, users: 0, started: false };
      shared.set(key, entry);
    }
    entry.users += 1;
    this.entry = entry;
  }

  /** The running worker, started (and pinged) if there is none or the last one died. */
  private running(label: string, timeoutMs: number): Promise<WorkerInstance> {
    const { entry } = this;
    if (entry.instance?.alive) return Promise.resolve(entry.instance);
    entry.starting ??= this.start(label, timeoutMs).finally(() => {
      entry.starting = null;
    });
    return entry.starting;
  }

  private async start(label: string, timeoutMs: number): Promise<WorkerInstance> {
    let instance: WorkerInstance;
    try {
      instance = new WorkerInstance(this.url);
    } catch (error) {
      // CSP (worker-src), Trusted Types or an opaque origin can refuse the Worker outright.
      throw new MissionsError('worker-unavailable', `The missions worker could not be started: ${(error as Error).message}`, { cause: error });
    }
    // Starting counts against the call's own timeout, so no call waits longer than it says.
    // Named after the call that needed the worker: a timeout here is that call's timeout.
    await instance.call(`${label} (starting the worker)`, (remote) => remote.ping(), Math.min(START_TIMEOUT_MS, timeoutMs));
    if (this.entry.users === 0) {
      // Every user disconnected while it was starting.
      instance.release();
      throw new MissionsError('worker-unavailable', 'This missions connection was closed.');
    }
    this.entry.instance = instance;
    this.entry.started = true;
    return instance;
  }

  async call<T>(label: string, call: (remote: RemoteApi, touch: () => void) => Promise<T>, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<T> {
    if (this.released) throw new MissionsError('worker-unavailable', 'This missions connection was closed.');
    const instance = await this.running(label, timeoutMs);
    return instance.call(label, call, timeoutMs);
  }

  /** Whether a worker of this URL has ever started on this page (then failures are crashes, not a page that cannot run one). */
  get started(): boolean {
    return this.entry.started;
  }

  /** Gives up this handle; the worker stops when no handle uses it any more. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.entry.users -= 1;
    if (this.entry.users === 0) {
      this.entry.instance?.release();
      this.entry.instance = null;
      shared.delete(this.url.href);
    }
  }
}

/** Workers running on this page (for tests and diagnostics). */
export function runningWorkerCount(): number {
  return [...shared.values()].filter((entry) => entry.instance?.alive).length;
}
