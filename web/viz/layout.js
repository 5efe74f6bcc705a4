// layout.js — the heap graph's force layout (d3-force), stable from step to step.
//
// Runs in a Web Worker (layout-worker.js) or, where there are no Workers (node
// tests, old browsers), on the main thread through the same class. The view
// numbers its nodes with small integer slots; messages carry slots, and the
// engine answers with a Float32Array of positions indexed by slot
// (xy[2*slot], xy[2*slot+1]).
//
// Stability (ecosystem.md §3.3): an entering node is seeded next to its first
// referrer (with seeded jitter), then a LOCAL simulation runs over the new
// nodes and their neighbours with the old neighbours pinned, so nothing the
// user has already seen moves. A global relaxation runs only on request, or
// when most of the graph is new (the first step).
//
// Messages in:
//   { type: 'update', add: [[slot, seedSlot|-1, x?, y?], ...] (x, y: where it starts; the view places
//     new nodes itself, placeFresh, so it can draw them at once), remove: [slot...],
//     links: Int32Array [s0, t0, s1, t1, ...] (all current links), names?: slots of name tags, sync?: bool,
//     keep?: bool (added nodes that carry x/y stay there: a layout restarted elsewhere) }
//   { type: 'relax', sync?: bool }        global relaxation of everything
//   { type: 'pin', slot, x, y } / { type: 'unpin', slot }
// Messages out:
//   { type: 'positions', xy: Float32Array, done: boolean, ticks: number, global: boolean,
//     seq: the last update message's seq (0 when it had none) }

import { forceSimulation, forceLink, forceManyBody, forceCollide, forceX, forceY } from 'd3-force';
import { quadtree } from 'd3-quadtree';

const CHUNK_MS = 24;          // work per slice before positions are posted
const JITTER = 18;            // px around the seed (first child; later ones spiral out)
const GOLDEN = Math.PI * (3 - Math.sqrt(5));
const NEAR = 110;             // old nodes this close to a new one take part (pinned) in its local layout
const LOCAL_DECAY = 0.1;      // alpha decay of a local run (global runs: 0.035, big heaps 0.06)…
const LOCAL_ALPHA_MIN = 0.02; // …which stops here: ~32 ticks (to d3's 0.001: 61, twice the worker's CPU per
                              // step, on the same two cores as the page, for the last few px of a new node's way)
const NEAR_SCAN = 8;          // up to this many new nodes, those neighbours are found by a scan (else a quadtree)
const NEAR_MAX = 40;          // per new node, at most this many of those neighbours (the nearest): a crowded hub
                              // (a list of thousands) would otherwise put hundreds of pinned nodes in every run
const FREE_TRIES = 64;        // a step's few new nodes: spiral places tried for one with room around it (out to
                              // ~145 px: a list's inner places fill up as items are appended, and with 16 tries
                              // every append to a 1,000-item list ran a local layout: ~3 ms of CPU a step)
const NEAR_TRIES = 8;         // with a referrer's spiral kept from step to step (`spirals`), the innermost places
                              // are tried first (a name's new value goes back next to it), then the search goes on
                              // from where the referrer's last child found room: past 1,000 items a list's first
                              // 64 places are long taken, and a third of the appends ran a local layout (~8 ms of
                              // the worker's CPU each, beside the page on two cores)
export const FREE_MAX = 8;    // (only for steps with at most this many new nodes: each try scans every node)

/**
 * The distance between two node centres that leaves them room (the collision radius of
 * the layout for a heap of `count` nodes, twice, and a margin): a new node placed with
 * this much room needs no local layout run (the worker then moves nothing).
 */
export const roomOf = (count) => (count > 2000 ? 12 : count >= 400 ? 20 : 38);
export const SEED = 0x2545f491;

/** The jitter generator's next state (a 32-bit LCG). */
export const nextSeed = (seed) => (Math.imul(seed, 1664525) + 1013904223) >>> 0;

/**
 * The nodes of `placed` within `radius` of some node of `fresh`, in `placed`'s order; at most
 * `cap` of them, the nearest (ties: the earlier in `placed`).
 * `scan`: one pass over them (cheaper for a step's few new nodes); else through a quadtree.
 */
