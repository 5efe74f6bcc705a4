// Test helpers: our code-object description -> the JSON tests/record/interp_code.py
// writes, and the symbol-table normalisation shared by the symtable checks.
import { floatRepr } from '../../web/interp/values.js';
import { FREE, SCOPE_OFFSET } from '../../web/interp/symtable.js';

/** json.dumps(x) with Python's default separators and ensure_ascii. */
export function pyJsonDumps(x) {
  if (Array.isArray(x)) return '[' + x.map(pyJsonDumps).join(', ') + ']';
  if (typeof x === 'string') return JSON.stringify(x).replace(/[\u007f-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
  return JSON.stringify(x);
}

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
    case 'frozenset': {
      const items = v.v.map(constJson);
      items.sort((a, b) => (pyJsonDumps(a) < pyJsonDumps(b) ? -1 : pyJsonDumps(a) > pyJsonDumps(b) ? 1 : 0));
      return ['frozenset', items];
    }
    case 'code': return ['code', codeJson(v.v)];
    default: throw new Error(v.t);
  }
}

export function codeJson(c) {
  return {
    name: c.name, qualname: c.qualname, firstlineno: c.firstlineno,
    argcount: c.argcount, posonlyargcount: c.posonlyargcount, kwonlyargcount: c.kwonlyargcount,
    flags: c.flags, nlocals: c.nlocals,
    consts: c.consts.map(constJson), names: c.names, varnames: c.varnames,
    cellvars: c.cellvars, freevars: c.freevars,
  };
}

/**
 * CPython appends the free names a scope only passes through (flags exactly
 * FREE << SCOPE_OFFSET) by iterating a set, so their order follows string
 * hashes (PYTHONHASHSEED); compare those as a sorted group.
 */
export function normalize(t) {
  const pure = (e) => e[1] === FREE << SCOPE_OFFSET;
  return {
    ...t,
    symbols: [...t.symbols.filter((e) => !pure(e)), ...t.symbols.filter(pure).sort((a, b) => (a[0] < b[0] ? -1 : 1))],
    children: t.children.map(normalize),
  };
}
