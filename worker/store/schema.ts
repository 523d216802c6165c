/** The typed IndexedDB schema (idb's DBSchema) of the current version. */
import type { DBSchema } from 'idb';
import type { ActivityRow, AwardRow, DayRow, MissionRow, ProfileRow } from './rows.js';

export type MissionKey = [userId: string, day: string, templateId: string];
export type UserDayKey = [userId: string, day: string];

export interface MissionsDB extends DBSchema {
  missions: { key: MissionKey; value: MissionRow; indexes: { byUserDay: UserDayKey } };
  activity: { key: number; value: ActivityRow; indexes: { byUserDay: UserDayKey } };
  days: { key: UserDayKey; value: DayRow };
  profiles: { key: string; value: ProfileRow };
  awards: { key: MissionKey; value: AwardRow; indexes: { byUser: string } };
}
