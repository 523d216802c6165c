/**
 * The tables of the SQL store, as Kysely types (docs/server.md, "Storage"). Every table
 * of learner data is keyed by user_id first, so a distributed PostgreSQL engine keeps
 * a learner's rows together and no transaction ever spans learners. Engine-shaped state
 * (day stats, mission progress, the profile) is one jsonb document per row: the engine
 * owns those shapes, and the columns beside them are the ones queries filter, order or
 * join on, or that a host reads (the award ledger).
 */
import { sql } from 'kysely';
import type { ColumnType } from 'kysely';

/** The PostgreSQL schema holding every table, so the store can share a host's database. */
export const SCHEMA = 'daily_missions';

/** A table of the store's schema, for raw SQL. */
export const table = (name: keyof Tables) => sql.table(`${SCHEMA}.${name}`);

/** A jsonb column: written as JSON text, read back as the parsed value. */
type Json<T> = ColumnType<T, string, string>;

export interface LearnersTable {
  user_id: string;
  /** The ProfileRow without its key; null until the learner's first profile write (or after deleteUser). */
  profile: Json<Record<string, unknown> | null> | null;
}

export interface DaysTable {
  user_id: string;
  day: string;
  /** Missions were assigned on this day (recentDays reads only those). */
  assigned: boolean;
  data: Json<Record<string, unknown>>;
}

export interface MissionsTable {
  user_id: string;
  day: string;
  template_id: string;
  slot: number;
  data: Json<Record<string, unknown>>;
}

export interface AwardsTable {
  user_id: string;
  day: string;
  template_id: string;
  award_id: string;
  xp: number;
  awarded_at: number;
  delivered_at: number | null;
  leased_until: number | null;
}

export interface ActivitiesTable {
  user_id: string;
  activity_id: string;
  day: string;
  /** When the call that stored it ran. */
  recorded_at: number;
  activity: Json<Record<string, unknown>>;
}

export interface SchemaVersionTable {
  id: string;
  version: number;
}

export interface Tables {
  learners: LearnersTable;
  days: DaysTable;
  missions: MissionsTable;
  awards: AwardsTable;
  activities: ActivitiesTable;
  schema_version: SchemaVersionTable;
}
