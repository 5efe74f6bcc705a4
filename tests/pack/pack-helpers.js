// pack-helpers.js — shared by tests/pack/pack.test.js and tests/browser/package.test.js
// (not a test itself): `npm pack` the repository and install the tarball
// into a fresh project in a temporary directory, offline, as a user would.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The built files the package ships; `npm pack --ignore-scripts` does not build them. */
export const BUILT = ['web/gen/pyheap.wasm', 'web/gen/pyheap.debug.wasm', 'web/gen/pyheap.js', 'web/gen/widget.js',
  'web/gen/layout-worker.js'];

export function npm(args, cwd) {
  return execFileSync('npm', args, {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
}

/**
 * Pack the repository and install the tarball into `<tmp>/app` (a project
 * with "type": "module"). Returns { dir, app, tarball, files }; remove dir when done.
 */
export function packAndInstall(prefix = 'pyheap-pack-') {
  const missing = BUILT.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length) {
    throw new Error(`${missing.join(', ')} missing: run ./build.sh wasm and ./build.sh bundle (./build.sh test does both)`);
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // the files are already built (./build.sh test builds them); prepack would rebuild
  const out = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT));
  const tarball = join(dir, out[0].filename);
  const files = out[0].files.map((f) => f.path);
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(['install', '--offline', '--no-package-lock', tarball], app);
  return { dir, app, tarball, files };
}

/**
 * The seed example the package tests run everywhere: two instances in a
 * cycle with __del__, then gc.collect() (tests/conformance/seed_del_cycle_gc.py)
 * and what python3.12 prints for it, recorded by tests/record/record_conformance.sh.
 */
export const SEED = {
  source: readFileSync(join(ROOT, 'tests/conformance/seed_del_cycle_gc.py'), 'utf8'),
  stdout: readFileSync(join(ROOT, 'tests/conformance/expected/seed_del_cycle_gc.stdout'), 'utf8'),
};
