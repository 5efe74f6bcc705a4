// widget.d.ts — typings of 'pyheap/widget' (web/gen/widget.js, bundled from web/widget/widget.js).
// Importing the module defines the <pyheap-playground> custom element.

import type { ProgramSession, SessionState } from 'pyheap';

/** The panels the `panels` attribute can list. */
export type PanelName = 'graph' | 'console' | 'generations' | 'arenas' | 'timeline';
export const PANELS: readonly PanelName[];

/**
 * <pyheap-playground program="..." panels="graph console" autoplay="600" height="320" wasm="...">
 * Attributes: `program` (else the element's text, dedented); `panels`
 * (space-separated PanelName list, default "graph console"); `autoplay`
 * (present: step by itself, the value being ms per step, default 600);
 * `height` (of the graph panel; px or a CSS length, default 320px); `wasm`
 * (URL of pyheap.wasm when it is not next to widget.js).
 *
 * Data attributes it sets: data-state ('loading' | 'ready' | 'running' | 'done' |
 * 'error'), data-position, data-done, data-status, data-objects.
 * Events: 'pyheap-ready' (detail: { session }), 'pyheap-step' (detail:
 * SessionState), 'pyheap-error' (detail: the Error).
 */
export class PyheapPlayground extends HTMLElement {
  /** The program shown; setting it restarts the widget. */
  program: string;
  /** The session, null until the module is loaded. */
  readonly session: ProgramSession | null;
  /** Run to the end in slices (the page stays responsive). */
  run(): Promise<SessionState | null>;
  step(): SessionState | null;
  back(): SessionState | null;
  reset(): SessionState | null;
}

/** The program of an element: its `program` attribute, else its text content, dedented. */
export function programOf(el: Element): string;
/** Remove the common indentation and surrounding blank lines. */
export function dedent(text: string): string;
/** Parse a `panels` attribute value. */
export function parsePanels(value: string | null): { panels: PanelName[]; unknown: string[] };

declare global {
  interface HTMLElementTagNameMap {
    'pyheap-playground': PyheapPlayground;
  }
  interface HTMLElementEventMap {
    'pyheap-ready': CustomEvent<{ session: ProgramSession }>;
    'pyheap-step': CustomEvent<SessionState>;
    'pyheap-error': CustomEvent<Error>;
  }
}
