// layout.test.js — the heap graph layout (web/viz/layout.js) on the main-thread
// path: positions come back as a Float32Array by slot, new nodes are placed
// next to their referrer, and an incremental step does not move old nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LayoutEngine, nodesNear, placeFresh, spreadOf, nextSeed, roomOf, hasRoom } from '../../web/viz/layout.js';

function run(engine, msg) {
  let last = null;
  engine.post = (m) => { last = m; };
  engine.handle({ ...msg, sync: true });
  return last;
}

/** A tree: slot 0 holds 1..n-1 (like a list of small lists). */
function star(n) {
  const links = new Int32Array(2 * (n - 1));
  for (let i = 1; i < n; i++) { links[2 * (i - 1)] = 0; links[2 * (i - 1) + 1] = i; }
  return { add: Array.from({ length: n }, (_, i) => [i, i ? 0 : -1]), links };
}

test('first layout places every node; positions are finite and distinct', () => {
  const e = new LayoutEngine(() => {});
  const m = run(e, { type: 'update', ...star(60) });
  assert.equal(m.type, 'positions');
  assert.equal(m.done, true);
  assert.equal(m.global, true);
  assert.ok(m.xy instanceof Float32Array);
  assert.equal(m.xy.length, 120);
  const pts = new Set();
  for (let i = 0; i < 60; i++) {
    assert.ok(Number.isFinite(m.xy[2 * i]) && Number.isFinite(m.xy[2 * i + 1]), `slot ${i} placed`);
    pts.add(`${m.xy[2 * i].toFixed(1)},${m.xy[2 * i + 1].toFixed(1)}`);
  }
  assert.equal(pts.size, 60);
});

test('an incremental step leaves old nodes where they were and puts new ones near their referrer', () => {
  const e = new LayoutEngine(() => {});
  const first = run(e, { type: 'update', ...star(200) });
  const before = Float32Array.from(first.xy);
  const { links } = star(200);
  const more = new Int32Array([...links, 37, 200, 200, 201]);   // 37 -> 200 -> 201
  const m = run(e, { type: 'update', add: [[200, 37], [201, 200]], links: more });
  assert.equal(m.global, false);
  for (let i = 0; i < 200; i++) {
    assert.equal(m.xy[2 * i], before[2 * i], `x of old slot ${i}`);
    assert.equal(m.xy[2 * i + 1], before[2 * i + 1], `y of old slot ${i}`);
  }
  const d = Math.hypot(m.xy[400] - before[74], m.xy[401] - before[75]);
  assert.ok(d < 150, `new node lands near its referrer (distance ${d.toFixed(1)})`);
});

test('removed slots come back as NaN; a relax moves things; same input, same layout', () => {
  const a = new LayoutEngine(() => {});
  const b = new LayoutEngine(() => {});
  const ma = run(a, { type: 'update', ...star(30) });
  const mb = run(b, { type: 'update', ...star(30) });
  assert.deepEqual(Array.from(ma.xy), Array.from(mb.xy), 'deterministic');
  const { links } = star(30);
  const m = run(a, { type: 'update', remove: [29], links: links.slice(0, -2) });
  assert.ok(Number.isNaN(m.xy[58]));
  const r = run(a, { type: 'relax' });
  assert.equal(r.global, true);
  assert.ok(r.ticks > 0);
  assert.throws(() => a.handle({ type: 'bogus' }), /unknown message bogus/);
});

test('nodesNear: the scan and the quadtree find the same nodes, in the same (placed) order', () => {
  let s = 12345;
  const rand = () => { s = nextSeed(s); return s / 2 ** 32; };
  for (let round = 0; round < 20; round++) {
    const placed = Array.from({ length: 300 + round * 40 }, (_, i) => ({ slot: i, x: rand() * 2000 - 1000, y: rand() * 2000 - 1000 }));
    const fresh = Array.from({ length: 1 + (round % 6) }, () => ({ x: rand() * 2000 - 1000, y: rand() * 2000 - 1000 }));
    const scan = nodesNear(placed, fresh, 110, true);
    const tree = nodesNear(placed, fresh, 110, false);
    assert.deepEqual(scan.map((n) => n.slot), tree.map((n) => n.slot));
    // brute force
    const want = placed.filter((d) => fresh.some((f) => Math.hypot(d.x - f.x, d.y - f.y) < 110));
    assert.deepEqual(scan.map((n) => n.slot), want.map((n) => n.slot));
  }
  assert.deepEqual(nodesNear([], [{ x: 0, y: 0 }], 110, true), []);
  // a cap keeps the nearest, in placed order
  const ring = Array.from({ length: 50 }, (_, i) => ({ slot: i, x: (i % 10) * 5, y: Math.floor(i / 10) * 5 }));
  const near = nodesNear(ring, [{ x: 0, y: 0 }], 110, true, 7);
  const want = [...ring].sort((a, b) => Math.hypot(a.x, a.y) - Math.hypot(b.x, b.y) || a.slot - b.slot).slice(0, 7).sort((a, b) => a.slot - b.slot);
  assert.deepEqual(near.map((n) => n.slot), want.map((n) => n.slot));
  assert.deepEqual(nodesNear(ring, [{ x: 0, y: 0 }], 110, false, 7).map((n) => n.slot), want.map((n) => n.slot));
});

