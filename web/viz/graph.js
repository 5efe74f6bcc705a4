// graph.js — the heap graph view: objects as nodes, references as edges, names as roots.
//
//   const g = new HeapGraph(element, { onSelect(details) {...} });
//   g.update(heap.snapshot(handles), [{ name: 'x', id: x.id }, ...], { reprs });
//
// Fed by plain data only (a snapshot and the root names), so the playground,
// the demo page and tests drive it the same way. One persistent node per
// object id (model.js); the force layout runs in a Web Worker (layout.js) and
// posts positions; drawing is Canvas 2D, or SVG below `svgLimit` nodes (300)
// (crisp, focusable, each node titled for screen readers). d3-zoom pans and
// zooms, d3-quadtree finds what is under the pointer. Freed objects fade out
// over a second where they were.

import { select } from 'd3-selection';
import { zoom, zoomIdentity } from 'd3-zoom';
import { quadtree } from 'd3-quadtree';
import { GraphModel, nameKey } from './model.js';
import { DirtyGrid } from './dirty.js';
import { setData } from './dom.js';
import { LayoutEngine, placeFresh, spreadOf, nextSeed, SEED, roomOf, FREE_MAX } from './layout.js';
import { GEN_COLORS, UNREACHABLE, NAME_FILL, EDGE, HIGHLIGHT, colorKey, radiusOf, hex, bytes, ensureStyles } from './style.js';

const FADE_MS = 1000;
// a freed object fades in a few even steps, not every frame: each step repaints its disc,
// and on a software rasteriser every repainted frame costs the commit and the compositor
// ~5-10 ms of the two cores (60 frames per freed object were most of the work while stepping)
const FADE_LEVELS = 5;
const FADE_STEP_MS = FADE_MS / FADE_LEVELS;

/** A fading disc's opacity at `now`: 5/6, 4/6, ... 1/6 for a fifth of the fade each. */
export function fadeAlpha(t0, now) {
  const level = Math.floor((now - t0) / FADE_STEP_MS);
  return level >= FADE_LEVELS ? 0 : 1 - (level + 1) / (FADE_LEVELS + 1);
}
const EDGE_BATCH = 200;
const SPLAT_MIN_NODES = 2000;   // pixel-splat the nodes above this many...
const SPLAT_MAX_PX = 7;         // ...while a node is under this many px across (no antialiasing in a splat)
// opaque (EDGE at 70% over the white page): an edge drawn twice looks as drawn once, so a new
// edge can be added onto the edge layer without repainting the edges under it (see drawCanvasFrame)
const EDGE_SOFT = 'rgb(173, 180, 191)';
const SVG_NS = 'http://www.w3.org/2000/svg';
const LABEL_ZOOM = 1.4;          // labels at this zoom and above, or when few nodes are on screen
const LABEL_MAX_ON_SCREEN = 160;
const LABELS_MAX = 700;          // never more labels than this (text is the slowest thing to draw)
const ARROWS_MAX = 4000;         // arrowheads only while fewer edges are in view
const EDGE_PIXEL_BUDGET = 600_000; // on-screen edge length (px) drawn in full; beyond, stubs
const STUB_PX = 26;
const NAME_TAG_H = 22;            // a name tag's height on screen (20 px) and a gap: where tags are spread apart
const LINK_PAD = 8;              // px around an edge's segment that it may paint (arrowhead, width, antialiasing)
const FULL_REDRAW_SHARE = 0.5;   // repaint the whole canvas when more of it than this changed

export class HeapGraph {
  /**
   * @param {HTMLElement} container  the graph fills it (give it a height)
   * @param {object} [options]
   * @param {(details: object|null) => void} [options.onSelect]  click on a node (null: cleared)
   * @param {'auto'|'canvas'|'svg'} [options.renderer]
   * @param {number} [options.svgLimit]  'auto' uses SVG below this many nodes (default 300; once on Canvas,
   *   it goes back to SVG below 80% of it, so a heap stepping around the limit does not switch every step)
   * @param {'referenced'|'hidden'|'all'} [options.immortals]
   * @param {boolean} [options.worker]  false: lay out on the main thread
   * @param {string|URL} [options.workerURL]  the bundled layout-worker.js
   */
  constructor(container, options = {}) {
    ensureStyles();
    this.el = container;
    // SVG redraws every element it shows on each frame (d3 joins): ~34 ms a frame at 1,000
    // nodes on the benchmark machine, against ~1-3 ms for Canvas; tutorials' heaps are far smaller
    this.opts = { renderer: 'auto', svgLimit: 300, immortals: 'referenced', worker: true, ...options };
    this.model = new GraphModel();
    this.slots = new Map();          // key -> slot
    this.freeSlots = [];
    this.spirals = new Map();        // slot -> its spiral of children's places, kept from step to step (placeFresh)
    this.nextSlot = 0;
    this.xy = new Float32Array(0);
    this.fading = [];                // { x, y, r, color, t0 }
    this.reprs = new Map();
    this.transform = zoomIdentity;
    this.selected = null;
    this.hover = null;
    this.highlight = { nodes: new Set(), links: new Set() };
    this.drawTimes = [];
    this.fitPending = true;
    this.layoutBusy = false;
    this.updateSeq = 0;              // update() calls so far; each layout message carries its number
    this.drawnSeq = 0;               // the last update drawn (its new nodes placed here, not by the layout): data-drawn-update
    this.frameNo = 0;                // Canvas frames drawn (items remember the frame that last drew them)
    this.seed = SEED;                // new nodes' placement jitter (seeded: the same program draws the same)
    this.since = [];                 // per update not yet answered by the layout: { seq, removed, placed } (stale answers)

    container.classList.add('hg');
    this.tip = Object.assign(document.createElement('div'), { className: 'hg-tip', hidden: true });
    this.tip.setAttribute('role', 'tooltip');
    container.append(this.tip);
    this.zoom = zoom().scaleExtent([0.05, 8]).on('zoom', (ev) => {
      this.transform = ev.transform;
      if (ev.sourceEvent) { this.fitPending = false; this.userZoomed = true; }
      this.requestDraw();
    });
    this.startLayout();
    this.resizer = new ResizeObserver(() => this.resize());
    this.resizer.observe(container);
    this.resize();
  }

  // ---- layout ---------------------------------------------------------------------------------

  startLayout() {
    const onMsg = (m) => {
      if (m.type === 'error') { console.error('layout worker:', m.message); return; }
      // the same positions again (a step that only freed objects): nothing to redraw
      // an answer to an older update lacks what the view changed since: re-apply it
      this.since = this.since.filter((u) => u.seq > m.seq);
      const xy = this.since.length ? this.withSince(m.xy) : m.xy;
      const moved = !samePositions(this.xy, xy);
      this.xy = xy;
      this.layoutBusy = !m.done;
      setData(this.el, 'layoutTicks', String(m.ticks));
      setData(this.el, 'layoutDone', String(m.done));
      if (!moved) return;
      this.qt = null;
      if (this.fitPending && m.global) { this.fit(); if (m.done) this.fitPending = false; }
      // until the user pans or zooms, keep everything in view (only when something left it)
      else if (m.done && !this.userZoomed && this.overflows()) this.fit();
      this.requestDraw();
    };
    const mainThread = () => {
      this.worker?.terminate();
      this.worker = null;
      this.engine = new LayoutEngine((m) => onMsg(m));
      this.el.dataset.layout = 'main-thread';
    };
    if (this.opts.worker && typeof Worker !== 'undefined') {
      try {
        const url = this.opts.workerURL ?? new URL('./layout-worker.js', import.meta.url);
        this.worker = new Worker(url, { type: 'module' });
        this.worker.onmessage = (ev) => onMsg(ev.data);
        this.worker.onerror = (ev) => {
          // the worker script could not load (e.g. unbundled): lay out here instead, from where we are
          ev.preventDefault?.();
          console.warn('heap graph: layout worker unavailable, using the main thread', ev.message ?? '');
          mainThread();
          this.sendLayout(this.allAsNew(), [], true);
        };
        this.el.dataset.layout = 'worker';
        return;
      } catch (e) {
        console.warn('heap graph: cannot start the layout worker:', e);
      }
    }
    mainThread();
  }

