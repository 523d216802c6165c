/**
 * The cases the cross-engine layout test and the per-engine screenshots share, and the
 * shape of what they measure (layout-scene.ts measures it in a page).
 */
export interface LayoutCase {
  /** Stage width in CSS px: a phone (360) and a desktop (1280). */
  width: 360 | 1280;
  variant: 'light' | 'dark' | 'arabic';
}

export const LAYOUT_CASES: LayoutCase[] = [360, 1280].flatMap((width) =>
  (['light', 'dark', 'arabic'] as const).map((variant) => ({ width: width as 360 | 1280, variant })),
);

export const caseName = ({ width, variant }: LayoutCase): string => `${width}-${variant}`;

export interface PartBox {
  part: string;
  /** Which element of that part, in document order (missions repeat their parts). */
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutReport {
  host: { width: number; height: number };
  /** The element's own horizontal overflow: scrollWidth beyond clientWidth. */
  overflow: number;
  /** The card's writing direction (the element sets it from its language). */
  direction: string;
  parts: PartBox[];
}
