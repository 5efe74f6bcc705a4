// package.test.js — the npm package in a real browser (Debian's chromium,
// headless, through playwright-core): `npm pack`, install the tarball into a
// fresh project in a temporary directory, and serve that project statically
// with a strict Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval':
// no eval, no inline scripts or styles) and no cross-origin isolation headers.
// Four ways a page uses the package, each running the seed example (a
// two-instance cycle with __del__, gc.collect() -> 2; python3.12's output
// recorded by tests/record/record_conformance.sh):
//   1. a plain page importing the installed files (web/gen/pyheap.js)
//   2. an esbuild bundle of a tiny app importing 'pyheap'
//   3. a Vite build of a tiny app importing 'pyheap' (no wasm option: Vite
//      ships pyheap.wasm from the library's new URL(..., import.meta.url))
//   4. a page embedding <pyheap-playground> from web/gen/widget.js
// Needs /usr/bin/chromium and the built wasm + bundles (./build.sh test
// builds them); missing either is a failure, never a skip. PKG_SHOTS=DIR
// saves a screenshot of the widget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync, copyFileSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { join, normalize, extname } from 'node:path';
import { ROOT, SEED, packAndInstall } from '../pack/pack-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self'; img-src 'self' data:";
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.py': 'text/plain; charset=utf-8', '.json': 'application/json',
};

let dir, app, browser, server, base;

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The module every app page runs: the seed through run(), plus a few session steps. */
const APP_MAIN = (importFrom, wasmOption) => `
import { run, createSession, createHeap, PYTHON_VERSION } from ${JSON.stringify(importFrom)};
const out = document.getElementById('out');
try {
  const source = await (await fetch(new URL('/seed.py', location.href))).text();
  const opts = ${wasmOption};
  const r = await run(source, opts);
  const s = await createSession(source, opts);
  let steps = 0;
  while (!s.step().done) steps++;
  const heap = await createHeap(opts);
  const l = heap.list([1, 2, 3]);
  out.textContent = r.stdout;
  Object.assign(document.body.dataset, {
    status: String(r.status), stderr: r.stderr, steps: String(steps), sessionOut: s.stdout,
    sizeof: String(l.sizeof), python: PYTHON_VERSION, coi: String(globalThis.crossOriginIsolated), done: '1',
  });
  s.dispose();
  heap.dispose();
} catch (e) {
  document.body.dataset.error = String(e && e.stack || e);
  document.body.dataset.done = '1';
}
`;

