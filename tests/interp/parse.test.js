// The parser's AST against CPython 3.12's ast module, recorded by
// tests/record/interp_ast.py into tests/fixtures/interp_ast_*.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from '../../web/interp/parse.js';
import { astJson } from '../../web/interp/astjson.js';

const fixture = (name) => JSON.parse(readFileSync(new URL(`../fixtures/interp_ast_${name}.json`, import.meta.url)));

function stripPos(j) {
  if (Array.isArray(j)) return j.map(stripPos);
  if (j === null || typeof j !== 'object') return j;
  const d = {};
  for (const [k, v] of Object.entries(j)) if (k !== '@') d[k] = stripPos(v);
  return d;
}

/** Statement positions (lineno, col_offset, end_lineno, end_col_offset) of every statement node. */
function stmtPositions(j, out = []) {
  if (Array.isArray(j)) { for (const x of j) stmtPositions(x, out); return out; }
  if (j === null || typeof j !== 'object') return out;
  for (const k of ['body', 'orelse', 'finalbody', 'handlers']) {
    if (Array.isArray(j[k])) for (const s of j[k]) { out.push([s._, ...s['@']]); stmtPositions(s, out); }
  }
  return out;
}

for (const name of ['parse', 'seeds', 'programs']) {
  for (const [i, c] of fixture(name).entries()) {
    test(`${name} #${i}: ${c.src.split('\n')[0].slice(0, 40)}`, () => {
      assert.ok(c.ast, 'corpus programs are valid Python');
      const mine = astJson(parse(c.src));
      assert.deepEqual(stripPos(mine), stripPos(c.ast));
      // CPython's columns count UTF-8 bytes, ours characters: compare on ASCII sources
      if (/^[\x00-\x7f]*$/.test(c.src)) assert.deepEqual(stmtPositions(mine), stmtPositions(c.ast));
    });
  }
}
