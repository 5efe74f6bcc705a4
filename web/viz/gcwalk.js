// gcwalk.js — "gc.collect() explained": a steppable walk through the phases
// of one collection as CPython 3.12's gc_collect_main runs them, with the
// examined objects, their gc_refs and why each is kept or collected.
//
//   const walk = new GcWalk(element, { onPhase(i, phase) { ... } });
//   walk.show(heap.gc.lastTrace(), snapshotTakenBeforeTheCollection);
//   walk.step(+1); walk.step(-1); walk.goTo(3); walk.destroy();
//
// The data comes from walkModel (gcwalk-model.js). Drawn with d3-selection as
// a table (every text through .text(), never HTML); past `maxRows` objects a
// phase is summarised: its counts by state and type, then the first rows
// (the objects that matter for the collection first: unreachable, then
// gc_refs 0, then the rest). The element's data-* attributes report state
// for tests: phase, index, phases, rows, objects, returned.

import { select } from 'd3-selection';
import { walkModel } from './gcwalk-model.js';
import { ensureStyles } from './style.js';

const hex = (id) => `0x${(id >>> 0).toString(16)}`;

/** Rank of a row for the summarised order: what the collection is about first. */
function rankOf(o, unreachable) {
  if (unreachable.has(o.id)) return 0;
  if (o.gcRefs === 0) return 1;
  if (o.state === 'immortal') return 3;
  return 2;
}

/** Counts of `objects` by key(o), largest first: [[key, n]]. */
function tally(objects, key) {
  const m = new Map();
  for (const o of objects) m.set(key(o), (m.get(key(o)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]);
}

export class GcWalk {
  /**
   * @param {HTMLElement} element
   * @param {{ onPhase?: (index: number, phase: object) => void, maxRows?: number }} [opts]
   */
  constructor(element, { onPhase, maxRows = 60 } = {}) {
    ensureStyles();
    this.el = element;
    this.onPhase = onPhase ?? (() => {});
    this.maxRows = maxRows;
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
    const table = root.append('table').attr('class', 'gw-table');
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

  destroy() {
    this.el.removeEventListener('keydown', this.keydown);
    select(this.el).selectAll('*').remove();
    this.el.classList.remove('gw');
    for (const k of ['phase', 'index', 'phases', 'rows', 'objects', 'returned']) delete this.el.dataset[k];
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
      s.select('b').text((d) => d[1].toLocaleString('en'));
      s.select('.k').text((d) => ` ${d[0]}`);
    });

    const all = p.objects;
    const ordered = all.length > this.maxRows
      ? all.map((o, k) => [o, k]).sort((a, b) => rankOf(a[0], this.unreachable) - rankOf(b[0], this.unreachable) || a[1] - b[1])
        .map(([o]) => o).slice(0, this.maxRows)
      : all;
    if (all.length > this.maxRows) {
      const byState = tally(all, (o) => o.state).map(([k, v]) => `${v.toLocaleString('en')} ${k}`).join(', ');
      const byType = tally(all, (o) => o.type).slice(0, 5).map(([k, v]) => `${v.toLocaleString('en')} ${k}`).join(', ');
      this.summary.text(`${all.length.toLocaleString('en')} objects (${byState}); most common types: ${byType}. ` +
        `The first ${this.maxRows} are listed, those the collection is about first.`);
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
    const ds = this.el.dataset;
    ds.phase = p.name;
    ds.index = String(this.index);
    ds.rows = String(ordered.length);
    ds.objects = String(all.length);
  }
}
