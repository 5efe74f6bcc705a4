// run.test.js — Run of long programs in the playground (index.html +
// web/app/playground.js) in Debian's chromium, driven by playwright-core.
//
// The arenas_fragmentation example (100,000 lists, 200,005 line events)
// must finish well within a minute (it took minutes when each slice replayed
// the program and the gc walk searched its 50,000 objects quadratically),
// print what python3.12 prints (tests/fixtures/examples/, record_examples.sh)
// and end at python3.12's count of line events (record_example_lines.sh),
// showing progress ("running… step N") between slices; every step stays
// reachable afterwards (Back, the slider, Step). Stop pauses a long run where
// it got, showing what a replay to that step shows. Runaway loops end with the
// instruction budget's message, or by Stop also inside a function (where the
// run is replayed in slices instead of continued). Steps forward continue the
// program suspended where the last capture-ahead stopped (no replay of the
// prefix), the next positions recorded in idle time, and each shows what a
// replay to that step shows.
//
// Needs /usr/bin/chromium and the bundle (./build.sh bundle, ./build.sh wasm);
// missing either is a failure with that message, never a skip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startBrowser, requireBuilt } from './serve-browser.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BOUND_MS = 60_000;       // Run of arenas_fragmentation: a generous bound (a few seconds on an idle machine)
const TIMEOUT = 300_000;
const fixture = (name) => readFileSync(join(ROOT, 'tests/fixtures/examples', name), 'utf8');

let env;
before(async () => {
  requireBuilt(ROOT, ['web/gen/playground.js', 'web/gen/layout-worker.js', 'web/gen/pyheap.wasm']);
  env = await startBrowser(ROOT);
});
after(async () => { await env?.close(); });

const open = () => env.openPage('index.html', { viewport: { width: 1500, height: 1100 } });
const data = (page) => page.evaluate(() => ({ ...document.getElementById('app').dataset }));
const status = (page) => page.textContent('.pg-status');

/** Starts Run (as a click does, not awaited); resolves with what the page showed while it ran, once it has ended. */
async function runWatched(page, { stopAfterProgress = false } = {}) {
  await page.evaluate((stopAfter) => {
    const app = document.getElementById('app');
    const w = window.runWatch = { statuses: [], frames: 0, t0: performance.now(), ms: null };
    const st = document.querySelector('.pg-status');
    const obs = new MutationObserver(() => {
      w.statuses.push(st.textContent);
      if (stopAfter && /running… step [1-9]/.test(st.textContent)) document.querySelector('.pg-stop').click();
    });
    obs.observe(st, { childList: true, characterData: true, subtree: true });
    const frame = () => { w.frames++; if (w.ms === null) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    window.pyheapPlayground.run().then(() => { w.ms = performance.now() - w.t0; obs.disconnect(); });
    if (!app.dataset.running) throw new Error('Run did not start');
  }, stopAfterProgress);
  await page.waitForFunction(() => window.runWatch.ms !== null, null, { timeout: TIMEOUT });
  return page.evaluate(() => window.runWatch);
}

test('Run of arenas_fragmentation: fast, with progress, python3.12\'s output and line events, every step reachable after', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.pyheapPlayground.loadExample('arenas_fragmentation'));
  const w = await runWatched(page);
  const lines = Number(fixture('arenas_fragmentation.lines'));
  console.log(`# arenas_fragmentation: Run took ${Math.round(w.ms)} ms, ${w.frames} frames rendered, ${w.statuses.length} status changes`);
  assert.ok(w.ms < BOUND_MS, `Run took ${Math.round(w.ms)} ms (bound ${BOUND_MS})`);
  assert.equal(await page.textContent('.pg-out'), fixture('arenas_fragmentation.stdout'));
  assert.equal(await page.textContent('.pg-err'), '');
  // the last position: after the last line (pauseAtEnd), then the interpreter's shutdown
  const d = await data(page);
  assert.equal(Number(d.step), lines + 1, 'shown after python3.12\'s line events');
  assert.equal(Number(d.total), lines + 2);
  assert.equal(d.running, '');
  assert.match(await status(page), /after the last line/);
  // progress between slices, the step growing; the page rendered frames meanwhile
  const steps = w.statuses.map((t) => /^running… step ([\d,]+)/.exec(t)?.[1]).filter(Boolean).map((n) => Number(n.replace(/,/g, '')));
  assert.ok(steps.length >= 2, `progress shown: ${JSON.stringify(w.statuses.slice(0, 5))}`);
  steps.forEach((n, i) => { if (i) assert.ok(n > steps[i - 1], `progress grows: ${steps}`); });
  assert.ok(steps[steps.length - 1] < lines);
  assert.ok(w.frames >= steps.length, `frames rendered during Run: ${w.frames}`);
  // every step reachable: Back, the slider, Step
  await page.evaluate(() => window.pyheapPlayground.back());
  assert.equal((await data(page)).step, String(lines));
  assert.match(await status(page), /^about to run line 11$/);
  await page.evaluate(() => window.pyheapPlayground.goTo(1000));
  assert.equal((await data(page)).step, '1000');
  assert.match(await status(page), /^about to run line 3$/);   // the list comprehension's line, 1000th event
  await page.evaluate(() => window.pyheapPlayground.step());
  assert.equal((await data(page)).step, '1001');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Stop pauses a long Run where it got, as a replay to that step shows it', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.pyheapPlayground.loadExample('arenas_fragmentation'));
  await runWatched(page, { stopAfterProgress: true });
  const note = await page.textContent('.pg-note');
  const at = Number(/stopped by you at step (\d+)/.exec(note)?.[1]);
  assert.ok(at > 0 && at < 200_000, note);
  const shown = async () => ({
    ...(({ step, total, running, snapshotObjects, shownObjects }) => ({ step, total, running, snapshotObjects, shownObjects }))(await data(page)),
    status: await status(page), out: await page.textContent('.pg-out'), summary: await page.textContent('.pg-summary'),
    arenas: await page.evaluate(() => window.pyheapPlayground.heap.stats().narenasCurrentlyAllocated),
  });
  const stopped = await shown();
  assert.equal(stopped.step, String(at));
  assert.equal(stopped.running, '');
  assert.match(stopped.status, /^about to run line [23]$/);
  assert.equal(await page.isDisabled('.pg-stop'), true);
  // the same program loaded again and replayed to that step: the same views
  await page.evaluate((src) => window.pyheapPlayground.load(src), await page.evaluate(() => window.pyheapPlayground.state.source));
  await page.evaluate((k) => window.pyheapPlayground.goTo(k), at);
  assert.deepEqual(await shown(), stopped);
  // and Step goes on from there
  await page.evaluate(() => window.pyheapPlayground.step());
  assert.equal((await data(page)).step, String(at + 1));
  assert.deepEqual(errors, []);
  await page.close();
});

