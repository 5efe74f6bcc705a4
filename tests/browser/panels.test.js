// panels.test.js — the playground's tracemalloc and syntax panels in Debian's
// chromium (playwright-core, served by serve-browser.js):
// - the top-lines panel (web/viz/toplines.js) at the step about to take the
//   snapshot of the tracemalloc_top example shows the lines the program itself
//   prints (python3.12's stdout, tests/fixtures/examples/tracemalloc_top.stdout,
//   recorded by tests/record/record_examples.sh);
// - for a list-building loop that never calls tracemalloc, the panel shows
//   python3.12's statistics('lineno') for a trace from the first line
//   (tests/fixtures/toplines.json, recorded by tests/record/toplines.py), and
//   the program still sees is_tracing() False;
// - clicking a row marks that line in the editor; the compare_to toggle; the
//   "trace" checkbox turns the playground's trace off and on;
// - clicking an object shows the line that allocated it ("allocated at");
// - typing `x = (` underlines it with CPython's message, fixing it removes the
//   underline; an unsupported construct gets the other mark;
// - HTML in a source line is shown as text.
// Screenshots go to tests/browser/screenshots/ (git-ignored).
//
// Needs /usr/bin/chromium and the bundle (./build.sh bundle, ./build.sh wasm):
// missing either is a failure with that message, never a skip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startBrowser, requireBuilt } from './serve-browser.js';
import { exampleById } from '../../web/app/examples.js';
import { load } from '../../web/lib/load.js';
import { createSession } from '../../web/interp/session.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'tests/browser/screenshots');
const TOPLINES = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/toplines.json'), 'utf8'));
const TIMEOUT = 120_000;

let env, raw;

