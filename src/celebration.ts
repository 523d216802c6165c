/**
 * Celebrations (docs/architecture.md §7): a synthesized chime per completed mission, a bigger
 * sound and a confetti burst when the day is done. Everything here is careful not to
 * bother the host page:
 * - no AudioContext is created before the page has had a user gesture
 *   (navigator.userActivation; browsers would start it suspended anyway, see
 *   https://developer.chrome.com/blog/autoplay);
 * - confetti is drawn on a canvas inside the shadow root with canvas-confetti's
 *   `create` (loaded ahead or on first use, no worker, nothing added to the host's DOM) and
 *   removed after the burst; it never runs for prefers-reduced-motion;
 * - no long task (docs/architecture.md §8): the element loads this module and the
 *   confetti code in idle time after its first render (warmUpCelebration), and the
 *   first burst's steps run in separate tasks (append the canvas, let the browser lay
 *   it out, then draw), so the first celebration on a fresh page costs as little
 *   main-thread time at once as any later one.
 */
import type { Options as ConfettiOptions } from 'canvas-confetti';
import type { Locale } from './i18n/types.js';

export type Intensity = 'subtle' | 'normal' | 'enthusiastic';

let audio: AudioContext | null = null;

/** True once the page has had a click, tap or key press (sticky user activation). */
export function hasUserGesture(): boolean {
  const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
  return activation?.hasBeenActive === true;
}

function audioContext(): AudioContext | null {
  if (!hasUserGesture()) return null;
  if (!audio) {
    const Context = globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Context) return null;
    try {
      audio = new Context();
    } catch {
      return null;
    }
  }
  if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  return audio;
}

/** One soft bell-like note: a sine with a fast attack and an exponential decay. */
function note(context: AudioContext, frequency: number, start: number, duration: number, volume: number): void {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = 'sine';
  oscillator.frequency.setValueAtTime(frequency, start);
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(volume, start + 0.015);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(start);
  oscillator.stop(start + duration + 0.05);
}

const VOLUME: Record<Intensity, number> = { subtle: 0.08, normal: 0.15, enthusiastic: 0.22 };

/** A short two-note chime for one completed mission. Returns false when it could not play. */
export function playChime(intensity: Intensity): boolean {
  const context = audioContext();
  if (!context) return false;
  const t = context.currentTime + 0.01;
  note(context, 880, t, 0.35, VOLUME[intensity]);
  note(context, 1318.5, t + 0.09, 0.5, VOLUME[intensity] * 0.8);
  return true;
}

/** A rising four-note arpeggio for the last mission of the day. */
export function playFanfare(intensity: Intensity): boolean {
  const context = audioContext();
  if (!context) return false;
  const t = context.currentTime + 0.01;
  [523.25, 659.25, 783.99, 1046.5].forEach((frequency, i) => note(context, frequency, t + i * 0.11, 0.6, VOLUME[intensity]));
  return true;
}

export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

const PARTICLES: Record<Intensity, number> = { subtle: 0, normal: 90, enthusiastic: 180 };

type Confetti = typeof import('canvas-confetti');
let confettiCode: Promise<Confetti> | null = null;

/** canvas-confetti, fetched and compiled once per page (a failed load is tried again next time). */
function loadConfetti(): Promise<Confetti> {
  confettiCode ??= import('canvas-confetti').then(
    (module) => module.default,
    (error: unknown) => {
      confettiCode = null;
      throw error;
    },
  );
  return confettiCode;
}

/** Whether a burst of this intensity would draw anything on this page. */
export function confettiWanted(intensity: Intensity): boolean {
  return PARTICLES[intensity] > 0 && !prefersReducedMotion();
}

/**
 * What the first celebration needs, loaded ahead: the confetti code when a burst may
 * come. The element calls it in idle time after its first render; a failure here is
 * silent (the burst loads it again when it comes).
 */
