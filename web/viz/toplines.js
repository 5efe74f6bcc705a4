// toplines.js — tracemalloc's top allocations by line, for one step of a
// program (the playground's "Memory over time" box).
//
//   const rec = readTraces(raw, h);                    // while the heap is live at the step
//   const view = new TopLines(el, { onPick: (filename, lineno) => …, sourceLine: (f, l) => '…' });
//   view.update({ now: rec, previous: { rec, step } | null });
//
// The rows are tracemalloc's own: Snapshot.statistics('lineno') (largest
// first) printed as str(Statistic) — `main.py:12: size=56.0 KiB,
// count=1000, average=57 B` — or, as a toggle, Snapshot.compare_to(old,
// 'lineno') against the previous recorded step or the program's start,
// printed as str(StatisticDiff). The grouping, order and text are those of
// web/lib/tracemalloc.js (CPython 3.12's Lib/tracemalloc.py). Each row shows
// its source line; clicking a row calls onPick(filename, lineno); the
// "trace" checkbox calls onTrace(on) (the playground reruns with or without
// its trace). Text only
// (textContent), never markup from the program.
//
// objectTracebacks answers tracemalloc.get_object_traceback() for every
// object of a snapshot (the frames of the trace of each object's block, most
// recent first), for the playground's "allocated at".

import { blobLineGroups, diffGroups, sortedStatistics, formatSize } from '../lib/tracemalloc.js';
import { setText, setData } from './dom.js';
import { count } from './style.js';

const MODES = [
  ['size', 'largest now (statistics)'],
  ['previous', 'change since the previous step (compare_to)'],
  ['start', 'change since the start (compare_to)'],
];

/**
 * The traces of heap `h` now, or null when the core is not tracing:
 * { groups: Map (statistics('lineno') grouping), blocks, current, peak,
 *   tracebacks } (tracebacks: the core's interned tracebacks, by id).
 * Reads only (the export blob is the core's bookkeeping, never traced).
 */
export function readTraces(raw, h) {
  if (raw.tm_is_tracing(h) !== 1) return null;
  const p = raw.tm_snapshot(h);
  if (!p) return null;
  const { groups, ntraces, tracebacks } = blobLineGroups(raw, p);
  return { groups, blocks: ntraces, current: raw.tm_memory(h, 0), peak: raw.tm_memory(h, 1), tracebacks };
}

/**
 * tracemalloc.get_object_traceback() for every object of `snap`, a snapshot taken with
 * `{ tracebacks: true }` (each object's traceback number read by the core during its walk) right
 * after `rec` was read (interned tracebacks keep their numbers). `.get(id)` answers frames
 * [[filename, lineno], …] most recent first, or undefined for an untraced object (allocated
 * before tracing, interned, immortal). (Kept as the snapshot's u32 per object: a map of every
 * object, made at every step and kept with every recorded step, was ~0.5 MB each at 10,000.)
 */
export function objectTracebacks(snap, rec) {
  return new ObjectTracebacks(snap, rec && snap.tracebacks ? snap.tracebacks : new Uint32Array(0), rec?.tracebacks ?? []);
}

/** Object tracebacks of one snapshot: its objects' traceback numbers (1-based; 0: none) and the tracebacks. */
class ObjectTracebacks {
  constructor(snap, numbers, tracebacks) {
    this.snap = snap;
    this.numbers = numbers;
    this.tracebacks = tracebacks;
  }

  get(id) {
    if (!this.numbers.length) return undefined;
    const i = this.snap.objects.findIndex((o) => o.id === id);
    const tb = i < 0 ? 0 : this.numbers[i];
    return tb > 0 ? this.tracebacks[tb - 1]?.frames : undefined;
  }
}

function el(tag, props = {}, ...kids) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids.filter((k) => k !== null && k !== undefined));
  return e;
}

export class TopLines {
  /**
   * @param {HTMLElement} root
   * @param {{ onPick?: (filename: string, lineno: number) => void,
   *           sourceLine?: (filename: string, lineno: number) => string, limit?: number }} [opts]
   */
  constructor(root, opts = {}) {
    this.root = root;
    this.opts = { limit: 8, onPick: null, onTrace: null, tracing: true, sourceLine: () => '', ...opts };
    this.mode = 'size';
    this.data = null;
    root.classList.add('tl');
    const select = el('select', { className: 'tl-mode', ariaLabel: 'what the lines show' });
    for (const [v, text] of MODES) select.append(el('option', { value: v, textContent: text }));
    select.onchange = () => { this.mode = select.value; this.render(); };
    this.select = select;
    this.total = el('span', { className: 'tl-total' });
    // the host's trace costs time (every frame mirrored): the playground can turn it off
    const trace = el('input', { type: 'checkbox', className: 'tl-trace', checked: this.opts.tracing });
    trace.onchange = () => { this.opts.tracing = trace.checked; this.opts.onTrace?.(trace.checked); this.render(); };
    this.traceBox = trace;
    this.note = el('p', { className: 'tl-note' });
    this.list = el('ol', { className: 'tl-rows' });
    root.replaceChildren(el('div', { className: 'tl-head' },
      el('strong', { textContent: 'tracemalloc: top lines' }), this.total,
      el('label', { className: 'tl-trace-label', title: 'Trace allocations while the program runs (slower runs)' }, trace, ' trace'),
      select), this.note, this.list);
    this.render();
  }

