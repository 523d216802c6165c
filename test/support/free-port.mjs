/**
 * A TCP port nobody listens on right now, on loopback (the kernel picks it): for the
 * servers, drivers and databases the tests and the benchmark start.
 */
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
