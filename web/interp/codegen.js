// codegen.js — CPython 3.12 instruction lists for the code objects that
// compile.js describes (Python/compile.c's code generator, before the CFG
// optimiser's block reordering).
//
// generate(codeInfo) returns { instrs, labels } for one code object and
// caches it on codeInfo.instrs; nested code objects are generated on demand
// by the VM. Each instruction is { op, arg, node, line } where `node` is the
// AST node whose position a traceback shows. Jump arguments are instruction
// indices (absolute), resolved from labels at the end.
//
// Exception handling: like compile.c, the generator emits the pseudo
// instructions SETUP_FINALLY / SETUP_CLEANUP / POP_BLOCK. CPython's
// assembler turns them into the exception table (handler, stack depth at
// the SETUP, lasti flag for SETUP_CLEANUP); the VM keeps them as a block
// stack with the same meaning: the depth is the value stack's height when
// the SETUP runs. dis never shows them; tests compare without them.

import { constIndexOf, constKeyRun, CO_GENERATOR } from './compile.js';
import { truthy } from './optimize.js';
import { DEF_IMPORT, GLOBAL_IMPLICIT, FREE } from './symtable.js';

const STACK_USE_GUARDRAIL = 30;
const INTRINSIC_LIST_TO_TUPLE = 6;

// BINARY_OP opargs (NB_* of Include/internal/pycore_opcode.h ordering, 3.12)
export const NB = {
  Add: 0, BitAnd: 1, FloorDiv: 2, LShift: 3, MatMult: 4, Mult: 5, Mod: 6, BitOr: 7, Pow: 8,
  RShift: 9, Sub: 10, Div: 11, BitXor: 12,
};
export const NB_INPLACE = 13;
// COMPARE_OP: the rich comparison op (3.12 encodes it as op << 4; we keep op)
export const CMP = { Lt: 0, LtE: 1, Eq: 2, NotEq: 3, Gt: 4, GtE: 5 };

export const PSEUDO = new Set(['SETUP_FINALLY', 'SETUP_CLEANUP', 'SETUP_WITH', 'POP_BLOCK', 'JUMP', 'JUMP_NO_INTERRUPT']);

class Label { constructor() { this.pos = -1; } }

/** Unsupported construct inside the VM (valid Python the codegen does not handle yet). */
export class CodegenError extends Error {
  constructor(msg, node) {
    super(`pyheap: ${msg}${node && node.lineno ? ` (line ${node.lineno})` : ''}`);
    this.name = 'UnsupportedError';
  }
}

/** localsplus layout of a code object: names, kinds, index by name. */
export function localsPlus(code) {
  const names = [...code.varnames];
  const kinds = code.varnames.map(() => 0x20);
  const index = new Map(names.map((n, i) => [n, i]));
  for (const c of code.cellvars) {
    if (index.has(c)) { kinds[index.get(c)] |= 0x40; continue; }
    index.set(c, names.length); names.push(c); kinds.push(0x40);
  }
  for (const f of code.freevars) {
    index.set(f, names.length); names.push(f); kinds.push(0x80);
  }
  // inlined comprehension locals of module/class bodies are hidden fast locals
  if (code.kind === 'module' || code.kind === 'class') for (let i = 0; i < code.varnames.length; i++) kinds[i] |= 0x10;
  return { names, kinds, index };
}

class Gen {
  constructor(code) {
    this.code = code;
    this.instrs = [];
    this.lp = localsPlus(code);
    this.fblocks = [];
    this.line = code.firstlineno;
  }

  emit(op, arg = 0, node = null) {
    const line = node && node.lineno ? node.lineno : this.line;
    // ev: the instruction carries a source line for line events (artificial ones do not)
    this.instrs.push({ op, arg, node, line, ev: !!node || this.forceEv });
    return this.instrs.length - 1;
  }

  label() { return new Label(); }
  bind(l) { l.pos = this.instrs.length; }

  nameIdx(n) {
    const i = this.code.names.indexOf(n);
    if (i < 0) throw new CodegenError(`name '${n}' missing from co_names of ${this.code.qualname}`);
    return i;
  }

  constIdx(v) {
    const i = constIndexOf(this.code, v);
    if (i < 0) return -1;   // a constant of code the optimiser drops as unreachable (checked in finish)
    if (i < 0) throw new CodegenError(`constant missing from co_consts of ${this.code.qualname}`);
    return i;
  }

  loadConst(v, node) { this.emit('LOAD_CONST', this.constIdx(v), node); }

  // ---- names (compiler_nameop)

  nameOp(node, ctx, name = node.mangled ?? node.id, access = node.access, pos = node) {
    const pre = ctx === 'Load' ? 'LOAD' : ctx === 'Store' ? 'STORE' : 'DELETE';
    switch (access) {
      case 'fast': return this.emit(`${pre}_FAST`, this.lp.index.get(name), pos);
      case 'deref': return this.emit(`${pre}_DEREF`, this.lp.index.get(name), pos);
      case 'global':
        if (pre === 'LOAD') return this.emit('LOAD_GLOBAL', this.nameIdx(name) << 1, pos);
        return this.emit(`${pre}_GLOBAL`, this.nameIdx(name), pos);
      default: return this.emit(`${pre}_NAME`, this.nameIdx(name), pos);
    }
  }

  // ---- statements

  body(stmts) { for (const s of stmts) this.stmt(s); }

  stmt(s) {
    this.line = s.lineno;
    switch (s.kind) {
      case 'Expr':
        if (s.value.kind === 'Constant') { this.emit('NOP', 0, s); return; }
        this.expr(s.value); this.emit('POP_TOP', 0, s); return;
      case 'Pass': this.emit('NOP', 0, s); return;
      case 'Assign': {
        const t0 = s.targets[0], v = s.value;
        if (s.targets.length === 1 && (t0.kind === 'Tuple' || t0.kind === 'List') && v.kind === 'Tuple'
            && v.elts.length === t0.elts.length && v.elts.length <= 3
            && !v.elts.every((x) => x.kind === 'Constant') && !t0.elts.some((x) => x.kind === 'Starred')
            && !v.elts.some((x) => x.kind === 'Starred')) {
          // flowgraph.c: BUILD_TUPLE n + UNPACK_SEQUENCE n (n <= 3) becomes SWAPs
          for (const x of v.elts) this.expr(x);
          if (v.elts.length > 1) this.emit('SWAP', v.elts.length, s);
          for (const x of t0.elts) this.store(x);
          return;
        }
        this.expr(s.value);
        s.targets.forEach((t, i) => {
          if (i < s.targets.length - 1) this.emit('COPY', 1, s);
          this.store(t);
        });
        return;
      }
      case 'AugAssign': return this.augAssign(s);
      case 'Delete': for (const t of s.targets) this.del(t); return;
      case 'If': return this.ifStmt(s);
      case 'While': return this.whileStmt(s);
      case 'For': return this.forStmt(s);
      case 'Break': return this.breakStmt(s);
      case 'Continue': return this.continueStmt(s);
      case 'Return': return this.returnStmt(s);
      case 'FunctionDef': return this.funcDef(s);
      case 'ClassDef': return this.classDef(s);
      case 'Import': return this.importStmt(s);
      case 'ImportFrom': return this.importFrom(s);
      case 'Global': case 'Nonlocal': return;   // no instruction
      case 'Raise': return this.raiseStmt(s);
      case 'Try': return s.finalbody.length ? this.tryFinally(s) : this.tryExcept(s);
      case 'Assert': return this.assertStmt(s);
      case 'With': return this.withStmt(s, 0);
      default: throw new CodegenError(`'${s.kind}' statements are not supported by the interpreter yet`, s);
    }
  }

  store(t) {
    switch (t.kind) {
      case 'Name': this.nameOp(t, 'Store'); return;
      case 'Attribute': this.expr(t.value); this.emit('STORE_ATTR', this.nameIdx(t.attr), t); return;
      case 'Subscript': this.expr(t.value); this.expr(t.slice); this.emit('STORE_SUBSCR', 0, t); return;
      case 'Tuple': case 'List': {
        // assignment_helper / unpack_helper: UNPACK_EX (before | after << 8) with one starred target
        const n = t.elts.length;
        const star = t.elts.findIndex((x) => x.kind === 'Starred');
        if (star >= 0) this.emit('UNPACK_EX', star + ((n - star - 1) << 8), t);
        else this.emit('UNPACK_SEQUENCE', n, t);
        for (const e of t.elts) this.store(e.kind === 'Starred' ? e.value : e);
        return;
      }
      default: throw new CodegenError(`cannot assign to ${t.kind}`, t);
    }
  }