  sendLayout(add, remove, keepPositions = false) {
    const ends = this.model.ends;
    const links = new Int32Array(ends.length);
    for (let i = 0; i < ends.length; i++) links[i] = ends[i].slot;
    // the name tags' slots, from the model's names (not a scan of every node: 10,000 a step)
    const names = [];
    for (const n of this.model.names) { const node = this.model.nodes.get(nameKey(n.name)); if (node) names.push(node.slot); }
    const msg = { type: 'update', add, remove, links, names, seq: this.updateSeq };
    if (keepPositions) msg.keep = true;
    this.layoutBusy = true;
    setData(this.el, 'layoutDone', 'false');
    if (this.worker) this.worker.postMessage(msg, [links.buffer]);
    else this.engine.handle(msg);
  }

  /** Every current node as an 'add' entry carrying its position (to restart a layout). */
  allAsNew() {
    const out = [];
    for (const [key, slot] of this.slots) {
      const node = this.model.nodes.get(key);
      out.push([slot, node?.seed != null ? this.slots.get(node.seed) ?? -1 : -1, this.xy[2 * slot], this.xy[2 * slot + 1]]);
    }
    return out;
  }

  /** Global relaxation of the whole layout (on demand: it moves what the user has seen). */
  relax() {
    this.layoutBusy = true;
    this.fitPending = !this.userZoomed;
    if (this.worker) this.worker.postMessage({ type: 'relax' });
    else this.engine.handle({ type: 'relax' });
  }

  // ---- data -----------------------------------------------------------------------------------

  /**
   * Show the next step.
   * @param {{objects: object[]}} snapshot  Heap.snapshot()
   * @param {Array<{name: string, id: number}>} names  the roots (globals, frame locals)
   * @param {{ reprs?: Map<number, string> }} [extra]  short reprs by object id, when the caller has them
   */
  update(snapshot, names = [], { reprs } = {}) {
    const diff = this.model.update(snapshot, names, { immortals: this.opts.immortals });
    this.updateSeq++;
    if (reprs) this.reprs = reprs;
    const now = performance.now();
    const remove = [];
    for (const node of diff.exit) {
      const slot = this.slots.get(node.key);
      this.slots.delete(node.key);
      this.spirals.delete(slot);
      remove.push(slot);
      this.freeSlots.push(slot);
      const x = this.xy[2 * slot], y = this.xy[2 * slot + 1];
      if (node.kind === 'object' && Number.isFinite(x)) {
        this.fading.push({ x, y, r: radiusOf(node.obj), color: GEN_COLORS[colorKey(node.obj)], t0: now, label: node.obj.type });
      }
      if (Number.isFinite(x)) { this.xy[2 * slot] = NaN; this.xy[2 * slot + 1] = NaN; }
    }
    for (const node of diff.enter) {
      const slot = this.freeSlots.length ? this.freeSlots.pop() : this.nextSlot++;
      this.slots.set(node.key, slot);
      node.slot = slot;
    }
    const add = this.placeEntering(diff.enter);
    this.since.push({ seq: this.updateSeq, removed: remove, placed: add });
    if (this.selected && !this.model.nodes.has(this.selected)) this.select(null);
    else if (this.selected) this.select(this.selected);
    this.sendLayout(add, remove);
    const n = this.model.nodes.size;
    const objects = (list) => { let c = 0; for (const x of list) if (x.kind === 'object') c++; return c; };
    setData(this.el, 'nodes', String(n));
    setData(this.el, 'objects', String(this.model.byId.size));
    setData(this.el, 'links', String(this.model.links.length));
    setData(this.el, 'freed', String(objects(diff.exit)));
    setData(this.el, 'entered', String(objects(diff.enter)));
    this.recNodes = null;
    this.chooseRenderer();
    this.qt = null;
    this.requestDraw();
    return diff;
  }

  /**
   * Positions for the entering nodes, placed here as the layout would place
   * them (placeFresh: next to their first referrer), so this step's frame
   * draws them; the layout then settles them. Returns the layout's add list.
   */
  placeEntering(enter) {
    if (!enter.length) return [];
    const fresh = enter.map((node) => ({
      slot: node.slot, seedSlot: node.seed != null ? (this.slots.get(node.seed) ?? -1) : -1, x: NaN, y: NaN,
    }));
    const bySlot = new Map(fresh.map((f) => [f.slot, f]));
    const xy = this.xy;
    const seeds = new Map();   // one object per seed slot (placeFresh spirals children around it)
    const nodeAt = (slot) => {
      if (bySlot.has(slot)) return bySlot.get(slot);
      let s = seeds.get(slot);
      if (!s) seeds.set(slot, (s = { x: xy[2 * slot] ?? NaN, y: xy[2 * slot + 1] ?? NaN }));
      return s;
    };
    const spread = () => spreadOf((f) => { for (const slot of this.slots.values()) if (!bySlot.has(slot)) f(xy[2 * slot] ?? NaN, xy[2 * slot + 1] ?? NaN); });
    // the engine's test for a global layout: most of the graph is new
    const global = fresh.length * 2 > this.slots.size;
    // a step's few new nodes go where they have room (then the worker runs no layout for them)
    let free = null;
    if (!global && fresh.length <= FREE_MAX) {
      const room = roomOf(this.slots.size);
      // the placed nodes near a try are gathered in one pass (cheap box tests) and kept for the tries
      // close to it: the innermost places around the referrer, then (a kept spiral) those further out
      const R = 160;
      let near = null, nx = 0, ny = 0;
      free = (x, y, node) => {
        for (const f of fresh) { if (f === node) break; if (Math.hypot(f.x - x, f.y - y) < room) return false; }
        if (!near || Math.abs(x - nx) > R - room || Math.abs(y - ny) > R - room) {
          near = []; nx = x; ny = y;
          for (const slot of this.slots.values()) {
            if (bySlot.has(slot)) continue;   // the step's new nodes: tested above, by their places so far
            const px = xy[2 * slot], py = xy[2 * slot + 1];
            if (Math.abs(px - x) <= R && Math.abs(py - y) <= R) near.push(px, py);
          }
        }
        const room2 = room * room;
        for (let i = 0; i < near.length; i += 2) { const dx = near[i] - x, dy = near[i + 1] - y; if (dx * dx + dy * dy < room2) return false; }
        return true;
      };
    }
    placeFresh(fresh, nodeAt, spread, global, () => { this.seed = nextSeed(this.seed); return this.seed / 2 ** 32; }, free, this.spirals);
    // the positions array grows to the new slots (NaN: not placed)
    const need = 2 * this.nextSlot;
    if (this.xy.length < need) {
      const grown = new Float32Array(need).fill(NaN);
      grown.set(this.xy);
      this.xy = grown;
    }
    for (const f of fresh) { this.xy[2 * f.slot] = f.x; this.xy[2 * f.slot + 1] = f.y; }
    return fresh.map((f) => [f.slot, f.seedSlot, f.x, f.y]);
  }

  /** A layout answer with the removals and placements of the updates after it applied on top. */
  withSince(answer) {
    const need = Math.max(answer.length, 2 * this.nextSlot);
    let xy = answer;
    if (answer.length < need) { xy = new Float32Array(need).fill(NaN); xy.set(answer); }
    for (const u of this.since) {
      for (const slot of u.removed) { xy[2 * slot] = NaN; xy[2 * slot + 1] = NaN; }
      for (const [slot, , x, y] of u.placed) { xy[2 * slot] = x; xy[2 * slot + 1] = y; }
    }
    return xy;
  }

  setImmortals(mode) {
    this.opts.immortals = mode;
    if (this.model.snapshot) this.update(this.model.snapshot, this.model.names);
  }

  /** Select a node by key (null clears): highlights its back-reference chain and referrers. */
  select(key) {
    this.selected = key;
    const hl = { nodes: new Set(), links: new Set() };
    let details = null;
    if (key) {
      details = this.model.details(key);
      if (details?.kind === 'object') {
        details.repr = this.reprs.get(details.id) ?? null;
        const keyOfId = { get: (id) => this.model.byId.get(id)?.key };
        if (details.chain) {
          const keys = details.chain.ids.map((id) => keyOfId.get(id));
          const nk = `n:${details.chain.name}`;
          hl.nodes.add(nk);
          hl.links.add(`${nk}>${keys[0]}`);
          keys.forEach((k, i) => { hl.nodes.add(k); if (i) hl.links.add(`${keys[i - 1]}>${k}`); });
        }
        for (const h of details.heldBy) hl.nodes.add(keyOfId.get(h.id));
      }
    }
    this.highlight = hl;
    this.stylesStale = true;
    this.requestDraw();
    this.opts.onSelect?.(details);
    this.el.dataset.selected = key ?? '';
  }

