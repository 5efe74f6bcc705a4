// playground.test.js — the playground (index.html + web/app/playground.js) in
// Debian's chromium, driven by playwright-core against web/tools/serve.mjs.
//
// Runs every example of the Examples menu that the interpreter supports and
// compares the console with python3.12's stdout (tests/fixtures/examples/,
// recorded by tests/record/record_examples.sh); checks that the graph draws
// exactly the objects and references of the page's program view, and that
// those are the heap's own snapshot entries (same ids, refcounts, sizes);
// steps forward and back and checks the graph comes back the same; runs a
// collection and checks the phase list; checks that HTML in program output
// is shown as text, that errors are underlined at their line, that the URL
// carries the program, that Stop ends a runaway loop and that the graph
// exports as SVG. Screenshots go to tests/browser/screenshots/ (git-ignored).
//
// Needs /usr/bin/chromium and the bundle (./build.sh bundle, ./build.sh wasm);
// missing either is a failure with that message, never a skip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { CHROMIUM, freePort, startServer, requireBuilt } from './serve-browser.js';
import { EXAMPLES } from '../../web/app/examples.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'tests/browser/screenshots');
const TIMEOUT = 300_000;

let browser, server, base;

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run ./build.sh setup (it apt-installs chromium)`);
  requireBuilt(ROOT, ['web/gen/playground.js', 'web/gen/layout-worker.js', 'web/gen/pyheap.wasm']);
  const { chromium } = await import('playwright-core');
  server = await startServer(ROOT, await freePort());
  base = `http://127.0.0.1:${server.spawnargs[3]}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

async function openPlayground(hash = '') {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/favicon|404/.test(m.text())) errors.push(m.text()); });
  await page.goto(`${base}/index.html${hash}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
  return { page, errors };
}

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `playground-${name}.png`), fullPage: true });
const consoleOut = (page) => page.textContent('.pg-out');

/** Run the loaded program to the end; resolves when the page shows the last step. */
async function runToEnd(page) {
  await page.evaluate(() => window.pyheapPlayground.run());
  await page.waitForFunction(() => document.getElementById('app').dataset.total !== '' && !document.getElementById('app').dataset.running,
    null, { timeout: TIMEOUT });
}

/** What the graph drew against the page's program view and the heap's own snapshot. */
async function graphCheck(page) {
  await page.waitForFunction(() => document.getElementById('graph').dataset.layoutDone === 'true', null, { timeout: TIMEOUT });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => {
    const pg = window.pyheapPlayground;
    const g = document.getElementById('graph').dataset;
    const shown = pg.shown;
    const names = pg.graph.model.names;
    // the heap's own snapshot, from the same roots (names + what the interpreter holds)
    const snap = pg.heap.snapshot(shown.objects.filter((o) => o.root).map((o) => o.id));
    const byId = new Map(snap.objects.map((o) => [o.id, o]));
    const mismatched = shown.objects.filter((o) => {
      const h = byId.get(o.id);
      return !h || h.refcount !== o.refcount || h.size !== o.size || h.type !== o.type || o.refs.some((r) => !h.refs.includes(r));
    }).map((o) => `${o.type}@${o.id}`);
    const refs = shown.objects.reduce((n, o) => n + o.refs.length, 0);
    return {
      drawnObjects: Number(g.objects), drawnLinks: Number(g.links),
      shownObjects: shown.objects.length, shownLinks: refs + names.length,
      svgNodes: document.querySelectorAll('#graph svg g.obj').length,
      renderer: g.renderer, mismatched,
      keys: [...pg.graph.model.nodes.keys()].sort(),
    };
  });
}

test('every supported example prints what python3.12 prints, and the graph is the heap\'s', { timeout: TIMEOUT * 3 }, async () => {
  const { page, errors } = await openPlayground();
  // all objects drawn (immortals too), so drawn counts equal the program view's
  await page.selectOption('.pg-immortals', 'all');
  // subset 'report': the tool reports (memory_profiler, objgraph) measure the model, checked below by structure
  const supported = EXAMPLES.filter((e) => e.subset === undefined || e.subset === true);
  assert.ok(supported.length >= 15, `examples in the subset: ${supported.length}`);
  for (const core of ['refcount_getrefcount', 'del_object_destroyed', 'circular_references', 'notebook_refcount', 'weakref_cycle']) {
    assert.ok(supported.some((e) => e.id === core), `core seed example ${core} is supported`);
  }
  for (const ex of supported) {
    const t0 = Date.now();
    await page.evaluate((id) => window.pyheapPlayground.loadExample(id), ex.id);
    await runToEnd(page);
    const ran = Date.now() - t0;
    const want = readFileSync(join(ROOT, `tests/fixtures/examples/${ex.id}.stdout`), 'utf8');
    assert.equal(await consoleOut(page), want, `${ex.id}: console stdout = python3.12's`);
    if (ex.id !== 'getsizeof_obj') assert.equal(await page.textContent('.pg-err'), '', `${ex.id}: no error output`);
    const g = await graphCheck(page);
    assert.equal(g.drawnObjects, g.shownObjects, `${ex.id}: objects drawn`);
    assert.equal(g.drawnLinks, g.shownLinks, `${ex.id}: references drawn (+ names)`);
    assert.deepEqual(g.mismatched, [], `${ex.id}: drawn objects are the heap snapshot's`);
    if (g.renderer === 'svg') assert.equal(g.svgNodes, g.drawnObjects, `${ex.id}: one SVG node per object`);
    await shot(page, ex.id);
    console.log(`# ${ex.id}: ran in ${ran} ms, ${g.drawnObjects} objects drawn (${g.renderer}), checked in ${Date.now() - t0 - ran} ms`);
  }
  // the example that fails in python3.12 too fails here with its error, at its line
  await page.evaluate(() => window.pyheapPlayground.loadExample('getsizeof_obj'));
  await runToEnd(page);
  assert.match(await page.textContent('.pg-err'), /NameError: name 'obj' is not defined/);
  assert.equal(await page.locator('.cm-line.pg-error-line').count(), 1);
  assert.match(await page.textContent('.cm-line.pg-error-line'), /sys\.getsizeof\(obj\)/);
  // the tool reports: memory_profiler's and objgraph's layouts, over the model heap
  const report = async (id) => {
    await page.evaluate((x) => window.pyheapPlayground.loadExample(x), id);
    await runToEnd(page);
    assert.equal(await page.textContent('.pg-err'), '', `${id}: no error output`);
    return consoleOut(page);
  };
  assert.match(await report('memory_profiler_article3'), /^Line #\s+Mem usage\s+Increment\s+Occurrences\s+Line Contents\n=+\n/m);
  assert.match(await report('objgraph_leaks'), /^list\s+\d+$/m);
  assert.equal(await report('memory_profiler_profile'), '', 'a @profile function never called reports nothing');
  // a construct the interpreter does not run: its clear error
  await page.evaluate(() => window.pyheapPlayground.load('x = 1\nasync def f():\n    pass\n'));
  await runToEnd(page);
  assert.match(await page.textContent('.pg-err'), /'async def' functions are not supported \(line 2\)/);
  assert.deepEqual(errors, [], 'no errors in the page');
  await page.close();
});