export function nodesNear(placed, fresh, radius, scan, cap = Infinity) {
  const near = new Set();
  if (!placed.length || !fresh.length) return [];
  if (scan) {
    for (const d of placed) {
      for (const f of fresh) if (Math.hypot(d.x - f.x, d.y - f.y) < radius) { near.add(d); break; }
    }
  } else {
    const qt = quadtree(placed, (n) => n.x, (n) => n.y);
    for (const f of fresh) {
      qt.visit((q, x0, y0, x1, y1) => {
        if (!q.length) { for (let d = q; d; d = d.next) if (Math.hypot(d.data.x - f.x, d.data.y - f.y) < radius) near.add(d.data); }
        return x0 > f.x + radius || x1 < f.x - radius || y0 > f.y + radius || y1 < f.y - radius;
      });
    }
  }
  // placed order either way: the simulation's node order, so its result, does not depend on the method
  let out = scan ? [...near] : placed.filter((d) => near.has(d));
  if (out.length > cap) {
    const dist = (d) => { let m = Infinity; for (const f of fresh) m = Math.min(m, Math.hypot(d.x - f.x, d.y - f.y)); return m; };
    const order = new Map(out.map((d, i) => [d, i]));
    const keep = new Set(out.map((d) => [dist(d), order.get(d), d]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, cap).map((x) => x[2]));
    out = out.filter((d) => keep.has(d));
  }
  return out;
}

/** Centre and reach of placed points: `each(f)` calls f(x, y) for each (NaN ones are skipped). */
export function spreadOf(each) {
  let cx = 0, cy = 0, count = 0, reach = 0;
  each((x, y) => { if (!Number.isNaN(x)) { cx += x; cy += y; count++; } });
  if (count) { cx /= count; cy /= count; }
  each((x, y) => { if (!Number.isNaN(x)) reach = Math.max(reach, Math.hypot(x - cx, y - cy)); });
  return { cx, cy, reach, count };
}

/**
 * Initial positions of entering nodes (sets x, y on each of `fresh`): next to
 * the seed node (its first referrer) when that has a position, else near the
 * middle (or d3's spiral when nothing is placed yet). Shared by the engine and
 * by the view, which places a step's new nodes itself so they are drawn in
 * the step's own frame, without waiting for the worker.
 * @param {Array<{seedSlot: number, x: number, y: number}>} fresh  x, y NaN on entry
 * @param {(slot: number) => ({x: number, y: number}|undefined)} nodeAt  any node by slot (the fresh ones too)
 * @param {{cx: number, cy: number, reach: number, count: number} | (() => object)} spread  of the nodes already
 *   placed (spreadOf), or a function computing it, called only when a node has no placed referrer (a scan of every node)
 * @param {boolean} global  most of the graph is new (the first step)
 * @param {() => number} rand  seeded, in [0, 1)
 * @param {((x: number, y: number, node: object) => boolean) | null} [free]  whether a place has room
 *   (no other node within roomOf()): a node with a placed referrer takes the first of FREE_TRIES
 *   places out along its spiral that has; the view and the engine pass the same test
 * @param {Map<number, {a0: number, next: number}> | null} [spirals]  with `free`: each referrer's spiral
 *   by slot, kept by the caller from step to step (its angle, and the index past its last child placed
 *   beyond the NEAR_TRIES innermost places), so a hub's children continue outward instead of trying
 *   the same taken places every step; the caller drops a slot's entry when the slot is freed
 */
export function placeFresh(fresh, nodeAt, spread, global, rand, free = null, spirals = null) {
  let todo = fresh;
  let known = typeof spread === 'function' ? null : spread;
  const spreadNow = () => (known ??= spread());
  // children of one referrer go on a sunflower spiral around it (seeded angle):
  // stacking 10,000 items of one list on one spot would make the collision
  // force quadratic (every node within reach of every other)
  const kids = new Map();
  while (todo.length) {
    const later = [];
    for (const n of todo) {
      const s = n.seedSlot >= 0 ? nodeAt(n.seedSlot) : undefined;
      if (s && !Number.isNaN(s.x)) {
        const kept = free && spirals ? spirals : null;
        let c = kept ? kept.get(n.seedSlot) : kids.get(s);
        if (!c) {
          c = { i: 0, a0: rand() * 2 * Math.PI, next: NEAR_TRIES };
          if (kept) kept.set(n.seedSlot, c); else kids.set(s, c);
        }
        const at = (i) => {
          const a = c.a0 + i * GOLDEN, r = JITTER * Math.sqrt(i + 1);
          n.x = s.x + r * Math.cos(a); n.y = s.y + r * Math.sin(a);
        };
        if (kept) {
          // the innermost places, then on from where the last search beyond them ended
          let i = 0, found = false;
          for (let t = 0; t < FREE_TRIES; t++) {
            if (i === NEAR_TRIES) i = Math.max(i, c.next);
            at(i);
            if (free(n.x, n.y, n)) { found = true; break; }
            i++;
          }
          if (i >= NEAR_TRIES) c.next = found ? i + 1 : i;
        } else {
          // with `free`, further out on the spiral until a place has room (else the last one tried)
          for (let t = 0; ; t++) {
            at(c.i++);
            if (!free || t >= FREE_TRIES || free(n.x, n.y, n)) break;
          }
        }
      } else later.push(n);
    }
    if (later.length === todo.length) {
      // nothing placed this pass: put one down without a seed, then go on
      const n = later.shift();
      const { cx, cy, reach, count } = spreadNow();
      if (global && !count) {
        const i = fresh.indexOf(n), r = 10 * Math.sqrt(0.5 + i), a = i * GOLDEN;
        n.x = r * Math.cos(a); n.y = r * Math.sin(a);
      } else {
        // no placed referrer: just outside what is there, so it does not land on old nodes
        const a = rand() * 2 * Math.PI, r = reach + 50 + 40 * rand();
        n.x = cx + r * Math.cos(a); n.y = cy + r * Math.sin(a);
      }
    }
    todo = later;
  }
}

