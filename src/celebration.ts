/**
 * Celebrations (docs/architecture.md §7): a synthesized chime per completed mission, a bigger
 * sound and a confetti burst when the day is done. Everything here is careful not to
 * bother the host page:
 * - no AudioContext is created before the page has had a user gesture
 *   (navigator.userActivation; browsers would start it suspended anyway, see
 *   https://developer.chrome.com/blog/autoplay);
 * - confetti is drawn on a canvas inside the shadow root with canvas-confetti's
 *   `create` (loaded on first use, no worker, nothing added to the host's DOM) and
 *   removed after the burst; it never runs for prefers-reduced-motion.
 */
import type { Options as ConfettiOptions } from 'canvas-confetti';

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

/**
 * A confetti burst on a canvas appended to `container` (inside the shadow root),
 * removed when the burst ends. Resolves false when nothing was drawn.
 */
export async function burstConfetti(container: HTMLElement | ShadowRoot, intensity: Intensity): Promise<boolean> {
  if (PARTICLES[intensity] === 0 || prefersReducedMotion()) return false;
  const { create } = (await import('canvas-confetti')).default;
  const canvas = document.createElement('canvas');
  canvas.setAttribute('aria-hidden', 'true');
  canvas.className = 'confetti';
  container.appendChild(canvas);
  try {
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
