// dirty.test.js — the heap graph's dirty cells (web/viz/dirty.js), against brute force:
// a partial repaint is only right if every item that paints into a marked cell is found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DirtyGrid, CELL } from '../../web/viz/dirty.js';

// a seeded generator: the same cases every run
function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

const cellOf = (g, x, y) => (x >= 0 && y >= 0 && x < g.width && y < g.height ? g.cells[Math.floor(y / g.cell) * g.cols + Math.floor(x / g.cell)] : 0);

test('markRect marks exactly the cells a box touches; count, bounds and rects agree', () => {
  const g = new DirtyGrid(300, 200);
  assert.equal(g.cols, Math.ceil(300 / CELL));
  assert.equal(g.rows, Math.ceil(200 / CELL));
  assert.equal(g.bounds(), null);
  g.markRect(10, 10, 40, 20);      // cells (0,0), (1,0)
  g.markRect(-50, 150, 5, 199);    // clipped to the canvas: cells (0,4), (0,5), (0,6)
  g.markRect(NaN, 0, 10, 10);      // ignored
  g.markRect(400, 0, 500, 10);     // outside: ignored
  assert.equal(g.count, 5);
  const marked = [];
  for (let r = 0; r < g.rows; r++) for (let c = 0; c < g.cols; c++) if (g.cells[r * g.cols + c]) marked.push([c, r]);
  assert.deepEqual(marked, [[0, 0], [1, 0], [0, 4], [0, 5], [0, 6]]);
  assert.deepEqual(g.bounds(), [0, 0, 64, 200]);
  // runs along rows, clipped to the canvas edge (the last row of cells, 192..224, ends at 200)
  assert.deepEqual(g.rects(), [[0, 0, 64, 32], [0, 128, 32, 32], [0, 160, 32, 32], [0, 192, 32, 8]]);
  assert.equal(g.hitsRect(33, 0, 34, 1), true);
  assert.equal(g.hitsRect(70, 40, 90, 60), false);
  g.clear();
  assert.equal(g.count, 0);
  assert.equal(g.hitsRect(0, 0, 300, 200), false);
  g.all();
  assert.equal(g.fraction, 1);
});

test('rects() cover exactly the marked cells', () => {
  const rand = rng(7);
  for (let round = 0; round < 50; round++) {
    const g = new DirtyGrid(500 + Math.floor(rand() * 300), 300 + Math.floor(rand() * 200));
    for (let i = 0; i < 12; i++) {
      const x = rand() * g.width, y = rand() * g.height;
      g.markRect(x, y, x + rand() * 90, y + rand() * 60);
    }
    const covered = new Uint8Array(g.cells.length);
    for (const [x, y, w, h] of g.rects()) {
      assert.ok(w > 0 && h > 0 && x + w <= g.width && y + h <= g.height);
      for (let yy = y; yy < y + h; yy += g.cell) for (let xx = x; xx < x + w; xx += g.cell) {
        const k = Math.floor(yy / g.cell) * g.cols + Math.floor(xx / g.cell);
        assert.equal(covered[k], 0, 'rects overlap');
        covered[k] = 1;
      }
    }
    assert.deepEqual([...covered], [...g.cells]);
  }
});

test('markSegment covers every point within pad - 4 px of the segment', () => {
  const rand = rng(11);
  for (let round = 0; round < 200; round++) {
    const g = new DirtyGrid(640, 480);
    const x1 = rand() * 700 - 30, y1 = rand() * 520 - 20, x2 = rand() * 700 - 30, y2 = rand() * 520 - 20;
    const pad = 6 + rand() * 10;
    g.markSegment(x1, y1, x2, y2, pad);
    for (let i = 0; i < 60; i++) {
      // a point on the segment, pushed sideways by up to pad - 4
      const t = rand(), len = Math.hypot(x2 - x1, y2 - y1) || 1;
      const off = (rand() * 2 - 1) * (pad - 4);
      const px = x1 + (x2 - x1) * t - ((y2 - y1) / len) * off, py = y1 + (y2 - y1) * t + ((x2 - x1) / len) * off;
      if (px < 0 || py < 0 || px >= 640 || py >= 480) continue;
      assert.equal(cellOf(g, px, py), 1, `point ${px},${py} near segment ${[x1, y1, x2, y2]} pad ${pad}`);
    }
  }
});

