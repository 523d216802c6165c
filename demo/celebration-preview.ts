/**
 * Celebration preview: the widget's own chime, fanfare and confetti (src/celebration.ts),
 * played on demand at a chosen intensity, with a plain explanation when the browser
 * would not play them. Loaded on the first preview, as the element loads it on its
 * first celebration, so the page keeps the element's lazy chunks lazy.
 */
import type { Intensity } from '../src/celebration.js';

export type PreviewKind = 'chime' | 'fanfare' | 'confetti' | 'all-done';

type Celebration = typeof import('../src/celebration.js');

function noSound(celebration: Celebration): string {
  return celebration.hasUserGesture()
    ? 'No sound: this browser offers no Web Audio.'
    : 'No sound yet: browsers allow audio only after a click or key press on the page.';
}

async function confetti(celebration: Celebration, stage: HTMLElement, intensity: Intensity): Promise<string> {
  if (intensity === 'subtle') return 'No confetti: subtle celebrations never show any.';
  if (celebration.prefersReducedMotion()) return 'No confetti: the system asks for reduced motion, which the widget honours.';
  const drawn = await celebration.burstConfetti(stage, intensity);
  return drawn ? `Confetti burst (${intensity}).` : 'No confetti could be drawn.';
}

/** Plays one preview and resolves to a sentence saying what happened. */
export async function playPreview(kind: PreviewKind, intensity: Intensity, stage: HTMLElement): Promise<string> {
  const celebration = await import('../src/celebration.js');
  switch (kind) {
    case 'chime':
      return celebration.playChime(intensity) ? `Played the mission chime (${intensity}).` : noSound(celebration);
    case 'fanfare':
      return celebration.playFanfare(intensity) ? `Played the all-done fanfare (${intensity}).` : noSound(celebration);
    case 'confetti':
      return confetti(celebration, stage, intensity);
    case 'all-done': {
      const sound = celebration.playFanfare(intensity) ? `Fanfare (${intensity}).` : noSound(celebration);
      return `${sound} ${await confetti(celebration, stage, intensity)}`;
    }
  }
}
