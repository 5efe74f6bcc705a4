// widget.test.js — the pure parts of <pyheap-playground> (web/widget) in node:
// what the heap graph shows of a session's snapshot (view.js), and how the
// element reads its program and panels. The element itself runs in
// tests/browser/package.test.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { userGraph, userNames, OPAQUE } from '../../web/widget/view.js';
import { dedent, parsePanels, PANELS } from '../../web/widget/widget.js';
import { createSession } from '../../web/lib/index.js';
import { SEED } from './pack-helpers.js';

const obj = (id, type, refs = [], extra = {}) => ({ id, typeId: 1000 + type.length, type, refs, immortal: false, ...extra });

test('userGraph follows the names, not into modules, code or a function\'s globals', () => {
  const snap = {
    objects: [
      obj(1, 'list', [2, 3]),
      obj(2, 'int'),
      obj(3, 'function', [4, 5, 6, 7]),
      obj(4, 'code', [8]),
      obj(5, 'dict', [9]),          // the globals: holds a module
      obj(6, 'tuple', [10]),        // defaults
      obj(7, 'str'),                // __name__
      obj(8, 'str'),
      obj(9, 'module', [11]),
      obj(10, 'float'),
      obj(11, 'dict'),
      obj(12, 'list', [1]),         // nobody's: not shown
    ],
  };
  const g = userGraph(snap, [{ name: 'x', id: 1 }]);
  assert.deepEqual(g.snapshot.objects.map((o) => o.id), [1, 2, 3, 6, 10]);
  assert.equal(g.truncated, false);
  assert.ok(OPAQUE.has('module') && OPAQUE.has('code'));
  // a shown object that lost its names stays while alive and unreachable (a dropped cycle) ...
  const later = { objects: snap.objects.map((o) => ({ ...o, reachable: false })) };
  assert.deepEqual(userGraph(later, [], g.keys).snapshot.objects.map((o) => o.id), [1, 2, 3, 6, 10]);
  // ... but not when something hidden still holds it
  const held = { objects: [obj(1, 'list', [2, 3], { reachable: true }), ...snap.objects.slice(1)] };
  assert.deepEqual(userGraph(held, [], g.keys).snapshot.objects.map((o) => o.id), []);
  // ... unless the address now holds another type
  const gone = (o) => ({ ...o, reachable: false });
  const reused = { objects: [obj(1, 'dictionary'), ...snap.objects.slice(1)].map(gone) };
  assert.deepEqual(userGraph(reused, [], g.keys).snapshot.objects.map((o) => o.id), [2, 3, 6, 10]);
  // the limit
  const capped = userGraph(snap, [{ name: 'x', id: 1 }], new Set(), { limit: 2 });
  assert.equal(capped.snapshot.objects.length, 2);
  assert.equal(capped.truncated, true);
});

test('userNames drops module and class-body metadata names', () => {
  const names = ['__name__', '__doc__', 'a', 'Node.__module__', 'Node.__qualname__', 'Node.__init__', '__init__.self']
    .map((name, id) => ({ name, id }));
  assert.deepEqual(userNames(names).map((n) => n.name), ['a', 'Node.__init__', '__init__.self']);
});

test('on the seed example the graph holds the two nodes, keeps the dropped cycle, and loses it to gc.collect()', async () => {
  const s = await createSession(SEED.source);
  let shown = new Set();
  const seen = [];
  while (!s.step().done) {
    const snap = s.snapshot();
    const g = userGraph(snap, userNames(snap.names), shown);
    shown = g.keys;
    const nodes = g.snapshot.objects.filter((o) => o.type === 'Node');
    seen.push({ line: s.state.line, nodes: nodes.length, unreachable: nodes.filter((o) => !o.reachable).length, total: g.snapshot.objects.length });
    assert.ok(!g.snapshot.objects.some((o) => o.type === 'builtin_function_or_method'), 'no builtins');
    assert.ok(g.snapshot.objects.length < 60, `a small graph (${g.snapshot.objects.length} objects at line ${s.state.line})`);
  }
  s.dispose();
  const at = (line) => seen.find((x) => x.line === line);
  assert.equal(at(12).nodes, 2, 'n1 and n2 before the cycle is made (line 12 about to run)');
  assert.deepEqual([at(16).nodes, at(16).unreachable], [2, 2], 'after del n1, del n2: still there, unreachable');
  assert.equal(at(18).nodes, 0, 'gc.collect() freed them');
});

test('dedent and panels parsing', () => {
  assert.equal(dedent('\n\n      a = 1\n      if a:\n          b = 2\n\n   '), 'a = 1\nif a:\n    b = 2\n');
  assert.equal(dedent('\r\n\tx = 1\r\n'), 'x = 1\n');
  assert.equal(dedent('   \n  '), '');
  assert.deepEqual(parsePanels(null), { panels: ['graph', 'console'], unknown: [] });
  assert.deepEqual(parsePanels('console, timeline graph console'), { panels: ['console', 'timeline', 'graph'], unknown: [] });
  assert.deepEqual(parsePanels('graphs'), { panels: ['graph', 'console'], unknown: ['graphs'] });
  assert.deepEqual([...PANELS], ['graph', 'console', 'generations', 'arenas', 'timeline']);
});