  del(t) {
    switch (t.kind) {
      case 'Name': this.nameOp(t, 'Del'); return;
      case 'Attribute': this.expr(t.value); this.emit('DELETE_ATTR', this.nameIdx(t.attr), t); return;
      case 'Subscript': this.expr(t.value); this.expr(t.slice); this.emit('DELETE_SUBSCR', 0, t); return;
      case 'Tuple': case 'List': for (const e of t.elts) this.del(e); return;
      default: throw new CodegenError(`cannot delete ${t.kind}`, t);
    }
  }

  augAssign(s) {
    const t = s.target;
    const op = NB_INPLACE + NB[s.op];
    if (t.kind === 'Name') {
      this.nameOp(t, 'Load'); this.expr(s.value); this.emit('BINARY_OP', op, s); this.nameOp(t, 'Store');
    } else if (t.kind === 'Attribute') {
      this.expr(t.value); this.emit('COPY', 1, t); this.emit('LOAD_ATTR', this.nameIdx(t.attr) << 1, t);
      this.expr(s.value); this.emit('BINARY_OP', op, s);
      this.emit('SWAP', 2, t); this.emit('STORE_ATTR', this.nameIdx(t.attr), t);
    } else if (t.kind === 'Subscript') {
      this.expr(t.value); this.expr(t.slice); this.emit('COPY', 2, t); this.emit('COPY', 2, t);
      this.emit('BINARY_SUBSCR', 0, t); this.expr(s.value); this.emit('BINARY_OP', op, s);
      this.emit('SWAP', 3, t); this.emit('SWAP', 2, t); this.emit('STORE_SUBSCR', 0, t);
    } else throw new CodegenError('bad augmented assignment target', t);
  }

  ifStmt(s) {
    const end = this.label();
    const orelse = s.orelse.length ? this.label() : end;
    this.jumpIf(s.test, orelse, false);
    this.body(s.body);
    if (s.orelse.length) {
      this.emit('JUMP', end, null);
      this.bind(orelse);
      this.body(s.orelse);
    }
    this.bind(end);
  }

  // compiler_jump_if: jump to `target` when the test's truth equals `cond`
  jumpIf(e, target, cond) {
    if (e.kind === 'Constant') {   // constant tests are resolved at compile time (flowgraph)
      if (truthy(e.value) === cond) this.emit('JUMP', target, null);
      return;
    }
    if (e.kind === 'UnaryOp' && e.op === 'Not') return this.jumpIf(e.operand, target, !cond);
    if (e.kind === 'BoolOp') {
      const isOr = e.op === 'Or';
      if (isOr === cond) {
        for (const v of e.values) this.jumpIf(v, target, cond);
      } else {
        const skip = this.label();
        for (let i = 0; i < e.values.length - 1; i++) this.jumpIf(e.values[i], skip, !cond);
        this.jumpIf(e.values[e.values.length - 1], target, cond);
        this.bind(skip);
      }
      return;
    }
    if (e.kind === 'Compare' && e.ops.length === 1 && (e.ops[0] === 'Is' || e.ops[0] === 'IsNot')
        && e.comparators[0].kind === 'Constant' && e.comparators[0].value.t === 'none') {
      this.expr(e.left);
      const isNone = e.ops[0] === 'Is';
      this.emit(isNone === cond ? 'POP_JUMP_IF_NONE' : 'POP_JUMP_IF_NOT_NONE', target, e);
      return;
    }
    this.expr(e);
    this.emit(cond ? 'POP_JUMP_IF_TRUE' : 'POP_JUMP_IF_FALSE', target, e);
  }

  whileStmt(s) {
    const top = this.label(), end = this.label(), body = this.label();
    const orelse = s.orelse.length ? this.label() : end;
    this.bind(top);
    if (s.test.kind === 'Constant' && truthy(s.test.value)) {
      this.bind(body);
      this.emit('NOP', 0, s.test);   // the while line: a line event on every iteration
    } else {
      this.jumpIf(s.test, orelse, false);
      this.bind(body);
    }
    this.fblocks.push({ type: 'while', top, end });
    this.body(s.body);
    this.fblocks.pop();
    this.line = s.lineno;
    if (s.test.kind === 'Constant') {
      // compiler_jump_if of the constant test: a JUMP located at the while statement
      // (no line event of its own here; the location only stops jump threading)
      this.instrs[this.emit('JUMP_BACKWARD', body, null)].jumpLine = s.lineno;
    }
    else this.jumpIf(s.test, body, true);   // 3.12: the test is repeated at the bottom
    if (s.orelse.length) { this.bind(orelse); this.body(s.orelse); }
    this.bind(end);
  }

  forStmt(s) {
    const top = this.label(), cleanup = this.label(), end = this.label();
    this.expr(s.iter);
    this.emit('GET_ITER', 0, s.iter);
    this.bind(top);
    this.emit('FOR_ITER', cleanup, s.iter);
    this.fblocks.push({ type: 'for', top, end });
    this.store(s.target);
    this.body(s.body);
    this.fblocks.pop();
    this.line = s.lineno;
    this.emit('JUMP_BACKWARD', top, null);
    this.bind(cleanup);
    this.emit('END_FOR', 0, s.iter);
    this.body(s.orelse);
    this.bind(end);
  }

  // compiler_unwind_fblock: what leaving each block costs on the way out
  unwind(fb, preserveTos) {
    switch (fb.type) {
      case 'while': return;
      case 'for':
        if (preserveTos) this.emit('SWAP', 2);
        this.emit('POP_TOP');
        return;
      case 'try': this.emit('POP_BLOCK'); return;
      case 'finally_try':
        this.emit('POP_BLOCK');   // the value to return stays under the finally body (POP_VALUE block)
        this.fblocks.push({ type: 'finally_end_marker' });
        this.unwindingFinally(fb, preserveTos);
        this.fblocks.pop();
        return;
      case 'handler_cleanup':
        if (fb.name) { this.emit('POP_BLOCK'); }
        this.emit('POP_BLOCK');
        if (preserveTos) this.emit('SWAP', 2);
        this.emit('POP_EXCEPT');
        if (fb.name) {
          this.emit('LOAD_CONST', this.constIdx({ t: 'none' }));
          this.nameOp(fb.nameNode, 'Store', fb.name, fb.access, null);
          this.nameOp(fb.nameNode, 'Del', fb.name, fb.access, null);
        }
        return;
      case 'except': return;   // EXCEPTION_HANDLER: nothing (its HANDLER_CLEANUP does the work)
      case 'with':
        // compiler_unwind_fblock WITH: leave the block and call __exit__(None, None, None)
        this.emit('POP_BLOCK', 0, fb.node);
        if (preserveTos) this.emit('SWAP', 2, fb.node);
        this.exitWithNones(fb.node);
        this.emit('POP_TOP', 0, fb.node);
        return;
      case 'finally_end':
        if (preserveTos) this.emit('SWAP', 2);
        this.emit('POP_TOP');   // the exception
        this.emit('POP_BLOCK');
        if (preserveTos) this.emit('SWAP', 2);
        this.emit('POP_EXCEPT');
        return;
      default: return;
    }
  }

  unwindingFinally(fb, preserveTos) {
    // the finally body, compiled with the blocks outside it
    const saved = this.fblocks;
    this.fblocks = saved.slice(0, saved.indexOf(fb));
    this.body(fb.finalbody);
    this.fblocks = saved;
    if (preserveTos) { /* the value stays on top */ }
  }

  unwindTo(loopOnly, preserveTos) {
    for (let i = this.fblocks.length - 1; i >= 0; i--) {
      const fb = this.fblocks[i];
      if (loopOnly && (fb.type === 'while' || fb.type === 'for')) return fb;
      const saved = this.fblocks;
      this.fblocks = saved.slice(0, i);
      this.unwind(fb, preserveTos);
      this.fblocks = saved;
    }
    return null;
  }

  // compiler_break / compiler_continue: a NOP carries the statement's line, then the
  // unwinding; after a finally body the jump has no location
  breakStmt(s) {
    const loop = this.findLoop(s);
    this.emit('NOP', 0, s);
    const fin = this.crossesFinally(loop);
    this.unwindInner(loop, false);
    this.unwind(loop, false);
    this.emit('JUMP', loop.end, fin ? null : s);
  }

  continueStmt(s) {
    const loop = this.findLoop(s);
    this.emit('NOP', 0, s);
    const fin = this.crossesFinally(loop);
    this.unwindInner(loop, false);
    this.emit('JUMP', loop.top, fin ? null : s);
  }

  crossesFinally(loop) {
    return this.fblocks.slice(this.fblocks.indexOf(loop) + 1).some((fb) => fb.type === 'finally_try' || fb.type === 'with');
  }

