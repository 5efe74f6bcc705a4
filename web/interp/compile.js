// Code objects as CPython 3.12's compiler builds them — without bytecode.
//
// compile(src) runs the front end: parse -> AST optimiser (optimize.js) ->
// symbol tables (symtable.js) -> a walk over the AST in the order
// Python/compile.c's code generator visits it, recording for every code
// object what co_consts, co_names, co_varnames, co_cellvars, co_freevars,
// the argument counts and co_flags come out as. The walk mirrors the
// compiler_* functions named in the comments: constants are added in the
// order the code generator adds them (compiler_add_const), names when it
// emits a name instruction. It then applies what the CFG optimiser
// (Python/flowgraph.c) does to co_consts: constant BUILD_TUPLEs become
// tuple constants appended at the end (fold_tuple_on_constants), constant
// conditional jumps are resolved, unreachable code is dropped, and
// constants no instruction uses any more are removed except index 0
// (remove_unused_consts). Reachability is tracked structurally (after
// return/raise/break/continue, constant if/while tests, loops and try
// blocks), which covers the subset's control flow. co_stacksize is not
// computed (it needs the real instruction stream).

import { parse } from './parse.js';
import { optimize, docstringOf, truthy, frozensetOf } from './optimize.js';
import {
  buildSymtable, mangle, scopeOf, LOCAL, GLOBAL_EXPLICIT, GLOBAL_IMPLICIT, FREE, CELL,
  DEF_LOCAL, DEF_NONLOCAL, DEF_FREE_CLASS, DEF_COMP_CELL,
} from './symtable.js';
import { PySyntaxError, nodeLoc } from './errors.js';
import * as V from './values.js';

export const CO_OPTIMIZED = 0x1, CO_NEWLOCALS = 0x2, CO_VARARGS = 0x4, CO_VARKEYWORDS = 0x8,
  CO_NESTED = 0x10, CO_GENERATOR = 0x20;

const STACK_USE_GUARDRAIL = 30;

let codeIds = 0;

/** One code object being built (CPython's compiler_unit). */
class Unit {
  constructor(kind, name, qualname, scope, node, firstlineno, parent) {
    this.kind = kind;                 // 'module' | 'class' | 'function' | 'lambda' | 'genexpr'
    this.name = name;
    this.qualname = qualname;
    this.scope = scope;
    this.node = node;
    this.firstlineno = firstlineno;
    this.parent = parent;
    this.private = kind === 'class' ? name : parent ? parent.private : null;
    this.consts = [];                 // values, in order of first addition
    this.constIndex = new Map();      // constKey -> index
    this.live = new Set();            // indices some reachable instruction uses
    this.folds = [];                  // { value, live } from BUILD_TUPLE folding
    this.names = [];
    this.nameIndex = new Map();
    this.varnames = [...scope.varnames];
    this.varIndex = new Map(this.varnames.map((n, i) => [n, i]));
    this.reachable = true;
    this.fblocks = [];                // { type, datum, loop }
    this.fastHidden = new Set();      // inlined comprehension locals in module/class scope
    this.symOverride = new Map();     // name -> flags while compiling an inlined comprehension
    this.inInlinedComp = 0;
  }

  addConst(v, live = this.reachable) {
    const k = V.constKey(v);
    let i = this.constIndex.get(k);
    if (i === undefined) {
      i = this.consts.length;
      this.consts.push(v);
      this.constIndex.set(k, i);
    }
    if (live) this.live.add(i);
    return i;
  }

  addName(n) {
    if (!this.nameIndex.has(n)) { this.nameIndex.set(n, this.names.length); this.names.push(n); }
  }

  addVar(n) {
    if (!this.varIndex.has(n)) { this.varIndex.set(n, this.varnames.length); this.varnames.push(n); }
  }

  flagsOf(name) {
    return this.symOverride.has(name) ? this.symOverride.get(name) : this.scope.flags(name);
  }
}

export class Compiler {
  constructor(symtable) {
    this.st = symtable;
    this.u = null;
  }

  error(msg, node) { return new PySyntaxError(msg, nodeLoc(node)); }

  // ---- units

  enterUnit(kind, name, node, firstlineno) {
    const scope = this.st.byNode.get(node);
    const parent = this.u;
    const u = new Unit(kind, name, this.qualname(kind, name, parent), scope, node, firstlineno, parent);
    this.u = u;
    return u;
  }

