// Constant folding on 600 random constant expressions against python3.12
// (tests/record/interp_fold.py -> tests/fixtures/interp_fold.json): the
// module's co_consts, i.e. what folded, to which value, and what stayed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile } from '../../web/interp/compile.js';
import { constJson } from './codejson.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/interp_fold.json', import.meta.url)));

test('constant folding matches python3.12 on random expressions', () => {
  const bad = [];
  for (const c of fixture) {
    const got = compile(c.src).code.consts.map(constJson);
    if (JSON.stringify(got) !== JSON.stringify(c.consts)) {
      bad.push(`${c.src.trim()}\n  mine ${JSON.stringify(got)}\n  py   ${JSON.stringify(c.consts)}`);
    }
  }
  assert.equal(bad.length, 0, `${bad.length} of ${fixture.length} differ:\n${bad.slice(0, 10).join('\n')}`);
});
