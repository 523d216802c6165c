/**
 * Today's state per learner and call shape, kept between calls so that a warm
 * getDaily answers without opening a transaction (docs/architecture.md §8: within 2x a
 * bare round trip). An entry holds until the next local midnight. A write for a
 * learner, through this API or announced by another tab's worker (`forgetCachedDays`,
 * wired in main.ts), drops that learner's entries; a read that overlapped such a write
 * is not kept, because the write moved the learner's generation on. A switch to the
 * memory store drops everything.
 */
import type { CallContext, DayState } from '../daily.js';

export class TodayCache {
  private readonly entries = new Map<string, { userId: string; state: DayState; from: number }>();
  private readonly generations = new Map<string, number>();
  private epoch = 0;

  /** Changes whenever the learner's cached days are dropped: compare before and after a read. */
  generationOf(userId: string): string {
    return `${this.epoch}:${this.generations.get(userId) ?? 0}`;
  }

  /** Drops one learner's entries, or everything (null). */
  forget(userId: string | null): void {
    if (userId === null) {
      this.epoch += 1;
      this.entries.clear();
      return;
    }
    this.generations.set(userId, (this.generations.get(userId) ?? 0) + 1);
    for (const [key, entry] of this.entries) if (entry.userId === userId) this.entries.delete(key);
  }

  /** The cached state for this call, if it is still today's. */
  get(ctx: CallContext, catalogId: unknown): DayState | undefined {
    const cached = this.entries.get(keyOf(ctx, catalogId));
    return cached && cached.from <= ctx.now && ctx.now < cached.state.nextDayAt ? cached.state : undefined;
  }

  /** Keeps `state` unless a write for the learner happened since `generation` was read. */
  set(ctx: CallContext, catalogId: unknown, state: DayState, generation: string): void {
    if (generation === this.generationOf(ctx.userId)) this.entries.set(keyOf(ctx, catalogId), { userId: ctx.userId, state, from: ctx.now });
  }
}

const keyOf = (ctx: CallContext, catalogId: unknown) => JSON.stringify([ctx.userId, catalogId ?? null, ctx.timeZone, ctx.overrides]);