test('placeFresh: the view places a step\'s new nodes as the engine does (same seed, same spread)', () => {
  // the engine places nodes sent without a position; the view places them itself and sends them
  // with one: both through placeFresh, so given the same jitter sequence the places agree
  const e = new LayoutEngine(() => {});
  run(e, { type: 'update', ...star(50) });
  const known = [...e.nodes.values()].map((n) => ({ slot: n.slot, x: n.x, y: n.y }));
  const seed0 = e.seed;
  const { links } = star(50);
  e.update({ add: [[50, 7], [51, 50], [52, -1]], links: new Int32Array([...links, 7, 50, 50, 51]), sync: true, seq: 9 });
  // the view's side: the same inputs
  const fresh = [{ slot: 50, seedSlot: 7, x: NaN, y: NaN }, { slot: 51, seedSlot: 50, x: NaN, y: NaN }, { slot: 52, seedSlot: -1, x: NaN, y: NaN }];
  const bySlot = new Map([...known.map((n) => [n.slot, n]), ...fresh.map((f) => [f.slot, f])]);
  let seed = seed0;
  placeFresh(fresh, (slot) => bySlot.get(slot), spreadOf((f) => { for (const n of known) f(n.x, n.y); }), false,
    () => { seed = nextSeed(seed); return seed / 2 ** 32; });
  // the engine's nodes then moved in its local layout; its seed sequence is what placed them
  assert.equal(seed, e.seed, 'the same number of jitter draws');
  for (const f of fresh) assert.ok(Number.isFinite(f.x) && Number.isFinite(f.y), `slot ${f.slot} placed`);
  const seedNode = bySlot.get(7);
  assert.ok(Math.hypot(fresh[0].x - seedNode.x, fresh[0].y - seedNode.y) <= 18 * Math.SQRT2 + 1e-9, 'next to its referrer');
  assert.ok(Math.hypot(fresh[1].x - fresh[0].x, fresh[1].y - fresh[0].y) <= 18 * Math.SQRT2 + 1e-9, 'a chain: next to the node placed before it');
  // a node sent with a position starts there (not placed again): the answer's seq is the update's
  const posts = [];
  const e2 = new LayoutEngine((m) => posts.push(m));
  e2.update({ add: [[0, -1, 5, 7]], links: new Int32Array(0), sync: true, seq: 4 });
  assert.equal(posts.at(-1).seq, 4);
  assert.ok(Number.isFinite(posts.at(-1).xy[0]));
});

test('a new node placed with room around it needs no layout run; one without room gets one', () => {
  const e = new LayoutEngine(() => {});
  run(e, { type: 'update', ...star(60) });
  const room = roomOf(61);
  const placed = [...e.nodes.values()];
  const { links } = star(60);
  const more = new Int32Array([...links, 0, 60]);
  // placeFresh with a room test: the first place out along the spiral around the referrer that has room
  const fresh = [{ slot: 60, seedSlot: 0, x: NaN, y: NaN }];
  const hub = e.nodes.get(0);
  const tried = [];
  const free = (x, y) => { tried.push([x, y]); return hasRoom([{ x, y }], placed, room); };
  placeFresh(fresh, (slot) => (slot === 0 ? hub : undefined), { cx: 0, cy: 0, reach: 0, count: 60 }, false, () => 0.25, free);
  assert.ok(tried.length >= 1);
  assert.deepEqual([fresh[0].x, fresh[0].y], tried[tried.length - 1]);
  assert.ok(hasRoom(fresh, placed, room), `the place taken has room (${tried.length} tried)`);
  for (const [x, y] of tried.slice(0, -1)) assert.ok(!hasRoom([{ x, y }], placed, room), 'the places before it had none');
  // sent with that place: answered at once, nothing moved (0 ticks, the old nodes where they were)
  const before = new Map(placed.map((n) => [n.slot, [n.x, n.y]]));
  const got = run(e, { type: 'update', add: [[60, 0, fresh[0].x, fresh[0].y]], links: more, seq: 2 });
  assert.equal(got.ticks, 0);
  assert.equal(got.done, true);
  assert.deepEqual([got.xy[120], got.xy[121]], [Math.fround(fresh[0].x), Math.fround(fresh[0].y)]);
  for (const [slot, [x, y]] of before) assert.deepEqual([got.xy[2 * slot], got.xy[2 * slot + 1]], [Math.fround(x), Math.fround(y)], `slot ${slot} stays`);
  // a new node sent on top of an old one: a local run moves it (ticks > 0)
  const hub2 = e.nodes.get(5);
  const crowded = run(e, { type: 'update', add: [[61, 5, hub2.x + 1, hub2.y]], links: new Int32Array([...more, 5, 61]), seq: 3 });
  assert.ok(crowded.ticks > 0, 'a local layout ran');
  assert.ok(Math.hypot(crowded.xy[122] - hub2.x, crowded.xy[123] - hub2.y) > 1, 'and moved the new node off the old one');
});