  // ---- geometry -------------------------------------------------------------------------------

  pos(node) {
    return [this.xy[2 * node.slot], this.xy[2 * node.slot + 1]];
  }

  /** Zoom so every node is visible. */
  fit() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const node of this.model.nodes.values()) {
      const x = this.xy[2 * node.slot], y = this.xy[2 * node.slot + 1];
      if (!Number.isFinite(x)) continue;
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
    if (x0 === Infinity || !this.surface) return;
    const pad = 40;
    const k = Math.min(2, 0.95 * Math.min(this.w / Math.max(1, x1 - x0 + 2 * pad), this.h / Math.max(1, y1 - y0 + 2 * pad)));
    const t = zoomIdentity.translate(this.w / 2 - k * (x0 + x1) / 2, this.h / 2 - k * (y0 + y1) / 2).scale(k);
    select(this.surface).call(this.zoom.transform, t);
  }

  /** Whether some node lies outside the view. */
  overflows() {
    const { k, x: tx, y: ty } = this.transform;
    for (const node of this.model.nodes.values()) {
      const x = this.xy[2 * node.slot], y = this.xy[2 * node.slot + 1];
      if (Number.isFinite(x) && !inView(x * k + tx, y * k + ty, this.w - 40, this.h - 40)) return true;
    }
    return false;
  }

  resize() {
    this.w = Math.max(50, this.el.clientWidth);
    this.h = Math.max(50, this.el.clientHeight);
    if (this.surface) this.sizeSurface();
    this.requestDraw();
  }

  /** The object or name under a screen point (quadtree over graph coordinates). */
  find(sx, sy) {
    // a name tag where it was last drawn first (spreadNames may have moved it off its layout position)
    const { k, x: tx, y: ty } = this.transform;
    for (const n of this.recNames ?? []) {
      if (Math.abs(n.x * k + tx - sx) <= n.hw && Math.abs(n.y * k + ty - sy) <= 10) return n.node;
    }
    if (!this.qt) {
      const pts = [];
      for (const node of this.model.nodes.values()) {
        const [x, y] = this.pos(node);
        if (Number.isFinite(x)) pts.push([x, y, node]);
      }
      this.qt = quadtree().addAll(pts);
    }
    const [x, y] = this.transform.invert([sx, sy]);
    const hit = this.qt.find(x, y, Math.max(18, 10 / this.transform.k));
    return hit ? hit[2] : null;
  }

  // ---- rendering ------------------------------------------------------------------------------

  chooseRenderer() {
    const want = this.opts.renderer === 'auto'
      ? (this.model.nodes.size < this.opts.svgLimit * (this.kind === 'canvas' ? 0.8 : 1) ? 'svg' : 'canvas')
      : this.opts.renderer;
    if (want === this.kind) return;
    this.surface?.remove();
    this.kind = want;
    this.el.dataset.renderer = want;
    if (want === 'canvas') {
      this.surface = document.createElement('canvas');
      // a low-latency canvas: its frames reach the compositor without the page's commit copying
      // the whole bitmap (software compositing: ~5 ms of each step's frame at 900x520, measured)
      this.ctx = this.surface.getContext('2d', { desynchronized: true });
      this.surface.setAttribute('role', 'img');
      this.surface.setAttribute('aria-label', 'heap graph (canvas): hover or click an object for details');
    } else {
      this.surface = document.createElementNS(SVG_NS, 'svg');
      this.surface.setAttribute('role', 'group');
      this.surface.setAttribute('aria-label', 'heap graph: objects and references');
      this.surface.innerHTML = `<defs>
        <marker id="hg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,1L10,5L0,9z" fill="${EDGE}"/></marker>
        <marker id="hg-arrow-hl" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,1L10,5L0,9z" fill="${HIGHLIGHT}"/></marker>
        <marker id="hg-arrow-name" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,1L10,5L0,9z" fill="${NAME_FILL}"/></marker>
      </defs><g class="vp"><g class="links"></g><g class="fades"></g><g class="nodes"></g><g class="labels"></g></g>`;
      this.ctx = null;
      this.edgeLayer = null;
    }
    this.surface.classList.add('hg-surface');
    this.el.prepend(this.surface);
    this.sizeSurface();
    this.lastScene = null;
    const sel = select(this.surface);
    sel.call(this.zoom).call(this.zoom.transform, this.transform).on('dblclick.zoom', null);
    sel.on('pointermove', (ev) => this.onHover(ev)).on('pointerleave', () => this.onHover(null))
      .on('click', (ev) => { const n = this.find(ev.offsetX, ev.offsetY); this.select(n ? n.key : null); });
    if (want === 'svg') {
      sel.on('keydown', (ev) => {
        const key = ev.target?.dataset?.key;
        if (key && (ev.key === 'Enter' || ev.key === ' ')) { ev.preventDefault(); this.select(key); }
      });
    }
  }

  sizeSurface() {
    const dpr = window.devicePixelRatio || 1;
    if (this.kind === 'canvas') {
      this.surface.width = Math.round(this.w * dpr);
      this.surface.height = Math.round(this.h * dpr);
      this.dpr = dpr;
      this.fullNext = true;   // setting the size clears the canvas
    }
    this.surface.style.width = `${this.w}px`;
    this.surface.style.height = `${this.h}px`;
    if (this.kind === 'svg') { this.surface.setAttribute('width', this.w); this.surface.setAttribute('height', this.h); }
  }

  onHover(ev) {
    const node = ev ? this.find(ev.offsetX, ev.offsetY) : null;
    const key = node?.key ?? null;
    if (key !== this.hover) { this.hover = key; this.stylesStale = true; this.requestDraw(); }
    if (!node) { this.tip.hidden = true; this.surface.style.cursor = ''; return; }
    this.surface.style.cursor = 'pointer';
    this.tip.hidden = false;
    this.tip.textContent = this.describe(node);
    this.tip.style.left = `${ev.offsetX + 14}px`;
    this.tip.style.top = `${ev.offsetY + 10}px`;
  }

  /** One line about a node (tooltip, SVG <title>). */
  describe(node) {
    if (node.kind === 'name') return `name ${node.name} → ${hex(node.targetId)}`;
    const o = node.obj;
    const repr = this.reprs.get(o.id);
    const gen = o.immortal ? 'immortal' : o.gen == null ? (o.gcType ? 'not tracked' : 'no GC head') : `gen ${o.gen}`;
    return `${o.type} at ${hex(o.id)}${repr ? ` ${short(repr, 40)}` : ''} — refcount ${o.immortal ? '∞ (immortal)' : o.refcount}, ` +
      `${o.size} bytes, ${gen}${o.reachable === false ? ', unreachable (cyclic garbage)' : ''}${o.finalized ? ', finalized' : ''}`;
  }

  label(node) {
    if (node.kind === 'name') return node.name;
    const repr = this.reprs.get(node.id);
    return repr ? `${node.obj.type} ${short(repr, 18)}` : node.obj.type;
  }

  /**
   * Draw at the next frame. Frames are drawn only when something changed: new
   * positions from the layout, the view, the selection, a fade in progress.
   * On Canvas a frame repaints only the cells where something changed
   * (dirty.js); `full` asks for the whole canvas (the next frame's only);
   * `scene` false: only the fading discs moved on (the scene is not recomputed).
   */
  requestDraw(full = false, scene = true) {
    if (full) this.fullNext = true;
    if (scene) this.sceneDirty = true;
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => { this.raf = 0; this.draw(); });
  }

  draw() {
    if (!this.surface) return;
    const t0 = performance.now();
    const now = t0;
    const ended = this.fading.filter((f) => now - f.t0 >= FADE_MS);
    if (ended.length) this.fading = this.fading.filter((f) => now - f.t0 < FADE_MS);
    if (this.kind === 'canvas') this.drawCanvasFrame(now); else this.drawSVG(now);
    if (this.drawnSeq !== this.updateSeq) {
      this.drawnSeq = this.updateSeq;
      this.el.dataset.drawnUpdate = String(this.drawnSeq);
    }
    const dt = performance.now() - t0;
    this.drawTimes.push(dt);
    if (this.drawTimes.length > 60) this.drawTimes.shift();
    setData(this.el, 'drawMs', (this.drawTimes.reduce((a, b) => a + b, 0) / this.drawTimes.length).toFixed(2));
    if (this.fading.length) this.fadeTimer(now);
  }

  /** The next frame a fade needs: when the soonest fading disc steps to its next opacity (or ends). */
  fadeTimer(now) {
    let next = Infinity;
    for (const f of this.fading) next = Math.min(next, f.t0 + (Math.floor((now - f.t0) / FADE_STEP_MS) + 1) * FADE_STEP_MS);
    clearTimeout(this.fadeWait);
    this.fadeWait = setTimeout(() => { this.fadeWait = 0; this.requestDraw(false, false); }, Math.max(0, next - performance.now()));
  }

  /**
   * One Canvas frame: the scene is laid out (what is visible, where, in which
   * style), compared with what the last frame drew item by item, and only the
   * cells under a difference are cleared and repainted (every item touching
   * them, in the usual order, clipped to them). The whole canvas is repainted
   * when the view moved or resized, a level of detail switched, or most of it changed.
   */
  drawCanvasFrame(now) {
    const ctx = this.ctx, W = this.surface.width, H = this.surface.height;
    const grid = (this.grid ??= new DirtyGrid(W, H)).reset(W, H);
    const edgeGrid = (this.edgeGrid ??= new DirtyGrid(W, H)).reset(W, H);
    this.addedLinks = [];
    const last = this.lastScene;
    // only fades moved on (a freed object's second of fading, 60 frames): the last scene with this frame's discs
    const fadesOnly = !this.sceneDirty && !this.fullNext && last && last.W === W && last.H === H;
    const scene = fadesOnly ? { ...last, fades: this.fades(now, last) } : this.scene(now);
    this.sceneDirty = false;
    let full = this.fullNext || !last || last.W !== W || last.H !== H || last.k !== scene.k || last.tx !== scene.tx ||
      last.ty !== scene.ty || last.dpr !== scene.dpr || last.mode !== scene.mode;
    if (fadesOnly) markFades(last.fades, scene.fades, (x0, y0, x1, y1) => grid.markRect(x0, y0, x1, y1));
    else if (!this.markChanges(grid, scene, full ? null : last)) full = true;   // always: it records what this frame draws
    this.fullNext = false;
    this.lastScene = scene;
    setData(this.el, 'drawMode', full ? 'full' : grid.count ? 'partial' : 'none');
    if (full) {
      grid.all();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, W, H);
      this.paint(ctx, scene, null);
      this.edgesStale = true;   // the edge layer is redrawn whole when a partial repaint next needs it
      return;
    }
    if (!grid.count) return;
    const edges = this.updateEdgeLayer(scene, edgeGrid);
    clipTo(ctx, grid);
    this.paint(ctx, scene, grid, edges);
    ctx.restore();
  }

  /**
   * The edge layer: an offscreen canvas holding only the edges (and their heads), so that a
   * partial repaint copies the edges of its cells from it instead of stroking every edge that
   * crosses them (a new edge out of a list of 1,000 marks the cells at the list, which all of
   * its edges cross: ~3.5 ms of raster per step). An edge that appeared is drawn onto the layer
   * as it is (edges are opaque: one drawn over another looks as the pair drawn in any order);
   * where an edge moved, changed style or went, the layer's cells are cleared and redrawn.
   */
  updateEdgeLayer(scene, edgeGrid) {
    const W = this.surface.width, H = this.surface.height;
    let layer = this.edgeLayer;
    if (!layer || layer.width !== W || layer.height !== H) {
      layer = this.edgeLayer = Object.assign(document.createElement('canvas'), { width: W, height: H });
      this.edgeCtx = layer.getContext('2d');
      this.edgesStale = true;
    }
    const lc = this.edgeCtx;
    if (this.edgesStale) {
      lc.setTransform(1, 0, 0, 1, 0, 0);
      lc.clearRect(0, 0, W, H);
      this.drawLinks(lc, scene, scene.links.filter(onEdgeLayer), null, true);
      this.edgesStale = false;
      return layer;
    }
    if (edgeGrid.count) {
      clipTo(lc, edgeGrid);
      const pad = linkPad(scene.dpr);
      this.drawLinks(lc, scene, scene.links.filter((e) => onEdgeLayer(e) && edgeGrid.hitsSegment(e.d1x, e.d1y, e.d2x, e.d2y, pad)), edgeGrid, true);
      lc.restore();
    }
    if (this.addedLinks.length) this.drawLinks(lc, scene, this.addedLinks, null, true);
    return layer;
  }

  /** Per-update drawing records (reused every frame: no allocation per node while panning). */
  buildRecords() {
    const count = this.model.nodes.size;
    this.stylesStale = true;
    // crowded heaps get smaller discs, so edges and clusters stay visible
    const rScale = count > 2000 ? 0.45 : count > 500 ? 0.7 : 1;
    // a node keeps its record from step to step (node.rec); a link's key string is made only when asked for
    const nodes = this.model.nodes;
    this.recNodes = [];
    this.recNames = [];
    for (const node of nodes.values()) {
      const r = node.kind === 'name' ? 9 : radiusOf(node.obj) * rScale;
      let rec = node.rec;
      if (!rec) rec = node.rec = new NodeRecord(node, r);
      else { rec.slot = node.slot; rec.r = r; }
      this.recNodes.push(rec);
      if (node.kind === 'name') this.recNames.push(rec);
    }
    // a link keeps its record while its two nodes stay (the frames diff what they draw by record):
    // first the record the link object carries (the model keeps a link object from step to step
    // while its object's references stay, or grow at the end), else the one last made for the
    // same two nodes (a list changed in the middle makes its links anew), keyed by the two slots
    // (a small integer while slots stay under 2^15), one map per kind (strong, weak, name); the
    // maps are made again only when stale entries outnumber the links (not on every update)
    this.recLinks = [];
    const { links, ends } = this.model;
    const maps = this.linkRecs ??= [new Map(), new Map(), new Map()];
    for (let i = 0; i < links.length; i++) {
      const a = ends[2 * i].rec, b = ends[2 * i + 1].rec;
      if (!a || !b || a === b) continue;
      const l = links[i];
      let e = l.rec;
      if (!e || e.a !== a || e.b !== b) {
        const kind = l.name ? 2 : l.weak ? 1 : 0, key = a.slot * 65536 + b.slot;
        e = maps[kind].get(key);
        if (!e || e.a !== a || e.b !== b) { e = new LinkRecord(l, a, b); maps[kind].set(key, e); }
        l.rec = e;
      }
      e.l = l;
      this.recLinks.push(e);
    }
    if (maps[0].size + maps[1].size + maps[2].size > 2 * this.recLinks.length + 1024) {
      this.linkRecs = [new Map(), new Map(), new Map()];
      for (const e of this.recLinks) this.linkRecs[e.l.name ? 2 : e.l.weak ? 1 : 0].set(e.a.slot * 65536 + e.b.slot, e);
    }
  }

  /** Visible geometry for this frame: nodes with positions, links trimmed to the node rims. */
  frame(cull = true) {
    if (!this.recNodes) this.buildRecords();
    const xy = this.xy;
    const { k, x: tx, y: ty } = this.transform, m = 30 / k;
    // the view in graph coordinates (with a margin): what lies outside is not drawn
    const vx0 = -tx / k - m, vy0 = -ty / k - m, vx1 = (this.w - tx) / k + m, vy1 = (this.h - ty) / k + m;
    const nodes = [];
    let names = 0;
    for (const n of this.recNodes) {
      n.x = xy[2 * n.slot]; n.y = xy[2 * n.slot + 1];
      if (!Number.isFinite(n.x)) continue;
      if (!cull || (n.x >= vx0 && n.x <= vx1 && n.y >= vy0 && n.y <= vy1)) { nodes.push(n); if (n.node.kind === 'name') names++; }
    }
    if (names > 1) spreadNames(nodes, k);
    const links = [];
    for (const e of this.recLinks) {
      const { a, b } = e;
      if (!Number.isFinite(a.x) || !Number.isFinite(b.x)) continue;
      if (cull && (Math.max(a.x, b.x) < vx0 || Math.min(a.x, b.x) > vx1 || Math.max(a.y, b.y) < vy0 || Math.min(a.y, b.y) > vy1)) continue;
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;   // (Math.hypot is several times slower)
      const ux = dx / d, uy = dy / d;
      const ra = a.node.kind === 'name' ? 10 / k : a.r;
      const trimA = Math.min(ra, d / 3), trimB = Math.min(b.r + 2, d / 2);
      e.x1 = a.x + ux * trimA; e.y1 = a.y + uy * trimA; e.x2 = b.x - ux * trimB; e.y2 = b.y - uy * trimB; e.ux = ux; e.uy = uy;
      links.push(e);
    }
    return { nodes, links };
  }

  /**
   * What a Canvas frame draws, decided over the whole graph (so a partial
   * repaint draws each item exactly as a full one would): the visible nodes
   * and links, the levels of detail, the labels' places, and each item's
   * extent on the canvas (device px) and style, which the next frame compares.
   */
  scene(now) {
    const { k, x: tx, y: ty } = this.transform, dpr = this.dpr;
    const { nodes, links } = this.frame();
    const arrows = k >= 0.45 && links.length < ARROWS_MAX;
    // level of detail for edges: past a budget of on-screen length (10,000 long edges
    // out of one list cost ~200 ms on a software rasteriser), draw each edge as a
    // stub at its target end: the direction stays readable, the cost is bounded
    // (one pass over the links and one over the nodes: these run every frame over every item)
    let screenLen = 0;
    for (const e of links) {
      screenLen += Math.abs(e.x2 - e.x1) + Math.abs(e.y2 - e.y1);
      e.d2x = (e.x2 * k + tx) * dpr; e.d2y = (e.y2 * k + ty) * dpr;
    }
    const stubs = screenLen * k > EDGE_PIXEL_BUDGET;
    const stub = STUB_PX / k;
    setData(this.el, 'edgeMode', stubs ? 'stubs' : 'full');
    if (this.stylesStale) this.styleRecords();
    // device-px geometry of each link as drawn (a stub starts near its target)
    for (const e of links) {
      const short = stubs && !e.l.name && Math.abs(e.x2 - e.x1) + Math.abs(e.y2 - e.y1) > stub;
      e.sx = short ? e.x2 - e.ux * stub : e.x1; e.sy = short ? e.y2 - e.uy * stub : e.y1;
      e.d1x = (e.sx * k + tx) * dpr; e.d1y = (e.sy * k + ty) * dpr;
    }
    // each node's box (device px); the objects on screen; for the level of detail below, their mean radius
    let rSum = 0, objects = 0;
    const names = [], onScreen = [], w = this.w, h = this.h;
    for (const n of nodes) {
      const sx = n.x * k + tx, sy = n.y * k + ty;
      if (n.node.kind === 'name') {
        names.push(n);
        const hw = n.hw + 6;   // the measured width may exceed the estimate a little
        n.b0 = (sx - hw) * dpr; n.b1 = (sy - 12) * dpr; n.b2 = (sx + hw) * dpr; n.b3 = (sy + 12) * dpr;
        continue;
      }
      rSum += n.r; objects++;
      if (inView(sx, sy, w, h)) onScreen.push(n);
      const fin = n.node.obj.finalized ? 16 * dpr : 0;
      const ext = (n.r * k * 1.42 + 3 * k + 4) * dpr;   // squares, the unreachable ring, the selection ring, antialiasing
      n.b0 = sx * dpr - ext; n.b1 = sy * dpr - ext - fin;
      n.b2 = sx * dpr + ext + fin; n.b3 = sy * dpr + ext;
    }
    // level of detail: many small discs are written straight into pixels (a software
    // rasteriser needs ~50 ms for 10,000 arcs, the splat ~6 ms); else vector arcs,
    // with squares for nodes under ~5 px across
    const splat = nodes.length > SPLAT_MIN_NODES && (2 * rSum / Math.max(1, objects)) * k < SPLAT_MAX_PX;
    const labels = onScreen.length <= LABEL_MAX_ON_SCREEN || (k >= LABEL_ZOOM && onScreen.length <= LABELS_MAX);
    const placed = labels ? this.placeLabels(onScreen, names) : [];
    for (const p of placed) {
      // the text's extent: about 6.1 px a character at 11px, a 3 px halo; generous
      const w = p.text.length * 8 + 8;
      const x0 = p.align === 'left' ? p.sx - 4 : p.align === 'right' ? p.sx - w : p.sx - w / 2;
      p.b0 = x0 * dpr; p.b1 = (p.sy - 10) * dpr; p.b2 = (x0 + w + 4) * dpr; p.b3 = (p.sy + 10) * dpr;
    }
    const fades = this.fades(now, { k, tx, ty, dpr });
    const mode = `${stubs ? 's' : 'f'}${arrows ? 'a' : ''}${splat ? 'p' : ''}${labels ? 'l' : ''}`;
    return { k, tx, ty, dpr, W: this.surface.width, H: this.surface.height, nodes, links, names, onScreen, placed, fades, arrows, stubs, splat, mode };
  }

  /**
   * Each record's style: a node's colour and flags (unreachable, finalized, selected,
   * hovered, highlighted), a link's (plain, weak, name, highlighted). Worked out after
   * an update or a change of selection or hover, not every frame.
   */
  styleRecords() {
    for (const n of this.recNodes) {
      const key = n.node.key;
      if (n.node.kind === 'name') { n.c = null; n.f = this.highlight.nodes.has(key) ? 1 : 0; continue; }
      const o = n.node.obj;
      n.c = colorKey(o);
      n.f = (o.reachable === false ? 1 : 0) | (o.finalized ? 2 : 0) | (key === this.selected ? 4 : 0) |
        (key === this.hover ? 8 : 0) | (this.highlight.nodes.has(key) ? 16 : 0);
    }
    const hl = this.highlight.links.size > 0;
    for (const e of this.recLinks) e.style = (hl && this.highlight.links.has(e.key)) ? 3 : e.l.name ? 2 : e.l.weak ? 1 : 0;
    this.stylesStale = false;
  }

  /** The fading discs of this frame: their alpha and box (device px). */
  fades(now, { k, tx, ty, dpr }) {
    const out = [];
    for (const f of this.fading) {
      const sx = f.x * k + tx, sy = f.y * k + ty, ext = (f.r * k + 3) * dpr;
      out.push({ f, alpha: fadeAlpha(f.t0, now), b0: sx * dpr - ext, b1: sy * dpr - ext, b2: sx * dpr + ext, b3: sy * dpr + ext });
    }
    return out;
  }

  /**
   * Mark on `grid` every cell where this frame's scene differs from the last
   * one's, and remember on each item what it drew (its box or segment, its style).
   * False when the whole canvas is to be repainted (no last frame, or too much changed).
   */
  markChanges(grid, scene, last) {
    const stamp = ++this.frameNo;
    const was = stamp - 1;
    const pad = linkPad(scene.dpr);
    // without a last frame to compare with (a full repaint) or past the share, only record
    const limit = FULL_REDRAW_SHARE * grid.cells.length;
    let marking = Boolean(last);
    const mark = (x0, y0, x1, y1) => { if (marking) { grid.markRect(x0, y0, x1, y1); if (grid.count > limit) marking = false; } };
    const markSeg = (x0, y0, x1, y1) => { if (marking) { grid.markSegment(x0, y0, x1, y1, pad); if (grid.count > limit) marking = false; } };
    for (const n of scene.nodes) {
      const drawn = n.seen === was;
      if (!drawn || n.d0 !== n.b0 || n.d1 !== n.b1 || n.d2 !== n.b2 || n.d3 !== n.b3 || n.dc !== n.c || n.df !== n.f) {
        if (drawn) mark(n.d0, n.d1, n.d2, n.d3);
        mark(n.b0, n.b1, n.b2, n.b3);
        n.d0 = n.b0; n.d1 = n.b1; n.d2 = n.b2; n.d3 = n.b3; n.dc = n.c; n.df = n.f;
      }
      n.seen = stamp;
    }
    // the edge layer's changes: edges that appeared (drawn onto it as they are), and the cells
    // where an edge moved, changed style or went (cleared and redrawn there)
    const edgeGrid = this.edgeGrid, added = this.addedLinks;
    // (a name's edge is not on the layer; a highlighted edge is, in its own style, with the highlight drawn over it)
    const markEdge = (e, x0, y0, x1, y1) => { markSeg(x0, y0, x1, y1); if (marking && onEdgeLayer(e)) edgeGrid.markSegment(x0, y0, x1, y1, pad); };
    for (const e of scene.links) {
      const drawn = e.seen === was;
      if (!drawn) {
        markSeg(e.d1x, e.d1y, e.d2x, e.d2y);
        if (onEdgeLayer(e)) added.push(e);
      } else if (e.e1x !== e.d1x || e.e1y !== e.d1y || e.e2x !== e.d2x || e.e2y !== e.d2y) {
        markEdge(e, e.e1x, e.e1y, e.e2x, e.e2y); markEdge(e, e.d1x, e.d1y, e.d2x, e.d2y);
      } else if (e.es !== e.style) {
        markSeg(e.d1x, e.d1y, e.d2x, e.d2y);   // highlighted or not: the layer keeps its line
      } else {
        e.seen = stamp;
        continue;
      }
      e.e1x = e.d1x; e.e1y = e.d1y; e.e2x = e.d2x; e.e2y = e.d2y; e.es = e.style;
      e.seen = stamp;
    }
    for (const p of scene.placed) {
      const n = p.n, drawn = n.lseen === was, l = n.label;
      if (!drawn || !l || l.text !== p.text || l.sx !== p.sx || l.sy !== p.sy || l.align !== p.align) {
        if (drawn && l) mark(l.b0, l.b1, l.b2, l.b3);
        mark(p.b0, p.b1, p.b2, p.b3);
        n.label = p;
      }
      n.lseen = stamp;
    }
    if (last && marking) {
      // what the last frame drew and this one does not: left, culled, label dropped
      for (const n of last.nodes) if (n.seen !== stamp) mark(n.d0, n.d1, n.d2, n.d3);
      for (const e of last.links) if (e.seen !== stamp) markEdge(e, e.e1x, e.e1y, e.e2x, e.e2y);
      for (const p of last.placed) if (p.n.lseen !== stamp) mark(p.b0, p.b1, p.b2, p.b3);
    }
    markFades(last?.fades ?? [], scene.fades, mark);
    return marking;
  }

  /**
   * Edges (and their heads, when the scene has them) onto `ctx`; with `grid`, only the heads in its
   * marked cells. `layer`: as the edge layer holds them (plain or weak, highlighted or not).
   */
  drawLinks(ctx, scene, links, grid, layer = false) {
    const { k, tx, ty, dpr, arrows } = scene;
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
    const ah = 6 / Math.max(k, 0.6);
    const headPad = (ah * k + 3) * dpr;   // an arrowhead's reach from its tip, device px (with antialiasing)
    // edges, batched per style
    const styles = [
      ['plain', EDGE, []], ['weak', EDGE, [4 / k, 3 / k]], ['name', NAME_FILL, []], ['hl', HIGHLIGHT, []],
    ];
    // one pass sorts the links into their styles
    const byStyle = [[], [], [], []];
    for (const e of links) byStyle[layer ? (e.l.weak ? 1 : 0) : e.style].push(e);
    styles.forEach(([style, color, dash], si) => {
      const mine = byStyle[si];
      if (!mine.length) return;
      ctx.setLineDash(dash);
      ctx.strokeStyle = style === 'plain' ? EDGE_SOFT : color;
      ctx.fillStyle = color;
      ctx.lineWidth = (style === 'hl' ? 2.2 : 1) / Math.max(k, 0.5);
      // batches: a software rasteriser slows down badly on one huge self-overlapping path
      // (10,000 edges into one list), so stroke a few hundred segments at a time
      for (let i = 0; i < mine.length; i += EDGE_BATCH) {
        ctx.beginPath();
        const part = mine.slice(i, i + EDGE_BATCH);
        for (const e of part) {
          ctx.moveTo(e.sx, e.sy);
          ctx.lineTo(e.x2, e.y2);
        }
        ctx.stroke();
        if (!arrows) continue;
        ctx.beginPath();
        for (const e of part) {
          // on a partial repaint, only the heads inside the repainted cells (a new edge from a list of
          // 1,000 marks the cells at the list: all its edges pass there, their heads are far away)
          if (grid && !grid.hitsRect(e.d2x - headPad, e.d2y - headPad, e.d2x + headPad, e.d2y + headPad)) continue;
          ctx.moveTo(e.x2, e.y2);
          ctx.lineTo(e.x2 - ah * e.ux + ah * 0.45 * e.uy, e.y2 - ah * e.uy - ah * 0.45 * e.ux);
          ctx.lineTo(e.x2 - ah * e.ux - ah * 0.45 * e.uy, e.y2 - ah * e.uy + ah * 0.45 * e.ux);   // fill() closes each triangle
        }
        ctx.fill();
      }
      ctx.setLineDash([]);
    });
  }

  /**
   * The scene onto `ctx` (a context of the surface's size): fading discs, edges,
   * nodes, names, labels. With `grid`, only the items touching its marked cells
   * (the caller has cleared and clipped to them); their edges copied from `edges` (the edge
   * layer) when given.
   */
  paint(ctx, scene, grid, edges = null) {
    const { k, tx, ty, dpr, splat } = scene;
    const touches = (b) => !grid || grid.hitsRect(b.b0, b.b1, b.b2, b.b3);
    const nodes = grid ? scene.nodes.filter(touches) : scene.nodes;
    ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
    // freed objects, fading where they were (under the scene)
    for (const fd of scene.fades) {
      if (!touches(fd)) continue;
      const f = fd.f;
      ctx.globalAlpha = fd.alpha;
      ctx.beginPath(); ctx.arc(f.x, f.y, f.r, 0, 2 * Math.PI);
      ctx.fillStyle = f.color; ctx.fill();
      ctx.strokeStyle = '#555'; ctx.lineWidth = 1 / k; ctx.stroke();
    }
    ctx.globalAlpha = 1;
    const pad = linkPad(dpr);
    const hits = (e) => grid.hitsSegment(e.d1x, e.d1y, e.d2x, e.d2y, pad);
    if (edges) {
      // the edges of the repainted cells from the edge layer (the clip keeps the rest), then the
      // names' edges and the highlighted ones over them (the order a full repaint draws them in)
      const [bx, by, bw, bh] = grid.bounds();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(edges, bx, by, bw, bh, bx, by, bw, bh);
      this.drawLinks(ctx, scene, scene.links.filter((e) => e.style >= 2 && hits(e)), grid);
    } else {
      this.drawLinks(ctx, scene, grid ? scene.links.filter(hits) : scene.links, grid);
    }
    // object nodes, one path per colour
    const byColor = new Map();
    const hollow = [], unreachable = [], names = [];
    for (const n of nodes) {
      if (n.node.kind === 'name') { names.push(n); continue; }
      const o = n.node.obj, c = n.c;
      if (c === 'untracked') { hollow.push(n); continue; }
      let list = byColor.get(c); if (!list) byColor.set(c, (list = [])); list.push(n);
      if (o.reachable === false) unreachable.push(n);
    }
    if (splat) {
      this.splatNodes(ctx, byColor, hollow, grid);
      ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
    }
    for (const [c, list] of splat ? [] : byColor) {
      ctx.beginPath();
      for (const n of list) {
        if (n.r * k < 2.5) ctx.rect(n.x - n.r, n.y - n.r, 2 * n.r, 2 * n.r);
        else { ctx.moveTo(n.x + n.r, n.y); ctx.arc(n.x, n.y, n.r, 0, 2 * Math.PI); }
      }
      ctx.fillStyle = GEN_COLORS[c]; ctx.fill();
    }
    if (hollow.length && !splat) {
      ctx.beginPath();
      for (const n of hollow) { ctx.moveTo(n.x + n.r, n.y); ctx.arc(n.x, n.y, n.r, 0, 2 * Math.PI); }
      ctx.fillStyle = '#fff'; ctx.fill();
      ctx.strokeStyle = GEN_COLORS.untracked; ctx.lineWidth = 2 / Math.max(k, 0.7); ctx.stroke();
    }
    if (unreachable.length) {
      ctx.beginPath();
      for (const n of unreachable) { ctx.moveTo(n.x + n.r + 3, n.y); ctx.arc(n.x, n.y, n.r + 3, 0, 2 * Math.PI); }
      ctx.setLineDash([3 / k, 2 / k]); ctx.strokeStyle = UNREACHABLE; ctx.lineWidth = 1.5 / Math.max(k, 0.7); ctx.stroke(); ctx.setLineDash([]);
    }
    // hover / selection / highlighted rings
    for (const n of nodes) {
      const key = n.node.key;
      if (key !== this.selected && key !== this.hover && !this.highlight.nodes.has(key)) continue;
      if (n.node.kind === 'name') continue;
      ctx.beginPath(); ctx.arc(n.x, n.y, n.r + 1.5, 0, 2 * Math.PI);
      ctx.strokeStyle = key === this.selected ? '#111' : HIGHLIGHT;
      ctx.lineWidth = (key === this.selected ? 3 : 2) / Math.max(k, 0.7); ctx.stroke();
    }
    // names and labels in screen space (crisp text at any zoom)
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (const n of names) {
      const sx = n.x * k + tx, sy = n.y * k + ty;
      if (sx < -100 || sy < -20 || sx > this.w + 100 || sy > this.h + 20) continue;
      const w = ctx.measureText(n.node.name).width + 12;
      ctx.fillStyle = this.highlight.nodes.has(n.node.key) ? HIGHLIGHT : NAME_FILL;
      roundRect(ctx, sx - w / 2, sy - 10, w, 20, 4); ctx.fill();
      ctx.fillStyle = '#fff'; ctx.textAlign = 'center'; ctx.fillText(n.node.name, sx, sy);
    }
    // finalized (__del__ ran): a dagger by the node, at any zoom
    ctx.font = '700 12px system-ui, sans-serif'; ctx.textAlign = 'center'; ctx.fillStyle = '#111';
    for (const n of scene.onScreen) {
      if (n.node.obj.finalized && touches(n)) ctx.fillText('†', n.x * k + tx + n.r * k + 2, n.y * k + ty - n.r * k - 2);
    }
    if (scene.placed.length) {
      ctx.font = '11px system-ui, sans-serif';
      ctx.textAlign = 'left';
      for (const p of scene.placed) {
        if (!touches(p)) continue;
        const { text, sx, sy, align } = p;
        ctx.textAlign = align;
        ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,0.85)'; ctx.strokeText(text, sx, sy);
        ctx.fillStyle = '#27313d'; ctx.fillText(text, sx, sy);
      }
    }
  }
  /**
   * Labels that do not collide: bigger objects (containers) first, the selected
   * and highlighted ones before all; a label that would overlap a placed label,
   * a name tag or another node's disc is left out (hover still tells).
   */
  placeLabels(objs, names) {
    const { k, x: tx, y: ty } = this.transform;
    const CELL = 48;
    const grid = new Map();
    const cellsOf = (x0, y0, x1, y1, f) => {
      for (let gx = Math.floor(x0 / CELL); gx <= Math.floor(x1 / CELL); gx++) {
        for (let gy = Math.floor(y0 / CELL); gy <= Math.floor(y1 / CELL); gy++) f(`${gx},${gy}`);
      }
    };
    const hits = (b) => {
      let hit = false;
      cellsOf(b[0], b[1], b[2], b[3], (c) => {
        for (const o of grid.get(c) ?? []) if (b[0] < o[2] && b[2] > o[0] && b[1] < o[3] && b[3] > o[1]) hit = true;
      });
      return hit;
    };
    const add = (b) => cellsOf(b[0], b[1], b[2], b[3], (c) => { let l = grid.get(c); if (!l) grid.set(c, (l = [])); l.push(b); });
    for (const n of names) {
      const sx = n.x * k + tx, sy = n.y * k + ty, hw = n.hw;
      add([sx - hw, sy - 10, sx + hw, sy + 10]);
    }
    for (const n of objs) {
      const sx = n.x * k + tx, sy = n.y * k + ty, r = n.r * k;
      add([sx - r + 1, sy - r + 1, sx + r - 1, sy + r - 1]);
    }
    const rank = (n) => (n.node.key === this.selected ? 3 : this.highlight.nodes.has(n.node.key) ? 2 : 0) * 1000 + n.r;
    const out = [];
    for (const n of [...objs].sort((a, b) => rank(b) - rank(a))) {
      const text = this.label(n.node);
      const cx = n.x * k + tx, cy = n.y * k + ty, r = n.r * k, w = text.length * 6.1;
      // right of the node, else left, below, above
      const tries = [
        { sx: cx + r + 3, sy: cy, align: 'left', box: [cx + r + 3, cy - 7, cx + r + 3 + w, cy + 7] },
        { sx: cx - r - 3, sy: cy, align: 'right', box: [cx - r - 3 - w, cy - 7, cx - r - 3, cy + 7] },
        { sx: cx, sy: cy + r + 9, align: 'center', box: [cx - w / 2, cy + r + 2, cx + w / 2, cy + r + 16] },
        { sx: cx, sy: cy - r - 9, align: 'center', box: [cx - w / 2, cy - r - 16, cx + w / 2, cy - r - 2] },
      ];
      const spot = tries.find((t) => !hits(t.box));
      if (!spot) continue;
      add(spot.box);
      out.push({ n, text, sx: spot.sx, sy: spot.sy, align: spot.align });
    }
    return out;
  }

  /** Object nodes as discs written into an ImageData, drawn over the edges in one drawImage. */
  splatNodes(ctx, byColor, hollow, grid = null) {
    const W = this.surface.width, H = this.surface.height, dpr = this.dpr;
    const { k, x: tx, y: ty } = this.transform;
    if (!this.splatCanvas || this.splatCanvas.width !== W || this.splatCanvas.height !== H) {
      this.splatCanvas = Object.assign(document.createElement('canvas'), { width: W, height: H });
      this.splatImage = new ImageData(W, H);
      this.splatPx = new Uint32Array(this.splatImage.data.buffer);
    }
    const px = this.splatPx;
    // a partial repaint clears, uploads and draws only the changed cells' bounding box (the clip
    // keeps the rest; pixels written outside it are never shown, and cleared before they could be)
    const b = grid?.bounds();
    if (b) {
      const [bx, by, bw, bh] = b;
      for (let y = Math.max(0, by), y1 = Math.min(H, by + bh); y < y1; y++) px.fill(0, y * W + Math.max(0, bx), y * W + Math.min(W, bx + bw));
    } else px.fill(0);
    const put = (list, rgba, shrink) => {
      for (const n of list) {
        const cx = Math.round((n.x * k + tx) * dpr), cy = Math.round((n.y * k + ty) * dpr);
        const r = Math.max(1, n.r * k * dpr - shrink);
        const ri = Math.ceil(r), r2 = r * r;
        if (cx + ri < 0 || cy + ri < 0 || cx - ri >= W || cy - ri >= H) continue;
        for (let dy = -ri; dy <= ri; dy++) {
          const yy = cy + dy;
          if (yy < 0 || yy >= H) continue;
          const row = yy * W;
          for (let dx = -ri; dx <= ri; dx++) {
            const xx = cx + dx;
            if (xx >= 0 && xx < W && dx * dx + dy * dy <= r2) px[row + xx] = rgba;
          }
        }
      }
    };
    for (const [c, list] of byColor) put(list, rgbaWord(GEN_COLORS[c]), 0);
    put(hollow, rgbaWord(GEN_COLORS.untracked), 0);
    put(hollow, rgbaWord('#ffffff'), 1.5 * dpr);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (b) {
      this.splatCanvas.getContext('2d').putImageData(this.splatImage, 0, 0, ...b);
      ctx.drawImage(this.splatCanvas, b[0], b[1], b[2], b[3], b[0], b[1], b[2], b[3]);
    } else {
      this.splatCanvas.getContext('2d').putImageData(this.splatImage, 0, 0);
      ctx.drawImage(this.splatCanvas, 0, 0);
    }
  }

  drawSVG(now) {
    const svg = select(this.surface);
    svg.select('g.vp').attr('transform', this.transform.toString());
    const { nodes, links } = this.frame(false);
    const k = this.transform.k;
    svg.select('g.links').selectAll('line').data(links, (e) => e.key).join('line')
      .attr('x1', (e) => e.x1).attr('y1', (e) => e.y1).attr('x2', (e) => e.x2).attr('y2', (e) => e.y2)
      .attr('class', (e) => (this.highlight.links.has(e.key) ? 'hl' : e.l.name ? 'name' : e.l.weak ? 'weak' : 'plain'))
      .attr('marker-end', (e) => `url(#hg-arrow${this.highlight.links.has(e.key) ? '-hl' : e.l.name ? '-name' : ''})`);
    svg.select('g.fades').selectAll('circle').data(this.fading).join('circle')
      .attr('cx', (f) => f.x).attr('cy', (f) => f.y).attr('r', (f) => f.r).attr('fill', (f) => f.color)
      .attr('stroke', '#555').attr('opacity', (f) => fadeAlpha(f.t0, now));
    const objs = nodes.filter((n) => n.node.kind === 'object');
    svg.select('g.nodes').selectAll('g.obj').data(objs, (n) => n.node.key).join((enter) => {
      const g = enter.append('g').attr('class', 'obj').attr('tabindex', 0).attr('role', 'button');
      g.append('circle').attr('class', 'ring');
      g.append('circle').attr('class', 'body');
      g.append('text').attr('class', 'dagger').text('†');
      g.append('title');
      return g;
    })
      .attr('data-key', (n) => n.node.key)
      .attr('aria-label', (n) => this.describe(n.node))
      .attr('transform', (n) => `translate(${n.x},${n.y})`)
      .classed('selected', (n) => n.node.key === this.selected)
      .classed('hl', (n) => this.highlight.nodes.has(n.node.key) || n.node.key === this.hover)
      .call((g) => {
        g.select('circle.body').attr('r', (n) => n.r)
          .attr('fill', (n) => (colorKey(n.node.obj) === 'untracked' ? '#fff' : GEN_COLORS[colorKey(n.node.obj)]))
          .attr('stroke', (n) => (colorKey(n.node.obj) === 'untracked' ? GEN_COLORS.untracked : 'none'))
          .attr('stroke-width', 2);
        g.select('circle.ring').attr('r', (n) => n.r + 3.5)
          .attr('class', (n) => `ring${n.node.obj.reachable === false ? ' unreachable' : ''}`);
        g.select('title').text((n) => this.describe(n.node));
        g.select('text.dagger').attr('x', (n) => n.r + 1).attr('y', (n) => -n.r - 1)
          .attr('display', (n) => (n.node.obj.finalized ? null : 'none'));
      });
    const names = nodes.filter((n) => n.node.kind === 'name');
    svg.select('g.labels').selectAll('g.name').data(names, (n) => n.node.key).join((enter) => {
      const g = enter.append('g').attr('class', 'name').attr('tabindex', 0).attr('role', 'button');
      g.append('rect').attr('rx', 4).attr('height', 20).attr('y', -10);
      g.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em');
      return g;
    })
      .attr('data-key', (n) => n.node.key)
      .attr('aria-label', (n) => this.describe(n.node))
      .attr('transform', (n) => `translate(${n.x},${n.y}) scale(${1 / k})`)
      .classed('hl', (n) => this.highlight.nodes.has(n.node.key))
      .call((g) => {
        g.select('text').text((n) => n.node.name);
        g.select('rect').attr('width', (n) => nameHalfWidth(n.node) * 2).attr('x', (n) => -nameHalfWidth(n.node));
      });
    const showLabels = k >= LABEL_ZOOM || objs.length <= LABEL_MAX_ON_SCREEN;
    // placed in screen space, drawn in graph space: (sx - tx) / k back to graph units
    const placed = showLabels ? this.placeLabels(objs, names) : [];
    const { x: tx, y: ty } = this.transform;
    const anchor = { left: 'start', right: 'end', center: 'middle' };
    svg.select('g.labels').selectAll('text.lbl').data(placed, (p) => p.n.node.key)
      .join('text').attr('class', 'lbl')
      .attr('transform', (p) => `translate(${(p.sx - tx) / k},${(p.sy - ty) / k}) scale(${1 / k})`)
      .attr('text-anchor', (p) => anchor[p.align])
      .attr('dy', '0.35em')
      .text((p) => p.text);
  }

  destroy() {
    this.worker?.terminate();
    this.resizer.disconnect();
    if (this.raf) cancelAnimationFrame(this.raf);
    clearTimeout(this.fadeWait);
    this.surface?.remove();
    this.tip.remove();
  }
}

