// Our AST -> the JSON shape tests/record/interp_ast.py writes for CPython's
// ast module (used by the tests to compare trees; handy for debugging too).

import { floatRepr } from './values.js';

const POS = new Set(['kind', 'lineno', 'col_offset', 'end_lineno', 'end_col_offset']);
// annotations compile() adds for the interpreter (not ast fields)
const ANNOTATIONS = new Set(['code', 'access', 'mangled', 'pushedLocals']);

export function constJson(v) {
  switch (v.t) {
    case 'none': return ['none'];
    case 'ellipsis': return ['ellipsis'];
    case 'bool': return ['bool', v.v];
    case 'int': return ['int', v.v.toString()];
    case 'float': return ['float', floatRepr(v.v)];
    case 'str': return ['str', v.v];
    case 'bytes': return ['bytes', Array.from(v.v)];
    case 'tuple': return ['tuple', v.v.map(constJson)];
    default: return [v.t];
  }
}

/** @param {object} n an AST node (or list / scalar) */
export function astJson(n, withPos = true) {
  if (Array.isArray(n)) return n.map((x) => astJson(x, withPos));
  if (n === null || typeof n !== 'object') return n;
  const d = { _: n.kind };
  for (const [k, v] of Object.entries(n)) {
    if (POS.has(k) || ANNOTATIONS.has(k)) continue;
    if (k === 'strKind') d.kind = v;
    else d[k] = n.kind === 'Constant' && k === 'value' ? constJson(v) : astJson(v, withPos);
  }
  if (withPos && n.lineno !== undefined) d['@'] = [n.lineno, n.col_offset, n.end_lineno, n.end_col_offset];
  return d;
}
