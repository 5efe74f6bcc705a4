// graph-partial.test.js — the heap graph's partial Canvas repaints (web/viz/dirty.js) in a
// real browser: after steps that add and free objects, each repainting only the cells that
// changed, the canvas must hold the same picture as a full repaint of the same scene.
// Also: a step's new objects are drawn in the step's own frame (placed by the view, not
// waiting for the layout worker).
//
// Needs /usr/bin/chromium and the bundle (./build.sh bundle); missing either is a failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startBrowser, requireBuilt } from './serve-browser.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TIMEOUT = 240_000;
let env;

before(async () => {
  requireBuilt(ROOT, ['web/gen/playground.js', 'web/gen/layout-worker.js', 'web/gen/pyheap.wasm']);
  env = await startBrowser(ROOT);
});

after(async () => { await env?.close(); });

// 1,200 objects: vector discs; 3,000: small discs written as pixels (the splat level of detail)
for (const n of [1200, 3000]) test(`partial repaints leave the canvas as a full repaint draws it (${n} objects)`, { timeout: TIMEOUT }, async (t) => {
  const { page, errors } = await env.openPage('index.html');
  const r = await page.evaluate(async (n) => {
    const pg = window.pyheapPlayground, g = pg.graph, el = document.getElementById('graph');
    const frame = () => new Promise((res) => requestAnimationFrame(res));
    const settle = async () => {
      for (let i = 0; i < 3000 && (el.dataset.layoutDone !== 'true' || g.fading.length); i++) await frame();
      await frame(); await frame();
    };
    pg.maxItems = Infinity;
    pg.load(`objs = []\nfor i in range(${n}):\n    objs.append({})\nprint(len(objs))\n`);
    await pg.run();
    await settle();
    await pg.goTo(pg.state.total - 9);
    await settle();
    const modes = [];
    // what each step drew onto the edge layer: [links, clipped to cells]
    const layerDraws = [];
    const drawLinks = g.drawLinks.bind(g);
    g.drawLinks = (ctx, scene, links, grid, layer) => { if (ctx === g.edgeCtx) layerDraws.push([links.length, Boolean(grid)]); return drawLinks(ctx, scene, links, grid, layer); };
    const draw = g.draw.bind(g);
    g.draw = () => { draw(); modes.push(el.dataset.drawMode); };
    const pixels = () => g.ctx.getImageData(0, 0, g.surface.width, g.surface.height).data;
    const sameFrame = [];
    for (let i = 0; i < 6; i++) {
      const before = g.updateSeq;
      await (i % 3 === 2 ? pg.back() : pg.step());
      await frame();
      // the step's update is drawn in the frame after it, new objects included (no wait for the worker)
      sameFrame.push(g.drawnSeq === before + 1 && g.recNodes.every((n) => Number.isFinite(g.xy[2 * n.slot])));
      await settle();
    }
    // selecting an object (its chain and referrers highlighted), then clearing it: partial repaints too
    const compare = async () => {
      const partial = pixels();
      g.requestDraw(true);
      await frame(); await frame();
      return [partial, pixels()];
    };
    const target = g.recNodes.find((n) => n.node.kind === 'object' && n.node.obj.type === 'dict');
    g.select(target.node.key);
    await frame(); await frame();
    const selectedMode = el.dataset.drawMode;
    const [selPartial, selFull] = await compare();
    g.select(null);
    await frame(); await frame();
    const [partial, full] = await compare();
    // compared as seen: each pixel composited over the white page (a near-transparent antialiasing
    // fringe whose colour channels differ is the same pixel on screen)
    const seen = (px, i, c) => (px[i + c] * px[i + 3]) / 255 + 255 * (1 - px[i + 3] / 255);
    let differ = 0, worst = 0;
    for (let i = 0; i < full.length; i += 4) {
      let d = 0;
      for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(seen(full, i, c) - seen(partial, i, c)));
      if (d > 24) differ++;
      worst = Math.max(worst, Math.round(d));
    }
    const count = (a, b) => { let n = 0; for (let i = 0; i < a.length; i += 4) { let d = 0; for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(seen(a, i, c) - seen(b, i, c))); if (d > 24) n++; } return n; };
    return {
      renderer: el.dataset.renderer, modes, layerDraws, sameFrame, differ, pixels: full.length / 4, worst, inked: full.some((v, i) => i % 4 === 3 && v),
      selectedMode, selectedDiffer: count(selPartial, selFull), selectionShows: count(selFull, full), splat: g.lastScene.splat,
    };
  }, n);
  t.diagnostic(`${n} objects${r.splat ? ' (splat)' : ''}: ${r.differ} of ${r.pixels} pixels differ by more than 24 levels (worst difference ${r.worst}); draw modes ${[...new Set(r.modes)]}; ` +
    `with a selection ${r.selectedDiffer} differ (it changed ${r.selectionShows} pixels, frame ${r.selectedMode})`);
  assert.deepEqual(errors, []);
  assert.equal(r.renderer, 'canvas');
  assert.equal(r.splat, n > 2000, `splat level of detail: ${r.splat}`);
  assert.ok(r.inked, 'the canvas has a picture');
  assert.ok(r.modes.includes('partial'), `some frames repainted only what changed (modes: ${[...new Set(r.modes)]})`);
  assert.deepEqual(r.sameFrame, [true, true, true, true, true, true]);
  // a step's new edge is drawn onto the edge layer by itself: the edges under it are not redrawn
  assert.ok(r.layerDraws.some(([links, clipped]) => links <= 2 && !clipped), `edge layer draws: ${JSON.stringify(r.layerDraws)}`);
  // antialiasing where semi-transparent edges cross may differ by a few levels (their batches differ); nothing more
  assert.ok(r.differ <= r.pixels * 0.0005, `${r.differ} of ${r.pixels} pixels differ by more than 24 levels (worst ${r.worst})`);
  assert.equal(r.selectedMode, 'partial', 'a selection repaints only the highlighted items');
  assert.ok(r.selectionShows > 20, `the selection is drawn (${r.selectionShows} pixels differ from the unselected graph)`);
  assert.ok(r.selectedDiffer <= r.pixels * 0.0005, `with a selection, ${r.selectedDiffer} pixels differ from a full repaint`);
  await page.close();
});

