/** The typed IndexedDB schema (idb's DBSchema) of the current version. */
import type { DBSchema } from 'idb';
import type { ActivityRow, AwardRow, DayRow, MissionRow, ProfileRow } from './rows.js';

export type MissionKey = [userId: string, day: string, templateId: string];
export type UserDayKey = [userId: string, day: string];
export type ActivityKey = [userId: string, activityId: string];

/**
 * An award row as IndexedDB holds it: `pendingFor` (the user id) is set only while the
 * award is undelivered, so the sparse `byPending` index lists exactly the undelivered
 * awards without reading the ledger. Never leaves indexeddb-store.ts.
 */
export type StoredAward = AwardRow & { pendingFor?: string };

export interface MissionsDB extends DBSchema {
  missions: { key: MissionKey; value: MissionRow; indexes: { byUserDay: UserDayKey } };
  activity: { key: ActivityKey; value: ActivityRow; indexes: { byUserDay: UserDayKey } };
  days: { key: UserDayKey; value: DayRow };
  profiles: { key: string; value: ProfileRow };
  awards: { key: MissionKey; value: StoredAward; indexes: { byUser: string; byPending: string } };
}