  /** compiler_set_qualname */
  qualname(kind, name, parent) {
    if (!parent || parent.kind === 'module') return name;
    if (kind === 'function' || kind === 'class') {
      const m = mangle(parent.private, name);
      if (scopeOf(parent.scope.flags(m)) === GLOBAL_EXPLICIT) return name;
    }
    if (parent.kind === 'function' || parent.kind === 'lambda') return `${parent.qualname}.<locals>.${name}`;
    return `${parent.qualname}.${name}`;
  }

  /** optimize_and_assemble: implicit return, CFG const effects, the code object. */
  finishUnit(addNone) {
    const u = this.u;
    if (addNone) u.addConst(V.NONE);
    // fold_tuple_on_constants results are appended after code generation
    for (const f of u.folds) u.addConst(f.value, f.live);
    // remove_unused_consts: index 0 always stays
    const keep = u.consts.filter((_, i) => i === 0 || u.live.has(i));
    const s = u.scope;
    const cells = [...s.symbols.entries()]
      .filter(([, f]) => scopeOf(f) === CELL || (f & DEF_COMP_CELL)).map(([n]) => n).sort();
    if (s.needsClassClosure) cells.push('__class__');
    // co_cellvars follows the localsplus layout (compute_localsplus_info):
    // cells that are also locals at their local slot, then the others
    const cellSet = new Set(cells);
    const cellvars = [...u.varnames.filter((n) => cellSet.has(n)), ...cells.filter((n) => !u.varIndex.has(n))];
    const freevars = [...s.symbols.entries()]
      .filter(([, f]) => scopeOf(f) === FREE || (f & DEF_FREE_CLASS)).map(([n]) => n).sort();
    let flags = 0;
    if (s.type === 'function') {
      flags |= CO_OPTIMIZED | CO_NEWLOCALS;
      if (s.nested) flags |= CO_NESTED;
      if (s.generator) flags |= CO_GENERATOR;
      if (s.varargs) flags |= CO_VARARGS;
      if (s.varkeywords) flags |= CO_VARKEYWORDS;
    }
    const args = u.node.args;
    const code = {
      id: ++codeIds,
      kind: u.kind,
      name: u.name,
      qualname: u.qualname,
      firstlineno: u.firstlineno,
      argcount: u.kind === 'genexpr' ? 1 : args ? args.posonlyargs.length + args.args.length : 0,
      posonlyargcount: args ? args.posonlyargs.length : 0,
      kwonlyargcount: args ? args.kwonlyargs.length : 0,
      flags,
      consts: keep,
      names: u.names,
      varnames: u.varnames,
      cellvars,
      freevars,
      nlocals: u.varnames.length,
      scope: s,
      node: u.node,
    };
    code.constIndex = new Map(keep.map((v, i) => [V.constKey(v), i]));
    // the node a code object was compiled from knows it (the interpreter's
    // MAKE_FUNCTION / class body / genexpr start from there)
    u.node.code = code;
    this.u = u.parent;
    return code;
  }

  /** compiler_make_closure: the code object is a LOAD_CONST in the outer unit. */
  makeClosure(code) {
    this.u.addConst({ t: 'code', v: code });
  }

  // ---- module / bodies

  module(mod) {
    this.enterUnit('module', '<module>', mod, 1);
    this.body(mod.body);
    return this.finishUnit(true);
  }

  /** compiler_body (module and class): the docstring goes to __doc__. */
  body(stmts) {
    let i = 0;
    if (docstringOf(stmts) !== null) {
      this.expr(stmts[0].value);
      this.nameop('__doc__', 'Store');
      i = 1;
    }
    for (; i < stmts.length; i++) this.stmt(stmts[i]);
  }

  stmts(list) { for (const s of list) this.stmt(s); }

  // ---- names

  /**
   * compiler_nameop: which table a name instruction adds to. The access kind
   * ('fast' | 'deref' | 'global' | 'name', i.e. LOAD_FAST / LOAD_DEREF /
   * LOAD_GLOBAL / LOAD_NAME and their store/delete forms) is recorded on
   * `node` as node.access (and node.mangled) for the interpreter.
   */
  nameop(name, ctx, node = null) {
    const u = this.u;
    const m = mangle(u.private, name);
    const scope = scopeOf(u.flagsOf(m));
    const fnLike = u.scope.type === 'function';
    let op = 'name';
    switch (scope) {
      case FREE: case CELL: op = 'deref'; break;
      case LOCAL: if (fnLike || u.fastHidden.has(m)) op = 'fast'; break;
      // (python3.12 also uses LOAD_GLOBAL inside comprehensions inlined into a class body)
      case GLOBAL_IMPLICIT: if (fnLike || (u.inInlinedComp && u.scope.type === 'class')) op = 'global'; break;
      case GLOBAL_EXPLICIT: op = 'global'; break;
      default: break;
    }
    if (op === 'fast') u.addVar(m);
    else if (op === 'name' || op === 'global') u.addName(m);
    if (node) {
      node.access = op;
      node.mangled = m;
    }
    void ctx;
  }