test('stepping through a list\'s appends: each new item finds room where the view put it, the layout moves nothing', { timeout: TIMEOUT }, async () => {
  // the view places a step's new nodes where they have room (placeFresh, each referrer's spiral kept
  // from step to step); the worker then runs no local layout (0 ticks). Before the spirals were kept,
  // past a few hundred items a third of the appends found no room and ran one (~8 ms of the worker's
  // CPU each, while the page stepped)
  const { page, errors } = await env.openPage('index.html');
  const r = await page.evaluate(async () => {
    const pg = window.pyheapPlayground, el = document.getElementById('graph');
    const frame = () => new Promise((res) => requestAnimationFrame(res));
    const settle = async () => { for (let i = 0; i < 3000 && el.dataset.layoutDone !== 'true'; i++) await frame(); };
    pg.maxItems = Infinity;
    // (from a move to a position the whole graph is laid out again, the list's items spread wide; the
    // places near it fill up again over the first ~100 appends after it)
    pg.load('objs = []\nfor i in range(1000):\n    objs.append({})\nprint(len(objs))\n');
    await pg.run();
    await settle();
    await pg.goTo(pg.state.total - 250);
    await settle();
    const ticks = [];
    for (let i = 0; i < 240; i++) {
      const objects = Number(el.dataset.objects);
      await pg.step();
      await frame();
      await settle();
      ticks.push([Number(el.dataset.objects) - objects, Number(el.dataset.layoutTicks)]);
    }
    return { ticks };
  });
  assert.deepEqual(errors, []);
  assert.ok(r.ticks.filter(([d]) => d > 0).length >= 100, `steps that added objects: ${JSON.stringify(r.ticks)}`);
  const moved = r.ticks.filter(([, t]) => t > 0);
  assert.equal(moved.length, 0, `steps whose new objects the layout had to move (a local run: [objects added, ticks]): ${JSON.stringify(moved)}`);
  await page.close();
});
