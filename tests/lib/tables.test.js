// tables.test.js — the JS tables that mirror C enums (raw.js TYPE_IDS,
// EXC_KINDS) must match the core they load, entry by entry: a type or
// exception added in C without its JS name would mislabel objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TYPE_IDS, EXC_KINDS } from '../../web/lib/raw.js';
import { moduleFor, VARIANTS } from './helpers.js';

for (const variant of VARIANTS) {
  test(`TYPE_IDS names every built-in type of the core in order (${variant.name})`, async () => {
    const raw = await moduleFor(variant);
    const h = raw.heap_new(0, 0);
    try {
      const names = [];
      for (let id = 0; ; id++) {
        const p = raw.builtin_type_name(h, id);
        if (!p) break;
        names.push(raw.cString(p));
      }
      assert.deepEqual([...TYPE_IDS], names);
    } finally {
      raw.heap_free(h);
    }
  });
}

test('EXC_KINDS starts with "no exception" and names distinct exception types', () => {
  assert.equal(EXC_KINDS[0], null);
  assert.equal(new Set(EXC_KINDS.slice(1)).size, EXC_KINDS.length - 1);
  for (const k of EXC_KINDS.slice(1)) assert.match(k, /^[A-Z]\w*(Error|Exception)$/);
});
