// widget.js — <pyheap-playground>: a Python program next to its heap, for any page.
//
//   <script type="module" src="https://…/pyheap/web/gen/widget.js"></script>
//   <pyheap-playground panels="graph console generations" autoplay="400">
//   a = []
//   a.append(a)
//   del a
//   import gc
//   print(gc.collect())
//   </pyheap-playground>
//
// Attributes: `program` (else the element's text, dedented), `panels` (any of
// graph console generations arenas timeline; default "graph console"),
// `autoplay` (step by itself; the value is the delay per step in ms, default
// 600), `height` (of the graph, CSS length or px; default 320), `wasm` (where
// pyheap.wasm is, when it is not next to this script). Controls: Run, Step,
// Back, Reset. A light embed: no editor; the views are web/viz's, in a shadow
// root; program output is shown as text only.
//
// Bundled by `./build.sh bundle` into web/gen/widget.js (d3 inlined); the
// wasm, the layout worker and viz.css are loaded from URLs relative to it.
// Events: 'pyheap-ready', 'pyheap-step' (detail: the session state),
// 'pyheap-error' (detail: the Error).

import { createSession } from '../lib/program.js';
import { HeapGraph } from '../viz/graph.js';
import { GenerationsPanel } from '../viz/generations.js';
import { ArenaMap } from '../viz/arenas.js';
import { Timeline } from '../viz/timeline.js';
import { userGraph, userNames } from './view.js';

export const PANELS = Object.freeze(['graph', 'console', 'generations', 'arenas', 'timeline']);
const DEFAULT_PANELS = ['graph', 'console'];
const TITLES = {
  graph: 'Heap', console: 'Output', generations: 'Generations (gc)', arenas: 'Arenas and pools', timeline: 'Memory over time',
};

const CSS = `
:host { display: block; font: 14px/1.4 system-ui, sans-serif; color: #1d232b; border: 1px solid #d6dbe1;
  border-radius: 8px; background: #fff; overflow: hidden; margin: 1em 0; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; padding: 6px 10px; background: #f3f5f8;
  border-bottom: 1px solid #d6dbe1; }
button { font: inherit; font-size: 13px; padding: 3px 11px; border: 1px solid #b8c0ca; background: #fff; border-radius: 5px; cursor: pointer; color: inherit; }
button:hover:not(:disabled) { background: #eef3f8; } button:disabled { opacity: .45; cursor: default; }
button.run { background: #2b5d8f; border-color: #2b5d8f; color: #fff; }
.pos { font-variant-numeric: tabular-nums; color: #3a4450; font-size: 13px; }
.model { margin-left: auto; font-size: 12px; color: #6b7482; }
.msg { color: #b42318; font-size: 13px; }
.body { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); }
@media (max-width: 640px) { .body { grid-template-columns: 1fr; } }
.code { margin: 0; padding: 8px 0; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; background: #fbfcfd;
  border-right: 1px solid #e4e7eb; overflow: auto; counter-reset: ln; }
.code div { white-space: pre; padding: 0 10px 0 0; }
.code div::before { counter-increment: ln; content: counter(ln); display: inline-block; width: 2.6em; padding-right: .8em;
  text-align: right; color: #9aa3ae; }
.code div.cur { background: #fff4c2; box-shadow: inset 3px 0 #e8590c; }
.panels { display: flex; flex-direction: column; min-width: 0; }
section { border-bottom: 1px solid #e4e7eb; padding: 6px 10px; min-width: 0; }
section:last-child { border-bottom: 0; }
h3 { margin: 0 0 4px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6573; font-weight: 600; }
.graph { position: relative; }
.console { margin: 0; min-height: 2.5em; max-height: 14em; overflow: auto; font: 13px/1.45 ui-monospace, monospace;
  white-space: pre-wrap; background: #1d2b3a; color: #f1f5f9; padding: 6px 8px; border-radius: 4px; }
.console .err { color: #ffb4a8; }
.note { font-size: 12px; color: #6b7482; margin: 4px 0 0; }
`;

/** The program text of an element: the attribute, else its text content, dedented. */
export function programOf(el) {
  const attr = el.getAttribute('program');
  return dedent(attr ?? el.textContent ?? '');
}

/** Strip the common indentation and the blank lines around a program (HTML source is indented). */
export function dedent(text) {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n') + (lines.length ? '\n' : '');
}

/** The panels attribute as a list of known panel names (unknown names are reported, not fatal). */
export function parsePanels(value) {
  if (value == null || !value.trim()) return { panels: DEFAULT_PANELS, unknown: [] };
  const words = value.trim().split(/[\s,]+/);
  const panels = [...new Set(words.filter((w) => PANELS.includes(w)))];
  return { panels: panels.length ? panels : DEFAULT_PANELS, unknown: words.filter((w) => !PANELS.includes(w)) };
}

let widgetSheet = null;   // shared by every widget of the page

const cssLength = (v, dflt) => (v == null || v === '' ? dflt : /^\d+(\.\d+)?$/.test(v) ? `${v}px` : v);

const Base = globalThis.HTMLElement ?? class {};

