/**
 * Page-side helpers for the fault-injection tests: fixture worker URLs with their own
 * control channel, the control channel itself, and raw IndexedDB access from the page
 * (another tab's view of the missions database).
 */
export const DB_NAME = 'daily-missions';

let channelCounter = 0;

/** A control channel name no other test uses. */
export function uniqueChannel(): string {
  channelCounter += 1;
  return `daily-missions-test-faults-${channelCounter}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * The URL of a fixture worker in ../fixtures/, with its control channel in the query.
 * Each test gets its own URL, hence its own shared worker entry in the host.
 */
/** A fixture worker's URL; `database`: the shared database's name in that worker (fixtures/database-name.ts). */
export function fixtureUrl(name: string, channel: string, database?: string): URL {
  return fixtureWith(name, { channel, ...(database ? { database } : {}) });
}

/** A fixture's URL with these query parameters (`database`, `channel`, or one that only makes the URL distinct). */
export function fixtureWith(name: string, params: Record<string, string>): URL {
  const url = new URL(`../fixtures/${name}.ts`, import.meta.url);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
}

/** A database name for one test file alone, used in place of the shared one through `?database=` (fixtures/database-name.ts). */
export const ownDatabase = (purpose: string): string => `daily-missions-${purpose}-${crypto.randomUUID()}`;

interface WorkerReport {
  from?: string;
  event?: string;
  ack?: string;
  [key: string]: unknown;
}

/** The page's end of a fixture's control channel. */
export class FaultControl {
  readonly name: string;
  readonly log: WorkerReport[] = [];
  private readonly channel: BroadcastChannel;
  private readonly waiters = new Set<() => void>();
  private counter = 0;

  constructor(name: string) {
    this.name = name;
    this.channel = new BroadcastChannel(name);
    this.channel.onmessage = (event: MessageEvent) => {
      const data = event.data as WorkerReport;
      if (data?.from !== 'worker') return;
      this.log.push(data);
      for (const wake of this.waiters) wake();
    };
  }

  /** Reports of one kind (`started`, `quota-hit`, ...) received so far. */
  events(name: string): WorkerReport[] {
    return this.log.filter((m) => m.event === name);
  }

  /** Errors and rejections nothing caught inside the worker. */
  workerErrors(): string[] {
    return this.log.filter((m) => m.event === 'worker-error' || m.event === 'worker-unhandledrejection').map((m) => `${m.event}: ${String(m['message'])}`);
  }

  /** Resolves with the first report matching `predicate` (already received or still to come). */
  waitFor(predicate: (report: WorkerReport) => boolean, timeoutMs = 3000, label = 'a report from the worker'): Promise<WorkerReport> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.log.find(predicate);
        if (!found) return false;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(found);
        return true;
      };
      const wake = () => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`no ${label} on ${this.name} within ${timeoutMs} ms; got ${JSON.stringify(this.log)}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(wake);
    });
  }

  /** Sends a control message and waits until the worker acknowledged it. */
  async send(fault: string, timeoutMs = 3000): Promise<WorkerReport> {
    this.counter += 1;
    const id = `${fault}-${this.counter}`;
    this.channel.postMessage({ fault, id });
    return this.waitFor((m) => m.ack === id, timeoutMs, `ack of ${fault}`);
  }

  close(): void {
    this.channel.close();
  }
}

/** Resolves with `promise` or rejects if it has not settled within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Calls `fn`, returning its rejection (or failing if it resolves) and how long it took. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const start = performance.now();
  try {
    await fn();
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
  throw new Error('expected the call to reject, but it resolved');
}

/** Deletes a database from the page; reports whether it was blocked first and how long it took. */
export function deleteDatabase(name: string, timeoutMs = 5000): Promise<{ blocked: boolean; ms: number }> {
  const start = performance.now();
  let blocked = false;
  const request = indexedDB.deleteDatabase(name);
  request.onblocked = () => {
    blocked = true;
  };
  return within(
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve({ blocked, ms: performance.now() - start });
      request.onerror = () => reject(request.error);
    }),
    timeoutMs,
    `deleting the database "${name}"`,
  );
}

/** Opens a database from the page (another tab's connection). */
export function openDatabase(
  name: string,
  version?: number,
  timeoutMs = 5000,
): Promise<{ db: IDBDatabase; blocked: boolean; upgraded: boolean; ms: number }> {
  const start = performance.now();
  let blocked = false;
  let upgraded = false;
  const request = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
  request.onblocked = () => {
    blocked = true;
  };
  request.onupgradeneeded = () => {
    upgraded = true;
    // Without a version this is a read of what exists: never create an empty database
    // (it would be version 1 without stores, which the worker could not use).
    if (version === undefined) request.transaction?.abort();
    // With a version: nothing to migrate, like a newer build that only bumps the version.
  };
  return within(
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve({ db: request.result, blocked, upgraded, ms: performance.now() - start });
      request.onerror = () => reject(request.error);
    }),
    timeoutMs,
    `opening the database "${name}"${version === undefined ? '' : ` at version ${version}`}`,
  );
}

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export interface StoredRows {
  version: number;
  missions: { templateId: string; day: string; current: number }[];
  activity: { day: string; activity: { type: string; lessonId?: string } }[];
}

/** What the missions database holds for `userId`, read from the page with raw IndexedDB. */
export async function readStoredUser(userId: string, database = DB_NAME): Promise<StoredRows> {
  const { db } = await openDatabase(database);
  try {
    const tx = db.transaction(['missions', 'activity'], 'readonly');
    const range = IDBKeyRange.bound([userId], [userId, []]);
    const [missions, activity] = await Promise.all([
      requestResult(tx.objectStore('missions').getAll(range)),
      requestResult(tx.objectStore('activity').index('byUserDay').getAll(range)),
    ]);
    return { version: db.version, missions, activity } as StoredRows;
  } finally {
    db.close();
  }
}

export { until } from './helpers.js';
