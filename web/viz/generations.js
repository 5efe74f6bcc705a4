// generations.js — the cycle collector's generations: counts against thresholds, gc.get_stats(), gc.garbage.
//
//   const panel = new GenerationsPanel(element);
//   panel.update({ counts: [c0, c1, c2], thresholds: [700, 10, 10],
//                  stats: [{ collections, collected, uncollectable } x3], garbage: n });
//
// Shapes follow gc.get_count(), gc.get_threshold(), gc.get_stats() and
// len(gc.garbage). In 3.12 count 0 is allocations minus deallocations of
// GC-tracked objects since the last collection; count 1 (2) is the number of
// collections of generation 0 (1) since the last collection of generation 1 (2).

import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { GEN_COLORS, ensureStyles, count } from './style.js';
import { setText, setAttr, setStyle, setData, textIf } from './dom.js';

const UNITS = ['objects allocated − freed', 'gen-0 collections', 'gen-1 collections'];

/** Validate and normalise the panel's data (throws TypeError with what is wrong). */
export function checkGenerations(d) {
  const arr3 = (v, what) => {
    if (!Array.isArray(v) || v.length !== 3 || v.some((x) => !Number.isFinite(x) || x < 0)) {
      throw new TypeError(`generations: ${what} must be 3 non-negative numbers, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const counts = arr3(d?.counts, 'counts');
  const thresholds = arr3(d?.thresholds ?? [700, 10, 10], 'thresholds');
  const stats = d?.stats ?? [0, 1, 2].map(() => ({ collections: 0, collected: 0, uncollectable: 0 }));
  if (!Array.isArray(stats) || stats.length !== 3) throw new TypeError('generations: stats must be 3 entries of { collections, collected, uncollectable }');
  return { counts, thresholds, stats, garbage: d?.garbage ?? 0, note: d?.note ?? '' };
}

export class GenerationsPanel {
  constructor(container) {
    ensureStyles();
    this.el = container;
    container.classList.add('gp');
    container.innerHTML = `
      <div class="gp-bars" role="list"></div>
      <table class="gp-stats"><caption><code>gc.get_stats()</code></caption>
        <thead><tr><th scope="col">gen</th><th scope="col">collections</th><th scope="col">collected</th><th scope="col">uncollectable</th></tr></thead>
        <tbody></tbody></table>
      <p class="gp-garbage"></p><p class="gp-note"></p>`;
  }

  update(data) {
    const d = checkGenerations(data);
    // most steps leave the counts as they were: then nothing is redrawn
    const sig = JSON.stringify(d);
    if (sig === this.sig) return;
    this.sig = sig;
    const rows = d.counts.map((count, i) => ({ i, count, threshold: d.thresholds[i] }));
    const bars = select(this.el.querySelector('.gp-bars')).selectAll('div.gen').data(rows).join((e) => {
      const g = e.append('div').attr('class', 'gen').attr('role', 'listitem');
      g.append('span').attr('class', 'lbl');
      const track = g.append('div').attr('class', 'track');
      track.append('div').attr('class', 'bar');
      track.append('div').attr('class', 'thr');
      g.append('span').attr('class', 'num');
      return g;
    });
    // written only where a value changed (a step usually moves generation 0's count alone)
    bars.each(function (r) {
      // the threshold sits at 80% of the track; a count past it overflows to the end
      const x = scaleLinear().domain([0, r.threshold || 1]).range([0, 80]).clamp(false);
      const g = this, bar = g.querySelector('.bar'), thr = g.querySelector('.thr');
      setText(g.querySelector('.lbl'), `generation ${r.i}`);
      setStyle(bar, 'width', `${Math.min(100, x(r.count))}%`);
      setStyle(bar, 'background', GEN_COLORS[`gen${r.i}`]);
      if (bar.classList.contains('over') !== r.count > r.threshold) bar.classList.toggle('over', r.count > r.threshold);
      setStyle(thr, 'left', '80%');
      setAttr(thr, 'title', `threshold ${r.threshold}`);
      setText(g.querySelector('.num'), `${count(r.count)} / ${r.threshold}`);
      setAttr(g, 'aria-label', `generation ${r.i}: count ${r.count} of threshold ${r.threshold} (${UNITS[r.i]})`);
      setAttr(g, 'title', `count ${r.count} (${UNITS[r.i]}); a collection of this generation runs when it exceeds ${r.threshold}`);
    });
    select(this.el.querySelector('tbody')).selectAll('tr').data(d.stats).join('tr')
      .selectAll('td').data((s, i) => [i, s.collections, s.collected, s.uncollectable]).join('td').call(textIf, count);
    const garbage = this.el.querySelector('.gp-garbage');
    if (garbage.dataset.n !== String(d.garbage)) {
      garbage.dataset.n = String(d.garbage);
      garbage.innerHTML = `<code>len(gc.garbage)</code> = <b>${d.garbage}</b>`;
    }
    setText(this.el.querySelector('.gp-note'), d.note);
    setData(this.el, 'counts', d.counts.join(','));
  }
}
