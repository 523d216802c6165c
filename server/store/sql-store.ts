/**
 * The SQL store: the storage contract of worker/store/store.ts over PostgreSQL (or
 * PGlite, the same SQL), so the server runs the worker's daily flows unchanged
 * (docs/server.md, "Storage").
 *
 * Exactly once across instances:
 * - one flow is one database transaction; if the flow throws, nothing it wrote stays;
 * - a read-write transaction locks the learner's row (SELECT ... FOR UPDATE, READ
 *   COMMITTED) before its first statement about that learner, so two instances never
 *   read-modify-write the same day or profile at once: the second waits, then reads
 *   what the first committed;
 * - awards and activities are inserted under unique keys (ON CONFLICT DO NOTHING), so
 *   a second award or a resent activity is refused by the database itself;
 * - serialization failures and deadlocks (40001, 40P01) rerun the whole flow.
 * Read-only transactions take no lock: they run REPEATABLE READ, one snapshot for all
 * their reads, which PostgreSQL never fails for serialization.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DayKey } from '../../worker/engine/day.js';
import type { ActivityRow, AwardRow, DayRow, MissionRow, ProfileRow } from '../../worker/store/rows.js';
import type { Store, Tx, TxMode } from '../../worker/store/store.js';
import { StorageError } from '../../worker/store/store.js';
import { isDatabaseError, isRetryable, toStorageError } from './errors.js';
import { SCHEMA } from './tables.js';
import type { Tables } from './tables.js';

/**
 * The rows with the fields the exactly-once contract adds (activity and award ids,
 * delivery): optional here until the worker's row types carry them.
 */
type ActivityRecord = ActivityRow & { activityId?: string; recordedAt?: number };
type AwardRecord = AwardRow & { awardId?: string; deliveredAt?: number; leasedUntil?: number };

/** The award ledger methods of the exactly-once contract (docs/architecture.md §6). */
export interface LedgerTx {
  undeliveredAwards(userId: string): Promise<AwardRecord[]>;
  markAwardsDelivered(userId: string, awardIds: readonly string[], at: number): Promise<void>;
  leaseAwards(userId: string, awardIds: readonly string[], until: number): Promise<void>;
  /** Stores the activity; false (and nothing written) when (userId, activityId) is already stored. */
  addActivity(row: ActivityRecord): Promise<boolean>;
}

export type SqlTx = Omit<Tx, 'addActivity'> & LedgerTx;

/** The award's stable id (docs/architecture.md §6): the same in the browser and on the server. */
function awardIdFor(userId: string, day: DayKey, templateId: string): string {
  return `award:v1:${day}:${templateId}:${encodeURIComponent(userId)}`;
}

export type SqlStoreKind = 'postgres' | 'pglite';

export interface SqlStoreOptions {
  /** Attempts of a transaction that keeps failing with 40001/40P01 (default 8). */
  maxAttempts?: number;
  /**
   * Measurement only: 'none' drops the per-learner row lock, to show what it prevents
   * (lost updates under concurrent instances). Never use it to serve learners.
   * @internal
   */
  learnerLock?: 'row' | 'none';
}

const DEFAULT_MAX_ATTEMPTS = 8;

/** Backoff before attempt `n` (2, 3, …): a few ms, doubling, with jitter so retries spread out. */
const backoffMs = (attempt: number) => Math.random() * Math.min(200, 5 * 2 ** (attempt - 2));

export class SqlStore implements Store {
  readonly kind: SqlStoreKind;
  readonly db: Kysely<Tables>;
  private readonly maxAttempts: number;
  private readonly learnerLock: boolean;
  private closing: Promise<void> | null = null;

  constructor(db: Kysely<Tables>, kind: SqlStoreKind, options: SqlStoreOptions = {}) {
    this.db = db;
    this.kind = kind;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.learnerLock = options.learnerLock !== 'none';
  }

  /**
   * Runs `flow` in one transaction, again from the start after a serialization failure
   * or a deadlock. Database failures reach the caller as StorageError (never a fallback:
   * a second store would pay awards twice); errors of the flow itself (a
   * ValidationError) pass through unchanged, after the rollback.
   */
  async transact<T>(mode: TxMode, flow: (tx: Tx & SqlTx) => Promise<T>): Promise<T> {
    if (this.closing) throw new StorageError('storage-closed', 'the store is closed');
    for (let attempt = 1; ; attempt += 1) {
      try {
        const builder =
          mode === 'readonly'
            ? this.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only')
            : this.db.transaction().setIsolationLevel('read committed');
        return await builder.execute((trx) => flow(sqlTx(trx, mode === 'readwrite' && this.learnerLock) as Tx & SqlTx));
      } catch (error) {
        if (isRetryable(error) && attempt < this.maxAttempts) {
          await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt + 1)));
          continue;
        }
        throw isDatabaseError(error) ? toStorageError(error) : error;
      }
    }
  }

  /** Releases the pool (or closes PGlite); `closed` settles when that is done. */
  close(): void {
    this.closing ??= this.db.destroy();
  }

  get closed(): Promise<void> {
    this.close();
    return this.closing!;
  }
}

