import { startBrowser } from './serve-browser.js';
import { fileURLToPath } from 'node:url';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { base, browser } = await startBrowser(ROOT);
const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
page.on('pageerror', (e) => console.log('pageerror', e.message));
page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 300)));
page.on('crash', () => console.log('CRASH'));
await page.goto(`${base}/index.html`);
await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
const t0 = Date.now();
await page.evaluate(() => window.pyheapPlayground.loadExample(process.argv ? 'x' : 'arenas_fragmentation')).catch(() => {});
await page.evaluate(() => window.pyheapPlayground.loadExample('arenas_fragmentation'));
const p = page.evaluate(() => window.pyheapPlayground.run()).catch((e) => console.log('run err', e.message));
for (let i = 0; i < 60; i++) {
  await new Promise((r) => setTimeout(r, 5000));
  try {
    const st = await page.evaluate(() => ({ total: document.getElementById('app').dataset.total, running: document.getElementById('app').dataset.running, out: document.querySelector('.pg-out').textContent, err: document.querySelector('.pg-err').textContent, mem: performance.memory?.usedJSHeapSize }));
    console.log(((Date.now() - t0) / 1000).toFixed(0), JSON.stringify(st));
    if (st.total !== '' && !st.running) break;
  } catch (e) { console.log('eval failed', e.message); break; }
}
await browser.close();
process.exit(0);
