// dictviews.test.js — the playground graph of a program holding dict views:
// each view is drawn as its own object (dict_keys / dict_values / dict_items)
// with one edge, to its dict. Expected facts come from CPython 3.12 via
// tests/fixtures/dictviews.txt (tests/record/dictviews.py): the view's type
// name, sys.getsizeof, gc.is_tracked, gc.get_referents(view) == [d].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from '../../web/lib/load.js';
import { viewHeap } from '../../web/lib/heap.js';
import { createSession } from '../../web/interp/session.js';
import { rootsOf, programView, baselineOf } from '../../web/app/playground.model.js';

const raw = await load();
const FIXTURE = new Map(readFileSync(new URL('../fixtures/dictviews.txt', import.meta.url), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
const fx = (key) => {
  assert.ok(FIXTURE.has(key), `fixture has ${key}`);
  return FIXTURE.get(key);
};

test('views are drawn with one edge to their dict', () => {
  const src = 'd = {1: 10}\nk = d.keys()\nv = d.values()\ni = d.items()\n';
  const s = createSession(raw, src, { pauseAtEnd: true });
  s.goTo(0);
  let vh = viewHeap(raw, s.heap);
  const baseline = baselineOf(vh.snapshot([]));
  vh.dispose();
  const st = s.goTo(Infinity);
  vh = viewHeap(raw, s.heap);
  const roots = rootsOf(st.frames);
  const snap = vh.snapshot(roots.map((r) => r.id));
  const view = programView(snap, roots, { baseline });
  vh.dispose();
  s.stop();
  const byName = new Map(roots.map((r) => [r.name, r.id]));
  const objs = new Map(view.objects.map((o) => [o.id, o]));
  const d = objs.get(byName.get('d'));
  assert.equal(d.type, 'dict');
  for (const [name, kind] of [['k', 'keys'], ['v', 'values'], ['i', 'items']]) {
    const o = objs.get(byName.get(name));
    assert.ok(o, `${name} is drawn`);
    assert.equal(o.type, fx(`name.${kind}`));
    assert.equal(o.size, Number(fx(`size.${kind}`)));
    assert.equal(o.gcType && o.gen !== null, fx(`tracked.${kind}`) === '1');
    assert.equal(fx('referents.keys_is_dict'), '1');
    assert.deepEqual(o.refs, [d.id], `${name}: gc.get_referents(view) == [d]`);
  }
});
