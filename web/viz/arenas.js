// arenas.js — the allocator map: arenas -> pools -> blocks, from Heap.arenas() and Heap.stats().
//
//   const map = new ArenaMap(element, { debugText: () => heap.debugmallocstats() });
//   map.update(heap.arenas(), heap.stats());
//
// One row per mapped arena, one cell per 16 KiB pool: the cell's colour is the
// pool's size class, its fill the share of blocks in use; empty pools (still
// tagged with a class) are outlined, never-carved pools hatched. The figures
// above the map say where the bytes are (allocated vs available blocks, pools
// used/full/empty) and why each arena is or is not given back: CPython 3.12
// frees an arena only once all its pools are empty (and not even then when it
// is the last arena of usable_arenas), so one live block pins 1 MiB
// (cpython-memory-model.md §1.8, §1.10). arenaFigures() is pure (tested in node).

import { select } from 'd3-selection';
import { classColor, bytes, hex, ensureStyles, count } from './style.js';
import { textIf, attrIf, setData, setStyle } from './dom.js';

/** 64-bit CPython 3.12 pymalloc constants (ARCHITECTURE.md decision 2). */
export const ARENA_SIZE = 1 << 20;
export const POOL_SIZE = 16 << 10;

/** Why an arena is still mapped, in words. */
export function arenaReason(a, lastUsable) {
  const inUse = a.pools.filter((p) => p.count > 0);
  const blocks = inUse.reduce((s, p) => s + p.count, 0);
  if (inUse.length === 0) {
    return a.index === lastUsable
      ? { code: 'kept-last', text: 'every pool is empty; kept because it is the last arena on usable_arenas (bpo-37257)' }
      : { code: 'empty', text: 'every pool is empty (it is released on the next free that empties a pool here)' };
  }
  if (inUse.length === 1) {
    return { code: 'pinned', text: `pinned by one pool: ${blocks} live block${blocks === 1 ? '' : 's'} keep the whole ${bytes(ARENA_SIZE)} mapped` };
  }
  if (a.nfreepools === 0) return { code: 'full', text: `full: no free pool, so it is off usable_arenas (${inUse.length} pools in use)` };
  return { code: 'in-use', text: `${inUse.length} pools hold ${blocks} live blocks; released only when all are empty` };
}

/**
 * The fragmentation figures of an allocator state.
 * @param {object[]} arenas  Heap.arenas()
 * @param {object} stats     Heap.stats()
 */
export function arenaFigures(arenas, stats) {
  const pools = { used: 0, full: 0, empty: 0, unused: 0 };
  let blocksInUse = 0, allocBytes = 0, availBytes = 0;
  let lastUsable = null, lastRank = -1;
  for (const a of arenas) {
    if (a.usableRank !== null && a.usableRank > lastRank) { lastRank = a.usableRank; lastUsable = a.index; }
    for (const p of a.pools) {
      if (!(p.state in pools)) throw new Error(`arenaFigures: unknown pool state ${p.state}`);
      pools[p.state]++;
      if (p.state === 'used' || p.state === 'full') {
        blocksInUse += p.count;
        allocBytes += p.count * p.size;
        availBytes += (p.capacity - p.count) * p.size;
      }
    }
  }
  const perArena = arenas.map((a) => {
    const reason = arenaReason(a, lastUsable);
    const inUse = a.pools.filter((p) => p.count > 0);
    return {
      index: a.index,
      address: a.address,
      poolsInUse: inUse.length,
      blocksInUse: inUse.reduce((s, p) => s + p.count, 0),
      bytesInUse: inUse.reduce((s, p) => s + p.count * p.size, 0),
      reason,
    };
  });
  const mapped = arenas.length * ARENA_SIZE;
  return {
    arenas: arenas.length,
    mappedBytes: mapped,
    highwater: stats.narenasHighwater,
    allocatedTotal: stats.ntimesArenaAllocated,
    reclaimed: stats.ntimesArenaAllocated - stats.narenasCurrentlyAllocated,
    pools,
    blocksInUse,
    // the same two figures _debugmallocstats prints, recomputed from the pools
    bytesInAllocatedBlocks: allocBytes,
    bytesInAvailableBlocks: availBytes,
    // of the bytes mapped for arenas, the share that holds live blocks
    utilization: mapped ? allocBytes / mapped : 0,
    pinnedByOnePool: perArena.filter((a) => a.reason.code === 'pinned').length,
    notReleasable: perArena.filter((a) => a.poolsInUse > 0).length,
    perArena,
  };
}

const STATE_TEXT = {
  used: 'used (some blocks free)', full: 'full', empty: 'empty (keeps its size class)', unused: 'never carved',
};

