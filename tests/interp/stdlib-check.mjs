// Differential check against python3.12's standard library (run by hand):
//   PYENV_VERSION=3.12.1 python3.12 tests/record/interp_stdlib.py
//   node tests/interp/stdlib-check.mjs
// Every module inside the subset must give the same AST (positions aside),
// symbol tables and code objects as CPython; modules outside it must fail
// with an UnsupportedError. Exits non-zero on any difference.
import { readFileSync } from 'node:fs';
import { compile } from '../../web/interp/compile.js';
import { parse } from '../../web/interp/parse.js';
import { astJson } from '../../web/interp/astjson.js';
import { UnsupportedError } from '../../web/interp/errors.js';
import { codeJson, normalize } from './codejson.js';
import { buildSymtable } from '../../web/interp/symtable.js';
const convT = (s) => ({ type: s.type, name: s.name, lineno: s.lineno, nested: s.nested, varnames: s.varnames, symbols: [...s.symbols.entries()], children: s.children.map(convT) });
const fx = JSON.parse(readFileSync(new URL('../../build/interp_stdlib.json', import.meta.url)));
function diff(a, b, path) {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (path.endsWith('.@')) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) { const d = diff(a[k], b[k], path + '.' + k); if (d) return d; }
    return null;
  }
  return `${path}: mine=${JSON.stringify(a)?.slice(0, 200)} py=${JSON.stringify(b)?.slice(0, 200)}`;
}
const stats = { ok: 0, unsupported: {}, astdiff: 0, codediff: 0, err: 0 };
for (const c of fx) {
  let r;
  try { r = compile(c.src); } catch (e) {
    if (e instanceof UnsupportedError) { const k = e.message.replace(/ \(line.*/, ''); stats.unsupported[k] = (stats.unsupported[k] || 0) + 1; continue; }
    stats.err++; console.log('ERR', c.fn, e.message, e.lineno, e.stack.split('\n')[1]); continue;
  }
  const d1 = diff(astJson(parse(c.src)), c.ast, '');
  if (d1) { stats.astdiff++; console.log('AST', c.fn, d1); continue; }
  const d3 = diff(normalize(convT(buildSymtable(parse(c.src)).top)), normalize(c.table), '');
  if (d3) { stats.codediff++; console.log('SYMTABLE', c.fn, d3); continue; }
  const d2 = diff(codeJson(r.code), c.code, '');
  if (d2) { stats.codediff++; console.log('CODE', c.fn, d2); continue; }
  stats.ok++;
}
console.log(stats);
if (stats.astdiff || stats.codediff || stats.err) process.exitCode = 1;
