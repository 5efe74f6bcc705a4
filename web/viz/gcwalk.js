// gcwalk.js — "gc.collect() explained": a steppable walk through the phases
// of one collection as CPython 3.12's gc_collect_main runs them, with the
// examined objects, their gc_refs and why each is kept or collected.
//
//   const walk = new GcWalk(element, { onPhase(i, phase) { ... } });
//   walk.show(heap.gc.lastTrace(), snapshotTakenBeforeTheCollection);
//   walk.step(+1); walk.step(-1); walk.goTo(3); walk.destroy();
//
// The data comes from walkModel (gcwalk-model.js). Drawn with d3-selection as
// a table (every text through .text(), never HTML); past `summarizeAbove`
// objects (200) a phase is summarised: its counts by state and type, then
// the first `firstRows` (50), the objects that matter for the collection
// first: unreachable, then gc_refs 0, then the rest. The element's data-* attributes report state
// for tests: phase, index, phases, rows, objects, returned, graphNodes.
//
// While gc_refs are at work (update_refs, subtract_refs, move_unreachable)
// and at most `graphLimit` objects are examined, a small graph sits above
// the table: one node per examined object with its gc_refs, arrows for the
// references between them; columns by distance from the objects with outside
// references, the unreachable set in the last column. The layout is the same
// for the three phases, so only the numbers and colours change.

import { select } from 'd3-selection';
import { walkModel, graphLayout } from './gcwalk-model.js';
import { ensureStyles, count } from './style.js';

const hex = (id) => `0x${(id >>> 0).toString(16)}`;

/** Rank of a row for the summarised order: what the collection is about first. */
function rankOf(o, unreachable) {
  if (unreachable.has(o.id)) return 0;
  if (o.gcRefs === 0) return 1;
  if (o.state === 'immortal') return 3;
  return 2;
}

const STATE_FILL = {
  examined: '#4e79a7', external: '#2f7d32', reachable: '#2f7d32', internal: '#d62728', unreachable: '#d62728',
};
const R = 11;          // node radius
const ROW = 42;        // vertical spacing in a column (the type label sits under the node)

