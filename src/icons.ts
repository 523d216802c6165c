/**
 * Mission icons, drawn for this package as simple 24×24 stroke shapes and named
 * after the Lucide icon names the catalog uses. Inline SVG: no network, no URL.
 * Unknown names get a neutral target icon.
 */
import { svg } from 'lit';
import type { SVGTemplateResult } from 'lit';

const PATHS: Record<string, string> = {
  'book-open': 'M3 5c3-1 6-1 9 1v14c-3-2-6-2-9-1zM21 5c-3-1-6-1-9 1v14c3-2 6-2 9-1z',
  star: 'M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z',
  compass: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM15.5 8.5l-2 5-5 2 2-5z',
  repeat: 'M4 11V9a3 3 0 0 1 3-3h12M16 3l3 3-3 3M20 13v2a3 3 0 0 1-3 3H5M8 21l-3-3 3-3',
  'list-checks': 'M3 6l2 2 3-3M3 14l2 2 3-3M11 7h10M11 15h10',
  'alarm-clock': 'M12 6a7 7 0 1 0 0 14a7 7 0 1 0 0-14zM12 10v3l2 2M4 5l3-2M20 5l-3-2',
  award: 'M12 3a6 6 0 1 0 0 12a6 6 0 1 0 0-12zM8.5 14L7 21l5-3 5 3-1.5-7',
  'shield-check': 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4',
  sparkles: 'M11 3l1.8 5.2L18 10l-5.2 1.8L11 17l-1.8-5.2L4 10l5.2-1.8zM19 15l.8 2.2L22 18l-2.2.8L19 21l-.8-2.2L16 18l2.2-.8z',
  pencil: 'M4 20l1-4L16 5l3 3L8 19zM14 7l3 3',
  shapes: 'M7 3l4 7H3zM17 13a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM4 14h6v6H4z',
  clock: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 7v5l3 2',
  flame: 'M12 21c-4 0-6-3-6-6 0-4 3-5 3-9 2 1 3 3 3 5 1-1 2-2 2-4 3 2 4 5 4 8 0 3-2 6-6 6z',
  calendar: 'M4 6h16v14H4zM4 10h16M8 3v5M16 3v5',
};

const FALLBACK = 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8z';
/** Drawn for a completed mission, whatever its icon. */
const CHECK = 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM8 12l3 3 5-6';

export function iconPath(name: string, completed = false): string {
  if (completed) return CHECK;
  return Object.hasOwn(PATHS, name) ? PATHS[name]! : FALLBACK;
}

export function icon(name: string, completed = false): SVGTemplateResult {
  return svg`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d=${iconPath(name, completed)}></path></svg>`;
}

