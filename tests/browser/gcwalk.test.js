// gcwalk.test.js — the "gc.collect() explained" view in a real browser
// (Debian's chromium through playwright-core, the repository served by
// web/tools/serve.mjs): the views demo (web/app/demo.html) runs a scripted
// collection (web/app/steps/gc-scenarios.js) on its own heap; the test steps
// through the phases with the buttons, the phase rail and the keyboard and
// checks the DOM text and counts. What gc.collect() returned and the order
// of __del__ and weakref callbacks come from tests/fixtures/gcwalk.txt
// (tests/record/gcwalk.py under CPython 3.12.1).
//
// Screenshots go to tests/browser/screenshots/ (git-ignored). Needs
// /usr/bin/chromium and the bundle (`./build.sh bundle`, `./build.sh wasm`):
// missing either is a failure with that message, never a skip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { PHASES } from '../../web/viz/gcwalk-model.js';
import { startBrowser, requireBuilt } from './serve-browser.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'tests/browser/screenshots');
const TIMEOUT = 120_000;

const FX = new Map(readFileSync(new URL('../fixtures/gcwalk.txt', import.meta.url), 'utf8').split('\n')
  .filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));

let env;

before(async () => {
  requireBuilt(ROOT, ['web/gen/demo.js', 'web/gen/pyheap.wasm']);
  env = await startBrowser(ROOT);
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => { await env?.close(); });

const walkData = (page) => page.evaluate(() => ({ ...document.getElementById('gcwalk').dataset }));
const rows = (page) => page.evaluate(() => [...document.querySelectorAll('#gcwalk tbody tr')].map((tr) => ({
  state: tr.querySelector('.state').textContent, type: tr.querySelector('.type').textContent,
  refs: tr.querySelector('.refs').textContent, why: tr.querySelector('.why').textContent,
})));
const chips = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#gcwalk .chip')]
  .map((c) => [c.dataset.key, Number(c.querySelector('b').textContent.replace(/,/g, ''))])));

