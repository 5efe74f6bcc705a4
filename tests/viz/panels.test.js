// panels.test.js — the data checks of the generations panel (the shape of
// gc.get_count / get_threshold / get_stats / len(gc.garbage)) and the shared
// formatting helpers of the views.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkGenerations } from '../../web/viz/generations.js';
import { bytes, hex, radiusOf, colorKey } from '../../web/viz/style.js';

test('generations data: defaults and refusals', () => {
  const d = checkGenerations({ counts: [5, 1, 0] });
  assert.deepEqual(d.thresholds, [700, 10, 10]);
  assert.equal(d.stats.length, 3);
  assert.equal(d.garbage, 0);
  assert.throws(() => checkGenerations({ counts: [1, 2] }), /counts must be 3 non-negative numbers/);
  assert.throws(() => checkGenerations({ counts: [1, 2, -1] }), /counts/);
  assert.throws(() => checkGenerations({ counts: [1, 2, 3], thresholds: [700, 'x', 10] }), /thresholds/);
  assert.throws(() => checkGenerations({ counts: [1, 2, 3], stats: [] }), /stats must be 3 entries/);
  assert.throws(() => checkGenerations(null), /counts/);
});

test('formatting and encodings', () => {
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(1048576), '1.00 MiB');
  assert.equal(hex(255), '0xff');
  assert.ok(radiusOf({ size: 16, immortal: true }) < radiusOf({ size: 16, immortal: false }));
  assert.equal(radiusOf({ size: 1e6, immortal: false }), 16, 'capped');
  assert.equal(colorKey({ gen: null, gcType: false, immortal: false }), 'nogc');
  assert.equal(colorKey({ gen: null, gcType: true, immortal: false }), 'untracked');
  assert.equal(colorKey({ gen: 1, gcType: true, immortal: false }), 'gen1');
});