  findLoop(s) {
    for (let i = this.fblocks.length - 1; i >= 0; i--) {
      const t = this.fblocks[i].type;
      if (t === 'while' || t === 'for') return this.fblocks[i];
    }
    throw new CodegenError("'break' outside loop", s);
  }

  unwindInner(loop, preserveTos) {
    const i = this.fblocks.indexOf(loop);
    for (let j = this.fblocks.length - 1; j > i; j--) {
      const saved = this.fblocks;
      this.fblocks = saved.slice(0, j);
      this.unwind(saved[j], preserveTos);
      this.fblocks = saved;
    }
  }

  returnStmt(s) {
    const v = s.value;
    const isConst = !v || v.kind === 'Constant';
    if (!isConst) this.expr(v);
    else this.emit('NOP', 0, s);   // compiler_return: the return's line before any finally body
    const saved = this.fblocks;
    for (let j = saved.length - 1; j >= 0; j--) {
      this.fblocks = saved.slice(0, j);
      this.unwind(saved[j], !isConst);
    }
    this.fblocks = saved;
    this.line = s.lineno;
    // after a finally body the return has no location (compiler_unwind_fblock sets NO_LOCATION)
    const loc = saved.some((fb) => fb.type === 'finally_try' || fb.type === 'with') ? null : s;
    if (isConst) this.emit('RETURN_CONST', this.constIdx(v ? v.value : { t: 'none' }), loc);
    else this.emit('RETURN_VALUE', 0, loc);
  }

  // ---- functions and classes

  defaults(args, node) {
    let flags = 0;
    if (args.defaults.length) {
      if (args.defaults.every((d) => d.kind === 'Constant')) {
        this.loadConst({ t: 'tuple', v: args.defaults.map((d) => d.value) }, node);
      } else {
        for (const d of args.defaults) this.expr(d);
        this.emit('BUILD_TUPLE', args.defaults.length, node);
      }
      flags |= 1;
    }
    const kw = args.kwonlyargs.map((a, i) => [a, args.kw_defaults[i]]).filter(([, d]) => d);
    if (kw.length) {
      // compiler_visit_kwonlydefaults + the optimiser: values, then the constant key tuple
      for (const [, d] of kw) this.expr(d);
      this.loadConst({ t: 'tuple', v: kw.map(([a]) => ({ t: 'str', v: a.arg })) }, node);
      this.emit('BUILD_CONST_KEY_MAP', kw.length, node);
      flags |= 2;
    }
    return flags;
  }

  funcDef(s) {
    for (const d of s.decorator_list) this.expr(d);
    const flags = this.defaults(s.args, s);
    this.makeClosureWith(s.code, s, flags);
    this.applyDecorators(s);
    this.nameOp(s, 'Store', s.mangled ?? s.name, s.access);
  }

  // compiler_apply_decorators: innermost first, each CALL at its decorator's line
  applyDecorators(s) {
    for (let i = s.decorator_list.length - 1; i >= 0; i--) this.emit('CALL', 0, s.decorator_list[i]);
  }

  makeClosureWith(code, node, flags) {
    // MAKE_FUNCTION takes the closure tuple, then defaults under it: the
    // defaults were pushed first, so build the closure and function now.
    let f = flags;
    if (code.freevars.length) {
      for (const fv of code.freevars) {
        const idx = this.lp.index.get(fv);
        if (idx === undefined) throw new CodegenError(`closure variable '${fv}' not found`, node);
        this.emit('LOAD_CLOSURE', idx, node);
      }
      this.emit('BUILD_TUPLE', code.freevars.length, node);
      f |= 8;
    }
    this.emit('LOAD_CONST', this.constIdx({ t: 'code', v: code }), node);
    this.emit('MAKE_FUNCTION', f, node);
    return f;
  }

  classDef(s) {
    for (const d of s.decorator_list) this.expr(d);
    this.emit('PUSH_NULL', 0, s);
    this.emit('LOAD_BUILD_CLASS', 0, s);
    this.makeClosureWith(s.code, s, 0);
    this.loadConst({ t: 'str', v: s.name }, s);
    if (s.keywords.length) throw new CodegenError('class keywords (metaclass=...) are not supported', s);
    if (s.bases.some((b) => b.kind === 'Starred')) throw new CodegenError('starred base classes are not supported', s);
    for (const b of s.bases) this.expr(b);
    this.emit('CALL', 2 + s.bases.length, s);
    this.applyDecorators(s);
    this.nameOp(s, 'Store', s.mangled ?? s.name, s.access);
  }

  importStmt(s) {
    for (const a of s.names) {
      this.loadConst({ t: 'int', v: 0n }, s);
      this.loadConst({ t: 'none' }, s);
      this.emit('IMPORT_NAME', this.nameIdx(a.name), s);
      if (a.name.includes('.') && !a.asname) throw new CodegenError('dotted imports (import a.b) are not supported', s);
      this.nameOp(a, 'Store', a.mangled ?? (a.asname || a.name), a.access);
    }
  }

  importFrom(s) {
    this.loadConst({ t: 'int', v: BigInt(s.level) }, s);
    this.loadConst({ t: 'tuple', v: s.names.map((a) => ({ t: 'str', v: a.name })) }, s);
    this.emit('IMPORT_NAME', this.nameIdx(s.module), s);
    for (const a of s.names) {
      this.emit('IMPORT_FROM', this.nameIdx(a.name), s);
      this.nameOp(a, 'Store', a.mangled ?? (a.asname || a.name), a.access);
    }
    this.emit('POP_TOP', 0, s);
  }

  raiseStmt(s) {
    let n = 0;
    if (s.exc) { this.expr(s.exc); n = 1; }
    if (s.cause) { this.expr(s.cause); n = 2; }
    this.emit('RAISE_VARARGS', n, s);
  }

  assertStmt(s) {
    const end = this.label();
    this.jumpIf(s.test, end, true);
    this.emit('LOAD_ASSERTION_ERROR', 0, s);
    if (s.msg) { this.expr(s.msg); this.emit('CALL', 0, s); }
    this.emit('RAISE_VARARGS', 1, s);
    this.bind(end);
  }

  // compiler_call_exit_with_nones: __exit__ is under three Nones; CALL 2 calls it as a method
  exitWithNones(node) {
    for (let i = 0; i < 3; i++) this.loadConst({ t: 'none' }, node);
    this.emit('CALL', 2, node);
  }

  // compiler_with: BEFORE_WITH, a SETUP_WITH block around the body, __exit__(None, None, None)
  // on the way out, and the handler that calls __exit__ with the exception (WITH_EXCEPT_START)
  withStmt(s, pos) {
    const item = s.items[pos];
    const final = this.label(), exit = this.label(), cleanup = this.label(), suppress = this.label();
    this.line = s.lineno;
    this.expr(item.context_expr);
    this.emit('BEFORE_WITH', 0, s);
    this.emit('SETUP_WITH', final, s);
    if (item.optional_vars) this.store(item.optional_vars);
    else this.emit('POP_TOP', 0, s);
    this.fblocks.push({ type: 'with', node: s });
    if (pos + 1 === s.items.length) this.body(s.body);
    else this.withStmt(s, pos + 1);
    this.fblocks.pop();
    this.line = s.lineno;
    this.emit('POP_BLOCK', 0, null);
    this.exitWithNones(s);
    this.emit('POP_TOP', 0, s);
    this.emit('JUMP', exit, s);
    this.bind(final);
    this.emit('SETUP_CLEANUP', cleanup, s);
    this.emit('PUSH_EXC_INFO', 0, s);
    this.emit('WITH_EXCEPT_START', 0, s);
    // compiler_with_except_finish: a true result suppresses the exception
    this.emit('POP_JUMP_IF_TRUE', suppress, null);
    this.emit('RERAISE', 2, null);
    this.bind(suppress);
    this.emit('POP_TOP', 0, null);
    this.emit('POP_BLOCK', 0, null);
    this.emit('POP_EXCEPT', 0, null);
    this.emit('POP_TOP', 0, null);
    this.emit('POP_TOP', 0, null);
    this.emit('JUMP', exit, null);
    this.bind(cleanup);
    this.popExceptAndReraise();
    this.bind(exit);
  }