/**
 * A node as drawn: its model node, slot, position and radius; this frame's
 * colour, flags and box on the canvas (device px), and those the last frame
 * that drew it used (d*), for the dirty cells. All fields made here: one shape.
 */
class NodeRecord {
  constructor(node, r) {
    this.node = node; this.slot = node.slot; this.x = NaN; this.y = NaN; this.r = r;
    this.c = null; this.f = 0; this.b0 = 0; this.b1 = 0; this.b2 = 0; this.b3 = 0;
    this.dc = null; this.df = 0; this.d0 = 0; this.d1 = 0; this.d2 = 0; this.d3 = 0;
    this.seen = 0; this.label = null; this.lseen = 0;
    // a name tag's half width, worked out here: read every frame, the helper that computes it was
    // inlined into scene() and, never run on its own, lost its type feedback, so V8 threw scene()'s
    // compiled code away again and again (nine times in 300 steps)
    this.hw = node.kind === 'name' ? nameHalfWidth(node) : 0;
  }
}

/** A link as drawn: its model link, its two node records, this frame's trimmed ends, its drawn segment (device px). */
class LinkRecord {
  constructor(l, a, b) {
    this.l = l; this.a = a; this.b = b;
    this.x1 = 0; this.y1 = 0; this.x2 = 0; this.y2 = 0; this.ux = 0; this.uy = 0;
    this.k = null;
    this.style = 0; this.sx = 0; this.sy = 0; this.d1x = 0; this.d1y = 0; this.d2x = 0; this.d2y = 0;
    this.es = 0; this.e1x = 0; this.e1y = 0; this.e2x = 0; this.e2y = 0; this.seen = 0;
  }