/** Whether each of `fresh` has no node of `placed`, nor another of `fresh`, within `room`. */
export function hasRoom(fresh, placed, room) {
  for (let i = 0; i < fresh.length; i++) {
    const f = fresh[i];
    if (!Number.isFinite(f.x)) return false;
    for (let j = 0; j < i; j++) if (Math.hypot(fresh[j].x - f.x, fresh[j].y - f.y) < room) return false;
    for (const d of placed) if (Math.hypot(d.x - f.x, d.y - f.y) < room) return false;
  }
  return true;
}

export class LayoutEngine {
  /** @param {(msg: object, transfer?: Transferable[]) => void} post */
  constructor(post) {
    this.post = post;
    /** @type {Map<number, {slot:number, x:number, y:number, vx:number, vy:number, fx?:number|null, fy?:number|null, pinned?:boolean}>} */
    this.nodes = new Map();
    this.links = new Int32Array(0);
    this.capacity = 0;
    this.run = 0;              // generation: a newer message stops an older simulation
    this.seed = SEED;          // seeded jitter (determinism, ARCHITECTURE.md §10)
    this.names = new Set();    // slots of name tags (roots)
  }

  rand() {
    this.seed = nextSeed(this.seed);
    return this.seed / 2 ** 32;
  }

  handle(msg) {
    switch (msg.type) {
      case 'update': return this.update(msg);
      case 'relax': return this.simulate([...this.nodes.values()], true, msg.sync);
      case 'pin': {
        const n = this.nodes.get(msg.slot);
        if (n) { n.x = n.fx = msg.x; n.y = n.fy = msg.y; n.pinned = true; this.postPositions(true, 0, false); }
        return undefined;
      }
      case 'unpin': {
        const n = this.nodes.get(msg.slot);
        if (n) { n.fx = n.fy = null; n.pinned = false; }
        return undefined;
      }
      default: throw new Error(`layout: unknown message ${msg.type}`);
    }
  }

  update({ add = [], remove = [], links = new Int32Array(0), names = null, sync = false, keep = false, seq = 0 }) {
    this.seq = seq;
    if (names) this.names = new Set(names);
    for (const s of remove) this.nodes.delete(s);
    const fresh = [];
    for (const [slot, seed, x = NaN, y = NaN] of add) {
      const n = { slot, seedSlot: seed, x, y, vx: 0, vy: 0 };
      this.nodes.set(slot, n);
      if (Number.isFinite(x) && Number.isFinite(y)) {
        if (!keep) fresh.push(n);   // a given position is where it starts moving; with keep it is final
      } else { n.x = n.y = NaN; fresh.push(n); }
      if (slot + 1 > this.capacity) this.capacity = slot + 1;
    }
    this.links = links;
    const global = fresh.length > 0 && fresh.length * 2 > this.nodes.size;
    this.place(fresh, global);
    if (!fresh.length) { this.postPositions(true, 0, false); return; }
    if (global) { this.simulate([...this.nodes.values()], true, sync); return; }
    // local: the new nodes and their neighbours, the old ones pinned where they are
    const active = new Set(fresh);
    const freshSlots = new Set(fresh.map((n) => n.slot));
    for (let i = 0; i < links.length; i += 2) {
      const a = links[i], b = links[i + 1];
      if (freshSlots.has(a) && this.nodes.has(b)) active.add(this.nodes.get(b));
      if (freshSlots.has(b) && this.nodes.has(a)) active.add(this.nodes.get(a));
    }
    const placed = [...this.nodes.values()].filter((n) => !freshSlots.has(n.slot));
    // placed with room around them (the view looked for it, placeFresh): nothing to lay out
    if (fresh.length <= FREE_MAX && hasRoom(fresh, placed, roomOf(this.nodes.size))) { this.postPositions(true, 0, false); return; }
    // else whatever already sits near them, pinned too, so new nodes make room instead of overlapping
    for (const d of nodesNear(placed, fresh, NEAR, fresh.length <= NEAR_SCAN, NEAR_MAX * fresh.length)) active.add(d);
    this.simulate([...active], false, sync, freshSlots);
  }