  /** Mode 'size' | 'previous' | 'start'. */
  setMode(mode) {
    this.mode = mode;
    this.select.value = mode;
    this.render();
  }

  /**
   * @param {{ now: ReturnType<typeof readTraces>, previous?: { rec: object, step: number } | null,
   *           program?: boolean }} data  program: the trace is the program's own (it called tracemalloc.start())
   */
  update(data) {
    this.data = data;
    this.render();
  }

  /** The statistics the rows show (Statistic or StatisticDiff objects, in tracemalloc's order). */
  rows() {
    const now = this.data?.now;
    if (!now) return [];
    if (this.mode === 'size') return sortedStatistics(now.groups);
    if (this.mode === 'start') return diffGroups(now.groups, new Map());
    const prev = this.data.previous?.rec;
    return prev ? diffGroups(now.groups, prev.groups) : [];
  }

  render() {
    const d = this.data;
    const now = d?.now;
    setData(this.root, 'mode', this.mode);
    if (!now) {
      setText(this.total, '');
      setText(this.note, this.opts.tracing ? 'Nothing traced at this step.' : 'Tracing is off (tick "trace" to see which lines allocate).');
      this.list.replaceChildren();
      setData(this.root, 'rows', 0);
      return;
    }
    setText(this.total, `${formatSize(now.current)} in ${count(now.blocks)} block${now.blocks === 1 ? '' : 's'}` +
      ` (peak ${formatSize(now.peak)})`);
    let note = d.program
      ? 'The program\'s own trace (since its tracemalloc.start()).'
      : 'Traced by the playground from the first line, one frame per block (the program does not see it).';
    if (this.mode === 'previous') {
      note += d.previous ? ` Compared with step ${d.previous.step}.` : ' No earlier step recorded to compare with.';
    } else if (this.mode === 'start') {
      note += ' Compared with the start (nothing traced).';
    }
    setText(this.note, note);
    const all = this.rows();
    const shown = all.slice(0, this.opts.limit);
    const max = Math.max(1, ...shown.map((s) => Math.abs(this.mode === 'size' ? s.size : s.size_diff)));
    // a row is rebuilt only when what it shows changed (most steps change one line's figures)
    const rows = shown.map((s) => this.rowData(s, max));
    if (all.length > shown.length) {
      const more = all.length - shown.length;
      rows.push({ sig: `more ${more}`, make: () => el('li', { className: 'tl-more', textContent: `… ${more} more line${more === 1 ? '' : 's'}` }) });
    }
    const kids = this.list.children;
    rows.forEach((r, i) => {
      if (kids[i]?.pyheapSig === r.sig) return;
      const li = r.make();
      li.pyheapSig = r.sig;
      if (kids[i]) kids[i].replaceWith(li); else this.list.append(li);
    });
    while (kids.length > rows.length) kids[kids.length - 1].remove();
    setData(this.root, 'rows', shown.length);
  }

  /** A row's content key and its maker. */
  rowData(stat, max) {
    const [filename, lineno] = stat.traceback._frames[stat.traceback._frames.length - 1];
    const amount = this.mode === 'size' ? stat.size : stat.size_diff;
    const width = `${Math.round((Math.abs(amount) / max) * 100)}%`;
    const src = String(this.opts.sourceLine(filename, lineno) ?? '').trim();
    const text = String(stat);
    return { sig: [filename, lineno, text, src, width, amount < 0].join('\u0000'), make: () => this.row(filename, lineno, text, src, width, amount < 0) };
  }

  row(filename, lineno, text, src, width, negative) {
    const bar = el('span', { className: `tl-bar${negative ? ' tl-neg' : ''}` });
    bar.style.width = width;
    const button = el('button', { className: 'tl-row', type: 'button', title: 'Mark this line in the editor' },
      bar, el('code', { className: 'tl-stat', textContent: text }),
      src ? el('code', { className: 'tl-src', textContent: src }) : null);
    button.dataset.filename = filename;
    button.dataset.lineno = String(lineno);
    button.onclick = () => this.opts.onPick?.(filename, lineno);
    return el('li', {}, button);
  }
}