  // compiler_try_except
  tryExcept(s) {
    const except = this.label(), orelse = this.label(), end = this.label(), cleanup = this.label();
    this.emit('SETUP_FINALLY', except, s);
    this.fblocks.push({ type: 'try' });
    this.body(s.body);
    this.fblocks.pop();
    this.emit('POP_BLOCK', 0, null);
    this.emit('JUMP', orelse, null);
    this.bind(except);
    this.emit('SETUP_CLEANUP', cleanup, null);
    this.emit('PUSH_EXC_INFO', 0, null);
    this.fblocks.push({ type: 'except' });
    for (const h of s.handlers) {
      this.line = h.lineno;
      const next = this.label();
      if (h.type) {
        this.expr(h.type);
        this.emit('CHECK_EXC_MATCH', 0, h.type);
        this.emit('POP_JUMP_IF_FALSE', next, h.type);
      }
      if (h.name) {
        this.nameOp(h, 'Store', h.mangled ?? h.name, h.access);
        const cleanupBody = this.label();
        this.emit('SETUP_CLEANUP', cleanupBody, null);
        this.fblocks.push({ type: 'handler_cleanup', name: h.mangled ?? h.name, access: h.access, nameNode: h });
        this.body(h.body);
        this.fblocks.pop();
        this.emit('POP_BLOCK', 0, null);
        this.emit('POP_BLOCK', 0, null);
        this.emit('POP_EXCEPT', 0, null);
        this.loadConst({ t: 'none' }, null);
        this.nameOp(h, 'Store', h.mangled ?? h.name, h.access, null);
        this.nameOp(h, 'Del', h.mangled ?? h.name, h.access, null);
        this.emit('JUMP', end, null);
        this.bind(cleanupBody);
        this.loadConst({ t: 'none' }, null);
        this.nameOp(h, 'Store', h.mangled ?? h.name, h.access, null);
        this.nameOp(h, 'Del', h.mangled ?? h.name, h.access, null);
        this.emit('RERAISE', 1, null);
      } else {
        this.emit('POP_TOP', 0, h);
        this.fblocks.push({ type: 'handler_cleanup', name: null });
        this.body(h.body);
        this.fblocks.pop();
        this.emit('POP_BLOCK', 0, null);
        this.emit('POP_EXCEPT', 0, null);
        this.emit('JUMP', end, null);
      }
      this.bind(next);
    }
    this.fblocks.pop();
    this.reraiseAndCleanup(cleanup);
    this.bind(orelse);
    this.body(s.orelse);
    this.bind(end);
  }

  // the end of an except/finally block: re-raise, and the cleanup handler
  // that restores exc_info when the block itself raises
  reraiseAndCleanup(cleanup) {
    this.emit('RERAISE', 0, null);
    this.bind(cleanup);
    this.popExceptAndReraise();
  }

  // POP_EXCEPT_AND_RERAISE: restore exc_info from under the handler's values, re-raise with lasti
  popExceptAndReraise() {
    this.emit('COPY', 3, null);
    this.emit('POP_EXCEPT', 0, null);
    this.emit('RERAISE', 1, null);
  }

  // compiler_try_finally (with the except part nested inside, as compile.c does)
  tryFinally(s) {
    const end = this.label(), exit = this.label(), cleanup = this.label();
    this.emit('SETUP_FINALLY', end, s);
    const fb = { type: 'finally_try', finalbody: s.finalbody };
    this.fblocks.push(fb);
    if (s.handlers.length) this.tryExcept({ ...s, finalbody: [] });
    else this.body(s.body);
    this.fblocks.pop();
    this.emit('POP_BLOCK', 0, null);
    this.body(s.finalbody);
    this.emit('JUMP', exit, null);
    this.bind(end);
    this.emit('SETUP_CLEANUP', cleanup, null);
    this.emit('PUSH_EXC_INFO', 0, null);
    this.fblocks.push({ type: 'finally_end' });
    this.body(s.finalbody);
    this.fblocks.pop();
    this.reraiseAndCleanup(cleanup);
    this.bind(exit);
  }

  // ---- expressions

  expr(e) {
    switch (e.kind) {
      case 'Constant': this.loadConst(e.value, e); return;
      case 'Name': this.nameOp(e, 'Load'); return;
      case 'Attribute':
        if (this.canOptimizeSuper(e)) {
          // super().attr / super(C, obj).attr: LOAD_SUPER_ATTR without the method bit
          this.loadArgsForSuper(e.value);
          this.emit('LOAD_SUPER_ATTR', (this.nameIdx(e.attr) << 2) | (e.value.args.length ? 2 : 0), e);
          return;
        }
        this.expr(e.value); this.emit('LOAD_ATTR', this.nameIdx(e.attr) << 1, e); return;
      case 'Subscript':
        this.expr(e.value);
        if (e.slice.kind === 'Slice' && !e.slice.step) {
          this.sliceBound(e.slice.lower); this.sliceBound(e.slice.upper);
          this.emit('BINARY_SLICE', 0, e);
          return;
        }
        this.expr(e.slice); this.emit('BINARY_SUBSCR', 0, e); return;
      case 'Slice': {
        this.sliceBound(e.lower); this.sliceBound(e.upper);
        if (e.step) { this.expr(e.step); this.emit('BUILD_SLICE', 3, e); } else this.emit('BUILD_SLICE', 2, e);
        return;
      }
      case 'BinOp': this.expr(e.left); this.expr(e.right); this.emit('BINARY_OP', NB[e.op], e); return;
      case 'UnaryOp':
        this.expr(e.operand);
        this.emit({ USub: 'UNARY_NEGATIVE', Not: 'UNARY_NOT', Invert: 'UNARY_INVERT', UAdd: 'CALL_INTRINSIC_1' }[e.op],
          e.op === 'UAdd' ? 5 : 0, e);
        return;
      case 'BoolOp': {
        const end = this.label();
        for (let i = 0; i < e.values.length - 1; i++) {
          this.expr(e.values[i]);
          this.emit('COPY', 1, e);
          this.emit(e.op === 'And' ? 'POP_JUMP_IF_FALSE' : 'POP_JUMP_IF_TRUE', end, e);
          this.emit('POP_TOP', 0, e);
        }
        this.expr(e.values[e.values.length - 1]);
        this.bind(end);
        return;
      }
      case 'Compare': return this.compare(e);
      case 'IfExp': {
        const orelse = this.label(), end = this.label();
        this.jumpIf(e.test, orelse, false);
        this.expr(e.body);
        this.emit('JUMP', end, null);
        this.bind(orelse);
        this.expr(e.orelse);
        this.bind(end);
        return;
      }
      case 'Call': return this.call(e);
      case 'List': return this.listDisplay(e);
      case 'Tuple': return this.starunpack(e.elts, 0, 'tuple', e);
      case 'Set': return this.starunpack(e.elts, 0, 'set', e);
      case 'Dict': return this.dictDisplay(e);
      case 'ListComp': case 'SetComp': case 'DictComp': return this.inlinedComp(e);
      case 'GeneratorExp': {
        this.makeClosureWith(e.code, e, 0);
        this.expr(e.generators[0].iter);
        this.emit('GET_ITER', 0, e);
        this.emit('CALL', 0, e);
        return;
      }
      case 'Lambda': {
        const flags = this.defaults(e.args, e);
        this.makeClosureWith(e.code, e, flags);
        return;
      }
      case 'Yield':
        if (e.value) this.expr(e.value); else this.loadConst({ t: 'none' }, e);
        this.emit('YIELD_VALUE', 0, e);
        this.emit('RESUME', 1, e);
        return;
      case 'YieldFrom': {
        // compiler_add_yield_from
        this.expr(e.value);
        this.emit('GET_YIELD_FROM_ITER', 0, e);
        this.loadConst({ t: 'none' }, e);
        const send = this.label(), fail = this.label(), exit = this.label();
        this.bind(send);
        this.emit('SEND', exit, e);
        this.emit('SETUP_FINALLY', fail, null);
        this.emit('YIELD_VALUE', 0, e);
        this.emit('POP_BLOCK', 0, null);
        this.emit('RESUME', 2, e);
        this.emit('JUMP_BACKWARD_NO_INTERRUPT', send, e);
        this.bind(fail);
        this.emit('CLEANUP_THROW', 0, e);   // falls through to END_SEND
        this.bind(exit);
        this.emit('END_SEND', 0, e);
        return;
      }
      case 'JoinedStr':
        if (e.values.length === 1 && e.values[0].kind === 'Constant') { this.expr(e.values[0]); return; }
        // an empty f-string is a Constant already; an empty format spec ({x:}) is BUILD_STRING 0
        for (const v of e.values) this.expr(v);
        if (e.values.length !== 1 || e.values[0].kind !== 'FormattedValue') this.emit('BUILD_STRING', e.values.length, e);
        return;
      case 'FormattedValue':
        this.expr(e.value);
        if (e.format_spec) this.expr(e.format_spec);
        this.emit('FORMAT_VALUE', (e.conversion === 115 ? 1 : e.conversion === 114 ? 2 : e.conversion === 97 ? 3 : 0)
          | (e.format_spec ? 4 : 0), e);
        return;
      case 'Starred': throw new CodegenError('starred expressions outside calls, displays and assignments are not supported', e);
      default: throw new CodegenError(`'${e.kind}' expressions are not supported by the interpreter yet`, e);
    }
  }

