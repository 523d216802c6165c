/**
 * The celebrations of `<daily-missions>`, a Lit reactive controller
 * (https://lit.dev/docs/composition/controllers/) without lifecycle callbacks of its
 * own (the clock's wake-ups flush its queue): completions are claimed from the worker
 * first (so that one widget, in one tab, celebrates each mission once), queued while
 * the page is hidden, and played when it is visible: a line for screen readers, a chime
 * or fanfare, confetti when the day is done. The code for all that loads in idle time
 * after the first render (warmUp), not with the page and not at the first completion.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Mission } from '../../worker/engine/types.js';
import type { Intensity } from '../celebration.js';
import type { CallSettings, DailyMissions } from '../client.js';
import { fill, formatNumber } from '../i18n/format.js';
import type { Locale } from '../i18n/types.js';
import { whenIdle } from '../idle.js';
import type { ConnectionController } from './connection-controller.js';
import { usableIntensity } from './settings.js';

/** The day's end: the day and its total XP. */
export type DayDone = { day: string; xp: number };

/** What the celebrations read from the element. */
export interface CelebrationHost extends ReactiveControllerHost, HTMLElement {
  userId: string;
  celebration: Intensity;
  noSound: boolean;
  noConfetti: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface CelebrationOptions {
  settings(): CallSettings;
  /** The list on screen. */
  daily(): DailyMissions | null;
  /** The widget's words, loading them if the first celebration comes before the first render. */
  locale(): Locale | Promise<Locale>;
  onFailure(error: unknown): void;
}

export interface CelebrationController {
  /** What the live region says about the last celebration. */
  readonly announcement: string;
  /**
   * Celebrates completions this widget recorded: its record() or pushStats() claimed them
   * in the same transaction (`celebrate: true`), so no other widget has them. `all` is
   * the day's end when the call finished the day.
   */
  celebrateOwn(missions: Mission[], all: DayDone | null): Promise<void>;
  /**
   * Completions recorded where no widget celebrated them (a lesson page, a tab closed
   * too soon): claimed, and the ones this widget got celebrated now that it is on screen.
   */
  claimUncelebrated(): Promise<void>;
  /** Plays queued celebrations, but only while the page is visible. */
  flush(): Promise<void>;
  /**
   * Once missions are on screen (the element calls it after each update), the
   * celebration and confetti code are fetched and compiled in idle time, so the first
   * completion does not do it in one long task with the announcement and the sound
   * (docs/architecture.md §8).
   */
  warmUp(): void;
}

export function celebrationController(host: CelebrationHost, connection: ConnectionController, options: CelebrationOptions): CelebrationController {
  let announcement = '';
  const pending: { missions: Mission[]; all: DayDone | null }[] = [];

  let warm = false;

  const celebrate = async (missions: Mission[], all: DayDone | null): Promise<void> => {
    try {
      await play(missions, all);
    } catch {
      // Sound or confetti failing (a blocked AudioContext, no canvas) is no storage or worker
      // fault: the missions are saved, so nothing is reported and the status stays as it is.
    }
  };

  const play = async (missions: Mission[], all: DayDone | null): Promise<void> => {
    // Sounds, praise and confetti load in idle time after the first render (or here).
    const [locale, { celebrate: show }] = await Promise.all([options.locale(), import('../celebration.js')]);
    await show(
      {
        locale,
        done: missions.map((m) => fill(locale.missionDone, { title: m.title })),
        allDone: all && fill(locale.allDoneAnnouncement, { xp: formatNumber(locale, all.xp) }),
        intensity: usableIntensity(host.celebration),
        sound: !host.noSound,
        confetti: !host.noConfetti,
        root: host.renderRoot as ShadowRoot,
      },
      (text) => {
        announcement = text;
        host.requestUpdate();
        return host.updateComplete;
      },
    );
  };

  /** Plays now, or once the page is visible; `all` may be known only from the day on screen. */
  const queue = async (missions: Mission[], all: DayDone | null): Promise<void> => {
    if (missions.length === 0) return;
    const shown = options.daily();
    const dayAll = all ?? (shown?.allComplete && shown.missions.every((m) => m.celebrated || missions.some((c) => c.templateId === m.templateId)) ? { day: shown.day, xp: shown.xpToday } : null);
    pending.push({ missions, all: dayAll });
    await celebrations.flush();
  };

  const celebrations: CelebrationController = {
    get announcement() {
      return announcement;
    },
    celebrateOwn: (missions, all) => queue(missions, all),
    async claimUncelebrated() {
      if (document.visibilityState === 'hidden') return;
      const { client } = connection;
      if (!client || !host.userId || !options.daily()?.missions.some((m) => m.completed && !m.celebrated)) return;
      try {
        await queue(await client.claimCelebrations(host.userId, options.settings()), null);
      } catch (error) {
        options.onFailure(error);
      }
    },
    async flush() {
      if (document.visibilityState === 'hidden' || !host.isConnected) return;
      for (const { missions, all } of pending.splice(0)) await celebrate(missions, all);
    },
    warmUp() {
      if (warm || !options.daily()) return;
      warm = true;
      // A failed load is silent: the first celebration loads it again.
      whenIdle(() => void import('../celebration.js').then((c) => c.warmUpCelebration(host.celebration, !host.noConfetti), () => undefined));
    },
  };
  return celebrations;
}