export async function warmUpCelebration(intensity: Intensity, confetti: boolean): Promise<void> {
  if (confetti && confettiWanted(intensity)) await loadConfetti().catch(() => undefined);
}

/**
 * Resolves in a new task after the browser has had the chance to render: what runs
 * before and what runs after are never one long task, and layout happens in the
 * frame instead of being forced by a measurement.
 */
export function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden') setTimeout(resolve, 0);
    else requestAnimationFrame(() => setTimeout(resolve, 0));
  });
}

/**
 * A confetti burst on a canvas appended to `container` (inside the shadow root),
 * removed when the burst ends. Resolves false when nothing was drawn.
 */
export async function burstConfetti(container: HTMLElement | ShadowRoot, intensity: Intensity): Promise<boolean> {
  if (!confettiWanted(intensity)) return false;
  const { create } = await loadConfetti();
  const canvas = document.createElement('canvas');
  canvas.setAttribute('aria-hidden', 'true');
  canvas.className = 'confetti';
  container.appendChild(canvas);
  try {
    // The canvas is laid out in the next frame; canvas-confetti then reads its size
    // without forcing a layout in the same task as the first drawing.
    await afterNextFrame();
    const fire = create(canvas, { resize: true, useWorker: false, disableForReducedMotion: true });
    const options: ConfettiOptions = { particleCount: PARTICLES[intensity], spread: 75, startVelocity: 32, origin: { y: 0.7 }, ticks: 160, disableForReducedMotion: true };
    await (fire(options) ?? Promise.resolve());
    fire.reset();
    return true;
  } finally {
    canvas.remove();
  }
}

/**
 * One celebration: what was completed, in the widget's words (the element fills the
 * texts, so this chunk shares no module with the entry), and how it is set to celebrate.
 */
export interface Celebration {
  /** For the praise phrases. */
  locale: Locale;
  /** "Mission complete: {title}." for each completed mission. */
  done: string[];
  /** The day's-end announcement, when these completions finished the day. */
  allDone: string | null;
  intensity: Intensity;
  sound: boolean;
  confetti: boolean;
  /** Where the confetti canvas goes: the widget's shadow root. */
  root: ShadowRoot;
}

/**
 * Celebrates `c` (docs/architecture.md §7): `announce` shows the live-region text (the
 * element renders it in this task and resolves when it has); the sound and the
 * confetti follow in later tasks, so none of them lengthens the task that delivered
 * the completion, where the host's own event handlers run too (§8).
 */
export async function celebrate(c: Celebration, announce: (text: string) => Promise<unknown>): Promise<void> {
  const subtle = c.intensity === 'subtle';
  const messages = [...c.done];
  if (!subtle) messages.push(praise.next(c.locale.code, c.locale.praise));
  if (c.allDone) messages.push(c.allDone);
  const announced = announce(messages.join(' '));
  await afterNextFrame();
  if (c.sound) (c.allDone ? playFanfare : playChime)(c.intensity);
  if (c.allDone && c.confetti && !subtle) {
    await announced;
    await burstConfetti(c.root, c.intensity);
  }
}

/**
 * Praise phrases without repeats: each language draws from a shuffled bag and only
 * refills it when every phrase has been used.
 */
export class PraiseBag {
  private bags = new Map<string, string[]>();
  private last = new Map<string, string>();

  next(language: string, phrases: readonly string[]): string {
    let bag = this.bags.get(language);
    if (!bag || bag.length === 0) {
      bag = shuffle([...phrases]);
      // Never the same phrase twice in a row across a refill.
      if (bag.length > 1 && bag[bag.length - 1] === this.last.get(language)) bag.unshift(bag.pop()!);
      this.bags.set(language, bag);
    }
    const phrase = bag.pop() ?? '';
    this.last.set(language, phrase);
    return phrase;
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The page's one bag of praise: phrases do not repeat across widgets either. */
export const praise = new PraiseBag();