test('hitsSegment finds every segment that paints into a marked cell, and no segment far from all of them', () => {
  const rand = rng(23);
  for (let round = 0; round < 100; round++) {
    const g = new DirtyGrid(640, 480);
    for (let i = 0; i < 3; i++) {
      const x = rand() * 640, y = rand() * 480;
      g.markRect(x, y, x + 10, y + 10);
    }
    for (let i = 0; i < 40; i++) {
      const x1 = rand() * 640, y1 = rand() * 480, x2 = x1 + (rand() * 2 - 1) * 200, y2 = y1 + (rand() * 2 - 1) * 200;
      const pad = 12;
      const hit = g.hitsSegment(x1, y1, x2, y2, pad);
      // brute force: any sample point of the painted band (within pad - 4) in a marked cell
      let paints = false, near = false;
      const len = Math.hypot(x2 - x1, y2 - y1) || 1;
      for (let t = 0; t <= 1; t += 1 / Math.ceil(len)) {
        for (let off = -(pad - 4); off <= pad - 4; off += 1) {
          const px = x1 + (x2 - x1) * t - ((y2 - y1) / len) * off, py = y1 + (y2 - y1) * t + ((x2 - x1) / len) * off;
          if (cellOf(g, px, py)) paints = true;
        }
        // within pad + a cell diagonal of a marked cell: a hit is allowed (conservative), else not
        for (let off = -(pad + 2 * g.cell); off <= pad + 2 * g.cell; off += 4) {
          const px = x1 + (x2 - x1) * t - ((y2 - y1) / len) * off, py = y1 + (y2 - y1) * t + ((x2 - x1) / len) * off;
          for (const [dx, dy] of [[0, 0], [g.cell, 0], [-g.cell, 0], [0, g.cell], [0, -g.cell]]) if (cellOf(g, px + dx, py + dy)) near = true;
        }
      }
      if (paints) assert.equal(hit, true, `segment ${[x1, y1, x2, y2]} paints into a marked cell`);
      if (!near) assert.equal(hit, false, `segment ${[x1, y1, x2, y2]} is far from every marked cell`);
    }
  }
});

test('a segment marked is hit by itself, a rect marked is hit by itself; resize clears', () => {
  const g = new DirtyGrid(400, 300);
  g.markSegment(10, 10, 390, 290, 8);
  assert.equal(g.hitsSegment(10, 10, 390, 290, 8), true);
  assert.equal(g.hitsSegment(390, 10, 380, 20, 2), false);
  g.resize(800, 600);
  assert.equal(g.count, 0);
  assert.equal(g.cols, 25);
  g.markRect(799, 599, 900, 900);
  assert.equal(g.count, 1);
  assert.equal(g.hitsRect(790, 590, 795, 595), true);
});

test('reset: cleared for a frame of the same size, resized for another', () => {
  const g = new DirtyGrid(400, 300);
  g.markRect(0, 0, 100, 100);
  assert.equal(g.reset(400, 300), g);
  assert.equal(g.count, 0);
  assert.equal(g.hitsRect(0, 0, 100, 100), false);
  g.markRect(0, 0, 10, 10);
  g.reset(800, 300);
  assert.deepEqual([g.width, g.cols, g.count], [800, 25, 0]);
});

test('a freed object fades in five even steps over a second, then is gone', async () => {
  const { fadeAlpha } = await import('../../web/viz/graph.js');
  const at = [0, 199, 200, 399, 400, 600, 800, 999, 1000, 5000].map((t) => fadeAlpha(1000, 1000 + t));
  assert.deepEqual(at.map((a) => Math.round(a * 6)), [5, 5, 4, 4, 3, 2, 1, 1, 0, 0]);
  assert.equal(new Set(at.slice(0, 8)).size, 5, 'five opacities before it ends');
});