const page = (script, body = '<pre id="out"></pre>') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>pyheap</title></head><body>${body}<script type="module" src="${script}"></script></body></html>`;

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run ./build.sh setup (it apt-installs chromium)`);
  ({ dir, app } = packAndInstall('pyheap-browser-'));
  writeFileSync(join(app, 'seed.py'), SEED.source);
  const bin = (n) => join(ROOT, 'node_modules', '.bin', n);

  // 1. plain page, the installed files by path
  mkdirSync(join(app, 'plain'));
  writeFileSync(join(app, 'plain', 'main.js'), APP_MAIN('../node_modules/pyheap/web/gen/pyheap.js', '{}'));
  writeFileSync(join(app, 'plain', 'index.html'), page('./main.js'));

  // 2. esbuild: bundle an app importing 'pyheap'; the app ships the wasm next to its bundle
  mkdirSync(join(app, 'src'));
  writeFileSync(join(app, 'src', 'esbuild-main.js'), APP_MAIN('pyheap', "{ wasm: new URL('./pyheap.wasm', import.meta.url) }"));
  mkdirSync(join(app, 'dist-esbuild'));
  execFileSync(bin('esbuild'), ['src/esbuild-main.js', '--bundle', '--format=esm', '--platform=browser', '--target=es2022',
    '--outfile=dist-esbuild/app.js', '--log-level=error'], { cwd: app, stdio: 'pipe' });
  copyFileSync(join(app, 'node_modules/pyheap/web/gen/pyheap.wasm'), join(app, 'dist-esbuild', 'pyheap.wasm'));
  writeFileSync(join(app, 'dist-esbuild', 'index.html'), page('./app.js'));

  // 3. Vite: a production build, offline, of an app importing 'pyheap' with no wasm option
  mkdirSync(join(app, 'vite'));
  writeFileSync(join(app, 'vite', 'main.js'), APP_MAIN('pyheap', '{}'));
  writeFileSync(join(app, 'vite', 'index.html'), page('./main.js'));
  execFileSync(bin('vite'), ['build', 'vite', '--outDir', '../dist-vite', '--emptyOutDir', '--base', '/dist-vite/', '--logLevel', 'error'],
    { cwd: app, stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });

  // 4. the widget, twice: one driven by the test, one playing by itself
  mkdirSync(join(app, 'widget'));
  writeFileSync(join(app, 'widget', 'index.html'), page('../node_modules/pyheap/web/gen/widget.js', `
    <h1>An article about Python memory</h1>
    <pyheap-playground id="w1" panels="graph console generations arenas timeline" height="260">
${esc(SEED.source)}</pyheap-playground>
    <pyheap-playground id="w2" panels="console" autoplay="20" program="${esc(SEED.source).replace(/"/g, '&quot;')}"></pyheap-playground>`));

  server = createServer((req, res) => {
    const path = normalize(join(app, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(app) || !existsSync(file)) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Waits for widget `sel` to reach data-state `state`; on a timeout, says where it was instead (state, message, position). */
async function widgetState(p, sel, state, timeout = 30_000) {
  try {
    await p.waitForSelector(`${sel}[data-state="${state}"]`, { timeout });
  } catch (e) {
    const at = await p.evaluate((q) => {
      const w = document.querySelector(q);
      return w ? { state: w.dataset.state, position: w.dataset.position, msg: w.shadowRoot?.querySelector('.msg')?.textContent, pos: w.shadowRoot?.querySelector('.pos')?.textContent } : null;
    }, sel).catch((err) => String(err));
    throw new Error(`${sel} did not reach data-state="${state}" in ${timeout} ms: ${JSON.stringify(at)}`, { cause: e });
  }
}

async function open(path) {
  const p = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems = [];
  p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  p.on('console', (m) => {
    const where = m.location()?.url ?? '';
    if (m.type() === 'error' && !/favicon/.test(where)) problems.push(`${m.text()} (${where})`);
  });
  await p.goto(`${base}${path}`);
  return { p, problems };
}

for (const [name, path] of [['a plain page importing the installed files', '/plain/'],
  ['an esbuild bundle of an app', '/dist-esbuild/'], ['a Vite build of an app', '/dist-vite/']]) {
  test(`${name} runs the seed example (strict CSP, not cross-origin isolated)`, { timeout: 60_000 }, async () => {
    const { p, problems } = await open(path);
    await p.waitForSelector('body[data-done="1"]', { state: 'attached', timeout: 45_000 });
    const d = await p.evaluate(() => ({ ...document.body.dataset, out: document.getElementById('out').textContent }));
    assert.equal(d.error, undefined, d.error);
    assert.equal(d.out, SEED.stdout);
    assert.equal(d.status, '0');
    assert.equal(d.stderr, '');
    assert.equal(d.sessionOut, SEED.stdout, 'the stepped session printed the same');
    assert.ok(Number(d.steps) > 10, `stepped line by line (${d.steps} steps)`);
    assert.equal(d.sizeof, '80');
    assert.equal(d.python, '3.12');
    assert.equal(d.coi, 'false', 'works without COOP/COEP');
    assert.deepEqual(problems, []);
    await p.close();
  });
}

test('<pyheap-playground>: Run, Reset, Step, Back; panels; autoplay; output as text', { timeout: 90_000 }, async () => {
  const { p, problems } = await open('/widget/');
  const w1 = p.locator('#w1');
  await widgetState(p, '#w1', 'ready', 45_000);
  // every requested panel is there, in the shadow root
  for (const panel of ['graph', 'console', 'generations', 'arenas', 'timeline']) {
    assert.equal(await w1.locator(`section[data-panel="${panel}"]`).count(), 1, `${panel} panel`);
  }
  assert.equal(await w1.locator('.code div').count(), SEED.source.trimEnd().split('\n').length, 'the program is shown, a line per row');
  await w1.locator('button.run').click();
  await widgetState(p, '#w1', 'done');
  assert.equal(await w1.locator('pre.console').textContent(), SEED.stdout);
  assert.equal(await w1.getAttribute('data-status'), '0');
  assert.equal(await w1.locator('.gp').getAttribute('data-counts') !== null, true, 'generations panel drawn');

  await w1.locator('button.reset').click();
  assert.equal(await w1.getAttribute('data-position'), '0');
  assert.equal(await w1.locator('pre.console').textContent(), '');
  // step until both nodes exist and are named: the graph shows the two objects
  let objects = 0;
  for (let i = 0; i < 12; i++) {
    await w1.locator('button.step').click();
    objects = Number(await w1.getAttribute('data-objects'));
  }
  assert.equal(await w1.getAttribute('data-position'), '12');
  assert.ok(objects >= 2, `graph objects after 12 steps: ${objects}`);
  const nodes = Number(await w1.locator('div.graph').getAttribute('data-nodes'));
  assert.ok(nodes > objects, `the graph drew the objects and the names (${nodes} nodes)`);
  assert.equal(await w1.locator('.code div.cur').count(), 1, 'the current line is marked');
  if (process.env.PKG_SHOTS) {
    mkdirSync(process.env.PKG_SHOTS, { recursive: true });
    await p.waitForTimeout(800);   // the layout settles
    await w1.screenshot({ path: join(process.env.PKG_SHOTS, 'widget-step12.png') });
  }
  await w1.locator('button.back').click();
  assert.equal(await w1.getAttribute('data-position'), '11');
  assert.ok(Number(await w1.locator('.am').getAttribute('data-arenas')) >= 1, 'arena map drawn');
  assert.ok((await w1.locator('.tl svg.tl-svg').count()) === 1, 'timeline drawn');
  assert.ok((await w1.locator('.tl svg.tl-over line.cursor').count()) === 1, 'its cursor, in the layer over it');

  // the autoplaying widget runs to the end by itself, and leaves the page where the reader has it
  // (its current line was scrolled into view with the page: it pulled the page down to itself)
  await widgetState(p, '#w2', 'done', 45_000);
  assert.equal(await p.evaluate(() => window.scrollY), 0, 'the page did not scroll');
  assert.equal(await p.locator('#w2 pre.console').textContent(), SEED.stdout);
  assert.equal(await p.locator('#w2 section').count(), 1, 'only the console panel');

  // program output is text, never markup
  await p.evaluate(() => { const w = document.getElementById('w2'); w.removeAttribute('autoplay'); w.program = 'print("<b>bold</b>")\n'; });
  await widgetState(p, '#w2', 'ready');
  await p.locator('#w2 button.run').click();
  await widgetState(p, '#w2', 'done');
  assert.equal(await p.locator('#w2 pre.console').textContent(), '<b>bold</b>\n');
  assert.equal(await p.locator('#w2 pre.console b').count(), 0);
  assert.deepEqual(problems, []);
  await p.close();
});