  sliceBound(b) { if (b) this.expr(b); else this.loadConst({ t: 'none' }, null); }

  compare(e) {
    const opOf = (op, node) => {
      switch (op) {
        case 'Is': return ['IS_OP', 0];
        case 'IsNot': return ['IS_OP', 1];
        case 'In': return ['CONTAINS_OP', 0];
        case 'NotIn': return ['CONTAINS_OP', 1];
        default: return ['COMPARE_OP', CMP[op]];
      }
    };
    this.expr(e.left);
    if (e.ops.length === 1) {
      this.expr(e.comparators[0]);
      const [op, arg] = opOf(e.ops[0]);
      this.emit(op, arg, e);
      return;
    }
    const cleanup = this.label(), end = this.label();
    for (let i = 0; i < e.ops.length - 1; i++) {
      this.expr(e.comparators[i]);
      this.emit('SWAP', 2, e);
      this.emit('COPY', 2, e);
      const [op, arg] = opOf(e.ops[i]);
      this.emit(op, arg, e);
      this.emit('COPY', 1, e);
      this.emit('POP_JUMP_IF_FALSE', cleanup, e);
      this.emit('POP_TOP', 0, e);
    }
    this.expr(e.comparators[e.ops.length - 1]);
    const [op, arg] = opOf(e.ops[e.ops.length - 1]);
    this.emit(op, arg, e);
    this.emit('JUMP', end, null);
    this.bind(cleanup);
    this.emit('SWAP', 2, e);
    this.emit('POP_TOP', 0, e);
    this.bind(end);
  }

  // compiler_call: maybe_optimize_method_call (LOAD_ATTR with the method bit, or
  // LOAD_SUPER_ATTR for super().m(...)), else PUSH_NULL + the callable, then
  // compiler_call_helper
  call(e) {
    const f = e.func;
    const nargs = e.args.length, nkw = e.keywords.length;
    const plain = !e.args.some((a) => a.kind === 'Starred') && !e.keywords.some((k) => !k.arg);
    if (f.kind === 'Attribute' && !this.importOriginated(f.value) && plain
        && nargs + nkw + (nkw ? 1 : 0) < STACK_USE_GUARDRAIL) {
      if (this.canOptimizeSuper(f)) {
        this.loadArgsForSuper(f.value);
        this.emit('LOAD_SUPER_ATTR', (this.nameIdx(f.attr) << 2) | (f.value.args.length ? 3 : 1), f);
        this.emit('NOP', 0, null);
      } else {
        this.expr(f.value);
        this.emit('LOAD_ATTR', (this.nameIdx(f.attr) << 1) | 1, f);
      }
      for (const a of e.args) this.expr(a);
      this.kwNames(e.keywords, e);
      this.emit('CALL', nargs + nkw, e);
      return;
    }
    // PUSH_NULL; LOAD_GLOBAL x becomes LOAD_GLOBAL (NULL + x) (flowgraph.c)
    if (f.kind === 'Name' && f.access === 'global') {
      this.emit('LOAD_GLOBAL', (this.nameIdx(f.mangled ?? f.id) << 1) | 1, f);
      this.callHelper(0, e.args, e.keywords, e);
      return;
    }
    const at = this.emit('PUSH_NULL', 0, e);
    this.expr(f);
    const next = this.instrs[at + 1];
    if (next && next.op === 'LOAD_GLOBAL' && !(next.arg & 1)) {
      next.arg |= 1;
      this.instrs[at] = { op: 'NOP', arg: 0, node: null, line: this.instrs[at].line, ev: false };
    }
    this.callHelper(0, e.args, e.keywords, e);
  }

  kwNames(keywords, node) {
    // compiler_call_simple_kw_helper
    for (const k of keywords) this.expr(k.value);
    if (keywords.length) {
      this.emit('KW_NAMES', this.constIdx({ t: 'tuple', v: keywords.map((k) => ({ t: 'str', v: k.arg })) }), node);
    }
  }

  // compiler_call_helper: CALL, or CALL_FUNCTION_EX with a tuple (and a dict) built as 3.12 does
  callHelper(pushed, args, keywords, node) {
    const nelts = args.length, nkw = keywords.length;
    if (nelts + nkw * 2 <= STACK_USE_GUARDRAIL && !args.some((a) => a.kind === 'Starred')
        && !keywords.some((k) => !k.arg)) {
      for (const a of args) this.expr(a);
      this.kwNames(keywords, node);
      this.emit('CALL', pushed + nelts + nkw, node);
      return;
    }
    if (pushed === 0 && nelts === 1 && args[0].kind === 'Starred') this.expr(args[0].value);
    else this.starunpack(args, pushed, 'tuple', node);
    if (nkw) {
      let haveDict = false, nseen = 0;
      keywords.forEach((k, i) => {
        if (k.arg === null) {
          if (nseen) {
            this.subkwargs(keywords, i - nseen, i, node);
            if (haveDict) this.emit('DICT_MERGE', 1, node);
            haveDict = true;
            nseen = 0;
          }
          if (!haveDict) { this.emit('BUILD_MAP', 0, node); haveDict = true; }
          this.expr(k.value);
          this.emit('DICT_MERGE', 1, node);
        } else nseen++;
      });
      if (nseen) {
        this.subkwargs(keywords, nkw - nseen, nkw, node);
        if (haveDict) this.emit('DICT_MERGE', 1, node);
      }
    }
    this.emit('CALL_FUNCTION_EX', nkw > 0 ? 1 : 0, node);
  }

  // compiler_subkwargs: keyword arguments between ** unpackings as one dict
  subkwargs(keywords, begin, end, node) {
    const n = end - begin;
    const big = n * 2 > STACK_USE_GUARDRAIL;
    if (n > 1 && !big) {
      for (let i = begin; i < end; i++) this.expr(keywords[i].value);
      this.loadConst({ t: 'tuple', v: keywords.slice(begin, end).map((k) => ({ t: 'str', v: k.arg })) }, node);
      this.emit('BUILD_CONST_KEY_MAP', n, node);
      return;
    }
    if (big) this.emit('BUILD_MAP', 0, null);
    for (let i = begin; i < end; i++) {
      this.loadConst({ t: 'str', v: keywords[i].arg }, node);
      this.expr(keywords[i].value);
      if (big) this.emit('MAP_ADD', 1, null);
    }
    if (!big) this.emit('BUILD_MAP', n, node);
  }

  // can_optimize_super_call: super() / super(a, b) as the object of an attribute,
  // `super` a builtin nobody shadows, and for the zero-argument form a first
  // parameter and the __class__ cell
  canOptimizeSuper(attr) {
    const c = attr.value;
    if (c.kind !== 'Call' || c.func.kind !== 'Name' || c.func.id !== 'super' || attr.attr === '__class__'
        || c.keywords.length) return false;
    const scope = this.code.scope;
    if (scope.scope('super') !== GLOBAL_IMPLICIT) return false;
    const top = this.code.topScope;
    if (top && top.scope('super') !== 0) return false;
    if (c.args.length === 2) return !c.args.some((a) => a.kind === 'Starred');
    if (c.args.length) return false;
    if (this.code.argcount === 0 && this.code.posonlyargcount === 0) return false;
    return this.code.kind !== 'class' && scope.scope('__class__') === FREE;
  }

  // load_args_for_super: the global super, then (C, obj) or (__class__, first argument)
  loadArgsForSuper(c) {
    this.emit('LOAD_GLOBAL', this.nameIdx('super') << 1, c.func);
    if (c.args.length === 2) { this.expr(c.args[0]); this.expr(c.args[1]); return; }
    this.emit('LOAD_DEREF', this.lp.index.get('__class__'), c);
    const first = this.code.varnames[0];
    const i = this.lp.index.get(first);
    this.emit(this.lp.kinds[i] & 0x40 ? 'LOAD_DEREF' : 'LOAD_FAST', i, c);
  }

  importOriginated(v) {
    const top = this.code.topScope;
    return v.kind === 'Name' && !!top && (top.flags(v.id) & DEF_IMPORT) !== 0;
  }

  listDisplay(e) { this.starunpack(e.elts, 0, 'list', e); }

