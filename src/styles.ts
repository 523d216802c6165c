/**
 * The widget's styles. Every colour, size and font is a custom property declared
 * with its default on :host, so hosts theme it from outside the shadow root; the
 * README's table lists them. Logical properties (inline-start/end) keep the layout
 * right in right-to-left languages.
 */
import { css } from 'lit';

/** The dark palette, for `theme="dark"` and for `auto` under prefers-color-scheme: dark. */
const darkTheme = css`
  --dm-background: #16202c;
  --dm-surface: #1f2b38;
  --dm-text: #e6edf3;
  --dm-muted: #a9b6c3;
  --dm-border: #334155;
  --dm-accent: #7aa7ff;
  --dm-accent-text: #0b1220;
  --dm-progress-track: #334155;
  --dm-progress-fill: #7aa7ff;
  --dm-progress-done: #5dd39e;
  --dm-done: #5dd39e;
  --dm-focus: #a8c5ff;
  --dm-warning-bg: #3a2f0b;
  --dm-warning-text: #ffe08a;
  --dm-easy: #5dd39e;
  --dm-medium: #f5c451;
  --dm-hard: #ff8a80;
  --dm-shadow: none;
`;

export const styles = css`
  :host {
    /* Light theme (default). */
    --dm-background: #ffffff;
    --dm-surface: #f5f7fa;
    --dm-text: #1f2933;
    --dm-muted: #52606d;
    --dm-border: #d9e2ec;
    --dm-accent: #2f6fde;
    --dm-accent-text: #ffffff;
    --dm-progress-track: #e4e7eb;
    --dm-progress-fill: #2f6fde;
    --dm-progress-done: #1f8a4c;
    --dm-done: #1a7d44;
    --dm-focus: #1849a9;
    --dm-warning-bg: #fff8e1;
    --dm-warning-text: #6d4c00;
    --dm-easy: #1a7d44;
    --dm-medium: #8a5a00;
    --dm-hard: #b42318;
    --dm-radius: 12px;
    --dm-radius-small: 6px;
    --dm-font: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --dm-font-size: 1rem;
    --dm-gap: 0.75rem;
    --dm-padding: 1rem;
    --dm-progress-height: 0.5rem;
    --dm-shadow: 0 1px 3px rgb(15 23 42 / 0.12);

    display: block;
    box-sizing: border-box;
    max-inline-size: 100%;
    color: var(--dm-text);
    font-family: var(--dm-font);
    font-size: var(--dm-font-size);
    line-height: 1.4;
    position: relative;
    /* The widget adapts to the space the host gives it, not to the viewport. */
    container-type: inline-size;
  }

  :host([theme='dark']) {
    ${darkTheme}
  }

  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkTheme}
    }
  }

  :host([hidden]),
  :host([disabled]) {
    display: none;
  }

  .card {
    background: var(--dm-background);
    border: 1px solid var(--dm-border);
    border-radius: var(--dm-radius);
    box-shadow: var(--dm-shadow);
    padding: var(--dm-padding);
    display: grid;
    gap: var(--dm-gap);
    overflow-wrap: anywhere;
  }

  header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.25rem var(--dm-gap);
  }

  h2 {
    margin: 0;
    font-size: 1.125em;
  }

  .countdown,
  .streak,
  .note {
    color: var(--dm-muted);
    font-size: 0.875em;
  }

  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--dm-gap) * 0.75);
  }

  .mission {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.25rem 0.75rem;
    padding: 0.75rem;
    border-radius: var(--dm-radius-small);
    background: var(--dm-surface);
  }

  .mission > :not(.icon) {
    grid-column: 2;
  }

  .icon {
    grid-column: 1;
    grid-row: 1 / span 4;
    color: var(--dm-accent);
    inline-size: 24px;
    block-size: 24px;
  }

  .mission[data-completed='true'] .icon {
    color: var(--dm-done);
  }

  .top {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.5rem;
    justify-content: space-between;
  }

  .title {
    font-weight: 600;
  }

  .description {
    color: var(--dm-muted);
    font-size: 0.875em;
    margin: 0;
  }

  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.75rem;
    font-size: 0.8125em;
  }

  .badge {
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.02em;
  }

  .badge.easy { color: var(--dm-easy); }
  .badge.medium { color: var(--dm-medium); }
  .badge.hard { color: var(--dm-hard); }

  .xp {
    font-weight: 600;
  }

  .done {
    color: var(--dm-done);
    font-weight: 600;
  }

  .bar {
    display: flex;
    align-items: center;
    gap: 0.5rem;
  }

  .track {
    flex: 1;
    block-size: var(--dm-progress-height);
    border-radius: 999px;
    background: var(--dm-progress-track);
    overflow: hidden;
  }

  .fill {
    block-size: 100%;
    background: var(--dm-progress-fill);
    border-radius: inherit;
    transition: inline-size 300ms ease;
  }

  .mission[data-completed='true'] .fill {
    background: var(--dm-progress-done);
  }

  .count {
    font-variant-numeric: tabular-nums;
    font-size: 0.8125em;
    color: var(--dm-muted);
  }

  details {
    font-size: 0.8125em;
    color: var(--dm-muted);
  }

  summary {
    cursor: pointer;
    inline-size: fit-content;
  }

  button {
    font: inherit;
    font-size: 0.875em;
    border-radius: var(--dm-radius-small);
    border: 1px solid var(--dm-accent);
    background: transparent;
    color: var(--dm-text);
    padding: 0.375rem 0.75rem;
    cursor: pointer;
  }

  button.primary {
    background: var(--dm-accent);
    color: var(--dm-accent-text);
  }

  button:disabled {
    cursor: default;
    opacity: 0.6;
  }

  button:focus-visible,
  summary:focus-visible {
    outline: 3px solid var(--dm-focus);
    outline-offset: 2px;
  }

  footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }

  .confirm {
    display: grid;
    gap: 0.5rem;
    padding: 0.75rem;
    border-radius: var(--dm-radius-small);
    background: var(--dm-surface);
  }

  .confirm .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .error {
    background: var(--dm-warning-bg);
    color: var(--dm-warning-text);
    border-radius: var(--dm-radius-small);
    padding: 0.375rem 0.625rem;
    font-size: 0.8125em;
  }

  .all-done {
    font-weight: 600;
    color: var(--dm-done);
  }

  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  canvas.confetti {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
    pointer-events: none;
  }

  /* Narrow slots (a sidebar, 320 px at 200% zoom): tighter spacing, smaller icons. */
  @container (max-width: 15rem) {
    .card {
      padding: calc(var(--dm-padding) / 2);
      gap: calc(var(--dm-gap) / 2);
    }

    .mission {
      padding: 0.375rem;
      gap: 0.25rem 0.375rem;
    }

    .icon,
    .icon svg {
      inline-size: 1rem;
      block-size: 1rem;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .fill {
      transition: none;
    }
  }
`;
