// layout.test.js — the heap graph layout (web/viz/layout.js) on the main-thread
// path: positions come back as a Float32Array by slot, new nodes are placed
// next to their referrer, and an incremental step does not move old nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LayoutEngine } from '../../web/viz/layout.js';

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