  // starunpack_helper: list/tuple/set displays and a call's positional arguments
  starunpack(elts, pushed, kind, node) {
    const [build, add, extend] = kind === 'set' ? ['BUILD_SET', 'SET_ADD', 'SET_UPDATE'] : ['BUILD_LIST', 'LIST_APPEND', 'LIST_EXTEND'];
    const tuple = kind === 'tuple';
    const n = elts.length;
    const allConst = elts.every((x) => x.kind === 'Constant');
    if (n > 2 && allConst) {
      const values = elts.map((x) => x.value);
      if (tuple && !pushed) { this.loadConst({ t: 'tuple', v: values }, node); return; }
      this.emit(build, pushed, node);
      this.loadConst({ t: kind === 'set' ? 'frozenset' : 'tuple', v: values }, node);
      this.emit(extend, 1, node);
      if (tuple) this.emit('CALL_INTRINSIC_1', INTRINSIC_LIST_TO_TUPLE, node);
      return;
    }
    const big = n + pushed > STACK_USE_GUARDRAIL;
    const star = elts.some((x) => x.kind === 'Starred');
    if (!star && !big) {
      if (tuple && !pushed && allConst) {   // fold_tuple_on_constants (also the empty tuple)
        this.loadConst({ t: 'tuple', v: elts.map((x) => x.value) }, node);
        return;
      }
      for (const x of elts) this.expr(x);
      this.emit(tuple ? 'BUILD_TUPLE' : build, n + pushed, node);
      return;
    }
    let built = false;
    if (big) { this.emit(build, pushed, node); built = true; }
    elts.forEach((x, i) => {
      if (x.kind === 'Starred') {
        if (!built) { this.emit(build, i + pushed, node); built = true; }
        this.expr(x.value);
        this.emit(extend, 1, node);
      } else {
        this.expr(x);
        if (built) this.emit(add, 1, node);
      }
    });
    if (tuple) this.emit('CALL_INTRINSIC_1', INTRINSIC_LIST_TO_TUPLE, node);
  }

  // compiler_dict: runs of key: value pairs (compiler_subdict) merged with ** items by DICT_UPDATE
  dictDisplay(e) {
    const n = e.values.length;
    let haveDict = false, elements = 0;
    for (let i = 0; i < n; i++) {
      if (e.keys[i] === null) {
        if (elements) {
          this.subdict(e, i - elements, i);
          if (haveDict) this.emit('DICT_UPDATE', 1, e);
          haveDict = true;
          elements = 0;
        }
        if (!haveDict) { this.emit('BUILD_MAP', 0, e); haveDict = true; }
        this.expr(e.values[i]);
        this.emit('DICT_UPDATE', 1, e);
      } else if (elements * 2 > STACK_USE_GUARDRAIL) {
        this.subdict(e, i - elements, i + 1);
        if (haveDict) this.emit('DICT_UPDATE', 1, e);
        haveDict = true;
        elements = 0;
      } else elements++;
    }
    if (elements) {
      this.subdict(e, n - elements, n);
      if (haveDict) this.emit('DICT_UPDATE', 1, e);
      haveDict = true;
    }
    if (!haveDict) this.emit('BUILD_MAP', 0, e);
  }

  subdict(e, begin, end) {
    const n = end - begin;
    const big = n * 2 > STACK_USE_GUARDRAIL;
    const keys = constKeyRun(e.keys.slice(begin, end));
    if (keys) {
      for (let i = begin; i < end; i++) this.expr(e.values[i]);
      this.loadConst(keys, e);
      this.emit('BUILD_CONST_KEY_MAP', n, e);
      return;
    }
    if (big) this.emit('BUILD_MAP', 0, e);
    for (let i = begin; i < end; i++) {
      this.expr(e.keys[i]); this.expr(e.values[i]);
      if (big) this.emit('MAP_ADD', 1, e);
    }
    if (!big) this.emit('BUILD_MAP', n, e);
  }

  // compiler_comprehension with PEP 709 inlining
  inlinedComp(e) {
    const gen = e.generators[0];
    this.expr(gen.iter);
    this.emit('GET_ITER', 0, gen.iter);
    const pushed = e.pushedLocals || [];
    for (const n of pushed) this.emit('LOAD_FAST_AND_CLEAR', this.lp.index.get(n), e);
    if (pushed.length) this.emit('SWAP', pushed.length + 1, e);
    const end = this.label(), restore = this.label();
    if (pushed.length) this.emit('SETUP_FINALLY', restore, null);
    this.emit(e.kind === 'ListComp' ? 'BUILD_LIST' : e.kind === 'SetComp' ? 'BUILD_SET' : 'BUILD_MAP', 0, e);
    this.emit('SWAP', 2, e);
    this.compGenerator(e, 0, 0, null);
    if (pushed.length) {
      // pop_inlined_comprehension_state, and the handler that restores the saved locals on an exception
      this.emit('POP_BLOCK', 0, null);
      this.emit('SWAP', pushed.length + 1, e);
      for (let i = pushed.length - 1; i >= 0; i--) this.emit('STORE_FAST', this.lp.index.get(pushed[i]), e);
      this.emit('JUMP', end, null);
      this.bind(restore);
      this.emit('SWAP', 2, e);
      this.emit('POP_TOP', 0, e);
      this.emit('SWAP', pushed.length + 1, e);
      for (let i = pushed.length - 1; i >= 0; i--) this.emit('STORE_FAST', this.lp.index.get(pushed[i]), e);
      this.emit('RERAISE', 0, e);
    }
    this.bind(end);
  }

  /**
   * compiler_sync_comprehension_generator: one `for` clause (and its ifs) of a
   * comprehension, the next clause nested inside. The first clause's iterator
   * is already on the stack; a later `for y in [x]` binds y without a loop.
   * `cont` is where a failed if goes: the innermost enclosing loop's FOR_ITER.
   */
  compGenerator(e, index, depth, cont) {
    const gen = e.generators[index];
    let top = null;
    if (index > 0) {
      const it = gen.iter;
      const elts = it.kind === 'List' || it.kind === 'Tuple' ? it.elts : null;
      if (elts && elts.length === 1 && elts[0].kind !== 'Starred') this.expr(elts[0]);
      else { this.expr(it); this.emit('GET_ITER', 0, it); top = this.label(); }
    } else top = this.label();
    const anchor = this.label();
    if (top) {
      depth++;
      this.bind(top);
      this.emit('FOR_ITER', anchor, index === 0 && e.kind === 'GeneratorExp' ? e : gen.iter);
      cont = top;
    }
    this.store(gen.target);
    for (const cond of gen.ifs) this.jumpIf(cond, cont, false);
    if (index + 1 < e.generators.length) this.compGenerator(e, index + 1, depth, cont);
    else if (e.kind === 'GeneratorExp') {
      this.expr(e.elt);
      this.emit('YIELD_VALUE', 0, e);
      this.emit('RESUME', 1, e);
      this.emit('POP_TOP', 0, e);
    } else if (e.kind === 'DictComp') {
      this.expr(e.key); this.expr(e.value); this.emit('MAP_ADD', depth + 1, e);
    } else {
      this.expr(e.elt); this.emit(e.kind === 'ListComp' ? 'LIST_APPEND' : 'SET_ADD', depth + 1, e);
    }
    if (top) {
      this.emit('JUMP_BACKWARD', top, null);
      this.bind(anchor);
      this.emit('END_FOR', 0, index ? gen.iter : e);
    }
  }

  // ---- code object bodies

  module(node) {
    this.emit('RESUME', 0, null);
    this.body(node.body);
    this.line = this.instrs.length ? this.instrs[this.instrs.length - 1].line : 1;
    this.emit('RETURN_CONST', this.constIdx({ t: 'none' }), null);
    this.instrs[this.instrs.length - 1].implicit = true;
  }

  prologue() {
    const c = this.code;
    for (const name of c.cellvars) this.emit('MAKE_CELL', this.lp.index.get(name), null);
    if (c.freevars.length) this.emit('COPY_FREE_VARS', c.freevars.length, null);
    if (c.flags & CO_GENERATOR) { this.emit('RETURN_GENERATOR', 0, null); this.emit('POP_TOP', 0, null); }
    this.emit('RESUME', 0, null);
    if (c.flags & CO_GENERATOR) {
      // wrap_in_stopiteration_handler: a StopIteration escaping the body becomes RuntimeError
      this.stopIterHandler = this.label();
      this.emit('SETUP_CLEANUP', this.stopIterHandler, null);
    }
  }

  epilogue() {
    if (!this.stopIterHandler) return;
    this.emit('POP_BLOCK', 0, null);   // not reached: the body ends with a return
    this.bind(this.stopIterHandler);
    this.emit('CALL_INTRINSIC_1', 3, null);
    this.emit('RERAISE', 1, null);
  }

  function(node) {
    this.prologue();
    if (node.kind === 'Lambda') {
      this.expr(node.body);
      this.emit('RETURN_VALUE', 0, node.body);
      return;
    }
    const body = node.body;
    const doc = body.length && body[0].kind === 'Expr' && body[0].value.kind === 'Constant' && body[0].value.value.t === 'str';
    this.body(doc ? body.slice(1) : body);
    this.emit('RETURN_CONST', this.constIdx({ t: 'none' }), null);
    this.instrs[this.instrs.length - 1].implicit = true;
    this.epilogue();
  }

