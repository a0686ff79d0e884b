import type { ComponentChildren } from 'preact';

/**
 * A wide table's sideways-scrolling box. It takes keyboard focus (arrow keys then scroll it) and
 * is a named region, so a keyboard or screen-reader user reaches the columns a phone cuts off
 * (axe: scrollable-region-focusable).
 */
export function ScrollRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled by keyboard
    // biome-ignore lint/a11y/useSemanticElements: a <section> would add a landmark per table; role=region with a name is the pattern for scroll boxes
    <div class="scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
