// playground.js — the playground: type Python, step it, and watch the heap.
//
//   import { mountPlayground } from './web/gen/playground.js';
//   const pg = await mountPlayground(document.getElementById('app'), { source, hash: true });
//   pg.step(); pg.back(); await pg.run(); pg.goTo(7); pg.reset(); pg.stop();
//
// The program runs in the interpreter (web/interp/session.js) over one heap
// of the core; a step is one line event (sys.settrace's 'line'), and every
// position is reached by replaying from the start (deterministic), so the
// slider can go to any step. A replay records what the views show at its
// target and, while it runs on, at the positions after it (capture-ahead,
// with linear memory saved and restored around the reads so the program
// continues from the same bytes): Step, Back and the slider then show
// recorded positions without replaying. After each move the views are fed from a
// read-only view of the session's heap (web/lib viewHeap): the heap graph
// (what the program's names reach, plus cyclic garbage; playground.model.js),
// the allocator map, the generations panel, memory over time (one sample per
// line event, thinned out for long runs) and the console (textContent only).
// When a collection ran during a step, onCollection(trace) gets the
// collector's phase trace (heap.gc.lastTrace()) for the #gc-walk panel.
// Framework-free; the same code mounts full page (index.html) or embedded.

import { EditorState } from '@codemirror/state';
import { EditorView, Decoration, keymap, lineNumbers, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, defaultHighlightStyle, indentOnInput, bracketMatching } from '@codemirror/language';
import { python } from '@codemirror/lang-python';
import { load } from '../lib/load.js';
import { viewHeap } from '../lib/heap.js';
import { createSession } from '../interp/session.js';
import { HeapGraph } from '../viz/graph.js';
import { ArenaMap } from '../viz/arenas.js';
import { GenerationsPanel } from '../viz/generations.js';
import { Timeline } from '../viz/timeline.js';
import { GcWalk } from '../viz/gcwalk.js';
import { TopLines, readTraces, objectTracebacks } from '../viz/toplines.js';
import { bytes, hex, count, GEN_COLORS, GEN_LABELS } from '../viz/style.js';
import { setText, setData, setAttr, setStyle } from '../viz/dom.js';
import { EXAMPLES, exampleById } from './examples.js';
import { rootsOf, programView, baselineOf, errorLine, encodeSource, decodeSource, lowerBound } from './playground.model.js';
import { syntaxCheck, pickedLine, showPicked, decorationField } from './lint.js';

const MODEL_VERSION = 'CPython 3.12 (64-bit)';
const MAX_INSTRUCTIONS = 20_000_000;   // Run's budget; the session reports "pyheap: stopped after N instructions"
const FIRST_SLICE = 100_000;           // instructions in Run's first slice; each slice continues the live program (session.runSlice)…
const SLICE_MS = 80;                   // …and the next ones are sized to last about this long at the rate measured, the page rendering in between
const FULL_SAMPLES = 2_000;            // memory sampled at every line event up to here, then ~1,000 per doubling (stats() is not free)
const FAST_MS = 100;                   // steps shown closer together than this are fast moves (a held key, Play)…
const CATCH_UP_MS = 250;               // …during which panels off screen are brought up to date at most this often
const AHEAD_MS = 12;                   // a replay also records the positions after its target for at least this long…
const AHEAD_MAX = 300;                 // …(or as long as the replay took), at most this many; Step then shows them at once
                                       // (a move forward continues the suspended program: no replay, so little to amortise)
const PREFETCH_MAX = 40;               // idle time records up to this many positions past the one shown (the next Steps)…
const PREFETCH_MIN_MS = 10;            // …in idle periods with at least this long left (a record at 1,000 objects: ~5 ms)
const CACHE_MAX = 3000;                // positions recorded, kept for Step, Back and the slider (the oldest go first)…
const CACHE_OBJECTS = 500_000;         // …and at most about this many snapshot objects in them all (~125 MB measured: a
                                       // record of a 10,000-object heap holds ~20,000, ~5 MB; 3,000 would not fit in a tab)
const REPR_LIMIT = 3000;               // short reprs only for views this small
const MAX_ITEMS = 300;                 // a container draws its first MAX_ITEMS references (options.maxItems)
const SCALARS = new Set(['int', 'float', 'str', 'bytes', 'bool', 'complex', 'NoneType']);
const PHASES = [
  ['examined', 'objects examined (gc_refs copied, internal references subtracted)'],
  ['unreachable', 'unreachable set marked'],
  ['weakrefCallbacks', 'weakref callbacks run'],
  ['finalized', 'finalizers (__del__) run'],
  ['resurrected', 'resurrected, moved back'],
  ['cleared', 'references cleared (tp_clear)'],
  ['freed', 'freed'],
];
const SPEEDS = [['slow', 1000], ['normal', 400], ['fast', 120], ['fastest', 30]];
const SHORTCUTS = [
  ['Ctrl+Enter', 'Run'], ['Alt+→ (or → outside the editor)', 'Step'], ['Alt+← (or ←)', 'Step back'],
  ['Alt+Home', 'Reset'], ['Alt+P (or Space)', 'Play / pause'], ['Esc', 'Stop a running program'],
];

const TEMPLATE = `
<header class="pg-top">
  <h1>pyheap <span class="pg-model" title="the memory model the values come from"></span></h1>
  <label class="pg-examples-label">Examples <select class="pg-examples" aria-label="examples"><option value="">— choose an example —</option></select></label>
  <span class="pg-spacer"></span>
  <button class="pg-share" title="Copy a link that reproduces this program">Share link</button>
  <span class="pg-help" tabindex="0" role="button" aria-label="keyboard shortcuts">?<span class="pg-help-tip" role="tooltip"></span></span>
  <nav><a class="pg-link-alloc" href="web/app/alloc.html">allocator page</a> · <a class="pg-link-demo" href="web/app/demo.html">views demo</a></nav>
</header>
<div class="pg-main">
  <section class="pg-left">
    <div class="pg-editor" aria-label="program"></div>
    <div class="pg-controls" role="toolbar" aria-label="stepping">
      <button class="pg-run primary" title="Run to the end (Ctrl+Enter)">Run ▶▶</button>
      <button class="pg-back" title="Step back (Alt+←)">◀ Back</button>
      <button class="pg-step" title="Run one line (Alt+→)">Step ▶</button>
      <button class="pg-reset" title="Back to the start (Alt+Home)">Reset</button>
      <button class="pg-play" title="Play the steps at the chosen speed (Alt+P)">Play</button>
      <select class="pg-speed" aria-label="speed"></select>
      <button class="pg-stop" title="Stop a running program (Esc)" disabled>Stop</button>
    </div>
    <div class="pg-slider-row">
      <input class="pg-slider" type="range" min="0" max="0" value="0" aria-label="step">
      <span class="pg-stepno" role="status"></span>
    </div>
    <div class="pg-status" role="status"></div>
    <h2>Console</h2>
    <pre class="pg-console" aria-label="console" aria-live="polite"><span class="pg-out"></span><span class="pg-err"></span><span class="pg-note"></span></pre>
    <section class="pg-box pg-details-box" aria-label="selected object"><h2>Selected object</h2><div class="pg-details"></div></section>
  </section>
  <section class="pg-right">
    <section class="pg-box pg-graph-box" aria-label="heap graph">
      <div class="pg-head"><h2>Objects and references</h2><span class="pg-summary"></span>
        <span class="pg-tools">
          <label>immortals <select class="pg-immortals"><option value="referenced">when referenced</option><option value="hidden">hidden</option><option value="all">all</option></select></label>
          <button class="pg-fit">Fit</button><button class="pg-relax" title="Run the force layout over everything (moves nodes)">Relax</button>
          <button class="pg-svg" title="Download the graph as SVG">SVG</button><button class="pg-png" title="Download the graph as PNG">PNG</button>
        </span></div>
      <div class="pg-graph" id="graph"></div>
      <div class="pg-legend"></div>
    </section>
    <div class="pg-row">
      <section class="pg-box" aria-label="generations"><h2>Generations</h2><div class="pg-gens"></div></section>
      <section class="pg-box" aria-label="gc.collect() explained"><h2>gc.collect() explained</h2><div id="gc-walk" class="pg-gcwalk"></div></section>
    </div>
    <section class="pg-box" aria-label="memory over time"><h2>Memory over time <small>bytes in pymalloc blocks + raw blocks after each line event; click to go to a step</small></h2><div class="pg-timeline"></div><div class="pg-toplines" aria-label="tracemalloc top lines"></div></section>
    <section class="pg-box" aria-label="allocator map"><h2>Allocator: arenas → pools → blocks <small>each square is a 16 KiB pool, colour = size class, fill = blocks in use</small></h2><div class="pg-arenas"></div></section>
  </section>
</div>`;

