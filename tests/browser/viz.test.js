// viz.test.js — the views in a real browser: Debian's chromium, driven by
// playwright-core, against the repository served by web/tools/serve.mjs.
// Opens the demo page (web/app/demo.html, bundled into web/gen/ by
// `./build.sh bundle`), steps it, and checks that the heap graph drew nodes
// (SVG for small heaps, Canvas for thousands of objects), that clicking an
// object shows its details, that Back replays, and that the allocator map
// has pool cells — on the demo and on the allocator page (web/app/alloc.html).
//
// Needs /usr/bin/chromium (`./build.sh setup` installs it) and the bundle
// (`./build.sh bundle`; `./build.sh test` runs it first). Missing either is a
// failure with that message, never a skip. VIZ_SHOTS=DIR saves screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { CHROMIUM, freePort, startServer, requireBuilt } from './serve-browser.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = process.env.VIZ_SHOTS;
const TIMEOUT = 240_000;   // the machine is shared: the layout of 4,000 objects can take a while

let browser, server, base;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run ./build.sh setup (it apt-installs chromium) before the browser tests`);
  }
  requireBuilt(ROOT, ['web/gen/demo.js', 'web/gen/alloc.js', 'web/gen/layout-worker.js', 'web/gen/pyheap.wasm']);
  const { chromium } = await import('playwright-core');
  const port = await freePort();
  server = await startServer(ROOT, port);
  base = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

async function openPage(path) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // a 404 for the favicon, and the deliberately unloadable worker of the fallback check, are expected
    if (m.type() === 'error' && !/favicon|404|Failed to resolve module specifier/.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${base}/${path}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
  return { page, errors };
}

const graphData = (page) => page.evaluate(() => ({ ...document.getElementById('graph').dataset }));
const layoutDone = (page) => page.waitForFunction(() => document.getElementById('graph').dataset.layoutDone === 'true', null, { timeout: TIMEOUT });
const shot = async (page, name) => { if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }); };

test('demo page: graph, details, back, allocator map', { timeout: TIMEOUT * 2 }, async () => {
  const { page, errors } = await openPage('web/app/demo.html');
  // three steps: a list of dicts, an alias, a cycle
  for (let i = 0; i < 3; i++) await page.click('#step');
  await page.waitForFunction(() => document.body.dataset.step === '3');
  await layoutDone(page);
  let g = await graphData(page);
  assert.equal(g.renderer, 'svg', 'a small heap is drawn with SVG');
  assert.equal(g.layout, 'worker', 'the layout runs in a Worker');
  const objects = Number(g.objects);
  assert.ok(objects >= 15, `objects drawn: ${objects}`);
  assert.equal(await page.locator('#graph svg g.obj').count(), objects, 'one SVG node per object');
  assert.equal(await page.locator('#graph svg g.name').count(), 4, 'names rows, first, a, b');
  assert.ok(await page.locator('#graph svg .links line').count() >= objects - 1);
  // click the object the name `first` is bound to: the details panel fills in
  const firstId = await page.evaluate(() => window.pyheapDemo.state.names.get('first').id);
  const key = await page.evaluate((id) => [...window.pyheapDemo.graph.model.nodes.values()].find((n) => n.id === id).key, firstId);
  await page.locator(`#graph svg g.obj[data-key="${key}"]`).click();
  await page.waitForSelector('#details dl');
  const details = await page.textContent('#details');
  assert.match(details, /dict at 0x/);
  assert.match(details, /refcount\s*2/);
  assert.match(details, /name first/);
  assert.match(details, /back-reference chain\s*first/);
  // allocator map: pool cells, some in use
  const pools = await page.locator('#arenas svg g.pool').count();
  assert.ok(pools >= 63, `pool cells: ${pools}`);
  assert.ok(Number(await page.getAttribute('#arenas', 'data-pools-in-use')) > 0);
  await shot(page, 'demo-step3');

  // a worker script that cannot load (the unbundled module: bare d3 imports) falls back to the main thread
  const fallback = await page.evaluate(async () => {
    const { graph } = window.pyheapDemo;
    const div = Object.assign(document.createElement('div'), { style: 'width:400px;height:300px' });
    document.body.append(div);
    const g2 = new graph.constructor(div, { workerURL: new URL('/web/viz/layout-worker.js', location.href) });
    g2.update(graph.model.snapshot, graph.model.names);
    for (let i = 0; i < 200 && !(div.dataset.layout === 'main-thread' && div.dataset.layoutDone === 'true'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const placed = [...g2.model.nodes.values()].filter((n) => Number.isFinite(g2.pos(n)[0])).length;
    const out = { layout: div.dataset.layout, done: div.dataset.layoutDone, placed, nodes: g2.model.nodes.size };
    g2.destroy(); div.remove();
    return out;
  });
  assert.equal(fallback.layout, 'main-thread');
  assert.equal(fallback.done, 'true');
  assert.equal(fallback.placed, fallback.nodes, 'every node placed by the main-thread layout');

  // on to 2,000 small lists: Canvas, and pixels drawn
  await page.evaluate(() => window.pyheapDemo.goTo(8));
  await page.waitForFunction(() => document.body.dataset.step === '8');
  await layoutDone(page);
  g = await graphData(page);
  assert.equal(g.renderer, 'canvas', 'thousands of objects are drawn on Canvas');
  assert.ok(Number(g.objects) > 4000, `objects: ${g.objects}`);
  const inked = await page.evaluate(() => {
    const c = document.querySelector('#graph canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4 * 7) if (d[i] > 0) n++;
    return n;
  });
  assert.ok(inked > 1000, `canvas pixels drawn: ${inked}`);
  await shot(page, 'demo-step8');

  // free half: objects leave the graph
  await page.click('#step');
  await page.waitForFunction(() => document.body.dataset.step === '9');
  g = await graphData(page);
  assert.ok(Number(g.freed) >= 2000, `freed: ${g.freed}`);

  // Back replays from the start to step 2
  await page.evaluate(() => window.pyheapDemo.goTo(3));
  await page.click('#back');
  await page.waitForFunction(() => document.body.dataset.step === '2');
  // the graph draws the step at its next frame (and its layout answer after)
  await layoutDone(page);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  g = await graphData(page);
  assert.equal(await page.textContent('#code'), 'first = rows[0]');
  assert.equal(await page.locator('#graph svg g.name').count(), 2);
  assert.deepEqual(errors, [], 'no errors in the page');
  await page.close();
});

test('allocator page (web/app/alloc.html) draws the map', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await openPage('web/app/alloc.html');
  const cells = await page.locator('#arenas svg g.pool').count();
  assert.ok(cells >= 63, `pool cells: ${cells}`);
  const figures = await page.textContent('#arenas .am-figures');
  assert.match(figures, /arenas mapped/i);
  // each arena row says in short why it is kept, with the whole reason as its tooltip (one title)
  const why = () => page.$$eval('#arenas svg g.arena text.why', (ts) => ts.map((t) => ({
    short: t.querySelector('tspan')?.textContent ?? '', long: t.querySelector('title')?.textContent ?? '', titles: t.querySelectorAll('title').length,
  })));
  const before = await why();
  assert.ok(before.length >= 1);
  for (const w of before) assert.ok(w.short && w.long.length > w.short.length && w.titles === 1, JSON.stringify(w));
  await page.click('#freeall');
  assert.match(await page.textContent('#arenas .am-figures'), /0 in use/);
  const after = await why();
  assert.ok(after.some((w) => /empty/.test(w.short)) && after.every((w) => w.titles === 1), JSON.stringify(after));
  await page.click('#arenas summary');
  // the report is filled on the <details> toggle event, which fires after the click returns
  await page.waitForFunction(() => document.querySelector('#arenas pre').textContent.length > 0, null, { timeout: 10_000 });
  assert.match(await page.textContent('#arenas pre'), /Small block threshold = 512/);
  await shot(page, 'alloc');
  assert.deepEqual(errors, []);
  await page.close();
});
