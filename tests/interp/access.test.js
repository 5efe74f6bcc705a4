// compile() marks each name use with how the code reaches it (node.access:
// 'fast' | 'deref' | 'global' | 'name'), the LOAD_FAST / LOAD_DEREF /
// LOAD_GLOBAL / LOAD_NAME choice of 3.12's compiler_nameop, including
// PEP 709's fast locals for comprehensions inlined into module and class
// bodies. Compared with the name instructions python3.12 emits
// (tests/record/interp_access.py -> tests/fixtures/interp_access.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile } from '../../web/interp/compile.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/interp_access.json', import.meta.url)));

/** "name@line" -> Set of access kinds, from every node compile() marked. */
function accesses(node, out = new Map()) {
  if (Array.isArray(node)) { for (const x of node) accesses(x, out); return out; }
  if (!node || typeof node !== 'object') return out;
  const add = (name, line, kind) => {
    const k = `${name}@${line}`;
    if (!out.has(k)) out.set(k, new Set());
    out.get(k).add(kind);
  };
  if (node.access) add(node.mangled, node.lineno, node.access);
  for (const [k, v] of Object.entries(node)) if (!(node.kind === 'Constant' && k === 'value') && k !== 'code') accesses(v, out);
  // an inlined comprehension restores the locals it shadowed with STORE_FAST
  for (const name of node.pushedLocals ?? []) if (out.has(`${name}@${node.lineno}`)) add(name, node.lineno, 'fast');
  return out;
}

for (const [i, c] of fixture.entries()) {
  test(`name access #${i}: ${c.src.split('\n')[0].slice(0, 40)}`, () => {
    const mine = accesses(compile(c.src).ast);
    assert.ok(mine.size > 0);
    for (const [k, kinds] of mine) {
      assert.deepEqual([...kinds].sort(), c.uses[k], `${k}`);
    }
  });
}

test('code objects hang off their nodes; constIndexOf finds merged constants', async () => {
  const { constIndexOf } = await import('../../web/interp/compile.js');
  const { values: V } = await import('../../web/interp/index.js');
  const { code, ast } = compile('def f(x=1000):\n    return (x, 1000, 1000.0)\ng = (i for i in f())\n');
  const fdef = ast.body[0];
  const f = fdef.code;
  assert.equal(f.name, 'f');
  assert.ok(code.consts.some((c) => c.t === 'code' && c.v === f));
  assert.equal(ast.code, code);
  assert.equal(ast.body[1].value.code.name, '<genexpr>');
  // (f's co_consts themselves are checked against python3.12 in code.test.js;
  // here: the lookup agrees with them and keeps int and float apart)
  assert.equal(constIndexOf(f, V.int(1000)), f.consts.findIndex((v) => v.t === 'int' && v.v === 1000n));
  assert.notEqual(constIndexOf(f, V.float(1000)), constIndexOf(f, V.int(1000)));
  assert.equal(constIndexOf(f, V.str('missing')), -1);
});