  attrName(attr) { this.u.addName(mangle(this.u.private, attr)); }

  // ---- statements

  stmt(s) {
    const u = this.u;
    switch (s.kind) {
      case 'FunctionDef': return this.functionDef(s);
      case 'ClassDef': return this.classDef(s);
      case 'Return': return this.returnStmt(s);
      case 'Delete': for (const t of s.targets) this.expr(t); return;
      case 'Assign':
        this.expr(s.value);
        for (const t of s.targets) this.expr(t);
        return;
      case 'AugAssign': return this.augAssign(s);
      case 'For': return this.forStmt(s);
      case 'While': return this.whileStmt(s);
      case 'If': return this.ifStmt(s);
      case 'With': return this.withStmt(s, 0);
      case 'Raise':
        if (s.exc) this.expr(s.exc);
        if (s.cause) this.expr(s.cause);
        u.reachable = false;
        return;
      case 'Try':
        if (s.finalbody.length) return this.tryFinally(s);
        return this.tryExcept(s);
      case 'Assert': return this.assertStmt(s);
      case 'Import': return this.importStmt(s);
      case 'ImportFrom': return this.importFrom(s);
      case 'Global': case 'Nonlocal': case 'Pass': return;
      case 'Expr':
        if (s.value.kind === 'Constant') return; // a constant statement emits nothing
        this.expr(s.value);
        return;
      case 'Break': return this.breakStmt(s);
      case 'Continue': return this.continueStmt(s);
      default: throw new Error(`compile: unknown statement ${s.kind}`);
    }
  }

  /** compiler_function */
  functionDef(s) {
    for (const d of s.decorator_list) this.expr(d);
    const firstlineno = s.decorator_list.length ? s.decorator_list[0].lineno : s.lineno;
    this.defaults(s.args);
    this.enterUnit('function', s.name, s, firstlineno);
    const doc = docstringOf(s.body);
    this.u.addConst(doc !== null ? V.str(doc) : V.NONE);
    for (let i = doc !== null ? 1 : 0; i < s.body.length; i++) this.stmt(s.body[i]);
    const code = this.finishUnit(true);
    this.makeClosure(code);
    this.nameop(s.name, 'Store', s);
  }

  /** compiler_default_arguments: positional defaults tuple, kw-only defaults dict. */
  defaults(args) {
    if (args.defaults.length) this.buildTuple(args.defaults);
    const keys = [];
    args.kwonlyargs.forEach((a, i) => {
      const d = args.kw_defaults[i];
      if (d) { keys.push(V.str(mangle(this.u.private, a.arg))); this.expr(d); }
    });
    if (keys.length) this.u.addConst(V.tuple(keys));
  }

  /** Visit elements then BUILD_TUPLE n: the CFG folds all-constant runs into one tuple. */
  buildTuple(elts) {
    const u = this.u;
    if (elts.every((e) => e.kind === 'Constant')) {
      for (const e of elts) u.addConst(e.value, false);
      u.folds.push({ value: V.tuple(elts.map((e) => e.value)), live: u.reachable });
    } else {
      for (const e of elts) this.expr(e);
    }
  }

  /** compiler_class / compiler_class_body */
  classDef(s) {
    for (const d of s.decorator_list) this.expr(d);
    const firstlineno = s.decorator_list.length ? s.decorator_list[0].lineno : s.lineno;
    const u = this.enterUnit('class', s.name, s, firstlineno);
    this.nameop('__name__', 'Load');
    this.nameop('__module__', 'Store');
    u.addConst(V.str(u.qualname));
    this.nameop('__qualname__', 'Store');
    this.body(s.body);
    if (u.scope.needsClassClosure) {
      this.nameop('__classcell__', 'Store');
    } else {
      u.addConst(V.NONE);
    }
    u.reachable = false; // RETURN_VALUE
    const code = this.finishUnit(true);
    this.makeClosure(code);
    this.u.addConst(V.str(s.name));
    this.callHelper(2, s.bases, s.keywords);
    this.nameop(s.name, 'Store', s);
  }