  /** 'source>target' (highlights and the SVG join use it; most frames never ask). */
  get key() { return (this.k ??= `${this.l.source}>${this.l.target}`); }
}

/** Device px around an edge's segment that it may paint, and so marks and is found by (dirty.js). */
const linkPad = (dpr) => LINK_PAD * dpr + 4;

/** Whether an edge is kept on the edge layer: every edge but a name's (those are drawn per frame, over it). */
const onEdgeLayer = (e) => !e.l.name;

/** Save `ctx` and clip it to the grid's marked cells, cleared (device px); the caller restores. */
function clipTo(ctx, grid) {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.beginPath();
  for (const [x, y, w, h] of grid.rects()) ctx.rect(x, y, w, h);
  ctx.clip();
  const [bx, by, bw, bh] = grid.bounds();
  ctx.clearRect(bx, by, bw, bh);
}

/**
 * Name tags are a fixed size on screen: zoomed out, names whose nodes lie close together covered one
 * another (`i` over `objs` at the middle of a list of thousands). A tag that would overlap one before
 * it (in the records' order, which stays from frame to frame) is drawn lower, a tag's height at a
 * time, at most 8 times; the name's edge then starts from where its tag is. (Up to 64 names on
 * screen: past that, as they are.)
 */
function spreadNames(nodes, k) {
  const tags = [];
  for (const n of nodes) {
    if (n.node.kind !== 'name') continue;
    if (tags.length >= 64) return;
    for (let i = 0; i < 8 && tags.some((t) => Math.abs(t.x - n.x) * k < t.hw + n.hw + 4 && Math.abs(t.y - n.y) * k < NAME_TAG_H); i++) {
      n.y += NAME_TAG_H / k;
    }
    tags.push(n);
  }
}

