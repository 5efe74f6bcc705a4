// serve-browser.js — shared by the browser tests (not a test itself): serves
// the repository with web/tools/serve.mjs on a free port and launches
// Debian's chromium headless through playwright-core.
//
//   const env = await startBrowser(ROOT);
//   const { page, errors } = await env.openPage('web/app/demo.html');   // waits for body[data-ready="1"]
//   await env.close();
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

/** Fails (never skips) when a built file the page needs is missing, saying how to build it. */
export function requireBuilt(root, files) {
  for (const f of files) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run ./build.sh bundle (and ./build.sh wasm)`);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export function startServer(root, port) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(root, 'web/tools/serve.mjs'), '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve.mjs did not start: ${out}`)), 15_000);
    p.stdout.on('data', (d) => {
      out += d;
      if (out.includes('http://')) { clearTimeout(timer); resolve(p); }
    });
    p.stderr.on('data', (d) => { out += d; });
    p.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve.mjs exited (${code}): ${out}`)); });
  });
}

/** The server and the browser; openPage(path) collects page errors (favicon 404s aside). */
export async function startBrowser(root) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run ./build.sh setup (it apt-installs chromium) before the browser tests`);
  }
  const { chromium } = await import('playwright-core');
  const port = await freePort();
  const server = await startServer(root, port);
  const base = `http://127.0.0.1:${port}`;
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  } catch (e) {
    server.kill();
    throw e;
  }
  return {
    base,
    browser,
    async openPage(path, { viewport = { width: 1400, height: 1000 } } = {}) {
      const page = await browser.newPage({ viewport });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error' && !/favicon|404/.test(m.text())) errors.push(m.text()); });
      await page.goto(`${base}/${path}`);
      await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
      return { page, errors };
    },
    async close() {
      await browser.close();
      server.kill();
    },
  };
}