  classBody(node) {
    this.prologue();
    this.line = node.lineno;
    this.forceEv = true;   // the class statement's line
    this.emit('LOAD_NAME', this.nameIdx('__name__'), null);
    this.emit('STORE_NAME', this.nameIdx('__module__'), null);
    this.emit('LOAD_CONST', this.constIdx({ t: 'str', v: this.code.qualname }), null);
    this.emit('STORE_NAME', this.nameIdx('__qualname__'), null);
    this.forceEv = false;
    const body = node.body;
    const doc = body.length && body[0].kind === 'Expr' && body[0].value.kind === 'Constant' && body[0].value.value.t === 'str';
    if (doc) {
      this.loadConst(body[0].value.value, body[0]);
      this.emit('STORE_NAME', this.nameIdx('__doc__'), body[0]);
    }
    this.body(doc ? body.slice(1) : body);
    if (this.code.cellvars.includes('__class__')) {
      this.emit('LOAD_CLOSURE', this.lp.index.get('__class__'), null);
      this.emit('COPY', 1, null);
      this.emit('STORE_NAME', this.nameIdx('__classcell__'), null);
      this.emit('RETURN_VALUE', 0, null);
    } else {
      this.emit('RETURN_CONST', this.constIdx({ t: 'none' }), null);
    }
  }

  genexpr(node) {
    this.prologue();
    this.emit('LOAD_FAST', 0, node);   // .0
    this.compGenerator(node, 0, 0, null);
    this.emit('RETURN_CONST', this.constIdx({ t: 'none' }), null);
    this.epilogue();
  }

  finish() {
    for (const ins of this.instrs) if (ins.arg instanceof Label) ins.arg = ins.arg.pos;
    threadJumps(this.instrs);
    // flowgraph.c: unreachable code is dropped (e.g. the implicit return after a return)
    const out = dropUnreachable(this.instrs);
    let laid = coldToEnd(out);
    // 3.12 conditional jumps only go forward: a backward one becomes the inverted
    // test over a JUMP_BACKWARD
    laid = rewrite(laid, (ins, i) => {
      if (!ins.op.startsWith('POP_JUMP_IF_') || ins.arg > i) return null;
      const inv = { POP_JUMP_IF_TRUE: 'POP_JUMP_IF_FALSE', POP_JUMP_IF_FALSE: 'POP_JUMP_IF_TRUE',
        POP_JUMP_IF_NONE: 'POP_JUMP_IF_NOT_NONE', POP_JUMP_IF_NOT_NONE: 'POP_JUMP_IF_NONE' }[ins.op];
      return [{ ...ins, op: inv, arg: { next: 2 } }, { ...ins, op: 'JUMP_BACKWARD', node: null, ev: false }];
    });
    laid = this.dropJumpsToNext(laid);
    // inline_small_exit_blocks: a jump to a basic block of at most 4 instructions
    // that returns becomes a copy of it
    const targets = new Set(laid.filter((x) => HAS_TARGET.has(x.op)).map((x) => x.arg));
    laid = rewrite(laid, (ins) => {
      if (ins.op !== 'JUMP' || ins.fixup) return null;
      const run = [];
      for (let j = ins.arg; j < laid.length && run.length < 4; j++) {
        if (j > ins.arg && targets.has(j)) return null;   // the block ends without returning
        run.push(laid[j]);
        if (TERMINAL.has(laid[j].op) || HAS_TARGET.has(laid[j].op)) break;
      }
      const last = run[run.length - 1];
      if (!last || (last.op !== 'RETURN_VALUE' && last.op !== 'RETURN_CONST')) return null;
      return run.map((x) => ({ ...x }));
    });
    // an exit block whose every jump was inlined is no longer reached
    return this.dropJumpsToNext(dropUnreachable(laid));
  }

  dropJumpsToNext(out) {
    // a jump to the very next instruction is removed (flowgraph.c)
    const keep = out.filter((ins, i) => !(ins.op === 'JUMP' && ins.arg === i + 1));
    if (keep.length !== out.length) {
      const m2 = new Int32Array(out.length + 1);
      let k = 0;
      for (let i = 0; i < out.length; i++) { m2[i] = k; if (!(out[i].op === 'JUMP' && out[i].arg === i + 1)) k++; }
      m2[out.length] = k;
      for (const ins of keep) if (HAS_TARGET.has(ins.op)) ins.arg = m2[ins.arg];
    }
    // YIELD_VALUE's oparg: the exception handlers active at the yield, along the
    // control flow (label_exception_targets; a handler runs with the blocks of its SETUP)
    const depth = new Int32Array(keep.length).fill(-1);
    const work = [[0, 0]];
    while (work.length) {
      let [pc, d] = work.pop();
      for (; pc < keep.length && depth[pc] < 0; pc++) {
        depth[pc] = d;
        const ins = keep[pc];
        if (HAS_TARGET.has(ins.op)) work.push([ins.arg, d]);
        if (ins.op.startsWith('SETUP_')) d++;
        else if (ins.op === 'POP_BLOCK') d--;
        else if (ins.op === 'YIELD_VALUE') ins.arg = d;
        if (TERMINAL.has(ins.op)) break;
      }
    }
    for (const ins of keep) {
      if ((ins.op === 'RETURN_CONST' || ins.op === 'LOAD_CONST' || ins.op === 'KW_NAMES') && ins.arg < 0) {
        throw new CodegenError(`constant missing from co_consts of ${this.code.qualname}`, ins.node);
      }
    }
    this.instrs = keep;
    return keep;
  }
}

/**
 * flowgraph.c jump_thread: a JUMP to an unconditional jump of the same line
 * (or of none) goes straight to its target (a JUMP_BACKWARD target makes it a backward jump: eval breaker
 * and a new line event, as 3.12's JUMP_BACKWARD).
 */
function threadJumps(instrs) {
  const lineOf = (x) => x.jumpLine ?? (x.node && x.node.lineno ? x.node.lineno : -1);
  for (const ins of instrs) {
    if (ins.op !== 'JUMP') continue;
    for (let n = 0; n < 8; n++) {
      const t = instrs[ins.arg];
      if (!t || (t.op !== 'JUMP' && t.op !== 'JUMP_BACKWARD') || t.arg === ins.arg) break;
      if (lineOf(t) !== -1 && lineOf(t) !== lineOf(ins)) break;   // only jumps of one line, or to a jump without one
      if (t.op === 'JUMP_BACKWARD') ins.op = 'JUMP_BACKWARD';
      ins.arg = t.arg;
    }
  }
}

/** The instructions reachable from the first (jumps and handler targets followed), targets remapped. */
function dropUnreachable(instrs) {
  const live = new Uint8Array(instrs.length);
  const work = [0];
  while (work.length) {
    let pc = work.pop();
    while (pc < instrs.length && !live[pc]) {
      live[pc] = 1;
      const ins = instrs[pc];
      if (HAS_TARGET.has(ins.op)) work.push(ins.arg);
      if (TERMINAL.has(ins.op)) break;
      pc++;
    }
  }
  const map = new Int32Array(instrs.length + 1);
  const out = [];
  for (let i = 0; i < instrs.length; i++) { map[i] = out.length; if (live[i]) out.push(instrs[i]); }
  map[instrs.length] = out.length;
  for (const ins of out) if (HAS_TARGET.has(ins.op)) ins.arg = map[ins.arg];
  return out;
}

/**
 * Rewrites an instruction list: expand(ins, i) returns null (keep) or the
 * instructions that replace it; jump targets are remapped to the first
 * replacement of their old target, { next: k } means k instructions after
 * the start of this replacement.
 */
function rewrite(instrs, expand) {
  const repl = instrs.map((ins, i) => expand(ins, i));
  const start = new Int32Array(instrs.length + 1);
  let n = 0;
  repl.forEach((r, i) => { start[i] = n; n += r ? r.length : 1; });
  start[instrs.length] = n;
  const out = [];
  repl.forEach((r, i) => {
    if (!r) { out.push(instrs[i]); return; }
    for (const ins of r) out.push({ ...ins, fresh: true, base: start[i] });
  });
  for (const ins of out) {
    if (!HAS_TARGET.has(ins.op)) continue;
    if (ins.arg && typeof ins.arg === 'object') ins.arg = ins.base + ins.arg.next;
    else ins.arg = start[ins.arg];
  }
  for (const ins of out) { delete ins.fresh; delete ins.base; }
  return out;
}

