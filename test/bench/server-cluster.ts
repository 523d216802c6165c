/**
 * Starts K server processes on one port (Node's cluster module hands connections out
 * round-robin), as `npm run bench:server` measures them:
 *   server-cluster.ts <workers> <port> missions <serve options…>  the real server (runServe)
 *   server-cluster.ts <workers> <port> constant                   the floor: a constant answer
 *                                                                 through the same Node adapter
 * Prints "ready <port>" once every worker listens; SIGTERM stops them all.
 */
import cluster from 'node:cluster';
import { runServe } from '../../server/serve.js';
import { serveNode } from '../../server/node.js';

const [workers = '1', port = '0', mode = 'missions', ...rest] = process.argv.slice(2);

if (cluster.isPrimary) {
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
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else if (mode === 'constant') {
  const body = JSON.stringify({ status: 'ok' });
  await serveNode(async () => new Response(body, { headers: { 'content-type': 'application/json' } }), { port: Number(port) });
} else {
  // Quiet: the primary prints the one line the bench waits for.
  await runServe(['--port', port, '--host', '127.0.0.1', ...rest], { stdout: () => true, stderr: (text) => process.stderr.write(text) });
}