test('runaway loops: the budget\'s message at module level, Stop inside a function', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  for (const src of ['while True: pass\n', 'x = []\nwhile True: x.append(1)\n']) {
    await page.evaluate((s) => window.pyheapPlayground.load(s), src);
    const w = await runWatched(page);
    console.log(`# ${JSON.stringify(src)}: stopped by the budget after ${Math.round(w.ms)} ms`);
    assert.equal(await page.textContent('.pg-err'), 'pyheap: stopped after 20000000 instructions\n', src);
    assert.ok(w.statuses.some((t) => /^running… step/.test(t)), 'progress shown');
    assert.equal((await data(page)).running, '');
  }
  // all the work inside one call: no line of the module's own to suspend at, the run is replayed in slices
  await page.evaluate((s) => window.pyheapPlayground.load(s), 'def spin():\n    n = 0\n    while True:\n        n += 1\nspin()\n');
  await runWatched(page, { stopAfterProgress: true });
  assert.match(await page.textContent('.pg-note'), /stopped by you at step \d+/);
  assert.match(await status(page), /^about to run line [34] in spin\(\)$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Steps forward continue the suspended program (no replay) and records are made in idle time; each step shows what a replay to it shows', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  const src = [
    'import gc',
    'class A:',
    '    def __del__(self):',
    '        print("del", self.n)',
    'xs = []',
    'for i in range(60):',
    '    a = A()',
    '    a.n = i',
    '    a.me = a',
    '    xs.append([i] * (i % 5))',
    '    if i % 20 == 0:',
    '        print(i, gc.collect())',
    'print(len(xs))',
  ].join('\n') + '\n';
  await page.evaluate((s) => window.pyheapPlayground.load(s), src);
  // what a step shows, without addresses (a new session's heap may sit elsewhere)
  const shown = () => page.evaluate(() => {
    const pg = window.pyheapPlayground, d = document.getElementById('app').dataset;
    const objs = pg.shown.objects.map((o) => `${o.type} ${o.refcount} ${o.size} ${o.gen} ${o.refs.length}`).sort();
    return { step: d.step, status: document.querySelector('.pg-status').textContent, out: document.querySelector('.pg-console').textContent,
      summary: document.querySelector('.pg-summary').textContent, objs, gens: document.querySelector('.pg-gens').dataset.counts };
  });
  await page.evaluate(() => window.pyheapPlayground.goTo(30));
  // the program runs on in idle time, recording the next positions
  await page.waitForFunction(() => window.pyheapPlayground.state.cache.has(36), null, { timeout: 20_000 });
  await page.evaluate(() => {
    const s = window.pyheapPlayground.state.session;
    window.replays = 0;
    const r = s.replayTo.bind(s);
    s.replayTo = (...a) => { window.replays++; return r(...a); };
  });
  const got = new Map();
  for (let k = 31; k <= 70; k++) {
    await page.evaluate(() => window.pyheapPlayground.step());
    got.set(k, await shown());
    assert.equal(got.get(k).step, String(k));
  }
  assert.equal(await page.evaluate(() => window.replays), 0, 'no replay while stepping forward');
  // the same program loaded again and replayed to each of a few steps: the same views
  for (const k of [31, 36, 47, 60, 70]) {
    await page.evaluate((s) => window.pyheapPlayground.load(s), src);
    await page.evaluate((n) => window.pyheapPlayground.goTo(n), k);
    assert.deepEqual(await shown(), got.get(k), `step ${k}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the positions kept for Back and Step are bounded by the objects they hold, not only by their number', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.pyheapPlayground.load('xs = []\nfor i in range(12000):\n    xs.append([i])\nprint(len(xs))\n'));
  await runWatched(page);
  const got = await page.evaluate(async () => {
    const pg = window.pyheapPlayground;
    const end = pg.state.total;
    for (let k = end - 120; k < end - 20; k++) await pg.goTo(k);
    const st = pg.state;
    let held = 0;
    for (const r of st.cache.values()) held += r.snap.objects.length + r.shown.objects.length + 1;
    return { size: st.cache.size, held, counted: st.cacheObjects, objects: Number(document.getElementById('app').dataset.snapshotObjects) };
  });
  assert.ok(got.objects > 24000, `a big heap: ${got.objects} snapshot objects`);
  assert.equal(got.counted, got.held, 'the count matches what the records hold');
  assert.ok(got.held <= 500_000, `at most ~500,000 objects kept: ${got.held} in ${got.size} records`);
  assert.ok(got.size < 100, `fewer than the 100 positions visited were kept: ${got.size}`);
  assert.deepEqual(errors, []);
  await page.close();
});