/** Whether two position arrays place every slot at the same point (NaN: not placed). */
function samePositions(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/**
 * Mark where fading discs changed between two frames: a disc that stepped to another
 * opacity, started or ended (the view did not move, else the whole canvas is repainted).
 */
function markFades(was, now, mark) {
  const before = new Map(was.map((fd) => [fd.f, fd.alpha]));
  for (const fd of now) {
    if (before.get(fd.f) !== fd.alpha) mark(fd.b0, fd.b1, fd.b2, fd.b3);
    before.delete(fd.f);
  }
  for (const fd of was) if (before.has(fd.f)) mark(fd.b0, fd.b1, fd.b2, fd.b3);
}

const short = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const inView = (x, y, w, h) => x > -20 && y > -20 && x < w + 20 && y < h + 20;
/** Half the width of a name tag, in screen pixels (12px semibold, about 7 px a character). */
const nameHalfWidth = (node) => (node.name.length * 7 + 12) / 2;

/** '#4e79a7' -> the Uint32 of its RGBA bytes in memory order (little-endian ABGR). */
function rgbaWord(hex6) {
  const v = parseInt(hex6.slice(1), 16);
  return ((0xff << 24) | ((v & 0xff) << 16) | (v & 0xff00) | ((v >> 16) & 0xff)) >>> 0;
}

function roundRect(ctx, x, y, w, h, r) {
  ctx.beginPath();
  ctx.moveTo(x + r, y); ctx.arcTo(x + w, y, x + w, y + h, r); ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r); ctx.arcTo(x, y, x + w, y, r); ctx.closePath();
}

export { bytes };