before(async () => {
  requireBuilt(ROOT, ['web/gen/playground.js', 'web/gen/layout-worker.js', 'web/gen/pyheap.wasm']);
  env = await startBrowser(ROOT);
  raw = await load();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => { await env?.close(); });

const open = () => env.openPage('index.html', { viewport: { width: 1500, height: 1200 } });
const shot = (page, name) => page.screenshot({ path: join(SHOTS, `panels-${name}.png`), fullPage: true });

/** The step (line events counted) at which `source` is first about to run `line` in frame `name`. */
function stepOf(source, line, name = '<module>') {
  const s = createSession(raw, source, { filename: 'main.py' });
  let found = null;
  s.goTo(1, Infinity, {
    capture: ({ count, line: l, frames }) => {
      if (l === line && frames[frames.length - 1].name === name) { found = count; return false; }
      return true;
    },
  });
  s.stop();
  if (found === null) throw new Error(`line ${line} in ${name} is never reached`);
  return found;
}

/** Load `source` (or an example) and go to step k; resolves when the page shows it. */
async function showStep(page, { source, example, step }) {
  if (example) await page.evaluate((id) => window.pyheapPlayground.loadExample(id), example);
  else await page.evaluate((src) => window.pyheapPlayground.load(src), source);
  await page.evaluate((k) => window.pyheapPlayground.goTo(k), step);
  await page.waitForFunction((k) => document.getElementById('app').dataset.step === String(k), step, { timeout: TIMEOUT });
}

/**
 * Until the panels below the fold show the page's step: after moves that come fast (under
 * 100 ms apart) an off-screen panel catches up within 250 ms (playground.js panel()).
 */
const caughtUp = (page) => page.waitForFunction(() => {
  const step = document.getElementById('app').dataset.step;
  return ['.pg-toplines', '.pg-arenas', '.pg-timeline'].every((q) => document.querySelector(q).dataset.step === step);
}, null, { timeout: TIMEOUT });

/** The panel's rows: their text, and the rows of main.py. */
async function rows(page) {
  await caughtUp(page);
  const all = await page.$$eval('.pg-toplines .tl-row .tl-stat', (es) => es.map((e) => e.textContent));
  return { all, mine: all.filter((t) => t.startsWith('main.py:')) };
}

test('top lines of the tracemalloc example are what the program prints (python3.12)', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  const ex = exampleById('tracemalloc_top');
  const want = readFileSync(join(ROOT, 'tests/fixtures/examples/tracemalloc_top.stdout'), 'utf8').trimEnd().split('\n');
  assert.ok(want.length >= 2 && want.every((l) => l.startsWith('main.py:')), 'the fixture lists main.py lines');
  // about to run `snapshot = tracemalloc.take_snapshot()` in main()
  const line = ex.code.split('\n').findIndex((l) => l.includes('take_snapshot()')) + 1;
  await showStep(page, { example: 'tracemalloc_top', step: stepOf(ex.code, line, 'main') });
  const { mine } = await rows(page);
  assert.deepEqual(mine.slice(0, want.length), want);
  await caughtUp(page);
  assert.match(await page.textContent('.pg-toplines .tl-note'), /program's own trace/);
  // run on: the program prints the same lines
  await page.evaluate(() => window.pyheapPlayground.run());
  await page.waitForFunction(() => document.getElementById('app').dataset.total !== '' && !document.getElementById('app').dataset.running, null, { timeout: TIMEOUT });
  assert.deepEqual((await page.textContent('.pg-out')).trimEnd().split('\n'), want);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a list-building loop: python3.12\'s statistics by line, a row marks its line, compare_to', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  const c = TOPLINES.loop;
  const step = stepOf(c.source, c.line);
  await showStep(page, { source: c.source, step: step - 1 });
  await page.click('.pg-step');   // as a user steps: the previous step is recorded, for compare_to
  await page.waitForFunction((k) => document.getElementById('app').dataset.step === String(k), step, { timeout: TIMEOUT });
  const { mine } = await rows(page);
  assert.deepEqual(mine, c.stats);
  assert.match(await page.textContent('.pg-toplines .tl-note'), /Traced by the playground/);
  // each row shows its source line
  const first = c.stats[0].match(/^main\.py:(\d+):/)[1];
  const srcText = c.source.split('\n')[Number(first) - 1].trim();
  assert.equal(await page.textContent('.pg-toplines .tl-row:first-child .tl-src, .pg-toplines li:first-child .tl-src'), srcText);
  // clicking a row marks that line in the editor
  await page.click(`.pg-toplines .tl-row[data-lineno="${first}"]`);
  await page.waitForFunction((l) => document.getElementById('app').dataset.picked === l, first);
  assert.equal(await page.textContent('.cm-line.pg-picked'), c.source.split('\n')[Number(first) - 1]);
  await shot(page, 'toplines');
  await page.selectOption('.pg-toplines .tl-mode', 'start');
  const sinceStart = (await rows(page)).mine;
  assert.equal(sinceStart.length, c.stats.length);
  for (let i = 0; i < c.stats.length; i++) {
    // against an empty start, compare_to's diff is the size and count themselves
    const m = c.stats[i].match(/^(main\.py:\d+): size=([^,]+), count=(\d+)(, average=.*)$/);
    assert.equal(sinceStart[i], `${m[1]}: size=${m[2]} (+${m[2]}), count=${m[3]} (+${m[3]})${m[4]}`);
  }
  await page.selectOption('.pg-toplines .tl-mode', 'previous');
  assert.match(await page.textContent('.pg-toplines .tl-note'), new RegExp(`Compared with step ${step - 1}\\.`));
  assert.ok((await rows(page)).all.every((t) => /: size=.* \([+-].*\), count=\d+ \([+-]\d+\)/.test(t)), 'every row is a StatisticDiff');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the program does not see the playground\'s trace', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.pyheapPlayground.load('import tracemalloc\nx = [1] * 100\nprint(tracemalloc.is_tracing(), tracemalloc.get_traced_memory())\n'));
  await page.evaluate(() => window.pyheapPlayground.run());
  await page.waitForFunction(() => document.getElementById('app').dataset.total !== '' && !document.getElementById('app').dataset.running, null, { timeout: TIMEOUT });
  assert.equal(await page.textContent('.pg-out'), 'False (0, 0)\n');
  await caughtUp(page);
  assert.ok(Number(await page.getAttribute('.pg-toplines', 'data-rows')) > 0, 'the panel has rows');
  // the "trace" checkbox: off, the program runs again untraced to the same step (same output), no rows
  const step = await page.getAttribute('#app', 'data-step');
  await page.uncheck('.pg-toplines .tl-trace');
  await page.waitForFunction((k) => document.getElementById('app').dataset.step === k, step, { timeout: TIMEOUT });
  await caughtUp(page);
  assert.equal(await page.getAttribute('.pg-toplines', 'data-rows'), '0');
  assert.match(await page.textContent('.pg-toplines .tl-note'), /Tracing is off/);
  assert.equal(await page.textContent('.pg-out'), 'False (0, 0)\n');
  await page.check('.pg-toplines .tl-trace');
  await page.waitForFunction(() => Number(document.querySelector('.pg-toplines').dataset.rows) > 0, null, { timeout: TIMEOUT });
  assert.deepEqual(errors, []);
  await page.close();
});

