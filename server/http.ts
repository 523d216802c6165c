/**
 * The HTTP edges of the server: JSON answers, the one error shape
 * `{ error: { code, field?, message } }`, and request bodies read with a size limit
 * and a content-type check. Fetch API only (Request, Response), so the handler runs on
 * any runtime that has them; the Node adapter lives in node.ts.
 */
import { ValidationError } from '../worker/engine/errors.js';
import { StorageError } from '../worker/store/store.js';

/** An answer other than 200, with a stable machine-readable code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: { code: string; field?: string; message: string };
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers } });
}

/** How long a client should wait before retrying when the database is unreachable. */
const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * The answer for a thrown error, and whether it was unexpected (a bug, logged by the
 * caller). A ValidationError names the field exactly as the engine does; a storage
 * failure is a 503 and never a silent fallback (a second store would pay twice).
 */
export function errorResponse(error: unknown): { response: Response; unexpected: boolean } {
  if (error instanceof HttpError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.field !== undefined) body.error.field = error.field;
    return { response: json(body, error.status, error.headers), unexpected: false };
  }
  if (error instanceof ValidationError) {
    return { response: json({ error: { code: error.code, field: error.field, message: error.reason } } satisfies ErrorBody, 400), unexpected: false };
  }
  if (error instanceof StorageError) {
    const message = `the database is unreachable (${error.code}); nothing was changed, retry later`;
    return {
      response: json({ error: { code: 'storage-unavailable', message } } satisfies ErrorBody, 503, { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) }),
      unexpected: false,
    };
  }
  return { response: json({ error: { code: 'internal-error', message: 'the server failed to answer this request' } } satisfies ErrorBody, 500), unexpected: true };
}

/** application/json, or any `+json` type, with or without parameters such as charset. */
const JSON_CONTENT_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * The request's JSON body. 415 unless it says it is JSON; 413 as soon as it is larger
 * than `limit` bytes (from Content-Length when given, else while reading, so a
 * chunked upload is cut off too); 400 for text that is not UTF-8 JSON.
 */
export async function readJson(request: Request, limit: number): Promise<unknown> {
  const type = request.headers.get('content-type');
  if (type === null || !JSON_CONTENT_TYPE.test(type)) {
    throw new HttpError(415, 'unsupported-media-type', `the body must be JSON sent as content-type application/json, got ${type === null ? 'none' : JSON.stringify(type.slice(0, 100))}`, 'content-type');
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  const bytes = await readLimited(request, limit);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'invalid-json', 'the body is not UTF-8 text', 'body');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid-json', `the body is not valid JSON: ${(error as Error).message}`, 'body');
  }
}

/**
 * Whether a request carries a body at all (a POST without one is fine for some routes,
 * even with a content-type header, as fetch sends it for an empty POST).
 */
export function hasBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  if (length !== null) return Number(length) > 0;
  return request.headers.has('transfer-encoding');
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload-too-large', `the body must be at most ${limit} bytes`, 'body');
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // The adapter discards the rest of the upload, so the 413 still reaches the client.
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
