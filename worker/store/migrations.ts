/**
 * Schema migrations, one function per version. `upgrade` runs every step between the
 * version on disk and DB_VERSION inside the versionchange transaction, so an upgrade
 * either completes entirely or leaves the old database untouched.
 */
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { INDEX, STORE } from '../constants.js';
import { awardIdFor } from '../engine/ids.js';
import type { ActivityRow } from './rows.js';
import type { MissionsDB, StoredAward } from './schema.js';

type UpgradeTx = IDBPTransaction<MissionsDB, StoreNames<MissionsDB>[], 'versionchange'>;

/** Version 1: missions, the activity log, per-day stats and profiles. */
export function migrateToVersion1(db: IDBPDatabase<MissionsDB>): void {
  const missions = db.createObjectStore(STORE.missions, { keyPath: ['userId', 'day', 'templateId'] });
  missions.createIndex(INDEX.byUserDay, ['userId', 'day']);
  const activity = db.createObjectStore(STORE.activity, { keyPath: 'id', autoIncrement: true });
  activity.createIndex(INDEX.byUserDay, ['userId', 'day']);
  db.createObjectStore(STORE.days, { keyPath: ['userId', 'day'] });
  db.createObjectStore(STORE.profiles, { keyPath: 'userId' });
}

/**
 * Version 2: the awards store. In version 1 an award was only the `xpAwarded` flag on
 * its mission row; now each award is also a row whose key is (user, day, template),
 * so a second award for the same mission fails at the database, whatever the code
 * above it does. Every mission already flagged is copied over, so no award is lost
 * and none can be paid again.
 */
export async function migrateToVersion2(db: IDBPDatabase<MissionsDB>, tx: UpgradeTx): Promise<void> {
  const awards = db.createObjectStore(STORE.awards, { keyPath: ['userId', 'day', 'templateId'] });
  awards.createIndex(INDEX.byUser, 'userId');
  let cursor = await tx.objectStore(STORE.missions).openCursor();
  while (cursor) {
    const mission = cursor.value;
    if (mission.xpAwarded) {
      // The v2 shape; version 3 adds awardId and deliveredAt to every row.
      await awards.put(<StoredAward>{
        userId: mission.userId,
        day: mission.day,
        templateId: mission.templateId,
        xp: mission.xp,
        awardedAt: mission.completedAt ?? mission.assignedAt,
      });
    }
    cursor = await cursor.continue();
  }
}

/** The id an activity stored before version 3 gets: its old auto-increment key, which no new id can take. */
export const legacyActivityId = (key: number): string => `legacy:${key}`;

/**
 * Version 3: exactly-once delivery (docs/architecture.md §6).
 * - Activity is keyed by (userId, activityId) instead of an auto-increment number, so
 *   a retried record() finds its activity already stored. The store is rebuilt; old
 *   rows keep their order under `legacy:<old key>` ids, recorded at their own `at`.
 * - Awards get their `awardId`, and `deliveredAt` plus the sparse `byPending` index
 *   of undelivered awards. Awards paid before this version were announced by the code
 *   that paid them: they count as delivered (at their award time), so upgrading never
 *   announces old XP again.
 */
export async function migrateToVersion3(db: IDBPDatabase<MissionsDB>, tx: UpgradeTx): Promise<void> {
  const oldActivity: ActivityRow[] = [];
  // Read with the v2 shape: rows then had a numeric `id` and no activityId.
  let cursor = await tx.objectStore(STORE.activity).openCursor();
  while (cursor) {
    const { id: _id, ...row } = cursor.value as unknown as { id: number; userId: string; day: string; activity: ActivityRow['activity'] };
    oldActivity.push({ ...row, activityId: legacyActivityId(cursor.key as unknown as number), recordedAt: row.activity.at });
    cursor = await cursor.continue();
  }
  db.deleteObjectStore(STORE.activity);
  const activity = db.createObjectStore(STORE.activity, { keyPath: ['userId', 'activityId'] });
  activity.createIndex(INDEX.byUserDay, ['userId', 'day']);
  for (const row of oldActivity) await activity.put(row);

  const awards = tx.objectStore(STORE.awards);
  awards.createIndex(INDEX.byPending, 'pendingFor');
  let award = await awards.openCursor();
  while (award) {
    const row: StoredAward = award.value;
    await award.update({ ...row, awardId: awardIdFor(row.userId, row.day, row.templateId), deliveredAt: row.deliveredAt ?? row.awardedAt });
    award = await award.continue();
  }
}

/** Runs every migration from `oldVersion` up to the current version, in order. */
export async function upgrade(db: IDBPDatabase<MissionsDB>, oldVersion: number, tx: UpgradeTx): Promise<void> {
  if (oldVersion < 1) migrateToVersion1(db);
  if (oldVersion < 2) await migrateToVersion2(db, tx);
  if (oldVersion < 3) await migrateToVersion3(db, tx);
}
