// Symbol tables against CPython 3.12's, recorded by tests/record/interp_symtable.py
// (raw ste_symbols flags with scope bits, parameter order, children order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from '../../web/interp/parse.js';
import { buildSymtable } from '../../web/interp/symtable.js';
import { normalize } from './codejson.js';
import { PySyntaxError } from '../../web/interp/errors.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/interp_symtable.json', import.meta.url)));

function conv(s) {
  return {
    type: s.type, name: s.name, lineno: s.lineno, nested: s.nested,
    varnames: s.varnames,
    symbols: [...s.symbols.entries()],
    children: s.children.map(conv),
  };
}

for (const [i, c] of fixture.entries()) {
  test(`symtable #${i}: ${c.src.split('\n')[0].slice(0, 40)}`, () => {
    const mod = parse(c.src);
    if (c.error) {
      assert.throws(() => buildSymtable(mod), (e) => {
        assert.ok(e instanceof PySyntaxError);
        assert.equal(e.msg, c.error.msg);
        assert.equal(e.lineno, c.error.lineno);
        assert.equal(e.col + 1, c.error.offset);
        assert.equal(e.endCol + 1, c.error.end_offset);
        return true;
      });
      return;
    }
    assert.deepEqual(normalize(conv(buildSymtable(mod).top)), normalize(c.table));
  });
}