export class ArenaMap {
  /**
   * @param {HTMLElement} container
   * @param {{ debugText?: () => string, cell?: number }} [options]
   */
  constructor(container, options = {}) {
    ensureStyles();
    this.el = container;
    this.opts = { cell: 13, ...options };
    container.classList.add('am');
    container.innerHTML = `
      <div class="am-figures" aria-live="polite"></div>
      <div class="am-legend"></div>
      <div class="am-map"><svg class="am-svg" role="img" aria-label="arenas and pools"></svg><div class="am-tip" role="tooltip" hidden></div></div>
      <details class="am-debug"><summary><code>sys._debugmallocstats()</code></summary><pre></pre></details>`;
    this.tip = container.querySelector('.am-tip');
    const det = container.querySelector('details');
    det.addEventListener('toggle', () => { if (det.open) this.fillDebug(); });
    if (!this.opts.debugText) det.hidden = true;
  }

  fillDebug() {
    const det = this.el.querySelector('details');
    if (det.open && this.opts.debugText) det.querySelector('pre').textContent = this.opts.debugText();
  }

  update(arenas, stats) {
    // a step that changed nothing in the allocator redraws nothing
    const sig = allocatorSignature(arenas, stats);
    if (sig === this.sig && this.figures) return this.figures;
    this.sig = sig;
    const f = arenaFigures(arenas, stats);
    this.figures = f;
    this.drawFigures(f);
    this.drawLegend(arenas);
    this.drawMap(arenas, f);
    this.fillDebug();
    setData(this.el, 'arenas', arenas.length);
    setData(this.el, 'pools', arenas.reduce((s, a) => s + a.pools.length, 0));
    setData(this.el, 'poolsInUse', f.pools.used + f.pools.full);
    return f;
  }

  drawFigures(f) {
    const pct = (x) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
    const cells = [
      ['arenas mapped', `${f.arenas}`, `${bytes(f.mappedBytes)}; highwater ${f.highwater}, ${f.reclaimed} given back so far`],
      ['in allocated blocks', bytes(f.bytesInAllocatedBlocks), `${count(f.blocksInUse)} blocks, ${pct(f.utilization)} of the arenas`],
      ['in available blocks', bytes(f.bytesInAvailableBlocks), 'free space inside used and full pools'],
      ['pools', `${f.pools.used + f.pools.full} in use`, `${f.pools.used} used, ${f.pools.full} full, ${f.pools.empty} empty, ${f.pools.unused} never carved`],
      ['cannot be released', `${f.notReleasable} of ${f.arenas}`, f.pinnedByOnePool
        ? `${f.pinnedByOnePool} pinned by a single pool in use` : 'an arena is freed only when all its pools are empty'],
    ];
    select(this.el.querySelector('.am-figures')).selectAll('div.fig').data(cells).join((e) => {
      const d = e.append('div').attr('class', 'fig');
      d.append('span').attr('class', 'k'); d.append('b'); d.append('span').attr('class', 'sub');
      return d;
    }).call((d) => {
      d.select('.k').call(textIf, (c) => c[0]); d.select('b').call(textIf, (c) => c[1]); d.select('.sub').call(textIf, (c) => c[2]);
    });
  }

  drawLegend(arenas) {
    const seen = new Set();
    for (const a of arenas) for (const p of a.pools) if (p.szidx !== null && p.state !== 'unused') seen.add(p.szidx);
    const classes = [...seen].sort((a, b) => a - b);
    // the same size classes as last time (most steps): nothing to redraw
    const key = classes.join(',');
    if (key === this.legendKey) return;
    this.legendKey = key;
    const leg = select(this.el.querySelector('.am-legend'));
    leg.selectAll('span.cls').data(classes, (c) => c).join((e) => {
      const s = e.append('span').attr('class', 'cls');
      s.append('i'); s.append('span');
      return s;
    }).call((s) => {
      s.select('i').each(function (c) { setStyle(this, 'background', classColor(c)); });
      s.select('span').call(textIf, (c) => `${(c + 1) * 16} B`);
    });
    if (!leg.select('span.states').node()) {
      leg.append('span').attr('class', 'states').html(
        '<i class="st full"></i>full <i class="st used"></i>used (fill = blocks in use) ' +
        '<i class="st empty"></i>empty <i class="st unused"></i>never carved');
    }
    const states = leg.select('span.states').node();
    if (states.nextSibling) leg.node().append(states);
  }