/** Counts of `objects` by key(o), largest first: [[key, n]]. */
function tally(objects, key) {
  const m = new Map();
  for (const o of objects) m.set(key(o), (m.get(key(o)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
}

export class GcWalk {
  /**
   * @param {HTMLElement} element
   * @param {{ onPhase?: (index: number, phase: object) => void, summarizeAbove?: number, firstRows?: number,
   *           graphLimit?: number }} [opts]
   */
  constructor(element, { onPhase, summarizeAbove = 200, firstRows = 50, graphLimit = 40 } = {}) {
    ensureStyles();
    this.el = element;
    this.onPhase = onPhase ?? (() => {});
    this.summarizeAbove = summarizeAbove;
    this.firstRows = firstRows;
    this.graphLimit = graphLimit;
    this.phases = [];
    this.index = 0;
    this.unreachable = new Set();
    element.classList.add('gw');
    const root = select(element);
    root.selectAll('*').remove();
    const bar = root.append('div').attr('class', 'gw-bar');
    this.prevBtn = bar.append('button').attr('type', 'button').attr('class', 'gw-prev').text('◀ phase')
      .on('click', () => this.step(-1));
    this.stepLbl = bar.append('span').attr('class', 'gw-step');
    this.nextBtn = bar.append('button').attr('type', 'button').attr('class', 'gw-next').text('phase ▶')
      .on('click', () => this.step(+1));
    this.rail = root.append('ol').attr('class', 'gw-rail').attr('aria-label', 'phases of the collection');
    this.title = root.append('h3').attr('class', 'gw-title');
    this.explain = root.append('p').attr('class', 'gw-explain');
    this.counts = root.append('div').attr('class', 'gw-counts');
    this.summary = root.append('p').attr('class', 'gw-summary');
    this.svg = root.append('svg').attr('class', 'gw-graph').attr('role', 'img').style('display', 'none');
    this.svg.append('defs').append('marker').attr('id', `gw-arrow-${(GcWalk.seq = (GcWalk.seq ?? 0) + 1)}`)
      .attr('viewBox', '0 0 10 10').attr('refX', 10).attr('refY', 5).attr('markerWidth', 7).attr('markerHeight', 7)
      .attr('orient', 'auto-start-reverse').append('path').attr('d', 'M0,0L10,5L0,10z').attr('fill', '#8a94a3');
    this.arrowId = `gw-arrow-${GcWalk.seq}`;
    this.svg.append('g').attr('class', 'links');
    this.svg.append('g').attr('class', 'nodes');
    // in a narrow panel the table scrolls sideways rather than squeezing "why" to a word per line
    const table = root.append('div').attr('class', 'gw-scroll').append('table').attr('class', 'gw-table');
    const head = table.append('thead').append('tr');
    for (const h of ['object', 'type', 'gc_refs', 'state', 'why']) head.append('th').attr('scope', 'col').text(h);
    this.tbody = table.append('tbody');
    this.empty = root.append('p').attr('class', 'gw-empty');
    this.keydown = (ev) => {
      const d = { ArrowRight: 1, ArrowLeft: -1 }[ev.key];
      if (!d || ev.target.closest?.('input, select, textarea')) return;
      this.step(d);
      ev.preventDefault();
      ev.stopPropagation();            // the page's own arrow keys (a stepper) stay out of it
    };
    element.tabIndex = element.tabIndex >= 0 ? element.tabIndex : 0;
    element.addEventListener('keydown', this.keydown);
    this.render();
  }

  /** Walk a collection: trace = heap.gc.lastTrace(), snapshot = heap.snapshot() taken before it. */
  show(trace, snapshotBefore) {
    this.phases = walkModel(trace, snapshotBefore);
    this.layout = graphLayout(this.phases);
    const mu = this.phases.find((p) => p.name === 'move_unreachable');
    this.unreachable = new Set(mu.objects.filter((o) => o.state === 'unreachable').map((o) => o.id));
    const result = this.phases[this.phases.length - 1];
    this.el.dataset.returned = String(result.counts.returned);
    this.el.dataset.phases = String(this.phases.length);
    this.goTo(0);
  }

  step(delta) { this.goTo(this.index + (delta < 0 ? -1 : 1)); }

  goTo(i) {
    if (!this.phases.length) return;
    const n = Math.max(0, Math.min(this.phases.length - 1, Math.trunc(Number(i)) || 0));
    this.index = n;
    this.render();
    this.onPhase(n, this.phases[n]);
  }

  /** The examined objects as a small graph (phases with links, up to graphLimit objects): gc_refs in each node. */
  drawGraph(p) {
    const show = p?.links && p.objects.length > 0 && p.objects.length <= this.graphLimit;
    this.svg.style('display', show ? null : 'none');
    this.el.dataset.graphNodes = show ? String(p.objects.length) : '0';
    if (!show) return;
    const { pos, columns, rows } = this.layout;
    const width = Math.max(320, this.el.clientWidth || 900);
    const colW = Math.min(200, (width - 100) / Math.max(1, columns - 1 || 1));
    const at = (id) => {
      const q = pos.get(id) ?? { x: 0, y: 0 };
      return [50 + q.x * colW, 30 + q.y * ROW];
    };
    this.svg.attr('width', width).attr('height', 30 + rows * ROW)
      .attr('aria-label', `${p.objects.length} examined objects and the references between them`);
    const objs = p.objects.filter((o) => pos.has(o.id));
    const byId = new Map(objs.map((o) => [o.id, o]));
    const links = p.links.filter((l) => byId.has(l.source) && byId.has(l.target));
    this.svg.select('g.links').selectAll('path').data(links, (l) => `${l.source}>${l.target}`).join('path')
      .attr('marker-end', `url(#${this.arrowId})`)
      .classed('back', (l) => at(l.target)[0] < at(l.source)[0])
      .attr('d', (l) => {
        const [x1, y1] = at(l.source), [x2, y2] = at(l.target);
        if (l.source === l.target) return `M${x1 - 5},${y1 - R + 1}C${x1 - 16},${y1 - 34} ${x1 + 16},${y1 - 34} ${x1 + 5},${y1 - R + 1}`;
        // same column: bow out (left going down, right going up) so a pair of opposite links stays apart
        const dy = y2 - y1;
        const c = x1 === x2 ? [x1 + (dy > 0 ? -1 : 1) * (24 + Math.abs(dy) / 4), (y1 + y2) / 2] : null;
        const unit = (ax, ay, bx, by) => { const d = Math.hypot(bx - ax, by - ay) || 1; return [(bx - ax) / d, (by - ay) / d]; };
        const [sx, sy] = c ? unit(x1, y1, c[0], c[1]) : unit(x1, y1, x2, y2);
        const [ex, ey] = c ? unit(c[0], c[1], x2, y2) : unit(x1, y1, x2, y2);
        const mid = c ? ` Q${c[0]},${c[1]} ` : ' L';
        return `M${x1 + sx * R},${y1 + sy * R}${mid}${x2 - ex * R},${y2 - ey * R}`;
      });
    const nodes = this.svg.select('g.nodes').selectAll('g.n').data(objs, (o) => o.id).join((e) => {
      const g = e.append('g').attr('class', 'n');
      g.append('title');
      g.append('circle').attr('r', R);
      g.append('text').attr('class', 'refs').attr('text-anchor', 'middle').attr('dy', '0.35em');
      g.append('text').attr('class', 'lbl').attr('text-anchor', 'middle').attr('y', R + 10);
      return g;
    });
    nodes.attr('transform', (o) => `translate(${at(o.id)})`).attr('data-state', (o) => o.state);
    nodes.select('title').text((o) => `${o.type} at ${hex(o.id)}: ${o.why}`);
    nodes.select('circle').attr('fill', (o) => STATE_FILL[o.state] ?? '#8a94a3');
    nodes.select('text.refs').text((o) => (o.gcRefs == null ? '' : String(o.gcRefs)));
    nodes.select('text.lbl').text((o) => o.type);
  }

  destroy() {
    this.el.removeEventListener('keydown', this.keydown);
    select(this.el).selectAll('*').remove();
    this.el.classList.remove('gw');
    for (const k of ['phase', 'index', 'phases', 'rows', 'objects', 'returned', 'graphNodes']) delete this.el.dataset[k];
    this.phases = [];
  }

  render() {
    const phases = this.phases;
    const p = phases[this.index];
    this.prevBtn.property('disabled', !p || this.index === 0);
    this.nextBtn.property('disabled', !p || this.index === phases.length - 1);
    this.stepLbl.text(p ? `phase ${this.index + 1} / ${phases.length}` : 'no collection yet');
    this.rail.selectAll('li').data(phases, (d) => d.name).join((e) => {
      const li = e.append('li');
      li.append('button').attr('type', 'button');
      return li;
    }).classed('current', (d, i) => i === this.index).classed('done', (d, i) => i < this.index)
      .select('button').text((d, i) => `${i + 1}. ${d.title}`).attr('aria-current', (d, i) => (i === this.index ? 'step' : null))
      .on('click', (ev, d) => this.goTo(phases.indexOf(d)));
    if (!p) {
      this.title.text('gc.collect() explained');
      this.explain.text('Run a collection with heap.gc.trace() on to walk through its phases.');
      this.counts.selectAll('*').remove();
      this.summary.text('');
      this.tbody.selectAll('tr').remove();
      this.empty.text('');
      this.drawGraph(null);
      return;
    }
    this.title.text(p.title);
    this.explain.text(p.explain);
    this.counts.selectAll('span.chip').data(Object.entries(p.counts), (d) => d[0]).join((e) => {
      const s = e.append('span').attr('class', 'chip');
      s.append('b');
      s.append('span').attr('class', 'k');
      return s;
    }).attr('data-key', (d) => d[0]).call((s) => {
      s.select('b').text((d) => count(d[1]));
      s.select('.k').text((d) => ` ${d[0]}`);
    });

    const all = p.objects;
    const summarized = all.length > this.summarizeAbove;
    const ordered = summarized
      ? all.map((o, k) => [o, k]).sort((a, b) => rankOf(a[0], this.unreachable) - rankOf(b[0], this.unreachable) || a[1] - b[1])
        .map(([o]) => o).slice(0, this.firstRows)
      : all;
    if (summarized) {
      const byState = tally(all, (o) => o.state).map(([k, v]) => `${count(v)} ${k}`).join(', ');
      const byType = tally(all, (o) => o.type).slice(0, 5).map(([k, v]) => `${count(v)} ${k}`).join(', ');
      this.summary.text(`${count(all.length)} objects (${byState}); most common types: ${byType}. ` +
        `The first ${this.firstRows} are listed, those the collection is about first.`);
    } else {
      this.summary.text('');
    }
    const rows = this.tbody.selectAll('tr').data(ordered, (o) => o.id).join((e) => {
      const tr = e.append('tr');
      for (const c of ['id', 'type', 'refs', 'state', 'why']) tr.append('td').attr('class', c);
      return tr;
    });
    rows.order().attr('class', (o) => `st-${o.state}`);
    rows.select('td.id').text((o) => hex(o.id));
    rows.select('td.type').text((o) => o.type);
    rows.select('td.refs').text((o) => (o.gcRefs == null ? '' : String(o.gcRefs)));
    rows.select('td.state').text((o) => o.state);
    rows.select('td.why').text((o) => o.why);
    this.empty.text(all.length ? '' : 'No objects in this phase.');
    this.drawGraph(p);
    const ds = this.el.dataset;
    ds.phase = p.name;
    ds.index = String(this.index);
    ds.rows = String(ordered.length);
    ds.objects = String(all.length);
  }
}
