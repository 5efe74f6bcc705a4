// gcmod.test.js — the interpreter's gc and weakref modules
// (web/interp/modules/gc.js, weakref.js) where the conformance suite's
// byte-for-byte comparison cannot reach: gc.set_debug's stderr lines carry
// addresses, start-up object counts and a clock. The programs in
// tests/interp/gcmod/ ran under python3.12 (tests/record/record_gcmod.sh
// -> tests/fixtures/gcmod_debug.txt, masked there as here); stdout must be
// equal, stderr and the combined stream (stdout and stderr in the order they
// were written) equal after the same masking.
//
// The rest of the gc / weakref surface is checked byte for byte by
// tests/conformance/gcmod_*.py and weakrefmod_*.py.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from '../../web/lib/load.js';
import { runWith } from '../../web/interp/run.js';

const DIR = new URL('gcmod/', import.meta.url);
const FIXTURE = readFileSync(new URL('../fixtures/gcmod_debug.txt', import.meta.url), 'utf8');

/** record_gcmod.sh's mask. */
const mask = (s) => s
  .replace(/0x[0-9a-f]+/g, '0xADDR')
  .replace(/(objects in each generation:)( [0-9]+)+/g, '$1 N N N')
  .replace(/(permanent generation:) [0-9]+/g, '$1 N')
  .replace(/[0-9]+\.[0-9]+s elapsed/g, 'N.NNNNs elapsed');

/** The fixture as name -> { stdout, stderr, combined }. */
function parseFixture(text) {
  const out = new Map();
  for (const block of text.split(/^=== /m).slice(1)) {
    const name = block.slice(0, block.indexOf('\n'));
    const part = (label, next) => {
      const a = block.indexOf(`--- ${label}\n`) + label.length + 5;
      const b = next ? block.indexOf(`--- ${next}\n`) : block.length;
      return block.slice(a, b);
    };
    out.set(name, { stdout: part('stdout', 'stderr'), stderr: part('stderr', 'combined'), combined: part('combined') });
  }
  return out;
}

let raw;
before(async () => { raw = await load(); });

const programs = parseFixture(FIXTURE);

test('the fixture holds the programs of tests/interp/gcmod', () => {
  assert.deepEqual([...programs.keys()].sort(), ['debug_collectable.py', 'debug_order.py', 'debug_stats.py']);
  for (const { stderr } of programs.values()) assert.match(stderr, /^gc: /m);
});

for (const [name, exp] of programs) {
  test(`gc debug output: ${name}`, () => {
    const source = readFileSync(new URL(name, DIR), 'utf8');
    let out = '', err = '', both = '';
    const { status } = runWith(raw, source, {
      filename: name,
      stdout: (s) => { out += s; both += s; },
      stderr: (s) => { err += s; both += s; },
    });
    assert.equal(status, 0, err);
    assert.equal(out, exp.stdout);
    assert.equal(mask(err), exp.stderr);
    assert.equal(mask(both), exp.combined);
  });
}

test('gc.set_debug(0) leaves nothing on stderr; the sink is emptied as it is copied', () => {
  let err = '';
  const src = 'import gc\nclass N:\n    def __init__(self):\n        self.me = self\nN()\ngc.collect()\n'
    + 'gc.set_debug(gc.DEBUG_COLLECTABLE)\nN()\ngc.collect()\ngc.collect()\ngc.set_debug(0)\nN()\ngc.collect()\n';
  runWith(raw, src, { stdout: () => {}, stderr: (s) => { err += s; } });
  assert.equal(err.split('\n').filter(Boolean).length, 1);
  assert.match(err, /^gc: collectable <N 0x[0-9a-f]+>\n$/);
});

test('a program that imports neither runs as before; after import: get_debug() 0, ref is ReferenceType', () => {
  let out = '';
  runWith(raw, 'import sys\nprint(1)\n', { stdout: (s) => { out += s; }, stderr: () => {} });
  assert.equal(out, '1\n');
  out = '';
  runWith(raw, 'import gc, weakref\nprint(gc.get_debug(), weakref.ref is weakref.ReferenceType)\n',
    { stdout: (s) => { out += s; }, stderr: () => {} });
  assert.equal(out, '0 True\n');
});