  drawMap(arenas, f) {
    const c = this.opts.cell, gap = 2, labelW = 150, rowH = c + 16;
    const maxPools = Math.max(64, ...arenas.map((a) => a.pools.length));
    const width = labelW + maxPools * (c + gap);
    const height = Math.max(rowH, arenas.length * rowH + 4);
    const svg = select(this.el.querySelector('svg'))
      .call(attrIf, 'width', width).call(attrIf, 'height', height).call(attrIf, 'viewBox', `0 0 ${width} ${height}`);
    if (!svg.select('defs').node()) {
      svg.append('defs').html(`<pattern id="am-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="4" height="4" fill="#eef0f3"/><rect width="1.5" height="4" fill="#d5dae1"/></pattern>`);
    }
    const byIndex = new Map(f.perArena.map((a) => [a.index, a]));
    const rows = svg.selectAll('g.arena').data(arenas, (a) => a.index).join((e) => {
      const g = e.append('g').attr('class', 'arena');
      g.append('text').attr('class', 'name').attr('y', c - 2);
      // the reason's words in a tspan: the text element's own textContent includes its title's
      const why = g.append('text').attr('class', 'why').attr('y', c + 11);
      why.append('title');
      why.append('tspan');
      g.append('g').attr('class', 'cells');
      return g;
    }).call(attrIf, 'transform', (a, i) => `translate(0,${i * rowH + 2})`);
    rows.select('text.name').call(textIf, (a) => `arena ${a.index} ${hex(a.address)}`);
    const why = rows.select('text.why').call(attrIf, 'class', (a) => `why ${byIndex.get(a.index).reason.code}`);
    why.select('tspan').call(textIf, (a) => shortReason(byIndex.get(a.index)));
    why.select('title').call(textIf, (a) => byIndex.get(a.index).reason.text);
    // an arena whose pools all look as they did is not joined again (a step changes one pool)
    const changed = rows.filter(function (a) {
      const sig = a.pools.map((p) => `${p.state} ${p.szidx} ${p.count} ${p.capacity}`).join(',');
      if (this.amSig === sig) return false;
      this.amSig = sig;
      return true;
    });
    const cells = changed.select('g.cells').call(attrIf, 'transform', `translate(${labelW},0)`)
      .selectAll('g.pool').data((a) => a.pools.map((p) => ({ a, p })), (d) => d.p.index).join((e) => {
        const g = e.append('g').attr('class', 'pool');
        g.append('rect').attr('class', 'bg').attr('width', c).attr('height', c).attr('rx', 2);
        g.append('rect').attr('class', 'fill').attr('width', c).attr('rx', 1);
        return g;
      }).call(attrIf, 'transform', (d) => `translate(${d.p.index * (c + gap)},0)`)
      // only the pools whose state, class or count changed since they were last drawn
      .filter(function (d) {
        const sig = `${d.p.state} ${d.p.szidx} ${d.p.count} ${d.p.capacity}`;
        if (this.amSig === sig) return false;
        this.amSig = sig;
        return true;
      });
    cells.select('rect.bg')
      .attr('fill', (d) => (d.p.state === 'unused' ? 'url(#am-hatch)' : d.p.szidx === null || d.p.state === 'empty' ? '#fff' : classColor(d.p.szidx)))
      .attr('fill-opacity', (d) => (d.p.state === 'used' || d.p.state === 'full' ? 0.2 : 1))
      .attr('stroke', (d) => (d.p.state === 'unused' ? 'none' : d.p.szidx === null ? '#c9ced6' : classColor(d.p.szidx)))
      .attr('stroke-width', (d) => (d.p.state === 'empty' ? 1.2 : 0.8))
      .attr('stroke-dasharray', (d) => (d.p.state === 'empty' ? '2 1.5' : null));
    cells.select('rect.fill')
      .attr('fill', (d) => (d.p.szidx === null ? 'none' : classColor(d.p.szidx)))
      .attr('height', (d) => (d.p.count ? Math.max(1.5, (c * d.p.count) / d.p.capacity) : 0))
      .attr('y', (d) => (d.p.count ? c - Math.max(1.5, (c * d.p.count) / d.p.capacity) : c));
    cells.on('pointerenter', (ev, d) => this.showTip(ev, d)).on('pointerleave', () => { this.tip.hidden = true; });
  }

  showTip(ev, { a, p }) {
    const lines = [
      `arena ${a.index}, pool ${p.index} at ${hex(p.address)}`,
      p.szidx === null ? 'never carved' : `size class ${p.szidx} (${p.size}-byte blocks): ${p.count} of ${p.capacity} in use`,
      STATE_TEXT[p.state] ?? p.state,
    ];
    this.tip.textContent = lines.join('\n');
    this.tip.hidden = false;
    const box = this.el.querySelector('.am-map').getBoundingClientRect();
    this.tip.style.left = `${ev.clientX - box.left + 12}px`;
    this.tip.style.top = `${ev.clientY - box.top + 12}px`;
  }
}

/** What the map draws from an allocator state, as one string: equal strings draw the same map. */
export function allocatorSignature(arenas, stats) {
  const parts = [stats.narenasHighwater, stats.ntimesArenaAllocated, stats.narenasCurrentlyAllocated];
  for (const a of arenas) {
    parts.push(`|${a.index} ${a.address} ${a.nfreepools} ${a.usableRank}`);
    for (const p of a.pools) parts.push(`${p.state} ${p.szidx} ${p.count} ${p.capacity} ${p.size}`);
  }
  return parts.join(',');
}

function shortReason(a) {
  switch (a.reason.code) {
    case 'pinned': return `pinned by 1 pool (${a.blocksInUse} blk)`;
    case 'kept-last': return 'empty, kept (last usable)';
    case 'empty': return 'empty';
    case 'full': return 'no free pool';
    default: return `${a.poolsInUse} pools in use`;
  }
}
