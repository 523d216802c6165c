/**
 * The clock of `<daily-missions>`, a Lit reactive controller
 * (https://lit.dev/docs/composition/controllers/): the countdown's time, a tick while
 * the page is visible, a timer for local midnight, and the wake-ups (tab shown again,
 * page restored from the back/forward cache, window focused) after which the day may
 * have changed while timers slept.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How often the countdown and the midnight check run while the page is visible. */
const TICK_MS = 15_000;

/** Timers hold at most a signed 32-bit delay; a longer one would fire at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** The element's clock, epoch ms (Date.now unless the demo or a test moves time). */
export interface ClockHost extends ReactiveControllerHost {
  now: () => number;
}

export interface ClockOptions {
  /** The shown day has ended: load the new one. */
  onNewDay(): void;
  /** The page is visible again (after the tick caught up): time to celebrate what waited. */
  onWake(): void;
}

export interface ClockController extends ReactiveController {
  /** The time the countdown counts from: refreshed by every tick and every new list. */
  readonly time: number;
  /** A new list is shown: the countdown starts from now, and a timer waits for its day's end. */
  follow(nextDayAt: number): void;
}

export function clockController(host: ClockHost, options: ClockOptions): ClockController {
  let time = 0;
  /** When the shown list's day ends (never, before the first list). */
  let nextDayAt = Infinity;
  let tickTimer: ReturnType<typeof setInterval> | undefined;
  let midnightTimer: ReturnType<typeof setTimeout> | undefined;

  /** Updates the countdown and rolls over when local midnight has passed. */
  const tick = (): void => {
    time = host.now();
    host.requestUpdate();
    if (time >= nextDayAt) options.onNewDay();
  };

  const startTicking = (): void => {
    if (tickTimer !== undefined || document.visibilityState === 'hidden') return;
    tickTimer = setInterval(tick, TICK_MS);
  };

  const stopTicking = (): void => {
    clearInterval(tickTimer);
    tickTimer = undefined;
  };

  const onWake = (): void => {
    if (document.visibilityState === 'hidden') {
      stopTicking();
      return;
    }
    startTicking();
    tick();
    options.onWake();
  };

  /** Waits for the shown day's end. Timers drift and sleep with the device; the tick and the wake-up checks catch up. */
  const armMidnight = (): void => {
    clearTimeout(midnightTimer);
    if (nextDayAt === Infinity) return;
    midnightTimer = setTimeout(tick, Math.min(Math.max(0, nextDayAt - host.now()) + 250, LONGEST_TIMER_MS));
  };

  const clock: ClockController = {
    get time() {
      return time;
    },
    hostConnected() {
      document.addEventListener('visibilitychange', onWake);
      window.addEventListener('pageshow', onWake);
      window.addEventListener('focus', onWake);
      startTicking();
      armMidnight();
    },
    hostDisconnected() {
      document.removeEventListener('visibilitychange', onWake);
      window.removeEventListener('pageshow', onWake);
      window.removeEventListener('focus', onWake);
      stopTicking();
      // A widget taken off the page must not wake at midnight and start a worker again.
      clearTimeout(midnightTimer);
    },
    follow(dayEnd) {
      nextDayAt = dayEnd;
      time = host.now();
      host.requestUpdate();
      armMidnight();
    },
  };
  host.addController(clock);
  return clock;
}