/** The database transaction behind each Tx this store hands out. */
const transactions = new WeakMap<object, Transaction<Tables>>();

/**
 * The Kysely transaction behind a Tx of the SQL store (null for any other store), for a
 * host whose own tables live in the same database: what it writes through it (crediting
 * XP in `onAward`, say) commits or rolls back with the flow, atomically.
 */
export function sqlTransactionOf(tx: object): Transaction<Tables> | null {
  return transactions.get(tx) ?? null;
}

/** `row` without `keys`, as the jsonb document stored beside the key columns. */
function documentOf<T extends object>(row: T, keys: readonly (keyof T)[]): string {
  const data: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const key of keys) delete data[key as string];
  return JSON.stringify(data);
}

function sqlTx(trx: Transaction<Tables>, lockLearners: boolean): SqlTx {
  const q = trx.withSchema(SCHEMA);
  const locks = new Map<string, Promise<void>>();

  /**
   * Locks the learner's row for the rest of the transaction, creating it first if this
   * is the learner's first write. Concurrent calls for the same learner share the one
   * lock request, so a flow may start several reads at once.
   */
  const lock = (userId: string): Promise<void> => {
    if (!lockLearners) return Promise.resolve();
    let held = locks.get(userId);
    if (!held) {
      held = (async () => {
        const select = () => q.selectFrom('learners').select('user_id').where('user_id', '=', userId).forUpdate().executeTakeFirst();
        if (await select()) return;
        // READ COMMITTED: if another transaction is inserting the same row, this insert
        // waits for it to commit and then does nothing; the second select finds the row.
        await q.insertInto('learners').values({ user_id: userId, profile: null }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
        if (!(await select())) throw new StorageError('storage-failed', `the learner row of ${JSON.stringify(userId)} could not be locked`);
      })();
      locks.set(userId, held);
    }
    return held;
  };

  const toDay = (row: { user_id: string; day: string; data: Record<string, unknown> }): DayRow => ({ ...(row.data as object), userId: row.user_id, day: row.day }) as DayRow;
  const toMission = (row: { user_id: string; day: string; template_id: string; slot: number; data: Record<string, unknown> }): MissionRow =>
    ({ ...(row.data as object), userId: row.user_id, day: row.day, templateId: row.template_id, slot: row.slot }) as MissionRow;
  const toAward = (row: Tables['awards']): AwardRecord => {
    const award: AwardRecord = { userId: row.user_id, day: row.day, templateId: row.template_id, awardId: row.award_id, xp: row.xp, awardedAt: row.awarded_at };
    if (row.delivered_at !== null) award.deliveredAt = row.delivered_at;
    if (row.leased_until !== null) award.leasedUntil = row.leased_until;
    return award;
  };
  const toActivity = (row: { user_id: string; activity_id: string; day: string; recorded_at: number; activity: Record<string, unknown> }): ActivityRecord =>
    ({ userId: row.user_id, day: row.day, activityId: row.activity_id, activity: row.activity, recordedAt: row.recorded_at }) as ActivityRecord;

  /** Sets `changes` on those of the learner's awards, by id, that are not delivered yet. */
  const updateUndelivered = async (userId: string, awardIds: readonly string[], changes: { delivered_at?: number; leased_until: number | null }) => {
    await lock(userId);
    if (awardIds.length === 0) return;
    await q.updateTable('awards').set(changes).where('user_id', '=', userId).where('award_id', 'in', [...awardIds]).where('delivered_at', 'is', null).execute();
  };

  const tx: SqlTx = {
    async getProfile(userId) {
      await lock(userId);
      const row = await q.selectFrom('learners').select('profile').where('user_id', '=', userId).executeTakeFirst();
      return row?.profile ? ({ ...row.profile, userId } as ProfileRow) : undefined;
    },
    async putProfile(row) {
      await lock(row.userId);
      const profile = documentOf(row, ['userId']);
      await q
        .insertInto('learners')
        .values({ user_id: row.userId, profile })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ profile }))
        .execute();
    },
    async getDay(userId, day) {
      await lock(userId);
      const row = await q.selectFrom('days').selectAll().where('user_id', '=', userId).where('day', '=', day).executeTakeFirst();
      return row ? toDay(row) : undefined;
    },
    async putDay(row) {
      await lock(row.userId);
      const values = { assigned: row.assignedAt !== undefined, data: documentOf(row, ['userId', 'day']) };
      await q
        .insertInto('days')
        .values({ user_id: row.userId, day: row.day, ...values })
        .onConflict((oc) => oc.columns(['user_id', 'day']).doUpdateSet(values))
        .execute();
    },
    async recentDays(userId, before, limit, since) {
      await lock(userId);
      const rows = await q
        .selectFrom('days')
        .selectAll()
        .where('user_id', '=', userId)
        .where('assigned', '=', true)
        .where('day', '>=', since)
        .where('day', '<', before)
        .orderBy('day', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toDay);
    },
    async allDays(userId) {
      await lock(userId);
      return (await q.selectFrom('days').selectAll().where('user_id', '=', userId).orderBy('day').execute()).map(toDay);
    },
    async getMissions(userId, day) {
      await lock(userId);
      const rows = await q.selectFrom('missions').selectAll().where('user_id', '=', userId).where('day', '=', day).orderBy('slot').execute();
      return rows.map(toMission);
    },
    async allMissions(userId) {
      await lock(userId);
      return (await q.selectFrom('missions').selectAll().where('user_id', '=', userId).orderBy('day').orderBy('slot').execute()).map(toMission);
    },
    async putMission(row) {
      await lock(row.userId);
      const values = { slot: row.slot, data: documentOf(row, ['userId', 'day', 'templateId', 'slot']) };
      await q
        .insertInto('missions')
        .values({ user_id: row.userId, day: row.day, template_id: row.templateId, ...values })
        .onConflict((oc) => oc.columns(['user_id', 'day', 'template_id']).doUpdateSet(values))
        .execute();
    },
    async deleteMission(userId, day, templateId) {
      await lock(userId);
      await q.deleteFrom('missions').where('user_id', '=', userId).where('day', '=', day).where('template_id', '=', templateId).execute();
    },
    async addAward(row: AwardRecord) {
      await lock(row.userId);
      const inserted = await q
        .insertInto('awards')
        .values({
          user_id: row.userId,
          day: row.day,
          template_id: row.templateId,
          award_id: row.awardId ?? awardIdFor(row.userId, row.day, row.templateId),
          xp: row.xp,
          awarded_at: row.awardedAt,
          delivered_at: row.deliveredAt ?? null,
          leased_until: row.leasedUntil ?? null,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('user_id')
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async allAwards(userId) {
      await lock(userId);
      const rows = await q.selectFrom('awards').selectAll().where('user_id', '=', userId).orderBy('day').orderBy('awarded_at').orderBy('template_id').execute();
      return rows.map(toAward);
    },
    async undeliveredAwards(userId) {
      await lock(userId);
      const rows = await q
        .selectFrom('awards')
        .selectAll()
        .where('user_id', '=', userId)
        .where('delivered_at', 'is', null)
        .orderBy('awarded_at')
        .orderBy('award_id')
        .execute();
      return rows.map(toAward);
    },
    markAwardsDelivered: (userId, awardIds, at) => updateUndelivered(userId, awardIds, { delivered_at: at, leased_until: null }),
    leaseAwards: (userId, awardIds, until) => updateUndelivered(userId, awardIds, { leased_until: until }),
    async addActivity(row: ActivityRecord) {
      await lock(row.userId);
      const inserted = await q
        .insertInto('activities')
        .values({
          user_id: row.userId,
          activity_id: row.activityId ?? randomUUID(),
          day: row.day,
          recorded_at: row.recordedAt ?? row.activity.at,
          activity: JSON.stringify(row.activity),
        })
        .onConflict((oc) => oc.columns(['user_id', 'activity_id']).doNothing())
        .returning('user_id')
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async allActivity(userId) {
      await lock(userId);
      return (await q.selectFrom('activities').selectAll().where('user_id', '=', userId).orderBy('day').orderBy('activity_id').execute()).map(toActivity);
    },
    async deleteUser(userId) {
      await lock(userId);
      await q.deleteFrom('activities').where('user_id', '=', userId).execute();
      await q.deleteFrom('missions').where('user_id', '=', userId).execute();
      await q.deleteFrom('days').where('user_id', '=', userId).execute();
      // The learner row stays (it is the lock) without its profile; the awards stay: they
      // are the ledger of what was paid, so nothing is ever paid twice.
      await q.updateTable('learners').set({ profile: null }).where('user_id', '=', userId).execute();
    },
  };
  transactions.set(tx, trx);
  return tx;
}
