/** The benchmark's zone and clock, shared by every bench page and the scaling check. */
export const ZONE = 'Europe/Berlin';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** The last seeded day is 2025-06-30; seeding runs with the clock at 20:00 Berlin that evening. */
export const LAST_DAY_UTC = Date.UTC(2025, 5, 30);
export const SEED_END = Date.UTC(2025, 5, 30, 18);
/** The benchmark's "today": Tuesday 2025-07-01, 10:00 in Berlin, the day after the history ends. */
export const BENCH_START = Date.UTC(2025, 6, 1, 8);