/** Set an element's text only when it differs (an equal write still dirties the layout); true when it changed. */
/** Text-only element builder (never innerHTML with program data). */
function el(tag, props = {}, ...kids) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids.filter((k) => k !== null && k !== undefined));
  return e;
}

// ---- the console: stdout and stderr in the order they were written ---------------------------

/** The pieces of out and err in writing order, from the session's switch points ([isErr, offset]). */
export function streamPieces(out, err, switches) {
  if (!switches?.length) return [[false, out], [true, err]];
  const pieces = [];
  for (let i = 0; i < switches.length; i++) {
    const [isErr, at] = switches[i];
    const text = isErr ? err : out;
    const end = switches[i + 2]?.[1] ?? text.length;   // the next switch to the same stream
    if (at < text.length) pieces.push([isErr, text.slice(at, Math.min(end, text.length))]);
  }
  return pieces;
}

/** Whether two switch lists ([isErr, at] pairs) are the same. */
function sameSwitches(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return (a?.length ?? 0) === 0 && (b?.length ?? 0) === 0;
  return a.every(([e, at], i) => e === b[i][0] && at === b[i][1]);
}

/** Fills the console with one span per piece (class pg-out / pg-err; text only), before the note. */
function renderStreams(box, note, out, err, switches) {
  for (const el of [...box.querySelectorAll('.pg-out, .pg-err')]) el.remove();
  const pieces = streamPieces(out, err, switches);
  // the first stdout and stderr spans always exist (empty when nothing was written)
  if (!pieces.some(([e]) => !e)) pieces.unshift([false, '']);
  if (!pieces.some(([e]) => e)) pieces.push([true, '']);
  for (const [isErr, text] of pieces) {
    const span = document.createElement('span');
    span.className = isErr ? 'pg-err' : 'pg-out';
    span.textContent = text;
    box.insertBefore(span, note);
  }
}

// ---- editor marks: the current line, the error line ------------------------------------------

const { field: marksField, set: setMarks } = decorationField();

/**
 * The line about to run, as a band under the editor's text (like CodeMirror's own
 * selection layer: in the scroller, behind the content). It is placed from the
 * editor's height map and moved with a transform, so a step costs no editor
 * update: as a line decoration, each step re-rendered two lines and made the
 * editor re-read the DOM selection and measure its lines (~3 ms a step, a third
 * of a step's work on the benchmark machine). data-line: the line marked.
 */
class LineBand {
  constructor(view) {
    this.view = view;
    this.line = null;
    this.left = null;   // the text column's left edge in the scroller (read once per geometry)
    this.el = document.createElement('div');
    this.el.className = 'pg-current-band';
    this.el.setAttribute('aria-hidden', 'true');
    this.el.hidden = true;
    view.scrollDOM.prepend(this.el);
  }

  /** Mark `line` (1-based) or nothing (null). */
  show(line) {
    this.line = line;
    this.place();
  }

  /** The editor's geometry changed (resize, fonts, edits): place the band again. */
  refresh(geometry) {
    if (geometry) this.left = null;
    if (this.line !== null) this.place();
  }

  place() {
    const { view, el } = this;
    const doc = view.state.doc;
    if (this.line === null || this.line > doc.lines) {
      if (!el.hidden) el.hidden = true;
      setData(el, 'line', '');
      return;
    }
    const block = view.lineBlockAt(doc.line(this.line).from);
    // the content's left edge: read from the layout only after the geometry changed
    this.left ??= view.contentDOM.offsetLeft;
    setStyle(el, 'left', `${this.left}px`);
    setStyle(el, 'height', `${block.height}px`);
    setStyle(el, 'transform', `translateY(${block.top + view.documentPadding.top}px)`);
    setData(el, 'line', this.line);
    if (el.hidden) el.hidden = false;
  }
}

function markLines(view, current, error) {
  const doc = view.state.doc;
  view.pgBand ??= new LineBand(view);
  if (view.pgBand.line !== current) view.pgBand.show(current);
  // the error marks are decorations: dispatched only when they change (a dispatch measures the editor)
  const ok = (n) => Number.isInteger(n) && n >= 1 && n <= doc.lines;
  const effects = [];
  if (!view.pgMarked || view.pgMarked.doc !== doc || view.pgMarked.error !== error) {
    view.pgMarked = { doc, error };
    const ranges = [];
    if (ok(error)) {
      const line = doc.line(error);
      ranges.push(Decoration.line({ class: 'pg-error-line' }).range(line.from));
      const start = line.from + (line.text.length - line.text.trimStart().length);
      if (line.to > start) ranges.push(Decoration.mark({ class: 'pg-error' }).range(start, line.to));
    }
    effects.push(setMarks.of(Decoration.set(ranges, true)));
  }
  // scroll only when the line is not in view already (the scroll effect makes the editor measure its layout)
  if (ok(current)) {
    const { from, to } = doc.line(current);
    const inView = view.visibleRanges.some((r) => r.from <= from && to <= r.to);
    if (!inView) effects.push(EditorView.scrollIntoView(from, { y: 'nearest' }));
  }
  if (effects.length) view.dispatch({ effects });
}

// ---- the addresses the interpreter holds outside objects (alive, not drawn) ----------------------

function internalRoots(vm) {
  const out = [];
  if (!vm) return out;
  const add = (v) => {
    if (typeof v === 'number') { if (v) out.push(v); } else if (v && typeof v.seq === 'number' && v.seq) out.push(v.seq);
  };
  const frame = (f) => { f.stack.forEach(add); f.locals.forEach(add); add(f.func); add(f.localsDict); };
  vm.frames.forEach(frame);
  for (const f of vm.genFrames?.values() ?? []) frame(f);
  add(vm.excInfo);
  return out;
}

/**
 * Mount the playground into `root`.
 * @param {HTMLElement} root
 * @param {{ source?: string, hash?: boolean, wasm?: any, filename?: string, links?: boolean, maxItems?: number, trace?: boolean,
 *           onCollection?: (trace: object, extra: object) => void }} [options]
 *   hash: keep the program in location.hash (a link reproduces it); default true
 *   trace: tracemalloc from the first line for the top-lines panel and "allocated at" (default true; the panel's checkbox)
 */
