// pyheap's Python-subset front end: parser (Lezer -> CPython-shaped AST),
// CPython 3.12 syntax errors, symbol tables, the AST optimiser and code
// object descriptions (co_consts, co_names, ...). See AST.md.

export { parse } from './parse.js';
export { optimize, truthy, foldBinary, foldUnary, foldSubscript, docstringOf } from './optimize.js';
export {
  buildSymtable, mangle, scopeOf, Scope,
  LOCAL, GLOBAL_EXPLICIT, GLOBAL_IMPLICIT, FREE, CELL,
  DEF_GLOBAL, DEF_LOCAL, DEF_PARAM, DEF_NONLOCAL, USE, DEF_FREE_CLASS, DEF_IMPORT, DEF_COMP_ITER, DEF_COMP_CELL,
} from './symtable.js';
export {
  compile, nameAccess, constIndexOf,
  CO_OPTIMIZED, CO_NEWLOCALS, CO_VARARGS, CO_VARKEYWORDS, CO_NESTED, CO_GENERATOR,
} from './compile.js';
export { PySyntaxError, UnsupportedError, formatSyntaxError } from './errors.js';
export * as values from './values.js';
export { astJson } from './astjson.js';