test('stepping forward and back shows the same graph', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await openPlayground();
  await page.evaluate(() => window.pyheapPlayground.loadExample('circular_references'));
  const at = async (n) => {
    await page.evaluate((k) => window.pyheapPlayground.goTo(k), n);
    await page.waitForFunction((k) => document.getElementById('app').dataset.step === String(k), n);
    return graphCheck(page);
  };
  for (let i = 0; i < 9; i++) await page.click('.pg-step');
  await page.waitForFunction(() => document.getElementById('app').dataset.step === '9');
  const g9 = await graphCheck(page);
  // the current line's band (drawn under the editor's text) covers the line about to run, and only it
  const band = await page.evaluate(() => {
    const b = document.querySelector('.pg-current-band');
    const r = b.getBoundingClientRect(), mid = r.top + r.height / 2;
    const lines = [...document.querySelectorAll('.cm-line')].filter((l) => { const q = l.getBoundingClientRect(); return q.top < mid && mid < q.bottom; });
    return { hidden: b.hidden, line: b.dataset.line, height: r.height, under: lines.map((l) => l.textContent) };
  });
  assert.equal(band.hidden, false, 'the current line is marked');
  assert.equal(band.line, '9');
  assert.ok(band.height > 10, `band height ${band.height}`);
  assert.deepEqual(band.under, ['a1.ref = a2']);
  assert.deepEqual(g9.mismatched, []);
  assert.equal(g9.drawnObjects, g9.shownObjects);
  await shot(page, 'step9');
  for (let i = 0; i < 3; i++) await page.click('.pg-step');
  await page.waitForFunction(() => document.getElementById('app').dataset.step === '12');
  const g12 = await graphCheck(page);
  assert.notDeepEqual(g12.keys, g9.keys, 'three more lines change the graph');
  for (let i = 0; i < 3; i++) await page.click('.pg-back');
  await page.waitForFunction(() => document.getElementById('app').dataset.step === '9');
  const back9 = await graphCheck(page);
  assert.deepEqual(back9.keys, g9.keys, 'back to step 9: the same objects and names');
  assert.equal(back9.drawnLinks, g9.drawnLinks);
  // the slider goes to any earlier step
  const g3 = await at(3);
  assert.ok(g3.drawnObjects < g9.drawnObjects, `step 3 has fewer objects (${g3.drawnObjects} < ${g9.drawnObjects})`);
  // after the two del lines the cycle is unreachable: drawn with the garbage ring
  await runToEnd(page);
  const total = Number(await page.getAttribute('#app', 'data-total'));
  await at(total - 2);   // about to run gc.collect(): a1, a2 deleted
  const garbage = await page.evaluate(() => window.pyheapPlayground.shown.objects.filter((o) => !o.reachable).map((o) => o.type));
  assert.ok(garbage.filter((t) => t === 'A').length === 2, `both A instances are cyclic garbage: ${garbage}`);
  assert.ok(await page.locator('#graph svg circle.ring.unreachable').count() >= 2);
  await shot(page, 'garbage');
  assert.deepEqual(errors, []);
  await page.close();
});