  /** Initial positions for the fresh nodes that have none (placeFresh). */
  place(fresh, global) {
    const todo = fresh.filter((n) => Number.isNaN(n.x));
    if (!todo.length) return;
    const spread = () => spreadOf((f) => { for (const n of this.nodes.values()) f(n.x, n.y); });
    placeFresh(todo, (slot) => this.nodes.get(slot), spread, global, () => this.rand());
  }

  simulate(nodes, global, sync, freshSlots = null) {
    this.cancel?.();
    const run = ++this.run;
    const big = this.nodes.size > 2000;
    const inSet = new Set(nodes.map((n) => n.slot));
    const links = [];
    for (let i = 0; i < this.links.length; i += 2) {
      const a = this.links[i], b = this.links[i + 1];
      if (a !== b && inSet.has(a) && inSet.has(b)) links.push({ source: this.nodes.get(a), target: this.nodes.get(b) });
    }
    const degree = new Map();
    for (const l of links) for (const n of [l.source, l.target]) degree.set(n, (degree.get(n) ?? 0) + 1);
    // a name tag stays next to its object however many references that object has
    const hubOf = (l) => (this.names.has(l.source.slot) ? 1 : Math.max(degree.get(l.source), degree.get(l.target)));
    // pin: in a local run every node that is not new stays exactly where it is
    const pinned = [];
    for (const n of nodes) {
      if (n.pinned) continue;
      if (!global && !freshSlots.has(n.slot)) { n.fx = n.x; n.fy = n.y; pinned.push(n); }
    }
    // roomier for small heaps (labels need space), tighter and cheaper for big ones
    const small = this.nodes.size < 400;
    const sim = forceSimulation(nodes)
      // a list of thousands of items would pull them all onto one tight ring around
      // it (dense: slow forces, unreadable): links of high-degree nodes are longer and softer
      .force('link', forceLink(links)
        .distance((l) => (small ? 58 : 36) + 2.5 * Math.sqrt(hubOf(l)))
        .strength((l) => (hubOf(l) > 40 ? 0.08 : 0.7)))
      // (a distanceMax makes Barnes-Hut slower at 10,000 nodes, measured: no cap for big heaps)
      .force('charge', forceManyBody().theta(big ? 1.5 : 1.2).distanceMax(big ? Infinity : 320)
        // in a local run the pinned crowd pushes gently: collide keeps the space, the link keeps new nodes close
        .strength((n) => (small ? -170 : big ? -25 : -60) * (global || freshSlots.has(n.slot) ? 1 : 0.25)))
      // collision costs ~70 ms a tick at 10,000 nodes: only for heaps that can afford it
      .force('collide', big ? null : forceCollide(small ? 18 : 9).iterations(1))
      .alphaDecay(big ? 0.06 : 0.035)
      .stop();
    if (global) sim.force('x', forceX(0).strength(0.03)).force('y', forceY(0).strength(0.03));
    // a local run moves only a step's new nodes among pinned ones: ~30 ticks settle them
    // (at the global decay, ~180 ticks over every pinned neighbour kept a core busy for
    // 200-300 ms a step, beside the page's own frames on a 2-core machine)
    else sim.alpha(0.6).alphaDecay(LOCAL_DECAY).alphaMin(LOCAL_ALPHA_MIN);
    const finish = () => { for (const n of pinned) { n.fx = null; n.fy = null; } pinned.length = 0; };
    this.cancel = finish;
    let ticks = 0;
    const slice = () => {
      if (run !== this.run) return;     // cancelled by a newer message (which unpinned ours)
      const t0 = Date.now();
      do { sim.tick(); ticks++; } while (sim.alpha() > sim.alphaMin() && Date.now() - t0 < CHUNK_MS);
      const done = sim.alpha() <= sim.alphaMin();
      if (done) finish();
      this.postPositions(done, ticks, global);
      if (!done) setTimeout(slice, 0);
    };
    if (sync) {
      while (sim.alpha() > sim.alphaMin()) { sim.tick(); ticks++; }
      finish();
      this.postPositions(true, ticks, global);
    } else slice();
  }

  postPositions(done, ticks, global) {
    const xy = new Float32Array(2 * this.capacity).fill(NaN);
    for (const n of this.nodes.values()) { xy[2 * n.slot] = n.x; xy[2 * n.slot + 1] = n.y; }
    this.post({ type: 'positions', xy, done, ticks, global, seq: this.seq ?? 0 }, [xy.buffer]);
  }
}