test('demo: gc.collect() explained, stepped phase by phase', { timeout: TIMEOUT }, async () => {
  const { page, errors } = await env.openPage('web/app/demo.html');
  await page.waitForFunction(() => document.body.dataset.gcRuns === '1');

  // the first scenario: the seed's two objects with __del__ in a cycle
  let d = await walkData(page);
  assert.equal(d.phases, String(PHASES.length));
  assert.equal(d.returned, FX.get('collect.two_instances_del'));
  assert.equal(await page.textContent('#gcresult'),
    `gc.collect() returned ${FX.get('collect.two_instances_del')} · ran: ${FX.get('order.two_instances_del').split(',').join(', ')}`);
  assert.match(await page.textContent('#gccode'), /del a, b\ngc\.collect\(\)/);

  const seen = [];
  for (let i = 0; i < PHASES.length; i++) {
    d = await walkData(page);
    seen.push(d.phase);
    assert.equal(d.index, String(i));
    assert.equal(await page.textContent('#gcwalk .gw-step'), `phase ${i + 1} / ${PHASES.length}`);
    assert.ok((await page.textContent('#gcwalk .gw-title')).length > 5);
    assert.ok((await page.textContent('#gcwalk .gw-explain')).length > 20);
    const r = await rows(page);
    assert.equal(r.length, Number(d.rows));
    for (const row of r) assert.ok(row.why.length > 10, `a reason for each row: ${JSON.stringify(row)}`);
    if (d.phase === 'subtract_refs') {
      const marked = r.filter((x) => x.type === 'Marked');
      assert.equal(marked.length, 2);
      for (const m of marked) assert.equal(m.refs, '0');
      // the small graph: one node per examined object, gc_refs inside; the two Marked point at each other
      assert.equal(d.graphNodes, String(r.length));
      const g = await page.evaluate(() => ({
        nodes: [...document.querySelectorAll('#gcwalk svg g.n')].map((n) => ({
          state: n.dataset.state, refs: n.querySelector('.refs').textContent, lbl: n.querySelector('.lbl').textContent,
        })),
        links: document.querySelectorAll('#gcwalk svg .links path').length,
      }));
      assert.equal(g.nodes.length, r.length);
      assert.deepEqual(g.nodes.filter((n) => n.lbl === 'Marked').map((n) => [n.state, n.refs]), [['internal', '0'], ['internal', '0']]);
      assert.ok(g.links >= 2, `links: ${g.links}`);
      await page.screenshot({ path: join(SHOTS, 'gcwalk-subtract_refs.png'), clip: await page.locator('#gcbox').boundingBox() });
    }
    if (['untrack', 'finalize_garbage', 'result'].includes(d.phase)) assert.equal(d.graphNodes, '0');
    if (d.phase === 'move_unreachable') {
      const un = r.filter((x) => x.state === 'unreachable');
      assert.deepEqual(un.map((x) => x.type), ['Marked', 'Marked']);
      assert.equal((await chips(page)).unreachable, 2);
      await page.screenshot({ path: join(SHOTS, 'gcwalk-move_unreachable.png'), fullPage: false, clip: await page.locator('#gcbox').boundingBox() });
    }
    if (d.phase === 'finalize_garbage') assert.equal(r.filter((x) => x.state === 'finalized').length, 2);
    if (d.phase === 'delete_garbage') assert.equal(r.filter((x) => x.state === 'freed').length, 2);
    if (d.phase === 'result') {
      const c = await chips(page);
      assert.equal(c.returned, Number(FX.get('collect.two_instances_del')));
      assert.equal(c.collected + c.uncollectable, c.returned);
      assert.match(await page.textContent('#gcwalk .gw-explain'), new RegExp(`^gc\\.collect\\(\\) returns ${c.returned}:`));
      assert.equal(await page.isDisabled('#gcwalk .gw-next'), true);
    }
    if (i < PHASES.length - 1) await page.click('#gcwalk .gw-next');
  }
  assert.deepEqual(seen, PHASES);
  await page.screenshot({ path: join(SHOTS, 'gcwalk-result.png'), clip: await page.locator('#gcbox').boundingBox() });

  // back one phase, then jump with the rail
  await page.click('#gcwalk .gw-prev');
  assert.equal((await walkData(page)).phase, 'delete_garbage');
  await page.click('#gcwalk .gw-rail li:nth-child(3) button');
  assert.equal((await walkData(page)).phase, 'move_unreachable');
  assert.equal(await page.getAttribute('#gcwalk .gw-rail li:nth-child(3) button', 'aria-current'), 'step');

  // the keyboard steps the walk, not the tour
  await page.focus('#gcwalk');
  await page.keyboard.press('ArrowRight');
  assert.equal((await walkData(page)).phase, 'untrack');
  assert.equal(await page.evaluate(() => document.body.dataset.step), '0');

  // text only: no markup inside the table cells
  assert.equal(await page.evaluate(() => document.querySelectorAll('#gcwalk td *, #gcwalk .gw-explain *').length), 0);

  // another scenario: a weakref with a callback to an object in the cycle
  await page.selectOption('#gcscenario', 'weakref_callback');
  await page.click('#gcrun');
  await page.waitForFunction(() => document.body.dataset.gcRuns === '2');
  d = await walkData(page);
  assert.equal(d.returned, FX.get('collect.weakref_callback'));
  assert.match(await page.textContent('#gcresult'), new RegExp(FX.get('order.weakref_callback').split(',').join(', ')));
  await page.click(`#gcwalk .gw-rail li:nth-child(${PHASES.indexOf('handle_weakrefs') + 1}) button`);
  const wr = await rows(page);
  assert.equal(wr.length, 1);
  assert.equal(wr[0].state, 'callback');
  assert.match(wr[0].why, /weak reference to Marked at 0x[0-9a-f]+, which is garbage/);
  assert.equal((await chips(page)).callbacks, 1);
  await page.screenshot({ path: join(SHOTS, 'gcwalk-weakrefs.png'), clip: await page.locator('#gcbox').boundingBox() });

  // a resurrecting finalizer: both objects come back, nothing is collected
  await page.selectOption('#gcscenario', 'resurrect');
  await page.click('#gcrun');
  await page.waitForFunction(() => document.body.dataset.gcRuns === '3');
  assert.equal((await walkData(page)).returned, FX.get('collect.resurrect'));
  await page.click(`#gcwalk .gw-rail li:nth-child(${PHASES.indexOf('handle_resurrected') + 1}) button`);
  assert.equal((await rows(page)).filter((x) => x.state === 'resurrected').length, FX.get('alive.resurrect').split(',').length);

  // 600 dropped lists: the walk is summarised (counts, then the first rows: the unreachable ones first)
  await page.selectOption('#gcscenario', 'many_cycles');
  await page.click('#gcrun');
  await page.waitForFunction(() => document.body.dataset.gcRuns === '4');
  assert.equal((await walkData(page)).returned, FX.get('collect.many_cycles'));
  await page.click(`#gcwalk .gw-rail li:nth-child(${PHASES.indexOf('move_unreachable') + 1}) button`);
  d = await walkData(page);
  assert.ok(Number(d.objects) > Number(FX.get('collect.many_cycles')), `objects: ${d.objects}`);
  assert.equal(d.rows, '50');
  assert.equal(d.graphNodes, '0', 'no graph past graphLimit objects');
  assert.ok((await rows(page)).every((x) => x.state === 'unreachable' && x.type === 'list'));
  assert.match(await page.textContent('#gcwalk .gw-summary'),
    new RegExp(`^${d.objects.replace(/\B(?=(\d{3})+$)/g, ',')} objects \\(.*${FX.get('collect.many_cycles')} unreachable.*\\); most common types: .*list`));
  assert.equal((await chips(page)).unreachable, Number(FX.get('collect.many_cycles')));
  await page.screenshot({ path: join(SHOTS, 'gcwalk-summarised.png'), clip: await page.locator('#gcbox').boundingBox() });

  assert.deepEqual(errors, []);
  await page.close();
});
