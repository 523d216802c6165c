/**
 * Starting, sharing, timing out and restarting the missions worker.
 *
 * - One worker per script URL per page, shared by every widget and client, released
 *   when the last one disconnects.
 * - Every call races a timeout and the worker's death: it never hangs. A worker that
 *   timed out or died is terminated and replaced on the next call.
 * - Under Trusted Types the URL goes through a policy named `daily-missions` that
 *   only lets same-origin (or the explicitly configured) worker scripts through.
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
      if (parsed.origin !== location.origin && parsed.href !== url.href) {
        throw new TypeError(`daily-missions: refusing worker script from another origin: ${parsed.href}`);
      }
      return parsed.href;
    },
  });
  return store[POLICY_KEY]!.createScriptURL(url.href) as string;
}

class WorkerInstance {
  readonly remote: RemoteApi;
  private readonly worker: Worker;
  private dead: MissionsError | null = null;
  private readonly deathListeners = new Set<(error: MissionsError) => void>();

  constructor(url: URL) {
    this.worker = new Worker(trustedScriptUrl(url), { type: 'module', name: 'daily-missions' });
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
    for (const listener of this.deathListeners) listener(error);
    this.deathListeners.clear();
  }

  /** Runs `call` against the worker with a timeout; rejects with a MissionsError. */
  async call<T>(label: string, call: (remote: RemoteApi) => Promise<T>, timeoutMs: number): Promise<T> {
    if (this.dead) throw this.dead;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onDeath: ((error: MissionsError) => void) | undefined;
    const failure = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new MissionsError('worker-timeout', `The missions worker did not answer ${label} within ${timeoutMs} ms.`);
        reject(error);
        this.die(error);
      }, timeoutMs);
      onDeath = reject;
      this.deathListeners.add(onDeath);
    });
    try {
      return await Promise.race([call(this.remote), failure]);
    } catch (error) {
      throw toMissionsError(error);
    } finally {
      clearTimeout(timer);
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
      entry = { instance: null, starting: null, users: 0 };
      shared.set(key, entry);
    }
    entry.users += 1;
    this.entry = entry;
  }

  /** The running worker, started (and pinged) if there is none or the last one died. */
  private running(timeoutMs: number): Promise<WorkerInstance> {
    const { entry } = this;
    if (entry.instance?.alive) return Promise.resolve(entry.instance);
    entry.starting ??= this.start(timeoutMs).finally(() => {
      entry.starting = null;
    });
    return entry.starting;
  }

  private async start(timeoutMs: number): Promise<WorkerInstance> {
    let instance: WorkerInstance;
    try {
      instance = new WorkerInstance(this.url);
    } catch (error) {
      // CSP (worker-src), Trusted Types or an opaque origin can refuse the Worker outright.
      throw new MissionsError('worker-unavailable', `The missions worker could not be started: ${(error as Error).message}`, { cause: error });
    }
    // Starting counts against the call's own timeout, so no call waits longer than it says.
    await instance.call('ping', (remote) => remote.ping(), Math.min(START_TIMEOUT_MS, timeoutMs));
    if (this.entry.users === 0) {
      // Every user disconnected while it was starting.
      instance.release();
      throw new MissionsError('worker-unavailable', 'This missions connection was closed.');
    }
    this.entry.instance = instance;
    return instance;
  }

  async call<T>(label: string, call: (remote: RemoteApi) => Promise<T>, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<T> {
    if (this.released) throw new MissionsError('worker-unavailable', 'This missions connection was closed.');
    const instance = await this.running(timeoutMs);
    return instance.call(label, call, timeoutMs);
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