test('a hub whose near places are all taken: its new child is put further out along the spiral, where there is room', () => {
  // the inner places around a list with many items fill up as its items are appended one per step
  // (each placed where it had room and never moved); a new item must still find room further out
  // (within 16 tries it found none here: every step of a 1,000-item list then ran a local layout)
  const room = roomOf(1000);
  const hub = { x: 0, y: 0 };
  const placed = [hub];
  for (let x = -90; x <= 90; x += room * 0.9) for (let y = -90; y <= 90; y += room * 0.9) if (x || y) placed.push({ x, y });
  const fresh = [{ slot: 1, seedSlot: 0, x: NaN, y: NaN }];
  const tried = [];
  const free = (x, y) => { tried.push([x, y]); return hasRoom([{ x, y }], placed, room); };
  placeFresh(fresh, (slot) => (slot === 0 ? hub : undefined), { cx: 0, cy: 0, reach: 0, count: placed.length }, false, () => 0.5, free);
  assert.ok(tried.length > 17, `${tried.length} places tried`);
  assert.ok(hasRoom(fresh, placed, room), `the place taken has room (${tried.length} tried, at ${Math.round(Math.hypot(fresh[0].x, fresh[0].y))} from the hub)`);
  for (const [x, y] of tried.slice(0, -1)) assert.ok(!hasRoom([{ x, y }], placed, room), 'the places before it had none');
});

test('a hub whose children come one per step (a list appended to): with its spiral kept, every child finds room', () => {
  // the view keeps each referrer's spiral from step to step (Graph.spirals): the innermost places
  // first, then on from where the last child found room. Without it each step searched from the
  // hub outward again at a new angle, and once the first 64 places were taken (a few hundred
  // items) a third of the appends found none and ran a local layout in the worker
  const room = roomOf(1000);
  const hub = { x: 0, y: 0 };
  const placed = [hub];
  const spirals = new Map();
  let seed = 7, misses = 0, tries = 0;
  const rand = () => { seed = nextSeed(seed); return seed / 2 ** 32; };
  for (let k = 0; k < 500; k++) {
    const fresh = [{ slot: k + 1, seedSlot: 0, x: NaN, y: NaN }];
    const free = (x, y) => { tries++; return hasRoom([{ x, y }], placed, room); };
    placeFresh(fresh, (slot) => (slot === 0 ? hub : undefined), { cx: 0, cy: 0, reach: 0, count: placed.length }, false, rand, free, spirals);
    if (!hasRoom(fresh, placed, room)) misses++;
    placed.push({ x: fresh[0].x, y: fresh[0].y });
  }
  assert.equal(misses, 0, `children placed without room (a local layout each): ${misses} of 500`);
  assert.ok(tries < 500 * 12, `places tried: ${tries} for 500 children (~8 near ones each, then one further out)`);
  assert.equal(spirals.size, 1);
});

test('a kept spiral still tries the innermost places first: a name\'s new value goes back next to it', () => {
  const room = roomOf(1000);
  const tag = { x: 0, y: 0 };
  const spirals = new Map();
  const place = (placed, slot) => {
    const fresh = [{ slot, seedSlot: 0, x: NaN, y: NaN }];
    placeFresh(fresh, (s) => (s === 0 ? tag : undefined), { cx: 0, cy: 0, reach: 0, count: placed.length }, false,
      () => 0.3, (x, y) => hasRoom([{ x, y }], placed, room), spirals);
    return fresh[0];
  };
  const first = place([tag], 1);
  const d0 = Math.hypot(first.x, first.y);
  // the value replaced 300 times (the old one freed each step): it stays where the first one was
  for (let k = 2; k < 300; k++) {
    const v = place([tag], k);
    assert.deepEqual([v.x, v.y], [first.x, first.y], `value ${k} placed where the first was (${d0.toFixed(1)} from its name)`);
  }
});