  /** compiler_return */
  returnStmt(s) {
    const u = this.u;
    if (u.scope.type !== 'function') throw this.error("'return' outside function", s);
    const preserve = s.value && s.value.kind !== 'Constant';
    if (preserve) this.expr(s.value);
    this.unwindAll(preserve);
    // a constant return value is loaded after the unwinding (RETURN_CONST)
    if (!s.value) u.addConst(V.NONE);
    else if (!preserve) u.addConst(s.value.value);
    u.reachable = false;
  }

  /** compiler_unwind_fblock_stack for return: every block, innermost first. */
  unwindAll(preserveTos, stopAtLoop = false) {
    const u = this.u;
    const saved = u.fblocks;
    let loop = null;
    const stack = [...saved];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (stopAtLoop && (top.type === 'WHILE_LOOP' || top.type === 'FOR_LOOP')) { loop = top; break; }
      stack.pop();
      u.fblocks = [...stack];
      this.unwindBlock(top, preserveTos);
    }
    u.fblocks = saved;
    return loop;
  }

  /** compiler_unwind_fblock */
  unwindBlock(b, preserveTos) {
    void preserveTos;
    const u = this.u;
    switch (b.type) {
      case 'FINALLY_TRY': this.stmts(b.datum); return;
      case 'WITH': this.exitWithNones(); return;
      case 'HANDLER_CLEANUP':
        if (b.datum) {
          u.addConst(V.NONE);
          this.nameop(b.datum, 'Store');
          this.nameop(b.datum, 'Del');
        }
        return;
      default: return;
    }
  }

  exitWithNones() { this.u.addConst(V.NONE); }

  breakStmt(s) {
    const u = this.u;
    const loop = this.unwindAll(false, true);
    if (!loop) throw this.error("'break' outside loop", s);
    if (u.reachable) loop.breakReached = true;
    u.reachable = false;
  }

  continueStmt(s) {
    const u = this.u;
    const loop = this.unwindAll(false, true);
    if (!loop) throw this.error("'continue' not properly in loop", s);
    u.reachable = false;
  }

  /** compiler_augassign */
  augAssign(s) {
    const t = s.target;
    if (t.kind === 'Attribute') {
      this.expr(t.value);
      this.attrName(t.attr);
    } else if (t.kind === 'Subscript') {
      this.expr(t.value);
      this.sliceOrIndex(t.slice);
    } else this.nameop(t.id, 'Load', t);
    this.expr(s.value);
    if (t.kind === 'Attribute') this.attrName(t.attr);
    else if (t.kind === 'Name') this.nameop(t.id, 'Store', t);
  }

  /**
   * compiler_jump_if: emit a conditional jump on `e` (jump when its truth is
   * `cond`). Returns whether control can reach the fall-through path and the
   * jump target: { falls, jumps }, starting from the current reachability. A
   * constant test is resolved by the CFG optimiser, so its load is not live
   * and one way is impossible.
   */
  jumpIf(e, cond) {
    const u = this.u;
    const entry = u.reachable;
    if (e.kind === 'UnaryOp' && e.op === 'Not') return this.jumpIf(e.operand, !cond);
    if (e.kind === 'Constant') {
      u.addConst(e.value, false);
      const always = truthy(e.value) === cond;
      return { falls: entry && !always, jumps: entry && always };
    }
    if (e.kind === 'BoolOp') {
      // each operand but the last jumps either to the target (same sense) or
      // past the whole test (opposite sense), as in compiler_jump_if
      const cond2 = e.op === 'Or';
      let jumps = false, skip = false;
      e.values.slice(0, -1).forEach((v) => {
        const r = this.jumpIf(v, cond2);
        if (cond2 === cond) jumps = jumps || r.jumps; else skip = skip || r.jumps;
        u.reachable = r.falls;
      });
      const r = this.jumpIf(e.values[e.values.length - 1], cond);
      u.reachable = entry;
      return { falls: r.falls || skip, jumps: jumps || r.jumps };
    }
    if (e.kind === 'IfExp') {
      const t = this.jumpIf(e.test, false);
      u.reachable = t.falls;
      const b = this.jumpIf(e.body, cond);
      u.reachable = t.jumps;
      const o = this.jumpIf(e.orelse, cond);
      u.reachable = entry;
      return { falls: b.falls || o.falls, jumps: b.jumps || o.jumps };
    }
    if (e.kind === 'Compare' && e.ops.length === 1 && (e.ops[0] === 'Is' || e.ops[0] === 'IsNot') &&
        e.comparators[0].kind === 'Constant' && e.comparators[0].value.t === 'none') {
      // LOAD_CONST None; IS_OP; POP_JUMP_IF -> POP_JUMP_IF_(NOT_)NONE
      this.expr(e.left);
      u.addConst(V.NONE, false);
      return { falls: entry, jumps: entry };
    }
    this.expr(e);
    return { falls: entry, jumps: entry };
  }

  /** compiler_if */
  ifStmt(s) {
    const u = this.u;
    const j = this.jumpIf(s.test, false);
    u.reachable = j.falls;
    this.stmts(s.body);
    const bodyEnd = u.reachable;
    u.reachable = j.jumps;
    this.stmts(s.orelse);
    u.reachable = bodyEnd || u.reachable;
  }

  /** compiler_while */
  whileStmt(s) {
    const u = this.u;
    const loop = { type: 'WHILE_LOOP', breakReached: false };
    u.fblocks.push(loop);
    const j = this.jumpIf(s.test, false);
    u.reachable = j.falls;
    this.stmts(s.body);                    // then JUMP back to the test
    u.fblocks.pop();
    u.reachable = j.jumps;
    this.stmts(s.orelse);
    u.reachable = u.reachable || loop.breakReached;
  }

  /** compiler_for */
  forStmt(s) {
    const u = this.u;
    const entry = u.reachable;
    const loop = { type: 'FOR_LOOP', breakReached: false };
    u.fblocks.push(loop);
    this.expr(s.iter);
    this.expr(s.target);
    this.stmts(s.body);
    u.fblocks.pop();
    u.reachable = entry;
    this.stmts(s.orelse);
    u.reachable = u.reachable || loop.breakReached;
  }

  /** compiler_try_except */
  tryExcept(s) {
    const u = this.u;
    const entry = u.reachable;
    u.fblocks.push({ type: 'TRY_EXCEPT' });
    this.stmts(s.body);
    u.fblocks.pop();
    this.stmts(s.orelse);
    let end = u.reachable;
    u.fblocks.push({ type: 'EXCEPTION_HANDLER' });
    s.handlers.forEach((h, i) => {
      if (!h.type && i < s.handlers.length - 1) throw this.error("default 'except:' must be last", h);
      u.reachable = entry;
      if (h.type) this.expr(h.type);
      if (h.name) {
        this.nameop(h.name, 'Store', h);
        u.fblocks.push({ type: 'HANDLER_CLEANUP', datum: h.name });
        this.stmts(h.body);
        u.fblocks.pop();
        const bodyEnd = u.reachable;
        u.addConst(V.NONE);           // name = None; del name (normal exit)
        this.nameop(h.name, 'Store');
        this.nameop(h.name, 'Del');
        u.reachable = entry;          // the same on the exceptional exit
        u.addConst(V.NONE);
        this.nameop(h.name, 'Store');
        this.nameop(h.name, 'Del');
        end = end || bodyEnd;
      } else {
        u.fblocks.push({ type: 'HANDLER_CLEANUP', datum: null });
        this.stmts(h.body);
        u.fblocks.pop();
        end = end || u.reachable;
      }
    });
    u.fblocks.pop();
    u.reachable = end;
  }

  /** compiler_try_finally: the final body is compiled twice (normal and exceptional exit). */
  tryFinally(s) {
    const u = this.u;
    const entry = u.reachable;
    u.fblocks.push({ type: 'FINALLY_TRY', datum: s.finalbody });
    if (s.handlers.length) this.tryExcept(s);
    else this.stmts(s.body);
    u.fblocks.pop();
    this.stmts(s.finalbody);
    const after = u.reachable;
    u.reachable = entry;
    u.fblocks.push({ type: 'FINALLY_END' });
    this.stmts(s.finalbody);
    u.fblocks.pop();
    u.reachable = after;
  }

  /** compiler_with */
  withStmt(s, pos) {
    const u = this.u;
    const entry = u.reachable;
    const item = s.items[pos];
    this.expr(item.context_expr);
    u.fblocks.push({ type: 'WITH' });
    if (item.optional_vars) this.expr(item.optional_vars);
    if (pos + 1 === s.items.length) this.stmts(s.body);
    else this.withStmt(s, pos + 1);
    u.fblocks.pop();
    this.exitWithNones();
    u.reachable = entry; // an exception __exit__ suppresses continues after the block
  }

  /** compiler_assert */
  assertStmt(s) {
    const u = this.u;
    const j = this.jumpIf(s.test, true);
    u.reachable = j.falls;
    if (s.msg) this.expr(s.msg);
    u.reachable = j.jumps;
  }

  /** compiler_import */
  importStmt(s) {
    const u = this.u;
    for (const a of s.names) {
      u.addConst(V.int(0));
      u.addConst(V.NONE);
      u.addName(a.name);
      if (a.asname) {
        const parts = a.name.split('.');
        for (const p of parts.slice(1)) u.addName(p);
        this.nameop(a.asname, 'Store', a);
      } else {
        this.nameop(a.name.split('.')[0], 'Store', a);
      }
    }
  }

  /** compiler_from_import */
  importFrom(s) {
    const u = this.u;
    u.addConst(V.int(s.level));
    u.addConst(V.tuple(s.names.map((a) => V.str(a.name))));
    u.addName(s.module ?? '');
    if (s.names[0].name === '*') return;
    for (const a of s.names) {
      u.addName(a.name);
      this.nameop(a.asname ?? a.name, 'Store', a);
    }
  }

  // ---- expressions

  expr(e) {
    const u = this.u;
    switch (e.kind) {
      case 'Constant': u.addConst(e.value); return;
      case 'Name': this.nameop(e.id, e.ctx, e); return;
      case 'Attribute': this.expr(e.value); this.attrName(e.attr); return;
      case 'Subscript':
        this.expr(e.value);
        this.sliceOrIndex(e.slice);
        return;
      case 'Slice': return this.slice(e);
      case 'Starred':
        if (e.ctx === 'Store') { this.expr(e.value); return; }
        throw this.error("can't use starred expression here", e);
      case 'BoolOp': for (const v of e.values) this.expr(v); return;
      case 'BinOp': this.expr(e.left); this.expr(e.right); return;
      case 'UnaryOp': this.expr(e.operand); return;
      case 'Compare': this.expr(e.left); for (const c of e.comparators) this.expr(c); return;
      case 'IfExp': {
        const entry = u.reachable;
        const j = this.jumpIf(e.test, false);
        u.reachable = j.falls;
        this.expr(e.body);
        u.reachable = j.jumps;
        this.expr(e.orelse);
        u.reachable = entry;
        return;
      }
      case 'Call': return this.call(e);
      case 'List':
        if (e.ctx === 'Load') return this.starunpack(e.elts, 0, false);
        return this.unpackTargets(e);
      case 'Tuple':
        if (e.ctx === 'Load') return this.starunpack(e.elts, 0, true);
        return this.unpackTargets(e);
      case 'Set': return this.starunpack(e.elts, 0, false, true);
      case 'Dict': return this.dict(e);
      case 'JoinedStr': return this.joinedStr(e);
      case 'FormattedValue':
        this.expr(e.value);
        if (e.format_spec) this.expr(e.format_spec);
        return;
      case 'Lambda': return this.lambda(e);
      case 'ListComp': case 'SetComp': case 'DictComp': case 'GeneratorExp':
        return this.comprehension(e);
      case 'Yield':
        if (u.scope.type !== 'function') throw this.error("'yield' outside function", e);
        if (e.value) this.expr(e.value); else u.addConst(V.NONE);
        return;
      case 'YieldFrom':
        if (u.scope.type !== 'function') throw this.error("'yield' outside function", e);
        this.expr(e.value);
        u.addConst(V.NONE);
        return;
      default: throw new Error(`compile: unknown expression ${e.kind}`);
    }
  }

  /** Assignment to a tuple/list target (assignment_helper). */
  unpackTargets(e) {
    let starred = 0;
    for (const el of e.elts) {
      if (el.kind === 'Starred') {
        if (starred++) throw this.error('multiple starred expressions in assignment', el);
      }
    }
    for (const el of e.elts) this.expr(el.kind === 'Starred' ? el.value : el);
  }

  sliceOrIndex(s) {
    this.expr(s);
  }

  /** compiler_slice: missing bounds load None, a missing step nothing. */
  slice(s) {
    const u = this.u;
    if (s.lower) this.expr(s.lower); else u.addConst(V.NONE);
    if (s.upper) this.expr(s.upper); else u.addConst(V.NONE);
    if (s.step) this.expr(s.step);
  }

  /** starunpack_helper */
  starunpack(elts, pushed, tuple, isSet = false) {
    const u = this.u;
    const n = elts.length;
    if (n > 2 && elts.every((x) => x.kind === 'Constant')) {
      const items = elts.map((x) => x.value);
      if (tuple && !pushed) u.addConst(V.tuple(items));
      else if (isSet) u.addConst(frozensetOf(items));
      else u.addConst(V.tuple(items));
      return;
    }
    const big = n + pushed > STACK_USE_GUARDRAIL;
    const star = elts.some((x) => x.kind === 'Starred');
    if (!star && !big) {
      if (tuple) this.buildTuple(elts);
      else for (const x of elts) this.expr(x);
      return;
    }
    for (const x of elts) this.expr(x.kind === 'Starred' ? x.value : x);
  }

  /** compiler_dict / compiler_subdict */
  dict(e) {
    const n = e.values.length;
    let elements = 0;
    for (let i = 0; i < n; i++) {
      if (e.keys[i] === null) {
        if (elements) { this.subdict(e, i - elements, i); elements = 0; }
        this.expr(e.values[i]);
      } else if (elements * 2 > STACK_USE_GUARDRAIL) {
        this.subdict(e, i - elements, i + 1);
        elements = 0;
      } else elements++;
    }
    if (elements) this.subdict(e, n - elements, n);
  }

  subdict(e, begin, end) {
    const keys = constKeyRun(e.keys.slice(begin, end));
    if (keys) {
      for (let i = begin; i < end; i++) this.expr(e.values[i]);
      this.u.addConst(keys);
      return;
    }
    for (let i = begin; i < end; i++) { this.expr(e.keys[i]); this.expr(e.values[i]); }
  }

  /** compiler_joined_str */
  joinedStr(e) {
    if (e.values.length > STACK_USE_GUARDRAIL) {
      this.u.addConst(V.str(''));
      this.u.addName('join');
    }
    for (const v of e.values) this.expr(v);
  }

  /** compiler_call: keyword names checked, then compiler_call_helper. */
  call(e) {
    const seen = new Set();
    for (const k of e.keywords) {
      if (k.arg === null) continue;
      if (seen.has(k.arg)) throw this.error(`keyword argument repeated: ${k.arg}`, k);
      seen.add(k.arg);
    }
    this.expr(e.func);
    this.callHelper(0, e.args, e.keywords);
  }

  /** compiler_call_helper */
  callHelper(pushed, args, keywords) {
    const u = this.u;
    const simple = args.length + keywords.length * 2 <= STACK_USE_GUARDRAIL &&
      !args.some((a) => a.kind === 'Starred') && !keywords.some((k) => k.arg === null);
    if (simple) {
      for (const a of args) this.expr(a);
      if (keywords.length) {
        for (const k of keywords) this.expr(k.value);
        u.addConst(V.tuple(keywords.map((k) => V.str(k.arg))));
      }
      return;
    }
    // CALL_FUNCTION_EX
    if (pushed === 0 && args.length === 1 && args[0].kind === 'Starred') this.expr(args[0].value);
    else this.starunpack(args, pushed, true);
    let nseen = 0;
    keywords.forEach((k, i) => {
      if (k.arg === null) {
        if (nseen) { this.subkwargs(keywords, i - nseen, i); nseen = 0; }
        this.expr(k.value);
      } else nseen++;
    });
    if (nseen) this.subkwargs(keywords, keywords.length - nseen, keywords.length);
  }

  /** compiler_subkwargs */
  subkwargs(keywords, begin, end) {
    const n = end - begin;
    const big = n * 2 > STACK_USE_GUARDRAIL;
    if (n > 1 && !big) {
      for (let i = begin; i < end; i++) this.expr(keywords[i].value);
      this.u.addConst(V.tuple(keywords.slice(begin, end).map((k) => V.str(k.arg))));
      return;
    }
    for (let i = begin; i < end; i++) {
      this.u.addConst(V.str(keywords[i].arg));
      this.expr(keywords[i].value);
    }
  }

  /** compiler_lambda */
  lambda(e) {
    this.defaults(e.args);
    const u = this.enterUnit('lambda', '<lambda>', e, e.lineno);
    u.addConst(V.NONE); // None first: a lambda has no docstring
    this.expr(e.body);
    u.reachable = false; // RETURN_VALUE
    const code = this.finishUnit(!u.scope.generator);
    this.makeClosure(code);
  }

  /** compiler_comprehension: list/set/dict comprehensions inline (PEP 709). */
  comprehension(e) {
    const scope = this.st.byNode.get(e);
    const [outer] = e.generators;
    const inlined = scope.compInlined;
    if (inlined) {
      this.expr(outer.iter);
      const state = this.pushInlined(scope);
      // the locals the inlined comprehension saves and restores around itself
      // (LOAD_FAST_AND_CLEAR ... STORE_FAST), for the interpreter
      e.pushedLocals = state.pushed;
      this.generators(e, 0, true);
      this.popInlined(state);
      return;
    }
    const u = this.enterUnit('genexpr', '<genexpr>', e, e.lineno);
    this.generators(e, 0, false);
    void u;
    const code = this.finishUnit(true);
    this.makeClosure(code);
    this.expr(outer.iter);
  }

  /** push_inlined_comprehension_state */
  pushInlined(comp) {
    const u = this.u;
    const inClassBlock = u.scope.type === 'class' && !u.inInlinedComp;
    u.inInlinedComp++;
    const state = { temp: new Map(), fast: [], pushed: [] };
    for (const [k, v] of comp.symbols) {
      const scope = scopeOf(v);
      const outv = u.flagsOf(k);
      const outsc = scopeOf(outv);
      if ((scope !== outsc && scope !== FREE && !(scope === CELL && outsc === FREE)) || inClassBlock) {
        state.temp.set(k, u.symOverride.has(k) ? u.symOverride.get(k) : undefined);
        u.symOverride.set(k, v);
      }
      if (((v & DEF_LOCAL) && !(v & DEF_NONLOCAL)) || inClassBlock) {
        if (u.scope.type !== 'function' && !u.fastHidden.has(k)) {
          u.fastHidden.add(k);
          state.fast.push(k);
        }
        u.addVar(k); // LOAD_FAST_AND_CLEAR
        state.pushed.push(k);
      }
    }
    return state;
  }

  popInlined(state) {
    const u = this.u;
    u.inInlinedComp--;
    for (const [k, prev] of state.temp) {
      if (prev === undefined) u.symOverride.delete(k); else u.symOverride.set(k, prev);
    }
    for (const k of state.fast) u.fastHidden.delete(k);
  }

  /** compiler_sync_comprehension_generator */
  generators(e, index, iterOnStack) {
    const u = this.u;
    const gen = e.generators[index];
    if (!iterOnStack) {
      if (index === 0) u.addVar('.0');
      else {
        const it = gen.iter;
        const elts = it.kind === 'List' || it.kind === 'Tuple' ? it.elts : null;
        if (elts && elts.length === 1 && elts[0].kind !== 'Starred') this.expr(elts[0]);
        else this.expr(it);
      }
    }
    this.expr(gen.target);
    const entry = u.reachable;
    for (const cond of gen.ifs) u.reachable = this.jumpIf(cond, false).falls;
    if (index + 1 < e.generators.length) this.generators(e, index + 1, false);
    else if (e.kind === 'DictComp') { this.expr(e.key); this.expr(e.value); }
    else this.expr(e.elt);
    u.reachable = entry;
  }
}

