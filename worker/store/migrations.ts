/**
 * Schema migrations, one function per version. `upgrade` runs every step between the
 * version on disk and DB_VERSION inside the versionchange transaction, so an upgrade
 * either completes entirely or leaves the old database untouched.
 */
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { INDEX, STORE } from '../constants.js';
import type { MissionsDB } from './schema.js';

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
      await awards.put({
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

/** Runs every migration from `oldVersion` up to the current version, in order. */
export async function upgrade(db: IDBPDatabase<MissionsDB>, oldVersion: number, tx: UpgradeTx): Promise<void> {
  if (oldVersion < 1) migrateToVersion1(db);
  if (oldVersion < 2) await migrateToVersion2(db, tx);
}