export class PyheapPlayground extends Base {
  static get observedAttributes() { return ['program', 'panels', 'height', 'wasm']; }

  #root = null;
  #session = null;
  #views = {};
  #shown = new Set();
  #series = [];
  #timer = 0;
  #generation = 0;   // bumped on every rebuild: a late load of an old program is dropped
  #source = null;
  #ui = null;
  #running = false;

  connectedCallback() {
    if (!this.#root) {
      // the program may be the text content: read it before the shadow root hides it
      this.#source = programOf(this);
      this.#root = this.attachShadow({ mode: 'open' });
    }
    this.#build();
  }

  disconnectedCallback() {
    this.#stopAutoplay();
    for (const v of Object.values(this.#views)) v.destroy?.();
    this.#views = {};
    this.#session?.dispose();
    this.#session = null;
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#root || old === value) return;
    if (name === 'program') this.#source = programOf(this);
    this.#build();
  }

  /** The program shown (setting it restarts the widget). */
  get program() { return this.#source ?? programOf(this); }
  set program(text) { this.setAttribute('program', String(text)); }

  /** The ProgramSession (null until the module is loaded). */
  get session() { return this.#session; }

  /** Run to the end, in slices (the page stays responsive); resolves to the final state. */
  async run() {
    const session = this.#session;
    if (!session || this.#running) return null;
    this.#running = true;
    this.dataset.state = 'running';
    for (const b of Object.values(this.#ui.buttons)) b.disabled = true;
    let st;
    try {
      st = await session.runSliced();
    } catch (e) {
      this.#running = false;
      this.#fail(e);
      return null;
    }
    this.#running = false;
    if (session !== this.#session) return null;   // rebuilt meanwhile
    return this.#act(() => st);
  }

  /** One line event on. */
  step() { return this.#act(() => this.#session.step()); }
  /** One line event back (replay). */
  back() { return this.#act(() => this.#session.back()); }
  /** Back to the start. */
  reset() { return this.#act(() => this.#session.reset()); }

  // ---- building ---------------------------------------------------------------------

  #build() {
    const gen = ++this.#generation;
    this.disconnectedCallback();
    this.#shown = new Set();
    this.#series = [];
    const root = this.#root;
    const { panels, unknown } = parsePanels(this.getAttribute('panels'));
    const source = this.program;
    root.replaceChildren();
    // a constructed stylesheet where there are those: pages whose CSP has no
    // style-src 'unsafe-inline' refuse <style> elements
    let style = null;
    if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in root) {
      widgetSheet ??= new CSSStyleSheet();
      if (!widgetSheet.cssRules.length) widgetSheet.replaceSync(CSS);
      root.adoptedStyleSheets = [widgetSheet];
    } else {
      style = document.createElement('style');
      style.textContent = CSS;
    }
    const vizCss = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: new URL('../viz/viz.css', import.meta.url).href });
    const bar = el('div', 'bar');
    const buttons = {};
    for (const [name, label, title] of [['run', 'Run', 'run to the end'], ['step', 'Step', 'run one line'],
      ['back', 'Back', 'one line back (replays from the start)'], ['reset', 'Reset', 'back to the start']]) {
      const b = el('button', name, label);
      b.type = 'button';
      b.title = title;
      b.disabled = true;
      b.addEventListener('click', () => { this.#stopAutoplay(); void this[name](); });
      bar.append(b);
      buttons[name] = b;
    }
    const pos = el('span', 'pos', 'loading…');
    const msg = el('span', 'msg');
    const model = el('span', 'model', 'pyheap · CPython 3.12 (64-bit) memory model');
    bar.append(pos, msg, model);
    const code = el('pre', 'code');
    code.setAttribute('aria-label', 'program');
    for (const line of source.replace(/\n$/, '').split('\n')) code.append(el('div', null, line || ' '));
    const side = el('div', 'panels');
    const sections = {};
    for (const p of panels) {
      const s = el('section');
      s.dataset.panel = p;
      s.append(el('h3', null, TITLES[p]));
      const box = el(p === 'console' ? 'pre' : 'div', p);
      if (p === 'console') box.setAttribute('aria-live', 'polite');
      s.append(box);
      side.append(s);
      sections[p] = box;
    }
    if (unknown.length) msg.textContent = `unknown panel${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (known: ${PANELS.join(', ')})`;
    const body = el('div', 'body');
    body.append(code, side);
    root.append(...(style ? [style] : []), vizCss, bar, body);
    this.#ui = { buttons, pos, msg, code, sections };
    this.dataset.state = 'loading';

    const wasm = this.getAttribute('wasm') || undefined;
    createSession(source, { wasm, filename: '<pyheap-playground>' }).then((session) => {
      if (gen !== this.#generation || !this.isConnected) { session.dispose(); return; }
      this.#session = session;
      this.#makeViews(sections);
      this.#render();
      this.dataset.state = 'ready';
      this.dispatchEvent(new CustomEvent('pyheap-ready', { detail: { session } }));
      const autoplay = this.getAttribute('autoplay');
      if (autoplay !== null) this.#startAutoplay(Number(autoplay) > 0 ? Number(autoplay) : 600);
    }, (e) => {
      if (gen !== this.#generation) return;
      this.#fail(e);
    });
  }

  #makeViews(sections) {
    const height = cssLength(this.getAttribute('height'), '320px');
    if (sections.graph) {
      sections.graph.style.height = height;
      this.#views.graph = new HeapGraph(sections.graph, {
        workerURL: new URL('./layout-worker.js', import.meta.url),
      });
    }
    if (sections.generations) this.#views.generations = new GenerationsPanel(sections.generations);
    if (sections.arenas) {
      this.#views.arenas = new ArenaMap(sections.arenas, { debugText: () => this.#session?.heap?.debugmallocstats() ?? '' });
    }
    if (sections.timeline) {
      this.#views.timeline = new Timeline(sections.timeline, {
        height: 120,
        onSeek: (p) => { this.#stopAutoplay(); this.#act(() => this.#session.goTo(p)); },
      });
    }
  }

  // ---- acting and drawing -----------------------------------------------------------------

  #act(fn) {
    if (!this.#session || this.#running) return null;
    let st = null;
    try {
      st = fn();
    } catch (e) {
      this.#fail(e);
      return null;
    }
    if (this.#session.position === 0) this.#shown = new Set();
    this.#render();
    this.dispatchEvent(new CustomEvent('pyheap-step', { detail: st }));
    return st;
  }

  #render() {
    const s = this.#session;
    const ui = this.#ui;
    const st = s.state;
    const heap = s.heap;
    // the code: the line about to run
    const lines = ui.code.children;
    for (let i = 0; i < lines.length; i++) lines[i].classList.toggle('cur', st.line === i + 1);
    // into view within the code box only: scrollIntoView scrolled the page too, so a widget playing
    // further down an article pulled the reader's page along (and moved buttons under the pointer)
    const cur = ui.code.querySelector('.cur');
    if (cur) {
      const r = cur.getBoundingClientRect(), box = ui.code.getBoundingClientRect();
      if (r.top < box.top) ui.code.scrollTop -= box.top - r.top;
      else if (r.bottom > box.bottom) ui.code.scrollTop += r.bottom - box.bottom;
    }
    const where = st.done
      ? `finished${st.status ? ` (exit status ${st.status})` : ''}`
      : s.position === 0 ? 'not started' : `step ${s.position} · line ${st.line ?? '?'}`;
    ui.pos.textContent = where;
    ui.buttons.run.disabled = ui.buttons.step.disabled = st.done;
    ui.buttons.back.disabled = ui.buttons.reset.disabled = s.position === 0 && !st.done;
    this.dataset.position = String(s.position);
    this.dataset.done = String(st.done);
    this.dataset.status = st.status == null ? '' : String(st.status);
    this.dataset.state = st.done ? 'done' : 'ready';
    // console: text nodes only
    const out = ui.sections.console;
    if (out) {
      const err = el('span', 'err', s.stderr);
      out.replaceChildren(document.createTextNode(s.stdout), err);
      out.scrollTop = out.scrollHeight;
    }
    if (!heap) {
      this.#views.graph?.update({ objects: [] }, []);
      return;
    }
    if (this.#views.graph) {
      const snap = s.snapshot();
      const names = userNames(snap.names);
      const g = userGraph(snap, names, this.#shown);
      this.#shown = g.keys;
      this.#views.graph.update(g.snapshot, names);
      this.dataset.objects = String(g.snapshot.objects.length);
    }
    if (this.#views.generations) {
      const garbage = heap.gc.garbage;
      this.#views.generations.update({
        counts: heap.gc.getCount(), thresholds: heap.gc.getThreshold(), stats: heap.gc.getStats(), garbage: garbage.length,
      });
      garbage.release();
    }
    const stats = (this.#views.arenas || this.#views.timeline) ? heap.stats() : null;
    if (this.#views.arenas) this.#views.arenas.update(heap.arenas(), stats);
    if (this.#views.timeline) {
      const current = stats.bytesInAllocatedBlocks + stats.rawBytesRequested;
      this.#series[s.position] = { step: s.position, current, peak: current, label: `line ${st.line ?? ''}` };
      let peak = 0;
      const series = this.#series.filter(Boolean).map((p) => ({ ...p, peak: (peak = Math.max(peak, p.current)) }));
      this.#views.timeline.update(series, s.position);
    }
  }

  #fail(e) {
    this.dataset.state = 'error';
    if (this.#ui) this.#ui.msg.textContent = String(e?.message ?? e);
    this.dispatchEvent(new CustomEvent('pyheap-error', { detail: e }));
  }

  #startAutoplay(ms) {
    this.#stopAutoplay();
    const tick = () => {
      const st = this.step();
      if (st && !st.done && this.isConnected) this.#timer = setTimeout(tick, ms);
      else this.#timer = 0;
    };
    this.#timer = setTimeout(tick, ms);
  }

  #stopAutoplay() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = 0;
  }
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

if (globalThis.customElements && !customElements.get('pyheap-playground')) {
  customElements.define('pyheap-playground', PyheapPlayground);
}