test('clicking an object shows the line that allocated it', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  // (a set: the program's first lists come from the free list start-up leaves, untraced as in CPython)
  const source = 'import sys\nnames = set()\nfor i in range(3):\n    names.add("item" * (i + 2))\nlabel = "done"\nlst = []\nprint(len(names))\n';
  await showStep(page, { source, step: stepOf(source, 7) });
  await page.waitForFunction(() => document.getElementById('graph').dataset.layoutDone === 'true', null, { timeout: TIMEOUT });
  const keyOf = (name) => page.evaluate((n) => {
    const pg = window.pyheapPlayground;
    const id = pg.state.state.frames[0].names[n];
    for (const node of pg.graph.model.nodes.values()) if (node.kind === 'object' && node.id === id) return node.key;
    return null;
  }, name);
  const select = async (key) => {
    await page.focus(`#graph [data-key="${key}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.pg-details .pg-alloc');
    return page.textContent('.pg-details .pg-alloc');
  };
  // the set: allocated on line 2 (its source line shown too)
  assert.equal(await select(await keyOf('names')), 'main.py:2names = set()');
  assert.equal(await page.textContent('.pg-details .pg-alloc code'), 'main.py:2');
  // an item made in the loop's body: line 4
  const itemKey = await page.evaluate(() => {
    const pg = window.pyheapPlayground;
    for (const node of pg.graph.model.nodes.values()) if (node.kind === 'object' && node.obj.type === 'str' && pg.graph.reprs?.get(node.id) === "'itemitemitem'") return node.key;
    return null;
  });
  assert.ok(itemKey, 'the string of the second iteration is drawn');
  assert.match(await select(itemKey), /^main\.py:4/);
  // "done" is a constant of the code object, made before the first line: not traced
  const untraced = /^not traced \(allocated before tracing — a constant, or reused from a free list — \/ interned \/ immortal\)$/;
  assert.match(await select(await keyOf('label')), untraced);
  // a list on line 6: reused from the start-up free list, so (as in CPython) no trace of its own
  assert.match(await select(await keyOf('lst')), untraced);
  // an object without a short repr: no stray "null" in its details (replaceChildren turns null into text)
  assert.doesNotMatch(await page.textContent('.pg-details'), /null/);
  await shot(page, 'allocated-at');
  assert.deepEqual(errors, []);
  await page.close();
});

test('live syntax check: CPython\'s message at the line, gone when fixed; unsupported marked apart', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.pyheapPlayground.load('a = 1\n'));
  await page.click('.pg-editor .cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('x = (');
  await page.waitForSelector('.cm-lintRange.pg-lint-syntax', { timeout: 10_000 });
  assert.equal(await page.getAttribute('#app', 'data-lint'), 'syntax:2');
  // the underline is on line 2, at the parenthesis (CPython's column)
  const marked = await page.$eval('.cm-lintRange.pg-lint-syntax', (e) => ({ text: e.textContent, line: e.closest('.cm-line').textContent }));
  assert.deepEqual(marked, { text: '(', line: 'x = (' });
  await page.hover('.cm-lintRange.pg-lint-syntax');
  await page.waitForSelector('.cm-tooltip-lint .cm-diagnostic', { timeout: 10_000 });
  assert.match(await page.textContent('.cm-tooltip-lint .cm-diagnostic'), /SyntaxError: '\(' was never closed/);
  await shot(page, 'lint');
  await page.keyboard.type('1)');
  await page.waitForFunction(() => document.getElementById('app').dataset.lint === 'ok', null, { timeout: 10_000 });
  await page.waitForFunction(() => !document.querySelector('.cm-lintRange'), null, { timeout: 10_000 });
  // valid Python outside pyheap's subset: the other mark, with pyheap's message
  await page.keyboard.press('Enter');
  await page.keyboard.type('async def f(): pass');
  await page.waitForSelector('.cm-lintRange.pg-lint-unsupported', { timeout: 10_000 });
  assert.equal(await page.$('.cm-lintRange.pg-lint-syntax'), null);
  assert.equal(await page.getAttribute('#app', 'data-lint'), 'unsupported:3');
  assert.deepEqual(errors, []);
  await page.close();
});

test('HTML in a source line is shown as text in the panel', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  const source = 'tags = ["<b>bold</b><img src=x onerror=alert(1)>" * 20 for i in range(50)]\nn = len(tags)\n';
  await showStep(page, { source, step: stepOf(source, 2) });
  await caughtUp(page);
  const src = await page.textContent('.pg-toplines .tl-src');
  assert.equal(src, source.split('\n')[0]);
  assert.equal(await page.$$eval('.pg-toplines b, .pg-toplines img', (es) => es.length), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

/** A loop appending small lists: at step 40, a few hundred objects, every panel with something to show. */
const ROWS = 'rows = []\nfor i in range(300):\n    rows.append([i] * 3)\nprint(len(rows))\n';

test('panels off screen wait while steps come fast, then catch up (or at once when scrolled into view)', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await env.openPage('index.html', { viewport: { width: 1500, height: 900 } });
  await showStep(page, { source: ROWS, step: 40 });
  await caughtUp(page);
  // the top lines and the allocator map are below the fold at this height
  const r = await page.evaluate(async () => {
    const pg = window.pyheapPlayground, app = document.getElementById('app');
    const panels = [document.querySelector('.pg-toplines'), document.querySelector('.pg-arenas'), document.querySelector('.pg-timeline')];
    const readout = () => document.querySelector('.pg-timeline text.readout').textContent;
    const frame = () => new Promise((res) => requestAnimationFrame(res));
    const offscreen = panels.map((p) => p.getBoundingClientRect().top > innerHeight);
    let lagged = 0;
    for (let i = 0; i < 12; i++) {
      await pg.step();
      if (panels.every((p) => p.dataset.step !== app.dataset.step)) lagged++;
      await frame();
    }
    const t0 = performance.now();
    while (panels.some((p) => p.dataset.step !== app.dataset.step) && performance.now() - t0 < 5000) await frame();
    const caught = performance.now() - t0;
    const rowsNow = [...document.querySelectorAll('.pg-toplines .tl-row .tl-stat')].map((e) => e.textContent);
    const figures = document.querySelector('.pg-arenas .am-figures').textContent;
    const cursor = readout();
    // the same step shown by a single move (no fast moves before it): the same panels
    const k = pg.state.step;
    await pg.goTo(k - 1);
    await new Promise((res) => setTimeout(res, 300));
    await pg.goTo(k);
    const single = { step: panels.map((p) => p.dataset.step), rows: [...document.querySelectorAll('.pg-toplines .tl-row .tl-stat')].map((e) => e.textContent), figures: document.querySelector('.pg-arenas .am-figures').textContent, cursor: readout() };
    // fast steps again, then the top lines scrolled into view: brought up to date without waiting for the timer
    await new Promise((res) => setTimeout(res, 300));
    for (let i = 0; i < 6; i++) { await pg.step(); await frame(); }
    const behind = panels[0].dataset.step !== app.dataset.step;
    panels[0].scrollIntoView();
    const s0 = performance.now();
    while (panels[0].dataset.step !== app.dataset.step && performance.now() - s0 < 5000) await frame();
    return { offscreen, lagged, caught, rowsNow, figures, cursor, single, k, behind, inView: performance.now() - s0, current: panels[0].dataset.step === app.dataset.step };
  });
  assert.deepEqual(r.offscreen, [true, true, true], 'the three panels start below the fold');
  assert.ok(r.lagged >= 5, `fast steps left the off-screen panels behind (${r.lagged} of 12)`);
  assert.ok(r.caught < 1000, `and they caught up (${Math.round(r.caught)} ms after the last step)`);
  assert.deepEqual(r.single.step, [String(r.k), String(r.k), String(r.k)]);
  assert.ok(r.rowsNow.length > 0);
  assert.deepEqual(r.rowsNow, r.single.rows, 'caught up: the rows a single move to that step shows');
  assert.equal(r.figures, r.single.figures, 'caught up: the allocator figures a single move shows');
  assert.ok(r.cursor.startsWith(`step ${r.k}:`), `caught up: the timeline's cursor at the step (${r.cursor})`);
  assert.equal(r.cursor, r.single.cursor, 'caught up: the timeline a single move shows');
  assert.ok(r.behind && r.current, `scrolled into view while behind: brought up to date (${Math.round(r.inView)} ms)`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the timeline\'s curves are a layer of their own: steps repaint the cursor, not the curves', { timeout: TIMEOUT }, async () => {
  // (on a software rasteriser, repainting the page's tiles under the curves redrew their thousands of points
  // at every step that changed anything near them)
  const { page, errors } = await env.openPage('index.html', { viewport: { width: 1500, height: 1000 } });
  await showStep(page, { source: ROWS, step: 40 });
  // in view (a panel below the fold waits while moves come fast)
  await page.evaluate(() => document.querySelector('.pg-timeline').scrollIntoView());
  await caughtUp(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.getDocument');
  const nodeOf = async (sel) => {
    const { result } = await cdp.send('Runtime.evaluate', { expression: `document.querySelector(${JSON.stringify(sel)})` });
    return (await cdp.send('DOM.describeNode', { objectId: result.objectId })).node.backendNodeId;
  };
  const curves = await nodeOf('.pg-timeline svg.tl-svg'), over = await nodeOf('.pg-timeline svg.tl-over');
  let layers = [];
  cdp.on('LayerTree.layerTreeDidChange', (e) => { if (e.layers) layers = e.layers; });
  await cdp.send('LayerTree.enable');
  const paints = async () => {
    await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
    const of = (id) => layers.filter((l) => l.backendNodeId === id).reduce((n, l) => n + l.paintCount, 0);
    return { curves: of(curves), over: of(over), has: layers.some((l) => l.backendNodeId === curves) };
  };
  // steps over positions already shown (the series as it was, its deferred redraw done): only the cursor moves
  await page.evaluate(async () => { const pg = window.pyheapPlayground; for (let i = 0; i < 8; i++) await pg.step(); for (let i = 0; i < 8; i++) await pg.back(); await new Promise((res) => setTimeout(res, 600)); });
  const before = await paints();
  await page.evaluate(async () => {
    const pg = window.pyheapPlayground, frame = () => new Promise((res) => requestAnimationFrame(res));
    // (a step recorded meanwhile by the idle prefetch adds a point: then the curves are redrawn, and repainted)
    window.curvesDrawn = 0;
    const draw = pg.timeline.draw.bind(pg.timeline);
    pg.timeline.draw = () => { window.curvesDrawn++; draw(); };
    for (let i = 0; i < 6; i++) { await pg.step(); await frame(); }
    for (let i = 0; i < 6; i++) { await pg.back(); await frame(); }
  });
  const after = await paints();
  const draws = await page.evaluate(() => window.curvesDrawn);
  assert.ok(before.has, 'the curves have a compositing layer of their own');
  assert.ok(after.over > before.over, `the cursor's layer repainted as it moved (${before.over} -> ${after.over})`);
  assert.ok(after.curves - before.curves <= draws, `the curves' layer was repainted only when they were redrawn (${before.curves} -> ${after.curves}, ${draws} redrawn)`);
  assert.deepEqual(errors, []);
  await cdp.detach();
  await page.close();
});
