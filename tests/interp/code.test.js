// Code objects (co_consts with CPython's folding and ordering, co_names,
// co_varnames, co_cellvars, co_freevars, argument counts, co_flags) against
// python3.12's compile(), recorded by tests/record/interp_code.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile } from '../../web/interp/compile.js';
import { PySyntaxError } from '../../web/interp/errors.js';
import { codeJson } from './codejson.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/interp_code.json', import.meta.url)));

for (const [i, c] of fixture.entries()) {
  test(`code #${i}: ${c.src.split('\n')[0].slice(0, 40)}`, () => {
    if (c.error) {
      assert.throws(() => compile(c.src), (e) => {
        assert.ok(e instanceof PySyntaxError, String(e));
        assert.equal(e.msg, c.error.msg);
        assert.equal(e.lineno, c.error.lineno);
        return true;
      });
      return;
    }
    assert.deepEqual(codeJson(compile(c.src).code), c.code);
  });
}
