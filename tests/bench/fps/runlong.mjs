// tests/bench/fps/runlong.mjs — Run of a long program in the playground (a benchmark, not a test).
//
// In headless Chromium (Debian's /usr/bin/chromium via playwright-core), the
// playground (index.html) loads an example (default arenas_fragmentation) and
// presses Run; prints the time from Run to the page showing the end (console
// filled, data-total set, not running), and `node web/cli.js run` of the same
// source right after it (same machine, same minute), and the ratio.
//
//   node tests/bench/fps/runlong.mjs [--example ID] [--profile] [--top 30]
//
// Needs ./build.sh bundle (and web/gen/pyheap.wasm). --profile: a CPU profile
// of the Run (Profiler.start/stop over CDP): the functions with the most self
// time, and with the most total time (inclusive of callees).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { CHROMIUM, freePort, startServer } from '../../browser/serve-browser.js';
import { exampleById } from '../../../web/app/examples.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const ID = opt('example', 'arenas_fragmentation');
const TOP = Number(opt('top', '30'));
const PROFILE = args.includes('--profile');
const ex = exampleById(ID);
if (!ex) { console.error(`no example ${ID}`); process.exit(1); }

const server = await startServer(ROOT, await freePort());
const base = `http://127.0.0.1:${server.spawnargs[3]}`;
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  await page.goto(`${base}/index.html`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
  await page.evaluate((id) => window.pyheapPlayground.loadExample(id), ID);
  const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  const r = await page.evaluate(async () => {
    const pg = window.pyheapPlayground;
    const app = document.getElementById('app');
    const statuses = new Set();
    const obs = new MutationObserver(() => statuses.add(document.querySelector('.pg-status').textContent));
    obs.observe(document.querySelector('.pg-status'), { childList: true, characterData: true, subtree: true });
    const t0 = performance.now();
    await pg.run();
    const ms = performance.now() - t0;
    obs.disconnect();
    return { ms, total: app.dataset.total, step: app.dataset.step, out: document.querySelector('.pg-out').textContent, statuses: [...statuses].slice(0, 8) };
  });
  let prof = null;
  if (cdp) prof = (await cdp.send('Profiler.stop')).profile;
  const dir = mkdtempSync(join(tmpdir(), 'runlong-'));
  writeFileSync(join(dir, 'main.py'), ex.code);
  const c0 = performance.now();
  const cliOut = execFileSync(process.execPath, [join(ROOT, 'web/cli.js'), 'run', join(dir, 'main.py')], { encoding: 'utf8' });
  const cliMs = performance.now() - c0;
  console.log(`${ID}: Run in the playground ${(r.ms / 1000).toFixed(2)} s (step ${r.step} / ${r.total}); ` +
    `node web/cli.js run ${(cliMs / 1000).toFixed(2)} s; ratio ${(r.ms / cliMs).toFixed(2)}x; ` +
    `console ${r.out === cliOut ? 'equals' : 'DIFFERS from'} the CLI's stdout`);
  console.log(`  status lines seen: ${r.statuses.map((s) => JSON.stringify(s)).join(', ')}`);
  if (prof) report(prof);
} finally {
  await browser.close();
  server.kill();
}

function report(prof) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = new Map();
  prof.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const key = (n) => { const { functionName, url, lineNumber } = n.callFrame; return `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`; };
  const self = new Map(), total = new Map();
  let all = 0;
  for (const [id, us] of dt) {
    all += us;
    self.set(key(byId.get(id)), (self.get(key(byId.get(id))) ?? 0) + us);
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const k = key(byId.get(p));
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  console.log(`  profile: ${(all / 1e6).toFixed(2)} s sampled`);
  console.log('  self time:');
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  console.log('  total time:');
  for (const [k, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}
