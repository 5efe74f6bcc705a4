// Source -> Lezer tree -> our AST (the shape of CPython 3.12's `ast` module;
// see AST.md). Syntax errors come out as PySyntaxError with CPython's
// message and location; constructs outside pyheap's subset as
// UnsupportedError naming the construct and line.

import { parser } from '@lezer/python';
import { PySyntaxError, UnsupportedError } from './errors.js';
import { scanTokens, lezerSource } from './tokenize.js';
import * as V from './values.js';

const strictParser = parser; // error recovery stays on: we read the ⚠ nodes

// ---------------------------------------------------------------- CST

/** Lezer tree -> plain nested { name, from, to, ch } (comments dropped). */
function toCst(tree) {
  const cur = tree.cursor();
  let errors = 0;
  const walk = () => {
    const n = { name: cur.name, from: cur.from, to: cur.to, ch: [] };
    if (cur.type.isError) errors++;
    if (cur.firstChild()) {
      do { if (cur.name !== 'Comment') n.ch.push(walk()); } while (cur.nextSibling());
      cur.parent();
    }
    return n;
  };
  const root = walk();
  root.errors = errors;
  return root;
}

/**
 * Repairs for places where Lezer's Python grammar differs from CPython's:
 *  - `not` binds looser than and/or in Lezer (`not a and b` comes out as
 *    not (a and b)); CPython's `not` binds tighter: rotate it down.
 *  - `1.` (a float with no fraction digits) comes out as a member access
 *    with a missing name.
 *  - a bare `yield` carries an empty error node.
 */
function fixCst(n, src) {
  n.ch = n.ch.map((c) => fixCst(c, src));
  if (isBoolLevel(n)) {
    // re-parse the whole and/or/not run with CPython's precedence
    const seq = [];
    flattenBool(n, seq);
    let i = 0;
    const bin = (l, op, r) => ({ name: 'BinaryExpression', from: l.from, to: r.to, ch: [l, op, r] });
    const pNot = () => {
      const t = seq[i++];
      if (t.name === 'not') { const o = pNot(); return { name: 'UnaryExpression', from: t.from, to: o.to, ch: [t, o] }; }
      return t;
    };
    const pAnd = () => { let l = pNot(); while (seq[i]?.name === 'and') { const op = seq[i++]; l = bin(l, op, pNot()); } return l; };
    const pOr = () => { let l = pAnd(); while (seq[i]?.name === 'or') { const op = seq[i++]; l = bin(l, op, pAnd()); } return l; };
    return pOr();
  }
  if (n.name === 'MemberExpression' && n.ch.length === 3 && n.ch[0].name === 'Number' &&
      n.ch[1].name === '.' && n.ch[2].name === '⚠' && n.ch[2].from === n.ch[2].to && n.ch[1].from === n.ch[0].to) {
    return { name: 'Number', from: n.from, to: n.ch[1].to, ch: [] };
  }
  if (n.name === 'YieldExpression' || n.name === 'YieldStatement') n.ch = n.ch.filter((c) => !(c.name === '⚠' && c.from === c.to));
  return n;
}

function isBoolLevel(n) {
  return (n.name === 'UnaryExpression' && n.ch[0]?.name === 'not') ||
    (n.name === 'BinaryExpression' && n.ch.length === 3 && (n.ch[1].name === 'and' || n.ch[1].name === 'or'));
}

function flattenBool(n, out) {
  if (!isBoolLevel(n)) { out.push(n); return; }
  if (n.name === 'UnaryExpression') { out.push(n.ch[0]); flattenBool(n.ch[1], out); return; }
  flattenBool(n.ch[0], out);
  out.push(n.ch[1]);
  flattenBool(n.ch[2], out);
}

/** The first error node, with its ancestors in `path` (outermost first). */
function firstError(n, path = []) {
  if (n.name === '⚠') return n;
  path.push(n);
  for (const c of n.ch) { const e = firstError(c, path); if (e) return e; }
  path.pop();
  return null;
}

// ---------------------------------------------------------------- helpers

const BINOPS = {
  '+': 'Add', '-': 'Sub', '*': 'Mult', '@': 'MatMult', '/': 'Div', '%': 'Mod', '**': 'Pow',
  '<<': 'LShift', '>>': 'RShift', '|': 'BitOr', '^': 'BitXor', '&': 'BitAnd', '//': 'FloorDiv',
};
const CMPOPS = {
  '==': 'Eq', '!=': 'NotEq', '<': 'Lt', '<=': 'LtE', '>': 'Gt', '>=': 'GtE',
  'is': 'Is', 'is not': 'IsNot', 'in': 'In', 'not in': 'NotIn',
};
const UNOPS = { '-': 'USub', '+': 'UAdd', '~': 'Invert', 'not': 'Not' };
const COMPOUND = /^(if|elif|else|while|for|def|class|try|except|finally|with)\b/;

// The name CPython's error messages give an expression kind
// (_PyPegen_get_expr_name in Parser/pegen_errors.c / action_helpers.c).
function exprName(e) {
  switch (e.kind) {
    case 'Attribute': return 'attribute';
    case 'Subscript': return 'subscript';
    case 'Starred': return 'starred';
    case 'Name': return 'name';
    case 'List': return 'list';
    case 'Tuple': return 'tuple';
    case 'Lambda': return 'lambda';
    case 'Call': return 'function call';
    case 'BoolOp': case 'BinOp': case 'UnaryOp': return 'expression';
    case 'GeneratorExp': return 'generator expression';
    case 'Yield': case 'YieldFrom': return 'yield expression';
    case 'Await': return 'await expression';
    case 'ListComp': return 'list comprehension';
    case 'SetComp': return 'set comprehension';
    case 'DictComp': return 'dict comprehension';
    case 'Dict': return 'dict literal';
    case 'Set': return 'set display';
    case 'JoinedStr': case 'FormattedValue': return 'f-string expression';
    case 'Constant': {
      const v = e.value;
      if (v.t === 'none') return 'None';
      if (v.t === 'bool') return v.v ? 'True' : 'False';
      if (v.t === 'ellipsis') return 'ellipsis';
      return 'literal';
    }
    case 'Compare': return 'comparison';
    case 'IfExp': return 'conditional expression';
    case 'NamedExpr': return 'named expression';
    default: return e.kind;
  }
}

// ---------------------------------------------------------------- lowering

class Lowerer {
  constructor(src) {
    this.src = src;
    this.lineStarts = [0];
    for (let i = 0; i < src.length; i++) if (src[i] === '\n') this.lineStarts.push(i + 1);
  }

