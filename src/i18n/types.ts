/**
 * The widget's own words, per language. Counts go through `plural` (Intl.PluralRules),
 * numbers and times through Intl, so each language only supplies words and the forms
 * its plural rules ask for.
 */
import type { CheckName } from '../../worker/engine/types.js';

/** Forms for Intl.PluralRules categories; `other` is required, the rest as the language needs. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface Locale {
  /** BCP 47 code of the language. */
  code: string;
  dir: 'ltr' | 'rtl';
  /** Card heading. */
  title: string;
  loading: string;
  /** No missions could be assigned today (nothing trackable or everything already met). */
  empty: string;
  /** Shown when every mission of the day is complete. */
  allDone: string;
  /** `{time}`: the time left until the missions renew, already formatted. */
  resetsIn: string;
  /** Accessible name of a progress bar: `{title}`, `{current}`, `{target}`. */
  progressLabel: string;
  /** `{xp}` formatted number. */
  xp: string;
  completed: string;
  difficulty: Record<'easy' | 'medium' | 'hard', string>;
  /** Mission streak line: days. */
  streakDays: PluralForms;
  /** Shown beside the streak while a joker is held. */
  jokerHeld: string;
  /** The streak is alive thanks to a joker that will bridge yesterday. */
  jokerWillBridge: string;
  /** No streak yet or a fresh start: encouraging, never a penalty. */
  streakStart: string;
  reroll: string;
  /** Confirmation question before a reroll. */
  rerollConfirm: string;
  rerollYes: string;
  rerollNo: string;
  /** No reroll left today. */
  rerollUsed: string;
  /** When count or difficulty changes: when it takes effect. */
  changesApply: string;
  /** Storage or worker degraded: short and calm. */
  degraded: string;
  /** Server mode, server unreachable or credentials refused: what is shown is not confirmed yet and will sync. */
  willSync: string;
  /** Toggle that shows why a mission has not moved yet. */
  whyToggle: string;
  /** Per check: what counts and what is missing. `{current}`, `{target}`, `{remaining}`. */
  why: Record<CheckName, PluralForms>;
  /** Announced when a mission completes: `{title}`. */
  missionDone: string;
  /** Announced when every mission is complete: `{xp}`. */
  allDoneAnnouncement: string;
  /** At least six short praise phrases. */
  praise: string[];
}
