/**
 * Starts K server processes on one port (Node's cluster module hands connections out
 * round-robin), as `npm run bench:server` measures them:
 *   server-cluster.ts <workers> <port> missions <serve options…>  the real server (runServe)
 *   server-cluster.ts <workers> <port> constant                   floor: a constant answer
 *                                                                 through the same Node adapter
 *   server-cluster.ts <workers> <port> insert <serve options…>    floor: one single-row INSERT
 *                                                                 per request through the store
 *                                                                 (and pool) serve would open
 * Prints "ready <port>" once every worker listens. SIGTERM stops them all; the primary
 * exits only after its workers have, so a PGlite folder is closed by then.
 */
import cluster from 'node:cluster';
import { parseServeArgs, runServe } from '../../server/serve.js';
import { serveNode } from '../../server/node.js';
import { openServerStore } from '../../server/store/index.js';
import type { SqlStore } from '../../server/store/index.js';
import { constantAnswer, createFloorTable, serveInsertFloor } from './server-floor.js';

const [workers = '1', port = '0', mode = 'missions', ...rest] = process.argv.slice(2);

/** The SQL store `serve` opens for these serve options: the same parsing, driver and pool defaults. */
async function openStoreAsServe(argv: readonly string[]): Promise<SqlStore> {
  const config = parseServeArgs(argv, process.env);
  if (config === 'help' || config.memory || (config.dataDir === undefined && config.databaseUrl === undefined)) {
    throw new Error('insert: give --data <dir> (PGlite) or --database <url> (PostgreSQL)');
  }
  return openServerStore(config.dataDir !== undefined ? { dataDir: config.dataDir } : { databaseUrl: config.databaseUrl! });
}

if (cluster.isPrimary) {
  if (mode === 'insert') {
    const store = await openStoreAsServe(rest);
    await createFloorTable(store);
    store.close();
    await store.closed;
  }
  let listening = 0;
  for (let i = 0; i < Number(workers); i += 1) cluster.fork();
  cluster.on('listening', (_worker, address) => {
    listening += 1;
    if (listening === Number(workers)) console.log(`ready ${address.port}`);
  });
  cluster.on('exit', (_worker, code) => {
    if (code !== 0 && code !== null) console.error(`a server process exited with ${code}`);
  });
  process.once('SIGTERM', () => {
    const running = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    let left = running.length;
    if (left === 0) process.exit(0);
    for (const worker of running) {
      worker.once('exit', () => {
        left -= 1;
        if (left === 0) process.exit(0);
      });
      worker.kill('SIGTERM');
    }
  });
} else if (mode === 'constant') {
  await serveNode(async () => constantAnswer(), { port: Number(port) });
} else if (mode === 'insert') {
  await serveInsertFloor(await openStoreAsServe(rest), Number(port));
} else {
  // Quiet: the primary prints the one line the bench waits for.
  await runServe(['--port', port, '--host', '127.0.0.1', ...rest], { stdout: () => true, stderr: (text) => process.stderr.write(text) });
}
