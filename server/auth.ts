/**
 * Bearer JWT authentication for the CLI and for hosts without sessions of their own:
 * the learner is the token's `sub`. Verification is jose's (signature, algorithm
 * allow-list, exp/nbf with a small clock tolerance, issuer and audience when given):
 * a well-kept library rather than hand-rolled crypto parsing.
 */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { HttpError } from './http.js';

export type BearerJwtOptions = ({ secret: string } | { jwksUrl: string | URL }) & {
  /** Required `iss` claim, when set. */
  issuer?: string;
  /** Required `aud` claim, when set. */
  audience?: string;
};

/** Smallest HS256 secret accepted: 256 bits, as RFC 7518 §3.2 asks of HMAC keys. */
export const MIN_SECRET_BYTES = 32;
const CLOCK_TOLERANCE_SECONDS = 30;

/** An `authenticate` for createMissionsServer: the `sub` of a verified bearer token. */
export function bearerJwt(options: BearerJwtOptions): (request: Request) => Promise<string | null> {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if ('secret' in options) {
    key = new TextEncoder().encode(options.secret);
    if (key.byteLength < MIN_SECRET_BYTES) throw new RangeError(`the JWT secret must be at least ${MIN_SECRET_BYTES} bytes`);
    algorithms = ['HS256'];
  } else {
    key = createRemoteJWKSet(new URL(options.jwksUrl));
    // Asymmetric only: a JWKS never holds the shared secret an HS256 token would need.
    algorithms = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
  }
  const verifyOptions = {
    algorithms,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
  };
  return async (request) => {
    const header = request.headers.get('authorization');
    if (header === null) return null;
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (token === undefined) throw unauthenticated('invalid-token', 'the Authorization header must be "Bearer <token>"');
    try {
      const { payload } = await jwtVerify(token, key as Uint8Array, verifyOptions);
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw unauthenticated('invalid-token', 'the token names no learner (no sub claim)');
      return payload.sub;
    } catch (error) {
      if (error instanceof HttpError) throw error;
      if (error instanceof errors.JWTExpired) throw unauthenticated('token-expired', 'the token has expired; sign in again');
      if (error instanceof errors.JOSEError) throw unauthenticated('invalid-token', `the token is not valid here (${error.code})`);
      throw error;
    }
  };
}

function unauthenticated(code: string, message: string): HttpError {
  return new HttpError(401, code, message, undefined, { 'www-authenticate': `Bearer error="invalid_token"` });
}