/**
 * flowgraph.c push_cold_blocks_to_end: blocks reached only through
 * exception handlers move behind the others, in their order; a block that
 * fell through into a moved block gets an explicit jump, and jumps are
 * retargeted.
 */
export function coldToEnd(instrs) {
  const n = instrs.length;
  const starts = new Set([0]);
  instrs.forEach((ins, i) => {
    if (HAS_TARGET.has(ins.op)) starts.add(ins.arg);
    if (TERMINAL.has(ins.op) || HAS_TARGET.has(ins.op)) starts.add(i + 1);
  });
  const bounds = [...starts].filter((x) => x < n).sort((a, b) => a - b);
  const blockOf = new Int32Array(n);
  const blocks = bounds.map((b, k) => ({ start: b, end: k + 1 < bounds.length ? bounds[k + 1] : n, warm: false }));
  blocks.forEach((b, k) => { for (let i = b.start; i < b.end; i++) blockOf[i] = k; });
  const work = [0];
  while (work.length) {
    const k = work.pop();
    const b = blocks[k];
    if (!b || b.warm) continue;
    b.warm = true;
    const last = instrs[b.end - 1];
    if (HAS_TARGET.has(last.op) && !last.op.startsWith('SETUP')) work.push(blockOf[last.arg]);
    if (!TERMINAL.has(last.op) && b.end < n) work.push(k + 1);
  }
  if (blocks.every((b) => b.warm)) return instrs;
  const order = [...blocks.filter((b) => b.warm), ...blocks.filter((b) => !b.warm)];
  const out = [];
  const newStart = new Map();
  const fixups = [];
  order.forEach((b, j) => {
    newStart.set(b.start, out.length);
    for (let i = b.start; i < b.end; i++) out.push({ ...instrs[i], oldArg: instrs[i].arg });
    const last = instrs[b.end - 1];
    const next = order[j + 1];
    if (!TERMINAL.has(last.op) && b.end < n && (!next || next.start !== b.end)) {
      fixups.push(out.length);
      // (added after the CFG optimiser in flowgraph.c: never inlined as a small exit block)
      out.push({ op: 'JUMP', arg: 0, oldArg: b.end, node: null, line: last.line, fixup: true });
    }
  });
  for (const ins of out) if (HAS_TARGET.has(ins.op)) ins.arg = newStart.get(ins.oldArg);
  for (const ins of out) delete ins.oldArg;
  return out;
}

/** The instruction list of a code object (cached on it). */
export function generate(code) {
  if (code.instrs) return code.instrs;
  if (code.kind === 'module') {
    const mark = (c) => { c.topScope = code.scope; for (const k of c.consts) if (k.t === 'code') mark(k.v); };
    mark(code);
  }
  const g = new Gen(code);
  const node = code.node;
  if (code.kind === 'module') g.module(node);
  else if (code.kind === 'class') g.classBody(node);
  else if (code.kind === 'genexpr') g.genexpr(node);
  else g.function(node);
  code.instrs = g.finish();
  code.localsplus = g.lp;
  // co_stacksize: a simple over-estimate from the instruction count is not
  // what CPython reports; compute the maximum depth along the straight line
  code.stacksize = stackDepth(code.instrs);
  return code.instrs;
}

// Stack effects (3.12 stack_effect): [fallthrough, jump]
function effect(ins) {
  const a = ins.arg;
  switch (ins.op) {
    case 'NOP': case 'RESUME': case 'GET_ITER': case 'GET_YIELD_FROM_ITER': case 'UNARY_NEGATIVE': case 'UNARY_NOT':
    case 'UNARY_INVERT': case 'CALL_INTRINSIC_1': case 'KW_NAMES': case 'YIELD_VALUE': case 'CHECK_EXC_MATCH':
    case 'SWAP': case 'DELETE_FAST': case 'DELETE_NAME': case 'DELETE_GLOBAL': case 'DELETE_DEREF': case 'POP_BLOCK':
    case 'JUMP': case 'JUMP_BACKWARD': case 'MAKE_CELL': case 'COPY_FREE_VARS': case 'RETURN_GENERATOR':
    case 'RETURN_CONST':
      return [0, 0];
    case 'SETUP_FINALLY': return [0, 1];
    case 'SEND': return [0, 0];
    case 'END_SEND': return [-1, -1];
    case 'CLEANUP_THROW': return [-1, -1];
    case 'JUMP_BACKWARD_NO_INTERRUPT': return [0, 0];
    case 'SET_UPDATE': return [-1, -1];
    case 'SETUP_CLEANUP': return [0, 2];
    case 'SETUP_WITH': return [0, 1];   // the handler runs without __enter__'s result: [exit, lasti, exc]
    case 'BEFORE_WITH': return [1, 1];
    case 'WITH_EXCEPT_START': return [1, 1];
    case 'UNPACK_EX': return [(a & 0xff) + (a >> 8), 0];
    case 'LOAD_SUPER_ATTR': return [a & 1 ? -1 : -2, 0];
    case 'CALL_FUNCTION_EX': return [-2 - (a & 1), 0];
    case 'LIST_EXTEND': case 'LIST_APPEND': case 'SET_ADD': case 'DICT_MERGE': case 'DICT_UPDATE': return [-1, -1];
    case 'LOAD_ATTR': return [a & 1 ? 1 : 0, 0];
    case 'LOAD_GLOBAL': return [a & 1 ? 2 : 1, 0];
    case 'LOAD_CONST': case 'LOAD_FAST': case 'LOAD_NAME': case 'LOAD_DEREF': case 'LOAD_CLOSURE': case 'PUSH_NULL':
    case 'LOAD_BUILD_CLASS': case 'COPY': case 'LOAD_FAST_AND_CLEAR': case 'LOAD_ASSERTION_ERROR': case 'PUSH_EXC_INFO':
    case 'IMPORT_FROM':
      return [1, 1];
    case 'FOR_ITER': return [1, 1];
    case 'END_FOR': case 'MAP_ADD': case 'STORE_ATTR': case 'DELETE_SUBSCR': case 'BINARY_SLICE': return [-2, -2];
    case 'STORE_SUBSCR': return [-3, -3];
    case 'CALL': return [-1 - a, 0];
    case 'BUILD_LIST': case 'BUILD_TUPLE': case 'BUILD_SET': case 'BUILD_STRING': case 'BUILD_SLICE': return [1 - a, 0];
    case 'BUILD_MAP': return [1 - 2 * a, 0];
    case 'BUILD_CONST_KEY_MAP': return [-a, 0];
    case 'UNPACK_SEQUENCE': return [a - 1, 0];
    case 'MAKE_FUNCTION': return [-[1, 2, 4, 8].filter((b) => a & b).length, 0];
    case 'RAISE_VARARGS': return [-a, 0];
    case 'FORMAT_VALUE': return [a & 4 ? -1 : 0, 0];
    case 'POP_JUMP_IF_FALSE': case 'POP_JUMP_IF_TRUE': case 'POP_JUMP_IF_NONE': case 'POP_JUMP_IF_NOT_NONE': return [-1, -1];
    default: return [-1, -1];
  }
}

const TERMINAL = new Set(['RETURN_VALUE', 'RETURN_CONST', 'RAISE_VARARGS', 'RERAISE', 'JUMP', 'JUMP_BACKWARD',
  'JUMP_BACKWARD_NO_INTERRUPT']);
const HAS_TARGET = new Set(['JUMP', 'JUMP_BACKWARD', 'JUMP_BACKWARD_NO_INTERRUPT', 'SEND', 'FOR_ITER', 'POP_JUMP_IF_FALSE', 'POP_JUMP_IF_TRUE',
  'POP_JUMP_IF_NONE', 'POP_JUMP_IF_NOT_NONE', 'SETUP_FINALLY', 'SETUP_CLEANUP', 'SETUP_WITH']);
const JUMPS = HAS_TARGET;

/** compile.c's stackdepth(): the maximum depth over every path, from RESUME on. */
function stackDepth(instrs) {
  const depth = new Array(instrs.length).fill(-1);
  let start = instrs.findIndex((i) => i.op === 'RESUME');
  if (start < 0) start = 0;
  const work = [[start, 0]];
  let max = 0;
  while (work.length) {
    let [pc, d] = work.pop();
    while (pc < instrs.length) {
      if (depth[pc] >= d) break;
      depth[pc] = d;
      const ins = instrs[pc];
      const [fall, jump] = effect(ins);
      if (JUMPS.has(ins.op)) {
        const jd = d + jump;
        if (jd > max) max = jd;
        work.push([ins.arg, jd]);
      }
      if (TERMINAL.has(ins.op)) break;
      d += fall;
      if (d > max) max = d;
      pc++;
    }
  }
  return max;
}