test('positions recorded while the program ran on are those a fresh replay reaches (the capture leaves the heap as it found it)', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await openPlayground();
  const r = await page.evaluate(async () => {
    const pg = window.pyheapPlayground;
    // reading the views allocates bookkeeping in the program's heap (snapshot tables that grow with
    // it, from the raw allocator where lists over 512 bytes live too): a capture that left any of it
    // would move what the program allocates next
    pg.load('xs = []\nfor i in range(40):\n    xs.append([i] * 100)\n    xs.append({str(i): i})\n' +
      'del xs[3:9]\nys = [repr(x) for x in xs[:4]]\nprint(len(ys))\n');
    const frame = () => new Promise((res) => requestAnimationFrame(res));
    const st = pg.state;
    // the objects (addresses, types, counts, references), the allocator's figures, tracemalloc's
    const keys = (rec) => [rec.snap.objects.map((o) => `${o.id}:${o.typeId}:${o.refcount}:${o.refs.join(',')}`).join(' '),
      JSON.stringify(rec.stats), JSON.stringify(rec.m), rec.tm ? `${rec.tm.current} ${rec.tm.peak} ${rec.tm.blocks}` : ''].join('\n');
    await pg.goTo(2);
    // the replay to 2 and the idle time after it record the positions after it, the program running on
    for (let i = 0; i < 120 && ![...st.cache.keys()].some((k) => k >= 30); i++) await frame();
    const ahead = [...st.cache.keys()].filter((k) => k > 2).sort((a, b) => a - b);
    const want = ahead;
    const recorded = want.map((k) => keys(st.cache.get(k)));
    // each again, by a replay from the first line that records nothing before it
    const fresh = [];
    for (const k of want) {
      st.cache.clear();
      st.session.cont = null;
      await pg.goTo(k);
      fresh.push(keys(st.cache.get(k)));
    }
    return { ahead: ahead.length, want, same: recorded.map((x, i) => x === fresh[i]), sizes: recorded.map((x) => x.split('\n')[0].split(' ').length),
      differ: recorded.map((x, i) => x.split('\n').map((part, j) => (part === fresh[i].split('\n')[j] ? '' : `${part.slice(0, 200)} / ${fresh[i].split('\n')[j].slice(0, 200)}`)).filter(Boolean)) };
  });
  assert.ok(r.ahead >= 20, `${r.ahead} positions recorded ahead`);
  assert.ok(r.sizes.every((n) => n > 100), `snapshots of ${r.sizes} objects`);
  assert.deepEqual(r.same.map((ok, i) => (ok ? null : r.want[i])).filter((k) => k !== null), [],
    `positions recorded ahead that a replay does not reach: ${JSON.stringify(r.differ.filter((d) => d.length))}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('name tags bound next to each other are drawn apart, their edges from where they are drawn', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await openPlayground();
  const r = await page.evaluate(async () => {
    const pg = window.pyheapPlayground;
    pg.load('a = [1]\nb = a\nc = a\nd = 5\n');
    await pg.run();
    const g = pg.graph;
    const frame = () => new Promise((res) => requestAnimationFrame(res));
    for (let i = 0; i < 300 && g.el.dataset.layoutDone !== 'true'; i++) await frame();
    if (!g.recNodes) g.buildRecords();
    const names = g.recNodes.filter((n) => n.node.kind === 'name');
    const { k } = g.transform;
    // all four tags on one point (as when zoomed far out): each drawn a tag's height (22 px) below the one before
    for (const n of names) { g.xy[2 * n.slot] = 0; g.xy[2 * n.slot + 1] = 0; }
    const { nodes, links } = g.frame(false);
    const drawn = nodes.filter((n) => n.node.kind === 'name').map((n) => n.y * k);
    const starts = links.filter((e) => e.a.node.kind === 'name').map((e) => Math.hypot(e.x1 - e.a.x, e.y1 - e.a.y) * k);
    // the pointer finds each tag where it is drawn
    const tagged = nodes.filter((n) => n.node.kind === 'name');
    const found = tagged.map((n) => g.find(n.x * k + g.transform.x, n.y * k + g.transform.y)?.key === n.node.key);
    // far apart: where the layout put them
    names.forEach((n, i) => { g.xy[2 * n.slot] = i * 200 / k; g.xy[2 * n.slot + 1] = 0; });
    const apart = g.frame(false).nodes.filter((n) => n.node.kind === 'name').map((n) => n.y);
    g.requestDraw(true);
    return { n: names.length, drawn, starts, apart, found };
  });
  assert.equal(r.n, 4);
  assert.deepEqual(r.drawn.map((y) => Math.round(y)), [0, 22, 44, 66]);
  assert.equal(r.starts.length, 4);
  assert.ok(r.starts.every((d) => d <= 10 + 1e-6), `each name's edge starts at its tag: ${r.starts}`);
  assert.deepEqual(r.apart, [0, 0, 0, 0]);
  assert.deepEqual(r.found, [true, true, true, true], 'each tag is found where it is drawn');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a collection shows its phases', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await openPlayground();
  await page.evaluate(() => window.pyheapPlayground.loadExample('cycle_with_finalizers'));
  await runToEnd(page);
  assert.equal(await page.locator('#gc-walk li.pg-phase').count(), 7, 'seven phases listed');
  const phase = (k) => page.textContent(`#gc-walk li[data-phase="${k}"] b`);
  assert.equal(await phase('unreachable'), '2');
  assert.equal(await phase('finalized'), '2');
  assert.equal(await phase('freed'), '2');
  assert.match(await page.textContent('#gc-walk'), /generation 2/);
  assert.equal(await consoleOut(page), readFileSync(join(ROOT, 'tests/fixtures/examples/cycle_with_finalizers.stdout'), 'utf8'));
  await shot(page, 'gc-phases');
  assert.deepEqual(errors, []);
  await page.close();
});