  pos(off) {
    const ls = this.lineStarts;
    let lo = 0, hi = ls.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (ls[mid] <= off) lo = mid; else hi = mid - 1; }
    return [lo + 1, off - ls[lo]];
  }

  /** A new AST node spanning source offsets [from, to). */
  node(kind, from, to, fields) {
    const [lineno, col_offset] = this.pos(from);
    const [end_lineno, end_col_offset] = this.pos(to);
    return { kind, ...fields, lineno, col_offset, end_lineno, end_col_offset };
  }

  text(n) { return this.src.slice(n.from, n.to); }

  /** Offset `off` moved back over whitespace. */
  trimEnd(off) {
    while (off > 0 && /\s/.test(this.src[off - 1])) off--;
    return off;
  }

  err(msg, from, to, type) {
    const [lineno, col] = this.pos(from);
    const [endLineno, endCol] = this.pos(Math.max(to ?? from + 1, from + 1));
    return new PySyntaxError(msg, { lineno, col, endLineno, endCol }, type);
  }

  errAt(msg, astNode) {
    return new PySyntaxError(msg, {
      lineno: astNode.lineno, col: astNode.col_offset,
      endLineno: astNode.end_lineno, endCol: astNode.end_col_offset,
    });
  }

  unsupported(what, from) {
    const [line, col] = this.pos(from);
    return new UnsupportedError(`${what} are not supported`, line, col);
  }

  // ---- statements

  module(root) {
    const body = [];
    for (const c of root.ch) body.push(...this.stmt(c));
    return { kind: 'Module', body, type_ignores: [] };
  }

  body(b) {
    // Body: ':' statements...
    const out = [];
    for (const c of b.ch) if (c.name !== ':') out.push(...this.stmt(c));
    return out;
  }

  stmt(n) {
    const ch = n.ch;
    const N = (kind, fields) => this.node(kind, n.from, this.stmtEnd(n), fields);
    switch (n.name) {
      case 'StatementGroup': {
        const out = [];
        for (const c of ch) if (c.name !== ';') out.push(...this.stmt(c));
        return out;
      }
      case 'ExpressionStatement':
        return [N('Expr', { value: this.exprList(ch, 'Load') })];
      case 'AssignStatement': {
        const td = ch.find((c) => c.name === 'TypeDef');
        if (td) throw this.unsupported('annotated assignments (x: T = ...)', td.from);
        const parts = this.splitOn(ch, 'AssignOp');
        const targets = parts.slice(0, -1).map((p) => this.target(this.exprList(p, 'Store'), 'assign', parts.length === 2));
        const value = this.exprList(parts[parts.length - 1], 'Load');
        return [N('Assign', { targets, value, type_comment: null })];
      }
      case 'UpdateStatement': {
        const k = ch.findIndex((c) => c.name === 'UpdateOp');
        const target = this.exprList(ch.slice(0, k), 'Store');
        if (!['Name', 'Attribute', 'Subscript'].includes(target.kind)) {
          throw this.errAt(`'${exprName(target)}' is an illegal expression for augmented assignment`, target);
        }
        this.setCtx(target, 'Store');
        const op = BINOPS[this.text(ch[k]).slice(0, -1)];
        return [N('AugAssign', { target, op, value: this.exprList(ch.slice(k + 1), 'Load') })];
      }
      case 'DeleteStatement': {
        const targets = this.splitOn(ch.slice(1), ',').filter((p) => p.length)
          .map((p) => this.target(this.expr1(p), 'delete'));
        return [N('Delete', { targets })];
      }
      case 'PassStatement': return [N('Pass', {})];
      case 'BreakStatement': return [N('Break', {})];
      case 'ContinueStatement': return [N('Continue', {})];
      case 'ReturnStatement':
        return [N('Return', { value: ch.length > 1 ? this.exprList(ch.slice(1), 'Load') : null })];
      case 'YieldStatement':
        return [N('Expr', { value: this.yieldExpr(n) })];
      case 'RaiseStatement': {
        const k = ch.findIndex((c) => c.name === 'from');
        const exc = k < 0 ? ch.slice(1) : ch.slice(1, k);
        return [N('Raise', {
          exc: exc.length ? this.expr1(exc) : null,
          cause: k < 0 ? null : this.expr1(ch.slice(k + 1)),
        })];
      }
      case 'AssertStatement': {
        const parts = this.splitOn(ch.slice(1), ',');
        return [N('Assert', { test: this.expr1(parts[0]), msg: parts[1] ? this.expr1(parts[1]) : null })];
      }
      case 'ImportStatement': return [this.importStmt(n)];
      case 'ScopeStatement': {
        const names = ch.filter((c) => c.name === 'VariableName').map((c) => this.text(c));
        return [N(ch[0].name === 'global' ? 'Global' : 'Nonlocal', { names })];
      }
      case 'IfStatement': return [this.ifStmt(n, 0)];
      case 'WhileStatement': {
        const bodies = ch.filter((c) => c.name === 'Body');
        const k = ch.indexOf(bodies[0]);
        return [N('While', {
          test: this.expr1(ch.slice(1, k)),
          body: this.body(bodies[0]),
          orelse: bodies[1] ? this.body(bodies[1]) : [],
        })];
      }
      case 'ForStatement': {
        if (ch[0].name === 'async') throw this.unsupported("'async for' loops", n.from);
        const kin = ch.findIndex((c) => c.name === 'in');
        const bodies = ch.filter((c) => c.name === 'Body');
        const kb = ch.indexOf(bodies[0]);
        return [N('For', {
          target: this.target(this.exprList(ch.slice(1, kin), 'Store'), 'for'),
          iter: this.exprList(ch.slice(kin + 1, kb), 'Load'),
          body: this.body(bodies[0]),
          orelse: bodies[1] ? this.body(bodies[1]) : [],
          type_comment: null,
        })];
      }
      case 'TryStatement': return [this.tryStmt(n)];
      case 'WithStatement': return [this.withStmt(n)];
      case 'FunctionDefinition': return [this.funcDef(n, [], n.from)];
      case 'ClassDefinition': return [this.classDef(n, [], n.from)];
      case 'DecoratedStatement': {
        const decs = ch.filter((c) => c.name === 'Decorator').map((d) => this.decorator(d));
        const def = ch[ch.length - 1];
        if (def.name === 'FunctionDefinition') return [this.funcDef(def, decs)];
        if (def.name === 'ClassDefinition') return [this.classDef(def, decs)];
        throw this.syntaxErrorAt(def.from);
      }
      case 'MatchStatement': throw new UnsupportedError("'match' statements are not supported", this.pos(n.from)[0]);
      case 'TypeDefinition': throw new UnsupportedError("'type' alias statements are not supported", this.pos(n.from)[0]);
      case 'PrintStatement':
        throw this.err("Missing parentheses in call to 'print'. Did you mean print(...)?", n.from, this.stmtEnd(n));
      case '⚠': throw this.syntaxErrorAt(n.from);
      default:
        throw this.err('invalid syntax', n.from, n.to);
    }
  }

  /** End offset of a statement without the trailing newline/blank Lezer keeps. */
  stmtEnd(n) {
    let end = n.to;
    // compound statements end at their last body statement
    const last = n.ch[n.ch.length - 1];
    if (last && (last.name === 'Body' || last.name === 'FunctionDefinition' || last.name === 'ClassDefinition')) {
      const inner = last.name === 'Body' ? last.ch[last.ch.length - 1] : last;
      if (inner && inner.name !== ':') return this.stmtEnd(inner);
    }
    while (end > n.from && /\s|;/.test(this.src[end - 1])) end--;
    return end;
  }

  ifStmt(n, start) {
    const ch = n.ch;
    // children: if cond Body (elif cond Body)* (else Body)?
    const kb = ch.findIndex((c, i) => i > start && c.name === 'Body');
    const test = this.expr1(ch.slice(start + 1, kb));
    const body = this.body(ch[kb]);
    let orelse = [];
    const next = ch[kb + 1];
    if (next && next.name === 'elif') {
      const sub = this.ifStmt(n, kb + 1);
      orelse = [sub];
    } else if (next && next.name === 'else') {
      orelse = this.body(ch[kb + 2]);
    }
    return this.node('If', ch[start].from, this.stmtEnd(n), { test, body, orelse });
  }

  tryStmt(n) {
    const ch = n.ch;
    let body = [], handlers = [], orelse = [], finalbody = [];
    for (let i = 0; i < ch.length; i++) {
      const c = ch[i];
      if (c.name === 'try') { body = this.body(ch[++i]); continue; }
      if (c.name === 'else') { orelse = this.body(ch[++i]); continue; }
      if (c.name === 'finally') { finalbody = this.body(ch[++i]); continue; }
      if (c.name === 'except') {
        let j = i + 1;
        while (ch[j].name !== 'Body') j++;
        const parts = ch.slice(i + 1, j);
        if (parts[0] && parts[0].name === '*') throw this.unsupported("'except*' clauses", c.from);
        const ka = parts.findIndex((p) => p.name === 'as');
        const typeToks = ka < 0 ? parts : parts.slice(0, ka);
        const b = ch[j];
        handlers.push(this.node('ExceptHandler', c.from, this.stmtEnd(b.ch[b.ch.length - 1] || b), {
          type: typeToks.length ? this.exprList(typeToks, 'Load') : null,
          name: ka < 0 ? null : this.text(parts[ka + 1]),
          body: this.body(b),
        }));
        i = j;
      }
    }
    if (!handlers.length && !finalbody.length) {
      const end = this.stmtEnd(n);
      throw this.err("expected 'except' or 'finally' block", end, end + 1);
    }
    return this.node('Try', n.from, this.stmtEnd(n), { body, handlers, orelse, finalbody });
  }

  withStmt(n) {
    const ch = n.ch;
    if (ch[0].name === 'async') throw this.unsupported("'async with' statements", n.from);
    const kb = ch.findIndex((c) => c.name === 'Body');
    const items = this.splitOn(ch.slice(1, kb), ',').filter((p) => p.length).map((p) => {
      const ka = p.findIndex((t) => t.name === 'as');
      return {
        kind: 'withitem',
        context_expr: this.expr1(ka < 0 ? p : p.slice(0, ka)),
        optional_vars: ka < 0 ? null : this.target(this.expr1(p.slice(ka + 1)), 'with'),
      };
    });
    return this.node('With', n.from, this.stmtEnd(n), { items, body: this.body(ch[kb]), type_comment: null });
  }

  decorator(d) {
    // At, then a dotted name, optionally called
    let e = null;
    for (let i = 1; i < d.ch.length; i++) {
      const c = d.ch[i];
      if (c.name === 'VariableName' && !e) e = this.node('Name', c.from, c.to, { id: this.text(c), ctx: 'Load' });
      else if (c.name === '.') {
        const a = d.ch[++i];
        e = this.node('Attribute', d.ch[1].from, a.to, { value: e, attr: this.text(a), ctx: 'Load' });
      } else if (c.name === 'ArgList') {
        e = this.node('Call', d.ch[1].from, c.to, { func: e, ...this.argList(c) });
      } else throw this.unsupported('decorators other than @name, @a.b and @f(...)', d.from);
    }
    return e;
  }

  funcDef(n, decorator_list) {
    const ch = n.ch;
    if (ch[0].name === 'async') throw this.unsupported("'async def' functions", n.from);
    const name = ch.find((c) => c.name === 'VariableName');
    if (ch.some((c) => c.name === 'TypeParamList')) throw this.unsupported('type parameter lists', n.from);
    const td = ch.find((c) => c.name === 'TypeDef');
    if (td) throw this.unsupported('annotations', td.from);
    const params = ch.find((c) => c.name === 'ParamList');
    const body = ch.find((c) => c.name === 'Body');
    return this.node('FunctionDef', n.from, this.stmtEnd(n), {
      name: this.text(name),
      args: this.params(params, true),
      body: this.body(body),
      decorator_list,
      returns: null,
      type_comment: null,
      type_params: [],
    });
  }

  classDef(n, decorator_list) {
    const ch = n.ch;
    const name = ch.find((c) => c.name === 'VariableName');
    if (ch.some((c) => c.name === 'TypeParamList')) throw this.unsupported('type parameter lists', n.from);
    const al = ch.find((c) => c.name === 'ArgList');
    const { args, keywords } = al ? this.argList(al) : { args: [], keywords: [] };
    return this.node('ClassDef', n.from, this.stmtEnd(n), {
      name: this.text(name), bases: args, keywords,
      body: this.body(ch.find((c) => c.name === 'Body')), decorator_list, type_params: [],
    });
  }

  importStmt(n) {
    const ch = n.ch;
    const names = (toks) => {
      // dotted [as name] (, dotted [as name])*  — or '*'
      const out = [];
      for (const p of this.splitOn(toks.filter((t) => t.name !== '(' && t.name !== ')'), ',')) {
        if (!p.length) continue;
        const ka = p.findIndex((t) => t.name === 'as');
        const dotted = (ka < 0 ? p : p.slice(0, ka)).map((t) => this.text(t)).join('');
        const last = p[p.length - 1];
        out.push(this.node('alias', p[0].from, last.to, { name: dotted, asname: ka < 0 ? null : this.text(p[ka + 1]) }));
      }
      return out;
    };
    if (ch[0].name === 'from') {
      const ki = ch.findIndex((c) => c.name === 'import');
      let level = 0;
      const mod = [];
      for (const t of ch.slice(1, ki)) {
        if (t.name === '.' && !mod.length) level++;
        else if (t.name === 'Ellipsis' && !mod.length) level += 3;
        else mod.push(this.text(t));
      }
      return this.node('ImportFrom', n.from, this.stmtEnd(n), {
        module: mod.length ? mod.join('') : null, names: names(ch.slice(ki + 1)), level,
      });
    }
    return this.node('Import', n.from, this.stmtEnd(n), { names: names(ch.slice(1)) });
  }

  // ---- assignment targets

  /** Validate an assignment/deletion target and set its ctx. */
  target(e, how, single = false) {
    const ctx = how === 'delete' ? 'Del' : 'Store';
    const bad = (x) => {
      if (how === 'delete') return this.errAt(`cannot delete ${exprName(x)}`, x);
      // invalid_named_expression: a bitwise_or-level target (not a
      // comparison, boolean, lambda, conditional, tuple/list or singleton)
      const hint = how === 'assign' && single &&
        ['Constant', 'Call', 'BinOp', 'UnaryOp', 'Dict', 'Set', 'ListComp', 'SetComp', 'DictComp', 'JoinedStr'].includes(x.kind) &&
        !(x.kind === 'UnaryOp' && x.op === 'Not') &&
        !(x.kind === 'Constant' && ['none', 'bool', 'ellipsis'].includes(x.value.t))
        ? " here. Maybe you meant '==' instead of '='?" : '';
      return this.errAt(`cannot assign to ${exprName(x)}${hint}`, x);
    };
    const walk = (x, top) => {
      switch (x.kind) {
        case 'Name': case 'Attribute': case 'Subscript': x.ctx = ctx; return;
        case 'Tuple': case 'List':
          x.ctx = ctx;
          for (const el of x.elts) walk(el, false);
          return;
        case 'Starred':
          if (how === 'delete' || top) throw bad(x);
          x.ctx = ctx;
          walk(x.value, false);
          return;
        default: throw bad(x);
      }
    };
    walk(e, true);
    return e;
  }

  setCtx(e, ctx) {
    if ('ctx' in e) e.ctx = ctx;
    if (e.kind === 'Tuple' || e.kind === 'List') for (const el of e.elts) this.setCtx(el, ctx);
    if (e.kind === 'Starred') this.setCtx(e.value, ctx);
  }

  // ---- expressions

  /** Split a token list on tokens named `sep`. */
  splitOn(toks, sep) {
    const out = [[]];
    for (const t of toks) {
      if (t.name === sep) out.push([]);
      else out[out.length - 1].push(t);
    }
    return out;
  }

  /** One expression from a token run that must hold exactly one. */
  expr1(toks) {
    const real = toks.filter((t) => t.name !== '(' || toks.length === 1);
    if (real.length === 1) return this.expr(real[0]);
    if (real.length === 2 && real[0].name === '*') return this.starred(real[0], real[1]);
    if (!real.length) throw this.syntaxErrorAt(toks.length ? toks[0].from : 0);
    throw this.syntaxErrorAt(real[1].from);
  }

  starred(star, e) {
    return this.node('Starred', star.from, e.to, { value: this.expr(e), ctx: 'Load' });
  }

  /** `a, *b, c` style lists: a Tuple when a comma is present. */
  exprList(toks, ctx) {
    const parts = this.splitOn(toks, ',');
    if (parts.length === 1) {
      const e = this.expr1(parts[0]);
      return e;
    }
    const elts = parts.filter((p, i) => p.length || i < parts.length - 1).map((p) => {
      if (!p.length) throw this.syntaxErrorAt(toks[0].from);
      return this.expr1(p);
    });
    return this.node('Tuple', toks[0].from, toks[toks.length - 1].to, { elts, ctx });
  }

  /** Items of a display: strip brackets, split by commas. */
  displayItems(n) {
    const inner = n.ch.slice(1, -1);
    return this.splitOn(inner, ',').filter((p) => p.length).map((p) => this.expr1(p));
  }

  expr(n) {
    const ch = n.ch;
    const N = (kind, fields) => this.node(kind, n.from, n.to, fields);
    switch (n.name) {
      case 'VariableName': return N('Name', { id: this.text(n), ctx: 'Load' });
      case 'Boolean': return N('Constant', { value: this.text(n) === 'True' ? V.TRUE : V.FALSE, strKind: null });
      case 'None': return N('Constant', { value: V.NONE, strKind: null });
      case 'Ellipsis': return N('Constant', { value: V.ELLIPSIS, strKind: null });
      case 'Number': return N('Constant', { value: this.number(n), strKind: null });
      case 'String': case 'FormatString': case 'ContinuedString': return this.strings(n);
      case 'ParenthesizedExpression': {
        const inner = ch.slice(1, -1);
        if (inner.length === 1 && inner[0].name === 'YieldExpression') return this.yieldExpr(inner[0]);
        if (inner.length !== 1) throw this.syntaxErrorAt(inner.length ? inner[inner.length - 1].from : n.from);
        return this.expr(inner[0]);
      }
      case 'TupleExpression': return N('Tuple', { elts: this.displayItems(n), ctx: 'Load' });
      case 'ArrayExpression': return N('List', { elts: this.displayItems(n), ctx: 'Load' });
      case 'SetExpression': return N('Set', { elts: this.displayItems(n) });
      case 'DictionaryExpression': {
        const keys = [], values = [];
        for (const p of this.splitOn(ch.slice(1, -1), ',')) {
          if (!p.length) continue;
          if (p[0].name === '**') { keys.push(null); values.push(this.expr1(p.slice(1))); continue; }
          const kc = p.findIndex((t) => t.name === ':');
          if (kc < 0) {
            const k = this.expr1(p);
            throw this.err("':' expected after dictionary key", k.end_col_offset !== undefined ? p[p.length - 1].from : n.from, p[p.length - 1].to);
          }
          keys.push(this.expr1(p.slice(0, kc)));
          values.push(this.expr1(p.slice(kc + 1)));
        }
        return N('Dict', { keys, values });
      }
      case 'ArrayComprehensionExpression': return this.comprehension(n, 'ListComp', ch.slice(1, -1));
      case 'SetComprehensionExpression': return this.comprehension(n, 'SetComp', ch.slice(1, -1));
      case 'DictionaryComprehensionExpression': return this.comprehension(n, 'DictComp', ch.slice(1, -1));
      case 'ComprehensionExpression': return this.comprehension(n, 'GeneratorExp', ch.slice(1, -1));
      case 'UnaryExpression': {
        const op = UNOPS[this.text(ch[0])];
        return N('UnaryOp', { op, operand: this.expr(ch[1]) });
      }
      case 'BinaryExpression': return this.binary(n);
      case 'ConditionalExpression': {
        const ki = ch.findIndex((c) => c.name === 'if');
        const ke = ch.findIndex((c) => c.name === 'else');
        return N('IfExp', {
          test: this.expr1(ch.slice(ki + 1, ke)),
          body: this.expr1(ch.slice(0, ki)),
          orelse: this.expr1(ch.slice(ke + 1)),
        });
      }
      case 'LambdaExpression': {
        const params = ch.find((c) => c.name === 'ParamList');
        const kc = ch.findIndex((c) => c.name === ':');
        return N('Lambda', { args: this.params(params, false), body: this.expr1(ch.slice(kc + 1)) });
      }
      case 'CallExpression':
        return N('Call', { func: this.expr(ch[0]), ...this.argList(ch[1]) });
      case 'MemberExpression': {
        const value = this.expr(ch[0]);
        if (ch[1].name === '.') {
          return N('Attribute', { value, attr: this.text(ch[2]), ctx: 'Load' });
        }
        return N('Subscript', { value, slice: this.subscript(ch.slice(2, -1), ch[1], ch[ch.length - 1]), ctx: 'Load' });
      }
      case 'YieldExpression': return this.yieldExpr(n);
      case 'NamedExpression': throw this.unsupported('assignment expressions (:=)', n.from);
      case 'AwaitExpression': throw this.unsupported("'await' expressions", n.from);
      case '⚠': throw this.syntaxErrorAt(n.from);
      default:
        throw this.syntaxErrorAt(n.from);
    }
  }

  yieldExpr(n) {
    const ch = n.ch.filter((c) => c.name !== '⚠' || c.to > c.from);
    if (ch[1] && ch[1].name === 'from') {
      return this.node('YieldFrom', n.from, n.to, { value: this.expr1(ch.slice(2)) });
    }
    return this.node('Yield', n.from, n.to, { value: ch.length > 1 ? this.exprList(ch.slice(1), 'Load') : null });
  }

  binary(n) {
    const ch = n.ch;
    const left = ch[0], right = ch[ch.length - 1];
    const opText = ch.slice(1, -1).map((c) => this.text(c)).join(' ');
    if (opText === 'and' || opText === 'or') {
      const op = opText === 'and' ? 'And' : 'Or';
      const l = this.expr(left);
      const values = l.kind === 'BoolOp' && l.op === op && left.name === 'BinaryExpression' ? [...l.values] : [l];
      values.push(this.expr(right));
      return this.node('BoolOp', n.from, n.to, { op, values });
    }
    if (CMPOPS[opText]) {
      const l = this.expr(left);
      const r = this.expr(right);
      if (l.kind === 'Compare' && left.name === 'BinaryExpression') {
        return this.node('Compare', n.from, n.to, {
          left: l.left, ops: [...l.ops, CMPOPS[opText]], comparators: [...l.comparators, r],
        });
      }
      return this.node('Compare', n.from, n.to, { left: l, ops: [CMPOPS[opText]], comparators: [r] });
    }
    const op = BINOPS[opText];
    if (!op) throw this.syntaxErrorAt(ch[1].from);
    return this.node('BinOp', n.from, n.to, { left: this.expr(left), op, right: this.expr(right) });
  }

  /** Inside-bracket tokens of a subscript -> slice expression. */
  subscript(toks, open, close) {
    const parts = this.splitOn(toks, ',');
    const one = (p) => {
      if (!p.some((t) => t.name === ':')) return this.expr1(p);
      const segs = this.splitOn(p, ':');
      const get = (s) => (s && s.length ? this.expr1(s) : null);
      const from = p[0].from, to = p[p.length - 1].to;
      return this.node('Slice', from, to, { lower: get(segs[0]), upper: get(segs[1]), step: get(segs[2]) });
    };
    if (parts.length === 1) return one(parts[0]);
    const elts = parts.filter((p, i) => p.length || i < parts.length - 1).map(one);
    return this.node('Tuple', toks[0].from, toks[toks.length - 1].to, { elts, ctx: 'Load' });
  }

  /** A comprehension from its inner tokens (element, then clauses). */
  comprehension(n, kind, toks) {
    const kf = toks.findIndex((t) => t.name === 'for' || t.name === 'async');
    const elemToks = toks.slice(0, kf);
    const generators = [];
    let i = kf;
    while (i < toks.length) {
      if (toks[i].name === 'async') throw this.unsupported("'async for' comprehensions", toks[i].from);
      // for TARGETS in ITER (if COND)*
      const kin = toks.findIndex((t, j) => j > i && t.name === 'in');
      let j = kin + 1;
      while (j < toks.length && toks[j].name !== 'for' && toks[j].name !== 'if' && toks[j].name !== 'async') j++;
      const gen = {
        kind: 'comprehension',
        target: this.target(this.exprList(toks.slice(i + 1, kin), 'Store'), 'for'),
        iter: this.expr1(toks.slice(kin + 1, j)),
        ifs: [],
        is_async: 0,
      };
      while (j < toks.length && toks[j].name === 'if') {
        let k = j + 1;
        while (k < toks.length && toks[k].name !== 'for' && toks[k].name !== 'if' && toks[k].name !== 'async') k++;
        gen.ifs.push(this.expr1(toks.slice(j + 1, k)));
        j = k;
      }
      generators.push(gen);
      i = j;
    }
    if (kind === 'DictComp') {
      const kc = elemToks.findIndex((t) => t.name === ':');
      return this.node(kind, n.from, n.to, {
        key: this.expr1(elemToks.slice(0, kc)), value: this.expr1(elemToks.slice(kc + 1)), generators,
      });
    }
    return this.node(kind, n.from, n.to, { elt: this.expr1(elemToks), generators });
  }

  /** Call arguments: { args, keywords } with CPython's ordering errors. */
  argList(al) {
    const inner = al.ch.slice(1, -1);
    const args = [], keywords = [];
    const parts = this.splitOn(inner, ',');
    const kf = inner.findIndex((t) => t.name === 'for' || t.name === 'async');
    if (kf >= 0) {
      // a bare generator expression must be the only argument: no comma before
      // its first `for`, none after an `in` (commas between `for` and `in`
      // separate targets)
      let state = 'elt', extra = kf > 0 && inner.slice(0, kf).some((t) => t.name === ',');
      for (const t of inner.slice(kf)) {
        if (t.name === 'for') state = 'target';
        else if (t.name === 'in' && state === 'target') state = 'iter';
        else if (t.name === ',' && state === 'iter') extra = true;
      }
      if (extra) {
        const start = inner.slice(0, kf).map((t) => t.name).lastIndexOf(',') + 1;
        let end = inner.length;
        for (let i = kf, st = ''; i < inner.length; i++) {
          if (inner[i].name === 'for') st = 'target';
          else if (inner[i].name === 'in' && st === 'target') st = 'iter';
          else if (inner[i].name === ',' && st === 'iter') { end = i; break; }
        }
        throw this.err('Generator expression must be parenthesized', inner[start].from, inner[end - 1].to);
      }
      const g = this.comprehension(al, 'GeneratorExp', inner);
      return { args: [g], keywords };
    }
    let sawKw = false, sawKwUnpack = false;
    for (const p of parts) {
      if (!p.length) continue;
      if (p[0].name === '**') {
        keywords.push(this.node('keyword', p[0].from, p[p.length - 1].to, { arg: null, value: this.expr1(p.slice(1)) }));
        sawKwUnpack = true;
      } else if (p.length >= 3 && p[1].name === 'AssignOp' && p[0].name === 'VariableName') {
        if (this.text(p[1]) === ':=') throw this.unsupported('assignment expressions (:=)', p[1].from);
        keywords.push(this.node('keyword', p[0].from, p[p.length - 1].to, { arg: this.text(p[0]), value: this.expr1(p.slice(2)) }));
        sawKw = true;
      } else {
        const e = this.expr1(p);
        // CPython reports these at the '*' token, or (for positional
        // arguments) at the token after the argument list
        const close = al.ch[al.ch.length - 1];
        if (e.kind === 'Starred') {
          if (sawKwUnpack) throw this.err('iterable argument unpacking follows keyword argument unpacking', p[0].from, p[0].from + 1);
        } else if (sawKwUnpack) {
          throw this.err('positional argument follows keyword argument unpacking', close.from, close.from + 1);
        } else if (sawKw) {
          throw this.err('positional argument follows keyword argument', close.from, close.from + 1);
        }
        args.push(e);
      }
    }
    return { args, keywords };
  }

  /** A ParamList -> `arguments` node. */
  params(pl, isDef) {
    const A = { kind: 'arguments', posonlyargs: [], args: [], vararg: null, kwonlyargs: [], kw_defaults: [], kwarg: null, defaults: [] };
    if (!pl) return A;
    const toks = pl.ch.filter((c) => c.name !== '(' && c.name !== ')');
    // segments between commas, keeping source offsets so a bare '/' is seen
    const segs = [];
    let cur = [], segFrom = isDef ? pl.from + 1 : pl.from;
    for (const t of toks) {
      if (t.name === ',') { segs.push({ toks: cur, from: segFrom, to: t.from }); cur = []; segFrom = t.to; }
      else cur.push(t);
    }
    segs.push({ toks: cur, from: segFrom, to: isDef ? pl.to - 1 : pl.to });
    let star = false, sawDefault = false, starTok = null;
    const mkArg = (t) => this.node('arg', t.from, t.to, { arg: this.text(t), annotation: null, type_comment: null });
    for (const s of segs) {
      const p = s.toks;
      if (!p.length) {
        if (this.src.slice(s.from, s.to).trim() === '/') {
          A.posonlyargs.push(...A.args);
          A.args = [];
        }
        continue;
      }
      if (A.kwarg) throw this.err('arguments cannot follow var-keyword argument', p[0].from, p[0].from + 1);
      if (p.some((t) => t.name === 'TypeDef')) throw this.unsupported('annotations', p[0].from);
      if (p[0].name === '*') {
        star = true;
        starTok = p[0];
        if (p[1]) A.vararg = mkArg(p[1]);
        continue;
      }
      if (p[0].name === '**') {
        if (star && !A.vararg && !A.kwonlyargs.length) throw this.err('named arguments must follow bare *', starTok.from, starTok.from + 1);
        A.kwarg = mkArg(p[1]);
        continue;
      }
      const a = mkArg(p[0]);
      const hasDefault = p.length > 2 && p[1].name === 'AssignOp';
      const dflt = hasDefault ? this.expr1(p.slice(2)) : null;
      if (star) {
        A.kwonlyargs.push(a);
        A.kw_defaults.push(dflt);
      } else {
        if (hasDefault) { sawDefault = true; A.defaults.push(dflt); }
        else if (sawDefault) throw this.errAt('parameter without a default follows parameter with a default', a);
        A.args.push(a);
      }
    }
    if (star && !A.vararg && !A.kwonlyargs.length && !A.kwarg) {
      throw this.err('named arguments must follow bare *', starTok.from, starTok.from + 1);
    }
    return A;
  }

  // ---- literals

  number(n) {
    const t = this.text(n);
    const s = t.replace(/_/g, '');
    if (/[jJ]$/.test(s)) throw this.unsupported('complex (imaginary) literals', n.from);
    if (/^0[xXoObB]/.test(s)) return V.int(s);
    if (/[.eE]/.test(s)) return V.float(Number(s));
    if (/^0+[1-9]/.test(s)) {
      throw this.err('leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers', n.from, n.from + 1);
    }
    return V.int(s);
  }

  /** String, FormatString or ContinuedString -> Constant or JoinedStr. */
  strings(n) {
    const pieces = n.name === 'ContinuedString' ? n.ch : [n];
    let isBytes = null, fmt = false, kindU = null;
    const parts = []; // strings and FormattedValue nodes, in order
    for (const p of pieces) {
      const lit = this.splitLiteral(p);
      if (isBytes !== null && isBytes !== lit.bytes) throw this.err('cannot mix bytes and nonbytes literals', n.from, n.to);
      isBytes = lit.bytes;
      if (p === pieces[0] && lit.prefix.includes('u')) kindU = 'u';
      if (lit.fstring) { fmt = true; parts.push(...this.fstringParts(p, lit)); }
      else parts.push(this.decode(lit.body, lit, lit.bodyFrom));
    }
    if (isBytes) {
      const all = [];
      for (const b of parts) all.push(...b);
      return this.node('Constant', n.from, n.to, { value: V.bytes(Uint8Array.from(all)), strKind: null });
    }
    if (!fmt) return this.node('Constant', n.from, n.to, { value: V.str(parts.join('')), strKind: kindU });
    // merge adjacent text, drop empty text
    const values = [];
    let acc = '';
    const flush = () => {
      if (acc) values.push(this.node('Constant', n.from, n.to, { value: V.str(acc), strKind: null }));
      acc = '';
    };
    for (const x of parts) {
      if (typeof x === 'string') acc += x;
      else { flush(); values.push(x); }
    }
    flush();
    return this.node('JoinedStr', n.from, n.to, { values });
  }

  splitLiteral(p) {
    const t = this.text(p);
    const m = /^([A-Za-z]*)('''|"""|'|")/.exec(t);
    const prefix = m[1].toLowerCase();
    const q = m[2];
    return {
      prefix, raw: prefix.includes('r'), bytes: prefix.includes('b'), fstring: prefix.includes('f'),
      quote: q, body: t.slice(m[0].length, t.length - q.length), bodyFrom: p.from + m[0].length,
    };
  }

  /** Decode a literal run (escapes unless raw). Returns a string, or an
   *  array of byte values for bytes literals. */
  decode(body, lit, from) {
    if (lit.bytes) {
      const out = [];
      for (let i = 0; i < body.length; i++) {
        const c = body.charCodeAt(i);
        if (c >= 0x80) throw this.err('bytes can only contain ASCII literal characters', from - lit.prefix.length - lit.quote.length, from + body.length + lit.quote.length);
        if (c === 0x5c && !lit.raw) {
          const r = this.escape(body, i, true, from);
          if (r.text !== null) out.push(...Array.from(r.text, (ch) => ch.charCodeAt(0)));
          i = r.next - 1;
        } else out.push(c);
      }
      return out;
    }
    if (lit.raw || !body.includes('\\')) return body;
    let out = '';
    for (let i = 0; i < body.length; i++) {
      if (body[i] === '\\') {
        const r = this.escape(body, i, false, from);
        out += r.text;
        i = r.next - 1;
      } else out += body[i];
    }
    return out;
  }

  /** One backslash escape at body[i] (decode_unicode_with_escapes / _PyBytes_DecodeEscape). */
  escape(body, i, isBytes, from) {
    const c = body[i + 1];
    const simple = { '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
    if (c in simple) return { text: simple[c], next: i + 2 };
    if (c === '\r' && body[i + 2] === '\n') return { text: '', next: i + 3 };
    if (c >= '0' && c <= '7') {
      let j = i + 1, v = 0;
      while (j < body.length && j < i + 4 && body[j] >= '0' && body[j] <= '7') v = v * 8 + (body.charCodeAt(j++) - 48);
      return { text: String.fromCodePoint(isBytes ? v & 0xff : v), next: j };
    }
    const hex = { x: 2, u: 4, U: 8 }[c];
    if (hex && !(isBytes && c !== 'x')) {
      const h = body.slice(i + 2, i + 2 + hex);
      if (h.length < hex || !/^[0-9a-fA-F]+$/.test(h)) {
        const kind = isBytes ? 'invalid \\x escape at position ' + i : `(unicode error) 'unicodeescape' codec can't decode bytes in position ${i}-${i + 1 + h.replace(/[^0-9a-fA-F].*$/, '').length}: truncated \\${c}${'X'.repeat(hex)} escape`;
        throw this.err(kind, from, from + 1);
      }
      return { text: String.fromCodePoint(parseInt(h, 16)), next: i + 2 + hex };
    }
    if (c === 'N' && !isBytes) throw this.unsupported('\\N{...} escapes', from + i);
    return { text: '\\' + (c ?? ''), next: i + (c === undefined ? 1 : 2) };
  }

  /** The parts of one f-string token: literal text and FormattedValue nodes. */
  fstringParts(p, lit) {
    const out = [];
    const bodyTo = lit.bodyFrom + lit.body.length;
    let at = lit.bodyFrom;
    const text = (from, to) => {
      if (to <= from) return;
      const raw = this.src.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      out.push(this.decode(raw, lit, from));
    };
    for (const r of p.ch.filter((c) => c.name === 'FormatReplacement')) {
      text(at, r.from);
      out.push(...this.replacement(r, lit));
      at = r.to;
    }
    text(at, bodyTo);
    return out;
  }

  replacement(r, lit) {
    const ch = r.ch;
    if (ch[ch.length - 1].name !== '}' || ch.some((c) => c.name === '⚠')) {
      throw this.err("f-string: expecting '}'", r.from, r.to);
    }
    const special = new Set(['{', '}', 'FormatConversion', 'FormatSpec', 'FormatSelfDoc']);
    const exprToks = ch.filter((c) => !special.has(c.name));
    const value = this.exprList(exprToks, 'Load');
    const conv = ch.find((c) => c.name === 'FormatConversion');
    const spec = ch.find((c) => c.name === 'FormatSpec');
    const selfDoc = ch.find((c) => c.name === 'FormatSelfDoc');
    let conversion = conv ? this.text(conv).slice(1).charCodeAt(0) : -1;
    const out = [];
    if (selfDoc) {
      out.push(this.src.slice(r.from + 1, selfDoc.to) + this.src.slice(selfDoc.to, (conv || spec || ch[ch.length - 1]).from));
      if (!conv && !spec) conversion = 'r'.charCodeAt(0);
    }
    let format_spec = null;
    if (spec) {
      const values = [];
      let at = spec.from + 1;
      const lit2 = { ...lit };
      const pushText = (from, to) => {
        if (to <= from) return;
        const s = this.decode(this.src.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}'), lit2, from);
        values.push(this.node('Constant', from, to, { value: V.str(s), strKind: null }));
      };
      for (const sub of spec.ch.filter((c) => c.name === 'FormatReplacement')) {
        pushText(at, sub.from);
        values.push(...this.replacement(sub, lit).filter((x) => typeof x !== 'string'));
        at = sub.to;
      }
      pushText(at, spec.to);
      // 3.12's parser ends a spec whose last part is a replacement field with
      // an empty constant (fstring format-spec handling in action_helpers.c)
      if (values.length && values[values.length - 1].kind === 'FormattedValue') {
        values.push(this.node('Constant', spec.to, spec.to, { value: V.str(''), strKind: null }));
      }
      format_spec = this.node('JoinedStr', spec.from + 1, spec.to, { values });
    }
    out.push(this.node('FormattedValue', r.from, r.to, { value, conversion, format_spec }));
    return out;
  }

  // ---- syntax errors from Lezer's error nodes

  /** CPython-style message for a parse failure at source offset `off`. */
  syntaxErrorAt(off) {
    const src = this.src;
    const [lineno] = this.pos(off);
    const ls = this.lineStarts[lineno - 1];
    const lineEnd = src.indexOf('\n', ls) < 0 ? src.length : src.indexOf('\n', ls);
    const line = src.slice(ls, lineEnd);
    const code = line.replace(/#.*$/, '').replace(/\s+$/, '');
    const head = code.trimStart();
    if (COMPOUND.test(head) && !code.endsWith(':') && !/[([{,\\]$/.test(code)) {
      const end = ls + code.length;
      // "expected ':'" when the header itself parsed but the colon is missing
      if (src.slice(off, end).trim() === '') return this.err("expected ':'", end, end + 1);
    }
    // `else if y:` — a keyword that takes ':' straight away
    const kw = /^(else|try|finally)\b/.exec(head);
    if (kw) {
      const kwEnd = ls + (line.length - line.trimStart().length) + kw[0].length;
      let t = kwEnd;
      while (src[t] === ' ' || src[t] === '\t') t++;
      if (off >= kwEnd && off <= t && src[t] !== ':') {
        const m = /^(?:[A-Za-z_0-9]+|.)/.exec(src.slice(t, lineEnd));
        return this.err("expected ':'", t, t + (m ? m[0].length : 1));
      }
    }
    // highlight the token at the failure point
    let i = off;
    while (i < lineEnd && (src[i] === ' ' || src[i] === '\t')) i++;
    if (i >= lineEnd) return this.err('invalid syntax', i, i + 1);
    const m = /^(?:[A-Za-z_0-9\u0080-\uffff]+|\*\*=?|\/\/=?|<<=?|>>=?|[-+*/%@&|^<>=!:]=|->|\.\.\.|.)/.exec(src.slice(i, lineEnd));
    return this.err('invalid syntax', i, i + m[0].length);
  }
}

const BRACKETED = new Set(['ParenthesizedExpression', 'TupleExpression', 'ArrayExpression', 'SetExpression',
  'DictionaryExpression', 'ArgList']);

/** CPython's message for the first Lezer error node `e` (ancestors innermost first). */
function describeError(L, e, ancestors) {
  const parent = ancestors[0];
  const match = ancestors.find((a) => a.name === 'MatchStatement');
  if (match) return new UnsupportedError("'match' statements are not supported", L.pos(match.from)[0]);
  // Lezer's grammar takes only a name after a with item's `as`, and no parenthesized items
  if (parent && parent.name === 'WithStatement') {
    const i = parent.ch.indexOf(e);
    const prev = parent.ch[i - 1], prev2 = parent.ch[i - 2];
    const next = L.src.slice(e.from).trimStart()[0];
    if (prev && (prev.name === 'as' || (prev.name === 'VariableName' && prev2 && prev2.name === 'as'))
        && (next === '(' || next === '.' || next === '[')) {
      return new UnsupportedError("'with ... as' targets other than a name (as x.y, as x[i], as (a, b)) are not supported",
        L.pos(e.from)[0]);
    }
  }
  if (parent && parent.name === 'ParenthesizedExpression' && ancestors[1] && ancestors[1].name === 'WithStatement'
      && ancestors[1].ch.some((t) => t.name === 'as')) {
    return new UnsupportedError("parenthesized 'with' items are not supported", L.pos(e.from)[0]);
  }
  // `{1: 2, 3}`: a dictionary display item without ':' (invalid_double_starred_kvpairs)
  const dict = ancestors.find((a) => a.name === 'DictionaryExpression');
  if (dict) {
    for (const seg of L.splitOn(dict.ch.slice(1, -1), ',')) {
      const toks = seg.filter((t) => t.name !== '⚠');
      if (toks.length && toks[0].name !== '**' && !toks.some((t) => t.name === ':')) {
        return L.err("':' expected after dictionary key", toks[0].from, toks[toks.length - 1].to);
      }
    }
  }
  // `1 if y` with no else (invalid_expression)
  if (parent && parent.name === 'ConditionalExpression' && !parent.ch.some((c) => c.name === 'else')) {
    return L.err("expected 'else' after 'if' expression", parent.from, e.from > parent.from ? L.trimEnd(e.from) : parent.to);
  }
  // an unfinished replacement field
  if (ancestors.some((a) => a.name === 'FormatString' || a.name === 'FormatReplacement')) {
    return L.err("f-string: expecting '}'", e.from, e.from + 1);
  }
  // `(1 2)`: two expressions in brackets with no comma (invalid_expression)
  if (parent && e.to > e.from && ancestors.some((a) => BRACKETED.has(a.name))) {
    const i = parent.ch.indexOf(e);
    const prev = parent.ch[i - 1];
    if (prev && /^[A-Z]/.test(prev.name) && prev.name !== 'AssignOp' && L.src.slice(prev.to, e.from).trim() === '' &&
        /^[\w"'([{]/.test(L.src.slice(e.from, e.to))) {
      const m = /^(?:[A-Za-z_0-9]+|"[^"]*"|'[^']*'|.)/.exec(L.src.slice(e.from, e.to));
      // implicitly concatenated strings count as one expression
      const from = parent.name === 'ContinuedString' ? parent.from : prev.from;
      return L.err('invalid syntax. Perhaps you forgot a comma?', from, e.from + m[0].length);
    }
  }
  // `if x = 1:` (invalid_named_expression)
  const head = ancestors.find((a) => /^(If|While)Statement$/.test(a.name));
  if (head && L.src[e.from] === '=' && L.src[e.from + 1] !== '=') {
    const kw = head.ch.filter((c) => c.to <= e.from && (c.name === 'if' || c.name === 'elif' || c.name === 'while')).pop();
    const lineEnd = L.src.indexOf('\n', e.from) < 0 ? L.src.length : L.src.indexOf('\n', e.from);
    const colon = L.src.lastIndexOf(':', lineEnd);
    if (kw && colon > e.from) {
      let from = kw.to;
      while (/\s/.test(L.src[from])) from++;
      return L.err("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", from, L.trimEnd(colon));
    }
  }
  return L.syntaxErrorAt(e.from);
}

/**
 * Parse Python source to our AST (a Module node). Throws PySyntaxError /
 * UnsupportedError.
 */
export function parse(src) {
  const scan = scanTokens(src);
  const tok = scan.error ? scan : null;
  const tree = strictParser.parse(lezerSource(src, scan.patches));
  const cst = toCst(tree);
  const root = fixCst(cst, src);
  root.errors = cst.errors;
  const L = new Lowerer(src);
  const path = [];
  const e = root.errors ? firstError(root, path) : null;
  let err, errOff;
  if (e) {
    err = describeError(L, e, path.reverse());
    errOff = e.from;
  } else {
    try {
      const mod = L.module(root);
      if (!tok) return mod;
    } catch (x) {
      if (!(x instanceof PySyntaxError) || x instanceof UnsupportedError || !tok) throw x;
      err = x;
      errOff = L.lineStarts[x.lineno - 1] + (x.col ?? 0);
    }
    if (!err) throw tok.error;
  }
  // _PyPegen_set_syntax_error / _PyPegen_tokenize_full_source_to_check_for_errors:
  // the tokenizer's own errors win over the parser's; an unclosed bracket
  // wins when the parser failed on a later line
  if (tok) {
    if (tok.offset <= errOff || tok.kind === 'exception') throw tok.error;
    if (tok.kind === 'unclosed' && err.lineno > tok.error.lineno) throw tok.error;
  }
  throw err;
}

export { Lowerer as _Lowerer };
