// timeline.js — memory over time: traced memory (current and peak) per step, with a step cursor.
//
//   const tl = new Timeline(element, { onSeek: (step) => ... });
//   tl.update([{ step: 0, current: 0, peak: 0, label: '' }, ...], currentStep);
//
// `current` / `peak` are tracemalloc.get_traced_memory() style figures in
// bytes; the chart is a step line (memory changes at steps, not between them)
// with the peak as a dashed line. Clicking or dragging over the chart seeks.

import { attrIf, textIf } from './dom.js';
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { axisBottom, axisLeft } from 'd3-axis';

/** A step number on the time axis: whole steps only, 10,000 and up as "120k" so long runs' labels do not overlap. */
export const stepLabel = (d) => {
  if (!Number.isInteger(d)) return '';
  return d >= 10_000 && d % 1000 === 0 ? `${d / 1000}k` : String(d);
};
import { line, area, curveStepAfter } from 'd3-shape';
import { bytes, ensureStyles } from './style.js';

export class Timeline {
  constructor(container, { onSeek, height = 150 } = {}) {
    ensureStyles();
    this.el = container;
    this.onSeek = onSeek;
    this.height = height;
    container.classList.add('tl');
    this.svg = select(container).append('svg').attr('class', 'tl-svg').attr('role', 'img');
    this.svg.html(`<g class="plot"><path class="area"/><path class="peak"/><path class="cur"/>
      <g class="x axis"/><g class="y axis"/></g>`);
    // the cursor, its dot and readout in a layer of their own over the curves (viz.css): a step
    // moves them without repainting the curves (thousands of points: re-rasterising the tiles
    // under the cursor was most of the page's raster work per step on a software rasteriser)
    this.over = select(container).append('svg').attr('class', 'tl-over').attr('aria-hidden', 'true');
    this.over.html(`<g class="plot"><line class="cursor"/><circle class="dot" r="3.5"/><text class="readout"/></g>
      <rect class="hit" fill="transparent"/>`);
    this.series = [];
    this.step = 0;
    const seek = (ev) => {
      if (!this.series.length || !this.x) return;
      const [mx] = [ev.offsetX - this.m.left];
      const step = Math.round(this.x.invert(mx));
      const lo = this.series[0].step, hi = this.series[this.series.length - 1].step;
      this.onSeek?.(Math.max(lo, Math.min(hi, step)));
    };
    let dragging = false;
    this.over.select('rect.hit')
      .on('pointerdown', (ev) => { dragging = true; ev.target.setPointerCapture?.(ev.pointerId); seek(ev); })
      .on('pointermove', (ev) => { if (dragging) seek(ev); })
      .on('pointerup pointercancel', () => { dragging = false; });
    this.width = null;   // the container's width, from the ResizeObserver (reading clientWidth on every step forces a layout)
    new ResizeObserver((entries) => {
      const w = entries[entries.length - 1]?.contentRect?.width;
      if (w !== undefined && w !== this.width) { this.width = w; this.draw(); }
    }).observe(container);
  }

  /**
   * @param {Array<{step:number, current:number, peak:number, label?:string}>} series
   * @param {number} step  the step shown now (the cursor)
   */
  update(series, step) {
    for (const p of series) {
      if (!Number.isFinite(p.step) || !Number.isFinite(p.current) || !Number.isFinite(p.peak)) {
        throw new TypeError(`timeline: each point needs numeric step, current and peak, got ${JSON.stringify(p)}`);
      }
    }
    const same = sameSeries(series, this.series);
    const before = this.series;
    this.series = series;
    this.step = step;
    // most steps only move the cursor: the curves are redrawn when the data changed
    if (same && this.x) { this.drawCursor(); return; }
    // a long series that gained points inside the range drawn (steps shown for the first time
    // after a Run): the cursor now, the curves a little later (a redraw of thousands of points
    // took ~8 ms of each Step at 10,000 objects); at most one redraw per CURVES_MS
    if (this.x && series.length > DEFER_POINTS && sameExtent(series, before, this.y.domain()[1])) {
      this.drawCursor();
      this.curvesLater ??= setTimeout(() => { this.curvesLater = null; this.draw(); }, CURVES_MS);
      return;
    }
    this.draw();
  }