test('program output is text, errors are underlined, the URL keeps the program, Stop stops', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await openPlayground();
  const pg = (fn, arg) => page.evaluate(fn, arg);
  await pg((src) => window.pyheapPlayground.load(src), 'print("<b>x</b>")\nprint("<img src=x onerror=alert(1)>")\n');
  await runToEnd(page);
  assert.equal(await consoleOut(page), '<b>x</b>\n<img src=x onerror=alert(1)>\n');
  assert.equal(await page.locator('.pg-console b, .pg-console img').count(), 0, 'no HTML elements made from output');

  // a syntax error is underlined at its line
  await pg((src) => window.pyheapPlayground.load(src), 'x = 1\ny = (x +\n');
  await runToEnd(page);
  assert.match(await page.textContent('.pg-err'), /SyntaxError/);
  assert.equal(await page.locator('.cm-line.pg-error-line').count(), 1);
  assert.equal(await page.locator('.pg-error').count(), 1);

  // the URL carries the program: a new page opened on it shows the same source
  const src = 'a = [1, 2]\nb = {"k": a}\nprint(len(b))\n';
  await pg((s) => window.pyheapPlayground.load(s), src);
  await page.waitForFunction(() => location.hash.startsWith('#code='));
  const hash = await pg(() => location.hash);
  const other = await openPlayground(hash);
  assert.equal(await other.page.evaluate(() => window.pyheapPlayground.editor.state.doc.toString()), src);
  await other.page.close();

  // export: a standalone SVG document
  await runToEnd(page);
  await graphCheck(page);   // the layout settled and two frames drawn: the graph is on screen
  const svg = await pg(() => window.pyheapPlayground.graphSVG());
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<circle/);

  // Stop ends a runaway program between slices
  await pg((s) => window.pyheapPlayground.load(s), 'n = 0\nwhile True:\n    n += 1\n');
  // (run() blocks the page for one slice at a time: start it without waiting, as a click does)
  await pg(() => { window.pyheapPlayground.run(); });
  // Stop is enabled while running; its click lands between two slices
  await page.waitForFunction(() => document.getElementById('app').dataset.running === '1' && !document.querySelector('.pg-stop').disabled);
  await page.dispatchEvent('.pg-stop', 'click', null, { timeout: TIMEOUT });
  await page.waitForFunction(() => !document.getElementById('app').dataset.running && /stopped/.test(document.querySelector('.pg-note').textContent), null, { timeout: TIMEOUT });
  assert.match(await page.textContent('.pg-note'), /stopped by you/);
  assert.match(await page.textContent('.pg-status'), /about to run line [23]/);
  assert.equal(await page.isDisabled('.pg-stop'), true, 'Stop is disabled once stopped');
  await shot(page, 'stopped');
  assert.deepEqual(errors, []);
  await page.close();
});
