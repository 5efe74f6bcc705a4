// The edges of the interpreter's subset: constructs outside it fail with the
// clear "pyheap: ... (line N)" error before the program runs (code
// generation) or as a Python exception whose traceback names the line
// (run time) — never with a wrong result. The constructs issue 5 added to
// the subset (with, super(), *args/**kwargs calls, star-unpacking, nested
// comprehension loops, generator throw()) compile without such an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../web/interp/compile.js';
import { generate, CodegenError } from '../../web/interp/codegen.js';
import { load } from '../../web/lib/load.js';
import { runWith } from '../../web/interp/run.js';

function generateAll(code) {
  generate(code);
  for (const c of code.consts) if (c.t === 'code') generateAll(c.v);
}

const codegenError = (src) => {
  try {
    generateAll(compile(src).code);
  } catch (e) {
    if (e instanceof CodegenError) return e.message;
    throw e;
  }
  return null;
};

const UNSUPPORTED_CODEGEN = [
  ['class C(metaclass=type):\n    pass\n', 'pyheap: class keywords (metaclass=...) are not supported (line 1)'],
  ['bases = ()\nclass C(*bases):\n    pass\n', 'pyheap: starred base classes are not supported (line 2)'],
  ['def f():\n    import os.path\n', 'pyheap: dotted imports (import a.b) are not supported (line 2)'],
];
for (const [src, msg] of UNSUPPORTED_CODEGEN) {
  test(`unsupported at code generation: ${msg}`, () => {
    assert.equal(codegenError(src), msg);
  });
}

const SUPPORTED = [
  'with a as b, c as d:\n    pass\n',
  'class C(B):\n    def m(self):\n        return super().m() + super(C, self).x\n',
  'f(*a, k=1, **d)\nf(1, *a, *b, 2)\nf(**d, **e)\n',
  'a, *b = c\n*a, b = c\n[*a, *b]\n(*a,)\n{*a}\n{**d, "k": 1}\n',
  '[x * y for x in a if x for y in b if y]\n{x for x in a for y in b}\n{x: y for x in a for y in b}\n(x for x in a for y in [x])\n',
  'def g():\n    try:\n        x = yield 1\n    finally:\n        pass\n',
];
for (const src of SUPPORTED) {
  test(`in the subset: ${JSON.stringify(src.split('\n')[0])}`, () => {
    assert.equal(codegenError(src), null);
  });
}

test('starred expressions where CPython rejects them are its SyntaxError', () => {
  assert.throws(() => compile('x = *a\n'), (e) => e.pyType === 'SyntaxError');
  assert.throws(() => compile('a, *b, *c = d\n'), /multiple starred expressions in assignment/);
});

const raw = await load();
function run(src) {
  let out = '', err = '';
  const { status } = runWith(raw, src, { filename: 'prog.py', stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { out, err, status };
}

const UNSUPPORTED_RUNTIME = [
  ['class A:\n    def f(self):\n        s = super()\n        return s\nA().f()\n',
    '  File "prog.py", line 3, in f\n', 'RuntimeError: pyheap: super objects are not supported (only super().name and super(C, obj).name)\n'],
  ['class A:\n    pass\nclass B:\n    pass\nclass C(A, B):\n    pass\n',
    '  File "prog.py", line 5, in <module>\n', 'TypeError: multiple bases are not supported by pyheap yet\n'],
  ['class A:\n    def __setattr__(self, k, v):\n        pass\n',
    '  File "prog.py", line 1, in <module>\n', 'RuntimeError: pyheap: classes defining __setattr__ are not supported\n'],
  ['class A:\n    def __getattr__(self, k):\n        return 1\n',
    '  File "prog.py", line 1, in <module>\n', 'RuntimeError: pyheap: classes defining __getattr__ are not supported\n'],
];
for (const [src, where, last] of UNSUPPORTED_RUNTIME) {
  test(`unsupported at run time: ${last.trim()}`, () => {
    const r = run(src);
    assert.equal(r.status, 1);
    assert.ok(r.err.includes(where), r.err);
    assert.ok(r.err.endsWith(last), r.err);
  });
}

test('a construct outside the subset stops the run before any output', () => {
  const r = run('print("before")\nclass C(metaclass=type):\n    pass\n');
  assert.equal(r.out, '');
  assert.equal(r.err, 'pyheap: class keywords (metaclass=...) are not supported (line 2)\n');
  assert.equal(r.status, 2);
});