export async function mountPlayground(root, options = {}) {
  const opts = { hash: true, filename: 'main.py', links: true, maxItems: MAX_ITEMS, trace: true, ...options };
  if (!document.querySelector('link[data-pyheap-playground]')) {
    const link = el('link', { rel: 'stylesheet', href: new URL('../app/playground.css', import.meta.url).href });
    link.dataset.pyheapPlayground = '';
    document.head.append(link);
  }
  root.classList.add('pg');
  root.innerHTML = TEMPLATE;   // static markup only
  const q = (sel) => root.querySelector(sel);
  q('.pg-model').textContent = MODEL_VERSION;
  if (!opts.links) q('.pg-top nav').remove();
  q('.pg-help-tip').append(el('strong', { textContent: 'Keyboard shortcuts' }),
    el('ul', {}, ...SHORTCUTS.map(([k, what]) => el('li', {}, el('kbd', { textContent: k }), ` ${what}`))),
    el('p', { textContent: `Values follow ${MODEL_VERSION}: refcounts, sizes, collections and allocator figures are CPython's.` }));
  for (const [name, ms] of SPEEDS) q('.pg-speed').append(el('option', { value: String(ms), textContent: `${name} (${ms} ms)`, selected: name === 'normal' }));
  const groups = new Map();
  for (const ex of EXAMPLES) {
    if (!groups.has(ex.group)) groups.set(ex.group, el('optgroup', { label: ex.group }));
    groups.get(ex.group).append(el('option', { value: ex.id, textContent: ex.title + (ex.subset === false ? ' (not supported by the interpreter)' : '') }));
  }
  q('.pg-examples').append(...groups.values());
  legend(q('.pg-legend'));

  const raw = await load(opts.wasm ? { wasm: opts.wasm } : {});

  // ---- state ----
  const st = {
    source: '', session: null, view: null, baseline: null,
    step: 0, total: null, maxSeen: 0, state: null,
    out: '', err: '', note: '',
    samples: new Map(),      // line-event count -> { mem, coll }
    sampleSteps: [],         // its keys in order (setSample keeps them so)
    seriesMemo: null,        // series() of these samples, until they change
    cache: new Map(),        // step -> everything the views showed at it (recorded after a replay paused there)
    cacheObjects: 0,         // snapshot objects held by the cache's records (bounded: CACHE_OBJECTS)
    shownAt: null,           // when the last step was shown (performance.now()): moves closer than FAST_MS are fast
    offscreen: new Set(),    // the panels (elements) out of view now (an IntersectionObserver keeps it)
    behind: new Map(),       // panel -> its update for the shown step, left for later by fast moves (panel())
    catchUp: 0,              // the timer that brings them up to date
    fullOut: '', fullErr: '', // the output of the session's last replay
    liveStep: null,          // the step the session's heap is at (st.view is a view of it)
    atEnd: null,             // { mem, coll } measured at the positions after the last line
    busy: false, pending: null, running: false, stopRequested: false, playing: null,
    lastShown: null,
    lastRecorded: null,      // { snap, shown } of the last record: the next one's `previous` (shares what did not change)
  };

  // which panels are out of view (panel(): their updates may wait while moves come fast); one
  // coming into view is brought up to date at once
  if (typeof IntersectionObserver === 'function') {
    const seen = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) { st.offscreen.add(e.target); continue; }
        st.offscreen.delete(e.target);
        later(e.target);
      }
    });
    for (const sel of ['.pg-arenas', '.pg-toplines', '.pg-timeline']) seen.observe(q(sel));
  }

  // ---- views ----
  const graph = new HeapGraph(q('.pg-graph'), {
    onSelect: (d) => showDetails(d),
    workerURL: new URL('./layout-worker.js', import.meta.url),
  });
  const arenaMap = new ArenaMap(q('.pg-arenas'), { debugText: () => st.cache.get(st.step)?.debugText ?? liveView()?.debugmallocstats() ?? '' });
  const gens = new GenerationsPanel(q('.pg-gens'));
  const timeline = new Timeline(q('.pg-timeline'), { onSeek: (s) => goTo(s) });
  const topLines = new TopLines(q('.pg-toplines'), {
    onPick: (filename, lineno) => {
      const mine = filename === opts.filename;
      showPicked(editor, mine ? lineno : null);
      root.dataset.picked = mine ? String(lineno) : '';
    },
    sourceLine: (filename, lineno) => sourceLine(filename, lineno),
    tracing: opts.trace,
    onTrace: (on) => {
      opts.trace = on;
      const k = st.step;
      newProgram(st.source);   // sessions are made with or without the trace: start again, at the same step
      if (k) goTo(k);
    },
  });
  const walkBox = el('div', { className: 'pg-walkview' });   // the phase walk (web/viz/gcwalk.js), made on the first collection
  let walk = null;

  // ---- editor ----
  const editor = new EditorView({
    parent: q('.pg-editor'),
    state: EditorState.create({
      doc: '',
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(), indentOnInput(), bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }), python(), marksField, pickedLine,
        syntaxCheck({ onResult: (err) => { root.dataset.lint = err ? `${err.kind}:${err.lineno}` : 'ok'; } }),
        keymap.of([...shortcutKeys(), indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged || u.geometryChanged || u.heightChanged) u.view.pgBand?.refresh(u.geometryChanged);
          if (u.docChanged && !st.settingDoc) edited();
        }),
        EditorView.theme({ '&': { height: '100%' }, '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' } }),
      ],
    }),
  });

  function shortcutKeys() {
    const act = (fn) => () => { fn(); return true; };
    return [
      { key: 'Mod-Enter', run: act(() => run()) },
      { key: 'Alt-ArrowRight', run: act(() => step()) },
      { key: 'Alt-ArrowLeft', run: act(() => back()) },
      { key: 'Alt-Home', run: act(() => reset()) },
      { key: 'Alt-p', run: act(() => togglePlay()) },
      { key: 'Escape', run: () => { if (!st.running) return false; stop(); return true; } },
    ];
  }

  // ---- program source ----
  let hashTimer = null;
  function setSource(src, { fromHash = false } = {}) {
    st.settingDoc = true;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: src } });
    st.settingDoc = false;
    newProgram(src);
    if (!fromHash) saveHash();
  }
  function edited() {
    newProgram(editor.state.doc.toString());
    q('.pg-examples').value = '';
    clearTimeout(hashTimer);
    hashTimer = setTimeout(saveHash, 400);
  }
  async function saveHash() {
    if (!opts.hash) return;
    const h = await encodeSource(st.source);
    if (location.hash !== h) window.history.replaceState(null, '', h);
  }
  function newProgram(src) {
    stopPlay();
    st.stopRequested = true;
    st.session?.stop();
    Object.assign(st, {
      source: src, session: null, baseline: null, step: 0, total: null, maxSeen: 0, state: null,
      out: '', err: '', note: '', samples: new Map(), sampleSteps: [], atEnd: null, seriesMemo: null,
      cache: new Map(), cacheObjects: 0, fullOut: '', fullErr: '', liveStep: null,
    });
    st.view?.dispose();
    st.view = null;
    st.behind.clear();   // a left-behind update shows the old program's step
    markLines(editor, null, null);
    showPicked(editor, null);
    clearWalk();
    showIdle();
  }

  // ---- the session ----
  function ensureSession() {
    if (st.session) return st.session;
    const s = createSession(raw, st.source, {
      filename: opts.filename,
      pauseAtEnd: true,
      onStdout: (t) => { st.fullOut += t; },
      onStderr: (t) => { st.fullErr += t; },
      onHeap: (h) => raw.gc_trace_enable(h, 1),
      hostTrace: opts.trace,   // tracemalloc from the first line, for the top-lines panel and "allocated at" (unseen by the program)
      onLine: (count) => sample(s, count),
    });
    st.session = s;
    // the interpreter's own objects: everything alive before the first line runs
    s.goTo(0);
    const v = viewHeap(raw, s.heap);
    st.baseline = baselineOf(v.snapshot([]));
    v.dispose();
    return s;
  }

  /** Memory in blocks and the collections so far (from `s`, the heap's stats, when the caller has them). */
  function measure(h, s = raw.readStats(raw.stats(h))) {
    let coll = 0;
    for (let g = 0; g < 3; g++) coll += raw.gc_stat(h, g, 0);
    return { mem: s.bytesInAllocatedBlocks + s.rawBytesRequested, coll };
  }

  // sample(): one sample every `stride` line events up to `strideEnd` (= FULL_SAMPLES * stride);
  // kept across calls, as the counts of a run come in order (a new run starts at 1)
  let stride = 1, strideEnd = FULL_SAMPLES;
  /** A memory sample at line event `count`; its key kept in order in st.sampleSteps. */
  function setSample(count, m) {
    if (!st.samples.has(count)) {
      const a = st.sampleSteps;
      if (!a.length || a[a.length - 1] < count) a.push(count);
      else a.splice(lowerBound(a, count), 0, count);
    }
    st.samples.set(count, m);
  }

  function sample(s, count) {
    while (count > strideEnd) { stride *= 2; strideEnd *= 2; }
    while (stride > 1 && count <= strideEnd / 2) { stride /= 2; strideEnd /= 2; }
    if (count % stride || st.samples.has(count)) return;
    // the two figures measure() reads, not the whole stats decoded (a long Run takes thousands of samples)
    const p = raw.stats(s.heap);
    const fields = { bytesInAllocatedBlocks: raw.readStatsField(p, 'bytesInAllocatedBlocks'), rawBytesRequested: raw.readStatsField(p, 'rawBytesRequested') };
    setSample(count, measure(s.heap, fields));
    st.seriesMemo = null;
  }

  /** Move the session to step k (0 .. total); returns when the views show it. */
  async function goTo(k) {
    if (st.busy) { st.pending = k; return; }
    const max = st.total ?? Infinity;
    k = Math.max(0, Math.min(max, Math.round(k)));
    st.busy = true;
    try {
      const s = ensureSession();
      const rec = st.cache.get(k);
      if (rec) {
        // recorded before (shown, or passed by a replay's capture-ahead): no replay
        st.step = k;
        st.state = rec.state;
        st.maxSeen = Math.max(st.maxSeen, k);
        show(rec);
      } else {
        const state = replay(s, k, Infinity, aheadFrom(performance.now()));
        const live = st.cache.get(k);
        if (live) {
          // recorded live on the way (the capture-ahead may have run on to the end)
          if (state.done || state.atEnd) st.total = s.position + 1;
          st.step = k;
          st.state = live.state;
          st.maxSeen = Math.max(st.maxSeen, k);
          show(live);
        } else {
          arrived(state, k);
        }
      }
    } catch (e) {
      internalError(e);
    } finally {
      st.busy = false;
    }
    await afterMove();
  }

  /** After a move (or an idle-time record): the move asked for meanwhile, else more idle-time records. */
  function afterMove() {
    if (st.pending === null) { prefetchSoon(); return undefined; }
    const p = st.pending;
    st.pending = null;
    return goTo(p);
  }

  /** The session replayed to k (its heap then live at that step); every move delivers the whole output up to it. */
  function replay(s, k, budget = Infinity, ahead = null) {
    detach(s);
    return s.goTo(k, budget, ahead);
  }

  /** Before the session's heap is replaced: the views let go of it, and the output is all delivered again. */
  function detach(s) {
    st.fullOut = ''; st.fullErr = '';
    s.delivered = { out: 0, err: 0 };
    st.liveStep = null;
    st.view?.dispose();
    st.view = null;
  }

  /**
   * Capture-ahead for one replay: the positions from its target on are
   * recorded while the program runs on (as long as the replay itself took,
   * at least AHEAD_MS), so the next Steps need no replay. Reading the views
   * allocates bookkeeping in the model heap (snapshot tables, repr strings),
   * which would shift the addresses of everything allocated later; so linear
   * memory is saved before the reads and written back after them, and the
   * program goes on from exactly the bytes it left.
   */
  function aheadFrom(t0) {
    let first = null, n = 0;
    return {
      capture: (at) => {
        if (first === null) first = performance.now();
        captureLive(at);
        n++;
        return n < AHEAD_MAX && performance.now() - first < Math.max(AHEAD_MS, first - t0);
      },
    };
  }

  /**
   * While the page is idle, the program suspended after the shown step
   * (session.cont: where the last capture-ahead stopped) runs on and records
   * the next positions, so that Step shows them from the cache. Each record
   * takes a few ms (snapshot, traces, panels' data), done here between frames
   * instead of in the key press that asks for it.
   */
  function prefetchSoon() {
    const s = st.session;
    if (st.prefetch || !s?.cont || typeof requestIdleCallback !== 'function') return;
    st.prefetch = requestIdleCallback((deadline) => {
      st.prefetch = 0;
      if (!s.cont || st.busy || st.running || s !== st.session) return;
      // a record takes a few ms: only in an idle period long enough for one (else the next one)
      if (!deadline.didTimeout && deadline.timeRemaining() < PREFETCH_MIN_MS) { prefetchSoon(); return; }
      const from = s.cont.count + 1;
      if (from - st.step > PREFETCH_MAX || st.cache.has(from) || (st.total !== null && from >= st.total)) return;
      st.busy = true;
      try {
        const state = replay(s, from, Infinity, {
          capture: (at) => { captureLive(at); return deadline.timeRemaining() > PREFETCH_MIN_MS && at.count - st.step < PREFETCH_MAX; },
        });
        if (state.done || state.atEnd) st.total = s.position + 1;
      } catch (e) {
        internalError(e);
      } finally {
        st.busy = false;
      }
      afterMove();
    }, { timeout: 1000 });
  }

  /** Records the position the session's heap is live at (capture-ahead, a stopped Run), leaving the heap's bytes as they were. */
  function captureLive({ count, line, frames, out, err, switches }) {
    // the bytes saved into one buffer kept for it (a new copy of the whole memory per capture
    // was most of a capture's time at 10,000 objects, with the collections of the copies)
    // (the wasm stack below its pointer holds nothing live: left out, ~1 MiB of each copy)
    const lap = laps('capture');
    const mem = raw.u8, n = mem.length;
    if (!st.saveBuf || st.saveBuf.length < n) st.saveBuf = new Uint8Array(n + (n >> 2));
    const saved = st.saveBuf.subarray(0, n);
    const [lo, hi] = raw.freeStack() ?? [n, n];
    saved.set(mem.subarray(0, lo));
    saved.set(mem.subarray(hi, n), hi);
    lap('save');
    try {
      remember(count, record(st.session, { done: false, status: null, line, frames }, count, out, err, switches));
    } finally {
      lap('record');
      // the memory may have grown meanwhile: the old length is what the program knew
      const now = raw.u8;
      now.set(saved.subarray(0, lo));
      now.set(saved.subarray(hi, n), hi);
      lap('restore');
    }
  }

  /**
   * With api.measure on (the fps benchmark's --profile): lap(name) ends a lap, recorded as
   * performance.measure(`${prefix}:${name}`) from the end of the one before (or from now).
   */
  function laps(prefix) {
    if (!opts.measure) return () => {};
    let t = performance.now();
    return (name) => { const now = performance.now(); performance.measure(`${prefix}:${name}`, { start: t, end: now }); t = now; };
  }

  function remember(step, rec) {
    const weight = (r) => r.snap.objects.length + r.shown.objects.length + 1;
    const had = st.cache.get(step);
    if (had) { st.cacheObjects -= weight(had); st.cache.delete(step); }
    st.cacheObjects += weight(rec);
    while (st.cache.size && (st.cache.size >= CACHE_MAX || st.cacheObjects > CACHE_OBJECTS)) {
      const [oldest, r] = st.cache.entries().next().value;
      st.cache.delete(oldest);
      st.cacheObjects -= weight(r);
    }
    st.cache.set(step, rec);
  }

  /**
   * A Heap view of the session's heap at the shown step (replays there when
   * the session is elsewhere). The views are recorded live; this heap is the
   * paused one, where a pause inside a function has unwound that function's
   * frames (its value stack released) — the same at the module level.
   */
  function liveView() {
    const s = st.session;
    if (!s) return null;
    if (st.liveStep !== st.step) {
      replay(s, st.step);
      st.liveStep = st.step;
    }
    if (!st.view || st.view.disposed) st.view = viewHeap(raw, s.heap);
    return st.view;
  }

  function arrived(state, k) {
    const s = st.session;
    if (state.done) {
      st.total = s.position + 1;
      st.step = st.total;
    } else if (state.atEnd) {
      st.total = s.position + 1;   // the next step shuts the interpreter down
      st.step = s.position;
    } else {
      st.step = Math.min(k, s.position);
    }
    st.state = state;
    st.liveStep = st.step;
    st.maxSeen = Math.max(st.maxSeen, st.step);
    const rec = record(s, state, st.step, st.fullOut, st.fullErr, s.switches);
    if (!state.done) remember(st.step, rec);
    show(rec);
  }

  async function step() {
    if (st.total !== null && st.step >= st.total) return;
    await goTo(st.step + 1);
  }
  async function back() { if (st.step > 0) await goTo(st.step - 1); }
  async function reset() { stopPlay(); await goTo(0); }

  /**
   * Run to the end in slices of about SLICE_MS, each continuing the live
   * program (session.runSlice: no replay, so a long program costs one run);
   * between slices the page renders the progress ("step N") and the output so
   * far, and takes input: Stop (or Esc) pauses the program where the last
   * slice left it, shown as Step would show that step. Another move (the
   * slider, the timeline) during a Run replaces it.
   */
  async function run() {
    if (st.busy || st.running) return;
    stopPlay();
    st.running = true;
    st.stopRequested = false;
    st.note = '';
    runningUI(true);
    let state = null;
    const s = ensureSession();
    try {
      detach(s);
      s.startSlices();
      for (let slice = FIRST_SLICE; ;) {
        const t0 = performance.now(), i0 = s.vm?.instructions ?? 0;
        state = s.runSlice(slice, MAX_INSTRUCTIONS);
        if (!state.running) break;
        // the next slice: about SLICE_MS at this one's rate (between half and twice this one)
        const ms = performance.now() - t0, did = s.vm.instructions - i0;
        if (did > 0 && ms > 0) slice = Math.round(Math.min(2 * slice, Math.max(slice / 2, did * SLICE_MS / ms)));
        progress(s);
        await betweenSlices();
        if (st.stopRequested || st.session !== s || !s.slicing) break;
      }
      if (st.session === s && state.running && s.slicing) {
        // stopped by the user: the program pauses at the last line the run reached
        const at = s.position;
        const instructions = s.vm.instructions;
        if (s.live) {
          // recorded while the program is live there, as a replay's capture-ahead records a step;
          // then paused there (the heap a replay to that step leaves) and shown from the record
          captureLive({ count: at, ...s.suspendedAt(), out: st.fullOut, err: st.fullErr, switches: s.switches.slice() });
          s.stopSlices();
          await goTo(at);
          st.liveStep = at;
        } else {
          await goTo(at);   // a run being replayed in slices: replay to that line
        }
        st.note = `pyheap: stopped by you at step ${at}, after ${count(instructions)} instructions (Step goes on from here)\n`;
        renderConsole();
      }
    } catch (e) {
      internalError(e);
      return;
    } finally {
      st.running = false;
      runningUI(false);
    }
    // the program was edited, or another move replaced the run, meanwhile; or it was stopped (shown above)
    if (st.session !== s || state.running) return;
    // a program that finished is shown just after its last line, names still bound;
    // one that failed, at its end (the traceback printed)
    arrived(state, Infinity);
  }

  /**
   * Lets a frame render and input (Stop, Esc) in before Run's next slice; in
   * a hidden tab, where animation frames stop, after at most 100 ms.
   */
  function betweenSlices() {
    return new Promise((resolve) => {
      let timer = null;
      const go = () => { if (timer === null) return; clearTimeout(timer); timer = null; setTimeout(resolve, 0); };
      timer = setTimeout(go, 100);
      requestAnimationFrame(go);
    });
  }

  /** Between Run's slices: how far it got, and the output so far. */
  function progress(s) {
    st.maxSeen = Math.max(st.maxSeen, s.position);
    setStatus(`running… step ${count(s.position)} (Esc or Stop ends it)`);
    st.out = st.fullOut;
    st.err = st.fullErr;
    st.switches = s.switches.slice();
    renderConsole();
  }

  function stop() { st.stopRequested = true; stopPlay(); }

  function togglePlay() { if (st.playing) stopPlay(); else play(); }
  function play() {
    if (st.running) return;
    const ms = Number(q('.pg-speed').value);
    q('.pg-play').textContent = 'Pause';
    q('.pg-play').classList.add('on');
    const tick = async () => {
      if (!st.playing) return;
      if (st.total !== null && st.step >= st.total) { stopPlay(); return; }
      await step();
      if (st.playing) st.playing = setTimeout(tick, ms);
    };
    st.playing = setTimeout(tick, 0);
  }
  function stopPlay() {
    clearTimeout(st.playing);
    st.playing = null;
    q('.pg-play').textContent = 'Play';
    q('.pg-play').classList.remove('on');
  }

  // ---- drawing a position ----

  /** Everything the views show at one step, read while the session's heap is live there. */
  function record(s, state, step, out, err, switches) {
    const lap = laps('record');   // each part's share, when measuring
    const tm = readTraces(raw, s.heap);   // first: the reads below allocate (traced) bookkeeping
    lap('traces');
    const v = viewHeap(raw, s.heap);
    try {
      const roots = rootsOf(state.frames);
      const internal = internalRoots(state.done ? null : s.vm);
      // the last record's snapshot and view given as previous: what the step did not change is
      // the same JS object in both (no garbage made for it, the graph's diff skips it)
      const last = st.lastRecorded;
      // with get_object_traceback() of each object, read by the core as it walks them
      const snap = v.snapshot([...roots.map((r) => r.id), ...internal], { previous: last?.snap ?? null, tracebacks: tm !== null });
      const alloc = tm ? objectTracebacks(snap, tm) : null;
      lap('snapshot');
      const shown = programView(snap, roots, { baseline: st.baseline, internal, maxItems: opts.maxItems, previous: last?.shown ?? null });
      lap('programView');
      const stats = v.stats();
      const m = measure(s.heap, stats);
      const garbageList = v.gc.garbage;
      const nGarbage = garbageList.len();
      garbageList.release();
      // a collection since the step before (or, after a jump, since the nearest earlier sample): its phase trace,
      // with the snapshot recorded at that earlier step (what existed before the collection) for the walk
      let since = 0, before = 0;
      const earlier = lowerBound(st.sampleSteps, step) - 1;
      if (earlier >= 0) { since = st.sampleSteps[earlier]; before = st.samples.get(since).coll; }
      const collection = m.coll > before
        ? { trace: v.gc.lastTrace(), extra: { collections: m.coll - before, step, since, snapshotBefore: st.cache.get(step - 1)?.snap ?? snap } }
        : null;
      lap('stats+gc');
      if (tm) {
        tm.alloc = alloc;
        tm.program = !!s.vm?.hostTrace?.program;
        delete tm.tracebacks;
      }
      lap('tracebacks');
      const arenas = v.arenas();
      lap('arenas');
      const gens = { counts: v.gc.getCount(), thresholds: v.gc.getThreshold(), stats: v.gc.getStats(), garbage: nGarbage };
      const reprs = reprsOf(s.heap, shown);
      lap('gens+reprs');
      const debugText = v.debugmallocstats();
      lap('debugText');
      st.lastRecorded = { snap, shown };
      return { state, step, snap, roots, shown, m, out, err, switches, collection, tm, stats, arenas, gens, reprs, debugText };
    } finally {
      v.dispose();
    }
  }

  function show(rec) {
    const t0 = performance.now();
    const { state, snap, roots, shown, stats, m } = rec;
    st.out = rec.out;
    st.err = rec.err;
    st.switches = rec.switches;
    if (!state.done && state.line !== null) {
      const had = st.samples.get(rec.step);
      if (!had || had.mem !== m.mem || had.coll !== m.coll) { setSample(rec.step, m); st.seriesMemo = null; }
    } else {
      st.atEnd = { ...(st.atEnd ?? {}), [st.step]: m };
      st.seriesMemo = null;
    }
    const lap = laps('show');   // each view's share, when measuring
    // the editor first: an update of it (a new error mark, a scroll) reads the DOM selection,
    // which lays the page out when anything in it changed since the last frame (the views below write to the DOM)
    const top = state.frames[state.frames.length - 1];
    const line = state.done ? null : (state.line ?? top?.line ?? null);
    const errLine = state.done && state.status ? errorLine(st.err, opts.filename) : null;
    markLines(editor, line, errLine);
    lap('editor');
    graph.update(shown, roots, { reprs: rec.reprs });
    st.lastShown = shown;
    lap('graph');
    const fast = st.shownAt !== null && t0 - st.shownAt < FAST_MS;
    st.shownAt = t0;
    panel(q('.pg-arenas'), fast, () => arenaMap.update(rec.arenas, stats));
    lap('arenas');
    gens.update(rec.gens);
    lap('gens');
    // (memory over time sits below the fold at 1500 x 1000: its cursor, its readout and, while a Run's
    // positions are first shown, its curves were redrawn and rasterised at every step)
    panel(q('.pg-timeline'), fast, () => timeline.update(series(), st.step));
    lap('timeline');
    st.lastTm = rec.tm;
    panel(q('.pg-toplines'), fast, () => topLines.update({ now: rec.tm, previous: previousTraces(rec.step), program: !!rec.tm?.program }));
    lap('toplines');
    if (rec.collection) onCollection(rec.collection.trace, rec.collection.extra);
    else clearWalk();
    lap('gcwalk');

    // console, controls
    renderConsole();
    const objs = shown.objects.length;
    // counted once per recorded step (a step shown again reuses them)
    rec.counts ??= { more: shown.objects.filter((o) => o.moreRefs).length, refs: shown.objects.reduce((n, o) => n + o.refs.length, 0) };
    const more = rec.counts.more;
    setText(q('.pg-summary'), `${count(objs)} object${objs === 1 ? '' : 's'} drawn` +
      (more ? ` (${more} big container${more === 1 ? '' : 's'}: first ${opts.maxItems} items each)` : '') +
      (shown.garbage ? ` · ${shown.garbage} unreachable (cyclic garbage)` : '') +
      ` · ${bytes(m.mem)} in blocks · ${stats.narenasCurrentlyAllocated} arena${stats.narenasCurrentlyAllocated === 1 ? '' : 's'}`);
    updateControls();
    const where = state.done ? 'program ended (interpreter shut down)'
      : state.atEnd ? 'after the last line (names still bound)'
        : line ? `about to run line ${line}${top && top.name !== '<module>' ? ` in ${top.name}()` : ''}` : '';
    setStatus(where);
    setData(root, 'shownObjects', String(objs));
    setData(root, 'shownLinks', String(rec.counts.refs + roots.length));
    setData(root, 'snapshotObjects', String(snap.objects.length));
    lap('rest');
    setData(root, 'updateMs', (performance.now() - t0).toFixed(1));
  }

  /**
   * A panel's update for the step shown: done now, except while moves come fast (a held key,
   * Play) for a panel that is off screen (below the fold): then it is done at most CATCH_UP_MS
   * later, with the latest step's data, or as soon as the panel comes into view. Nobody sees an
   * off-screen panel change 60 times a second; its DOM work, layout and paint were ~6 ms of
   * CPU a step at 1,000 objects (tests/bench/README.md, session 7). The panel's data-step
   * says which step it shows.
   */
  function panel(el, fast, update) {
    st.behind.set(el, update);
    if (fast && st.offscreen.has(el)) st.catchUp ||= setTimeout(catchUp, CATCH_UP_MS);
    else bringUp(el);
  }

  /** A panel's update left for later (if any), done now. */
  function bringUp(el) {
    const update = st.behind.get(el);
    if (!update) return;
    st.behind.delete(el);
    update();
    setData(el, 'step', String(st.step));
  }

  /** The panels left behind by fast moves, brought up to date. */
  function catchUp() {
    st.catchUp = 0;
    for (const el of [...st.behind.keys()]) later(el);
  }

  /** bringUp() outside a move (a timer, the panel coming into view): a failure is reported as a move's would be. */
  function later(el) {
    try { bringUp(el); } catch (e) { internalError(e); }
  }

  /** The memory series for the timeline (recomputed only after the samples changed: most steps only move its cursor). */
  function series() {
    st.seriesMemo ??= seriesOfSamples();
    return st.seriesMemo;
  }

  function seriesOfSamples() {
    const counts = st.sampleSteps;   // in order already (a sort of every sample was ~1.5 ms a step at 10,000 objects)
    const out = [{ step: 0, current: counts.length ? st.samples.get(counts[0]).mem : 0, peak: 0 }];
    let peak = 0;
    for (const c of counts) {
      const mem = st.samples.get(c).mem;
      peak = Math.max(peak, mem);
      out.push({ step: c, current: mem, peak });
    }
    for (const [k, m] of Object.entries(st.atEnd ?? {}).sort((a, b) => a[0] - b[0])) {
      if (Number(k) <= (counts[counts.length - 1] ?? -1)) continue;
      peak = Math.max(peak, m.mem);
      out.push({ step: Number(k), current: m.mem, peak });
    }
    out[0].peak = out[0].current;
    return out;
  }

  /** The nearest recorded step before `step` with traces, for compare_to (or null). */
  function previousTraces(step) {
    for (let k = step - 1; k >= Math.max(0, step - 50); k--) {
      const r = st.cache.get(k);
      if (r?.tm) return { rec: r.tm, step: k };
    }
    return null;
  }

  /** linecache.getline for the panels: the editor's text for the program, the VM's for its library modules. */
  function sourceLine(filename, lineno) {
    if (filename === opts.filename) {
      const doc = editor.state.doc;
      return lineno >= 1 && lineno <= doc.lines ? doc.line(lineno).text : '';
    }
    return st.session?.vm?.sourceLine(filename, lineno) ?? '';
  }

  function reprsOf(h, shown) {
    const out = new Map();
    if (shown.objects.length > REPR_LIMIT) return out;
    for (const o of shown.objects) {
      if (!SCALARS.has(o.type)) continue;
      const p = raw.obj_repr(h, o.id);
      if (!p) continue;
      const r = raw.text(p, raw.obj_text_len());
      out.set(o.id, r.length > 40 ? `${r.slice(0, 39)}…` : r);
    }
    return out;
  }

  function renderConsole() {
    // unchanged output (most steps): no DOM write, no scroll (reading scrollHeight forces a layout)
    const was = st.shownConsole;
    if (was && was.out === st.out && was.err === st.err && was.note === st.note && sameSwitches(was.switches, st.switches)) return;
    st.shownConsole = { out: st.out, err: st.err, note: st.note, switches: st.switches };
    renderStreams(q('.pg-console'), q('.pg-note'), st.out, st.err, st.switches);
    setText(q('.pg-note'), st.note);
    const c = q('.pg-console');
    c.scrollTop = c.scrollHeight;
  }

  function updateControls() {
    const atEndStep = st.total !== null && st.step >= st.total;
    q('.pg-back').disabled = st.step === 0 || st.running;
    q('.pg-step').disabled = atEndStep || st.running;
    q('.pg-run').disabled = st.running;
    q('.pg-reset').disabled = st.running;
    const sl = q('.pg-slider');
    setAttr(sl, 'max', st.total ?? st.maxSeen);
    if (sl.value !== String(st.step)) sl.value = String(st.step);
    setText(q('.pg-stepno'), `step ${st.step} / ${st.total ?? `${st.maxSeen}+`}`);
    setData(root, 'step', String(st.step));
    setData(root, 'total', st.total === null ? '' : String(st.total));
  }

  function runningUI(on) {
    q('.pg-stop').disabled = !on;
    root.dataset.running = on ? '1' : '';
    updateControls();
  }

  function setStatus(t) { setText(q('.pg-status'), t); }

  function internalError(e) {
    console.error(e);
    st.note = `pyheap: ${e?.code === 'ECORRUPT' ? 'the heap died' : 'internal error'}: ${e?.message ?? e}\n`;
    renderConsole();
    setStatus('internal error (see the console)');
  }

  function showIdle() {
    renderConsole();
    updateControls();
    setStatus('Press Step to go line by line, or Run.');
    q('.pg-summary').textContent = '';
    graph.update({ objects: [] }, []);
    st.lastTm = null;
    topLines.update(null);
    root.dataset.shownObjects = '0';
    root.dataset.shownLinks = '0';
  }

  // ---- gc.collect() explained (the lead plugs web/viz/gcwalk.js in here) ----
  function clearWalk() {
    const box = q('#gc-walk');
    if (box.dataset.phases === undefined && box.firstChild?.classList?.contains('pg-hint') && box.childNodes.length === 1) return;   // already clear
    box.replaceChildren(el('p', { className: 'pg-hint', textContent: 'When a collection runs during a step, its phases show here.' }));
    delete box.dataset.phases;
  }

  /**
   * Called after a step in which a collection ran, with heap.gc.lastTrace():
   * { generation, phases: { examined, unreachable, weakrefCallbacks,
   * finalized, resurrected, cleared, freed } (arrays of { id, value }) }.
   * Shows the per-phase counts, then the steppable phase walk (GcWalk).
   */
  function onCollection(trace, extra = {}) {
    if (opts.onCollection) { opts.onCollection(trace, extra); return; }
    const box = q('#gc-walk');
    const gen = trace.generation;
    const items = PHASES.map(([k, what]) => {
      const li = el('li', { className: 'pg-phase' }, el('b', { textContent: String(trace.phases[k]?.length ?? 0) }), ` ${what}`);
      li.dataset.phase = k;
      return li;
    });
    box.replaceChildren(
      el('p', { textContent: `${extra.collections > 1 ? `${extra.collections} collections ran` : 'A collection ran'}` +
        `${extra.since !== undefined && extra.since < extra.step - 1 ? ` since step ${extra.since}` : ' in this step'}` +
        `${extra.collections > 1 ? '; the last one' : ''}: generation ${gen ?? '?'}` }),
      el('ol', { className: 'pg-phases' }, ...items),
      el('p', { className: 'pg-hint', textContent: `gc.collect() returns the unreachable count: ${trace.phases.unreachable?.length ?? 0}.` }),
      el('p', { className: 'pg-hint', textContent: 'Step through the phases (buttons, or ← → with the walk focused): why each object was kept or collected.' }),
      walkBox);
    walk ??= new GcWalk(walkBox, {});
    // objects examined, as they were at the step before (after a jump: as they are now; the freed show '?')
    walk.show(trace, extra.snapshotBefore ?? null);
    box.dataset.phases = String(items.length);
  }

  // ---- details of the clicked object (text only) ----
  function showDetails(d) {
    const box = q('.pg-details');
    if (!d) { box.replaceChildren(el('p', { className: 'pg-hint', textContent: 'Click an object in the graph: its size, refcount, who holds it, and the chain of references from a name.' })); return; }
    if (d.kind === 'name') { box.replaceChildren(el('h3', {}, 'name ', el('code', { textContent: d.name })), el('p', { textContent: `bound to the object at ${hex(d.id)}` })); return; }
    const dl = el('dl');
    const row = (k, v) => dl.append(el('dt', {}, k), el('dd', {}, v));
    row(el('code', { textContent: 'sys.getsizeof' }), `${d.size} bytes`);
    row('refcount', d.immortal ? 'immortal' : String(d.refcount));
    row('GC', d.gen == null ? (d.badges.includes('untracked') ? 'GC type, not tracked' : 'not a GC object') : `generation ${d.gen}`);
    if (d.badges.length) row('badges', d.badges.join(', '));
    row('allocated at', allocatedAt(d.id));
    const held = el('ul');
    for (const n of d.names) held.append(el('li', {}, 'name ', el('code', { textContent: n })));
    for (const h of d.heldBy) held.append(el('li', {}, el('code', { textContent: h.type }), ` at ${hex(h.id)}${h.count > 1 ? ` ×${h.count}` : ''}`));
    if (d.unseen) held.append(el('li', { className: 'pg-hint', textContent: `${d.unseen} reference${d.unseen === 1 ? '' : 's'} from outside the drawing (the interpreter's stack, its own objects)` }));
    if (!held.children.length) held.append(el('li', { className: 'pg-hint', textContent: 'nothing' }));
    const types = new Map(graph.model.snapshot.objects.map((o) => [o.id, o.type]));
    const chain = d.chain
      ? el('p', { className: 'pg-chain', textContent: [d.chain.name, ...d.chain.ids.slice(1).map((id) => types.get(id) ?? '?')].join(' → ') })
      : el('p', { className: 'pg-warn', textContent: 'none: no name reaches this object' });
    // (replaceChildren would show a null as the text "null": the repr line only when there is one)
    box.replaceChildren(...[el('h3', {}, el('code', { textContent: d.type }), ` at ${hex(d.id)}`),
      d.repr ? el('pre', { className: 'pg-repr', textContent: d.repr }) : null,
      dl, el('h4', { textContent: 'held by' }), held, el('h4', { textContent: 'back-reference chain' }), chain].filter(Boolean));
  }

  /** tracemalloc.get_object_traceback(obj) at the shown step: file:line and its source (or why there is none). */
  function allocatedAt(id) {
    const frames = st.lastTm?.alloc?.get(id);
    if (!frames) return el('span', { className: 'pg-hint pg-alloc', textContent: 'not traced (allocated before tracing — a constant, or reused from a free list — / interned / immortal)' });
    const [[filename, lineno], ...callers] = frames;
    const src = sourceLine(filename, lineno).trim();
    return el('span', { className: 'pg-alloc' }, el('code', { textContent: `${filename}:${lineno}` }),
      src ? el('code', { className: 'pg-alloc-src', textContent: src }) : null,
      ...callers.map(([f, l]) => el('span', { className: 'pg-hint', textContent: ` ← ${f}:${l}` })));
  }

  // ---- export ----
  function download(blob, name) {
    const a = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  /** The graph as a standalone SVG document (styles inlined), or null when it is drawn on Canvas. */
  function graphSVG() {
    const svg = q('.pg-graph svg.hg-surface');
    if (!svg) return null;
    const copy = svg.cloneNode(true);
    const props = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-size', 'font-family', 'font-weight', 'display'];
    const src = svg.querySelectorAll('*');
    const dst = copy.querySelectorAll('*');
    src.forEach((e, i) => {
      const cs = getComputedStyle(e);
      dst[i].setAttribute('style', props.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';'));
    });
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    for (const [k, v] of [['width', '100%'], ['height', '100%'], ['fill', '#fff']]) bg.setAttribute(k, v);
    copy.insertBefore(bg, copy.firstChild);
    return new XMLSerializer().serializeToString(copy);
  }

  async function graphPNG() {
    const canvas = q('.pg-graph canvas.hg-surface');
    if (canvas) return new Promise((r) => canvas.toBlob(r, 'image/png'));
    const text = graphSVG();
    const svg = q('.pg-graph svg.hg-surface');
    const img = new Image();
    img.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    await img.decode();
    const c = el('canvas', { width: svg.clientWidth * 2, height: svg.clientHeight * 2 });
    const ctx = c.getContext('2d');
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, svg.clientWidth, svg.clientHeight);
    URL.revokeObjectURL(img.src);
    return new Promise((r) => c.toBlob(r, 'image/png'));
  }

  // ---- wiring ----
  q('.pg-run').onclick = () => run();
  q('.pg-step').onclick = () => step();
  q('.pg-back').onclick = () => back();
  q('.pg-reset').onclick = () => reset();
  q('.pg-stop').onclick = () => stop();
  q('.pg-play').onclick = () => togglePlay();
  q('.pg-slider').oninput = (ev) => goTo(Number(ev.target.value));
  q('.pg-fit').onclick = () => graph.fit();
  q('.pg-relax').onclick = () => graph.relax();
  q('.pg-immortals').onchange = (ev) => graph.setImmortals(ev.target.value);
  q('.pg-examples').onchange = (ev) => { const ex = exampleById(ev.target.value); if (ex) setSource(ex.code); q('.pg-examples').value = ex ? ex.id : ''; };
  q('.pg-svg').onclick = () => {
    const text = graphSVG();
    if (!text) { setStatus('SVG export needs the SVG drawing (under 1,000 objects); use PNG for big heaps'); return; }
    download(new Blob([text], { type: 'image/svg+xml' }), `pyheap-step-${st.step}.svg`);
  };
  q('.pg-png').onclick = async () => download(await graphPNG(), `pyheap-step-${st.step}.png`);
  q('.pg-share').onclick = async () => {
    await saveHash();
    const url = location.href.replace(/#.*$/, '') + await encodeSource(st.source);
    try { await navigator.clipboard.writeText(url); setStatus('link copied: it reproduces this program'); } catch { setStatus(`link: ${url}`); }
  };
  // outside the editor and form controls: on the page (focus on body) or inside this playground
  document.addEventListener('keydown', (ev) => {
    const t = ev.target;
    if (t !== document.body && !root.contains(t)) return;
    if (ev.altKey || ev.ctrlKey || ev.metaKey || t.closest?.('.cm-editor, input, select, textarea, button')) return;
    if (ev.key === 'ArrowRight') { ev.preventDefault(); step(); }
    if (ev.key === 'ArrowLeft') { ev.preventDefault(); back(); }
    if (ev.key === ' ') { ev.preventDefault(); togglePlay(); }
    if (ev.key === 'Escape') stop();
  });
  if (opts.hash) {
    window.addEventListener('hashchange', async () => {
      try {
        const src = await decodeSource(location.hash);
        if (src !== null && src !== st.source) setSource(src, { fromHash: true });
      } catch (e) { st.note = `pyheap: ${e.message}\n`; renderConsole(); }
    });
  }

  // ---- first program: the link's, else options.source, else the first example ----
  let first = opts.source ?? EXAMPLES[0].code;
  if (opts.hash) {
    try {
      const src = await decodeSource(location.hash);
      if (src !== null) first = src;
    } catch (e) { st.note = `pyheap: ${e.message}\n`; }
  }
  setSource(first, { fromHash: true });
  showDetails(null);
  clearWalk();

  const api = {
    goTo, step, back, reset, run, stop, play, stopPlay, onCollection,
    load: (src) => setSource(src),
    loadExample: (id) => { const ex = exampleById(id); if (!ex) throw new Error(`no example ${id}`); q('.pg-examples').value = id; setSource(ex.code); },
    get state() { return st; },
    /** A Heap view of the heap at the shown step. */
    get heap() { return liveView(); },
    get shown() { return st.lastShown; },
    /** Items drawn per container (level of detail); takes effect at the next move. */
    set maxItems(n) { opts.maxItems = n; },
    /** Record each view's update time as performance.measure('show:<view>') entries (profiling). */
    set measure(on) { opts.measure = Boolean(on); },
    graph, arenaMap, gens, timeline, topLines, editor, graphSVG,
  };
  root.dataset.ready = '1';
  return api;
}

function legend(box) {
  const keys = ['gen0', 'gen1', 'gen2', 'untracked', 'nogc', 'immortal'];
  for (const k of keys) {
    const i = el('i');
    if (k === 'untracked') i.style.cssText = `background:#fff;box-shadow:inset 0 0 0 2px ${GEN_COLORS[k]}`;
    else i.style.background = GEN_COLORS[k];
    box.append(el('span', {}, i, GEN_LABELS[k]));
  }
  box.append(el('span', {}, el('i', { className: 'ring' }), 'unreachable (cyclic garbage)'),
    el('span', {}, el('i', { className: 'nm' }), 'name'));
}
