/**
 * A token bucket per learner: `burst` requests at once, refilled at `perSecond`. It
 * keeps one learner's flood (a stuck retry loop, a script) from starving the others
 * on the same instance. Per process: behind a load balancer each instance limits on
 * its own, which bounds a learner at instances × the rate (docs/server.md).
 */

export interface RateLimit {
  /** Requests a learner may make at once. */
  burst: number;
  /** Requests per second a learner gets back. */
  perSecond: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 60, perSecond: 10 };

/** Learners remembered before full buckets are forgotten (a full bucket is the same as none). */
const PRUNE_AT = 10_000;

/**
 * Returns a check: 0 when the learner may go on (a token is taken), else the
 * milliseconds until the next token. `clock` is monotonic milliseconds.
 */
export function createRateLimiter(limit: RateLimit, clock: () => number = () => performance.now()): (learner: string) => number {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (bucket: { tokens: number; at: number }, now: number) => {
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
  };
  return (learner) => {
    const now = clock();
    if (buckets.size >= PRUNE_AT) {
      for (const [key, bucket] of buckets) {
        refill(bucket, now);
        if (bucket.tokens >= limit.burst) buckets.delete(key);
      }
    }
    let bucket = buckets.get(learner);
    if (!bucket) {
      bucket = { tokens: limit.burst, at: now };
      buckets.set(learner, bucket);
    }
    refill(bucket, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / limit.perSecond) * 1000);
  };
}