/**
 * Compile Python source: returns { code, ast, symtable } where code is the
 * module's code object description (nested code objects in its consts as
 * { t: 'code', v }). Throws PySyntaxError / UnsupportedError.
 */
export function compile(src) {
  const ast = optimize(parse(src));
  const st = buildSymtable(ast);
  const code = new Compiler(st).module(ast);
  return { code, ast, symtable: st };
}

/**
 * compiler_subdict: a run of `key: value` items whose keys are all
 * constants (2 to 15 of them) is BUILD_CONST_KEY_MAP with the keys as one
 * tuple constant, returned here; null otherwise.
 */
export function constKeyRun(keys) {
  const n = keys.length;
  if (n < 2 || n * 2 > STACK_USE_GUARDRAIL || !keys.every((k) => k.kind === 'Constant')) return null;
  return V.tuple(keys.map((k) => k.value));
}

/**
 * The co_consts index of a constant value in `code` (-1 when absent):
 * co_consts holds each value once (merged by constKey), so every LOAD_CONST
 * of an equal value uses this index — and this object, which matters for
 * reference counts.
 */
export function constIndexOf(code, value) {
  return code.constIndex.get(V.constKey(value)) ?? -1;
}

/**
 * How code in `code` accesses `name` (compiler_nameop without the
 * inlined-comprehension overrides): 'fast' | 'deref' | 'global' | 'name'.
 */
export function nameAccess(code, name) {
  const s = code.scope;
  const m = mangle(code.kind === 'class' ? code.name : null, name);
  const sc = s.scope(m);
  const fnLike = s.type === 'function';
  if (sc === FREE || sc === CELL) return 'deref';
  if (sc === LOCAL && fnLike) return 'fast';
  if ((sc === GLOBAL_IMPLICIT && fnLike) || sc === GLOBAL_EXPLICIT) return 'global';
  return 'name';
}
