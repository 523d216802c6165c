/**
 * Node's http server in front of a fetch handler: each IncomingMessage becomes a
 * Request (the body streamed, so the handler's size limit cuts a huge upload short)
 * and each Response is written back. Thirty lines of glue rather than a framework:
 * the handler does all routing itself.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface ServeNodeOptions {
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
}

/** Starts an http server for `handler`; resolves once it listens (port 0 picks a free port). */
export function serveNode(handler: (request: Request) => Promise<Response>, options: ServeNodeOptions = {}): Promise<Server> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((incoming, outgoing) => {
    respond(handler, incoming, outgoing).catch((error: unknown) => {
      // Only the transport can fail here (the handler answers its own errors).
      if (!outgoing.headersSent) outgoing.writeHead(500);
      outgoing.end();
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') console.error('daily-missions server: could not answer', error);
    });
  });
  // Keep-alive connections outlive a load balancer's idle timeout (commonly 60 s), so
  // the balancer never reuses a socket this side has just closed.
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

async function respond(handler: (request: Request) => Promise<Response>, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const controller = new AbortController();
  outgoing.once('close', () => controller.abort());
  const method = incoming.method ?? 'GET';
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  const body = method !== 'GET' && method !== 'HEAD' ? bodyStream(incoming) : null;
  if (body) {
    init.body = body.stream;
    init.duplex = 'half';
  }
  // Routing reads only the path and query: the Host header (client-controlled) is not trusted to form the URL.
  const request = new Request(new URL(incoming.url ?? '/', 'http://localhost'), init);
  const response = await handler(request);
  // A body the handler did not read (refused before reading, or cut off at the size
  // limit) is read to its end and dropped: the next request on this keep-alive
  // connection starts after it.
  body?.discard();
  const payload = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    out[name] = value;
  });
  if (payload) out['content-length'] = String(payload.byteLength);
  outgoing.writeHead(response.status, out);
  outgoing.end(payload);
}

/**
 * The request body as a web stream, read only as fast as the handler reads it, and a
 * `discard` that drops whatever the handler left unread.
 */
function bodyStream(incoming: IncomingMessage): { stream: ReadableStream<Uint8Array>; discard: () => void } {
  let open = true;
  const discard = () => {
    open = false;
    incoming.resume();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        incoming.pause();
        incoming.on('data', (chunk: Buffer) => {
          if (!open) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
        });
        incoming.once('end', () => {
          if (open) controller.close();
          open = false;
        });
        incoming.once('error', (error) => {
          if (open) controller.error(error);
          open = false;
        });
      },
      pull() {
        if (open) incoming.resume();
      },
      cancel: discard,
    },
    { highWaterMark: 4 },
  );
  return { stream, discard };
}
