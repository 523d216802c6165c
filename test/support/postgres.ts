/**
 * Real PostgreSQL for the server tests. With DATABASE_URL set, tests use that server
 * (each suite in a database of its own, created and dropped here). Without it, a
 * throwaway cluster is started from Debian's binaries (initdb and pg_ctl as the
 * `postgres` user when running as root, since initdb refuses root) in a temp folder on
 * a free port, and stopped by its postmaster's pid. Without either, the PostgreSQL
 * suites do not run and say why (POSTGRES_UNAVAILABLE).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.mjs';

/** Where Debian installs each PostgreSQL version's binaries: /usr/lib/postgresql/<major>/bin. */
const DEBIAN_POSTGRES = '/usr/lib/postgresql';

/** POSTGRES_BIN, else the newest version Debian installed (15 on bookworm). */
export const POSTGRES_BIN =
  process.env['POSTGRES_BIN'] ??
  (existsSync(DEBIAN_POSTGRES)
    ? readdirSync(DEBIAN_POSTGRES)
        .filter((major) => /^\d+$/.test(major) && existsSync(join(DEBIAN_POSTGRES, major, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
        .map((major) => join(DEBIAN_POSTGRES, major, 'bin'))[0]
    : undefined) ??
  join(DEBIAN_POSTGRES, '15', 'bin');

/** Why the PostgreSQL suites did not run, and how to make them run; null when they can. */
export const POSTGRES_UNAVAILABLE: string | null =
  process.env['DATABASE_URL'] || existsSync(join(POSTGRES_BIN, 'initdb'))
    ? null
    : `PostgreSQL was not available (no DATABASE_URL, no ${POSTGRES_BIN}/initdb): install it (apt-get install postgresql) or set DATABASE_URL=postgres://… to run these tests`;

/** True when a throwaway cluster can be started here (the fault tests stop and start it). */
export const CAN_START_CLUSTER = existsSync(join(POSTGRES_BIN, 'initdb'));

const isRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when this process is root. */
function runPostgresBinary(name: string, args: string[]): string {
  const binary = join(POSTGRES_BIN, name);
  const [command, commandArgs] = isRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  return execFileSync(command, commandArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}


export interface Cluster {
  /** postgres://… of the cluster's `postgres` database. */
  url: string;
  port: number;
  /** Fast shutdown (SIGINT to the postmaster's pid); resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts the stopped cluster again on the same port. */
  start(): void;
  /** Stops the cluster and removes its folder. */
  destroy(): Promise<void>;
}

const running = new Set<number>();
process.on('exit', () => {
  // A test that crashed must not leave a postmaster behind.
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // Already gone.
    }
  }
});

/** A new throwaway cluster (about a second): initdb into a temp folder, pg_ctl start on a free port. */
export async function startCluster(): Promise<Cluster> {
  const root = mkdtempSync(join(tmpdir(), 'daily-missions-pg-'));
  chmodSync(root, 0o700);
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const data = join(root, 'data');
  const port = await freePort();
  runPostgresBinary('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  let pid = 0;
  const start = () => {
    runPostgresBinary('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', join(root, 'log'), '-o', options]);
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    running.add(pid);
  };
  const stop = async () => {
    if (!running.has(pid)) return;
    process.kill(pid, 'SIGINT');
    for (;;) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    running.delete(pid);
  };
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface TestDatabase {
  /** postgres://… of a database created for this suite alone. */
  url: string;
  /** The cluster, when this module started it (null on DATABASE_URL). */
  cluster: Cluster | null;
  /** Drops the database (and stops the cluster this module started). */
  dispose(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A fresh, empty database on DATABASE_URL's server or on a throwaway cluster. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (POSTGRES_UNAVAILABLE) throw new Error(POSTGRES_UNAVAILABLE);
  const external = process.env['DATABASE_URL'];
  const cluster = external ? null : await startCluster();
  const serverUrl = external ?? cluster!.url;
  const name = `daily_missions_test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(serverUrl, name),
    cluster,
    async dispose() {
      if (cluster) {
        await cluster.destroy();
        return;
      }
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