  draw() {
    clearTimeout(this.curvesLater);
    this.curvesLater = null;
    const w = Math.max(200, this.width ?? this.el.clientWidth), h = this.height;
    const m = (this.m = { top: 18, right: 16, bottom: 24, left: 64 });
    const iw = w - m.left - m.right, ih = h - m.top - m.bottom;
    this.svg.attr('width', w).attr('height', h);
    this.over.attr('width', w).attr('height', h);
    this.over.select('g.plot').attr('transform', `translate(${m.left},${m.top})`);
    const s = this.series;
    const steps = s.length ? [s[0].step, Math.max(s[0].step + 1, s[s.length - 1].step)] : [0, 1];
    const x = (this.x = scaleLinear().domain(steps).range([0, iw]));
    const y = scaleLinear().domain([0, Math.max(1024, ...s.map((p) => p.peak))]).nice().range([ih, 0]);
    const g = this.svg.select('g.plot').attr('transform', `translate(${m.left},${m.top})`);
    this.over.select('rect.hit').attr('x', m.left).attr('y', m.top).attr('width', iw).attr('height', ih);
    // a step function drawn to the end of the last step (at most a few points per pixel column)
    const pts = thinSeries(s.length ? [...s, { ...s[s.length - 1], step: steps[1] }] : [], x);
    g.select('path.area').attr('d', area().x((p) => x(p.step)).y0(ih).y1((p) => y(p.current)).curve(curveStepAfter)(pts) ?? '');
    g.select('path.cur').attr('d', line().x((p) => x(p.step)).y((p) => y(p.current)).curve(curveStepAfter)(pts) ?? '');
    g.select('path.peak').attr('d', line().x((p) => x(p.step)).y((p) => y(p.peak)).curve(curveStepAfter)(pts) ?? '');
    g.select('g.x').attr('transform', `translate(0,${ih})`)
      .call(axisBottom(x).ticks(Math.min(s.length || 1, Math.floor(iw / 50))).tickFormat(stepLabel));
    g.select('g.y').call(axisLeft(y).ticks(4).tickFormat((d) => bytes(d)));
    this.y = y;
    this.ih = ih;
    this.drawCursor();
    this.el.dataset.points = String(s.length);
  }

  /** The cursor, its dot and the readout at this.step (the curves as they are). */
  drawCursor() {
    const { x, y, ih, series: s } = this;
    const g = this.over.select('g.plot');
    const cur = s.find((p) => p.step === this.step);
    // attributes written only where they changed (the cursor moves; the rest mostly stays)
    g.select('line.cursor').call(attrIf, 'x1', x(this.step)).call(attrIf, 'x2', x(this.step)).call(attrIf, 'y1', 0).call(attrIf, 'y2', ih);
    g.select('circle.dot').call(attrIf, 'cx', x(this.step)).call(attrIf, 'cy', cur ? y(cur.current) : ih).call(attrIf, 'hidden', cur ? null : '');
    const text = cur ? `step ${cur.step}: ${bytes(cur.current)} (peak ${bytes(cur.peak)})` : '';
    g.select('text.readout').call(attrIf, 'x', 8).call(attrIf, 'y', 2).call(textIf, text);
    this.svg.call(attrIf, 'aria-label', `memory over time, ${s.length} steps. ${text}`);
  }
}

const DEFER_POINTS = 2000;
const CURVES_MS = 250;

/** Whether `series` spans the same steps as `before` and stays under the drawn y maximum `ymax`. */
export function sameExtent(series, before, ymax) {
  if (!before.length || series[0].step !== before[0].step || series[series.length - 1].step !== before[before.length - 1].step) return false;
  for (const p of series) if (p.peak > ymax) return false;
  return true;
}

/** Whether two series hold the same points (the same array, or equal step by step). */
export function sameSeries(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].step !== b[i].step || a[i].current !== b[i].current || a[i].peak !== b[i].peak) return false;
  }
  return true;
}

/**
 * The points of a step series worth drawing at scale `x`: within one pixel
 * column only the first, the lowest, the highest and the last point change
 * what a step line or area looks like (peak never decreases, so the last
 * point carries the column's highest peak). Short series come back as they are.
 */
export function thinSeries(pts, x) {
  const [r0, r1] = x.range();
  if (pts.length <= 2 * Math.abs(r1 - r0) + 2) return pts;
  const out = [];
  let col = null, group = [];
  const flush = () => {
    if (!group.length) return;
    let lo = group[0], hi = group[0];
    for (const p of group) { if (p.current < lo.current) lo = p; if (p.current > hi.current) hi = p; }
    const keep = new Set([group[0], lo, hi, group[group.length - 1]]);
    for (const p of group) if (keep.has(p)) out.push(p);
    group = [];
  };
  for (const p of pts) {
    const c = Math.floor(x(p.step));
    if (c !== col) { flush(); col = c; }
    group.push(p);
  }
  flush();
  return out;
}
