// The AST optimiser of CPython 3.12 (Python/ast_opt.c), in our own words:
// constant folding of unary/binary operators and subscripts with the same
// size limits, constant tuples, `in` / `for` over list and set displays of
// constants (tuple / frozenset constants), printf-style `%` formatting with
// a tuple turned into an f-string, `not (a is b)` -> `a is not b`, and
// __debug__ -> True. Mutates the AST in place (like CPython) and returns it.

import * as V from './values.js';

const MAX_INT_SIZE = 128;          // bits
const MAX_COLLECTION_SIZE = 256;
const MAX_STR_SIZE = 4096;
const MAX_TOTAL_ITEMS = 1024;

// A failed fold (CPython: an exception, cleared) is signalled by NOFOLD.
const NOFOLD = null;

const isIntLike = (v) => v.t === 'int' || v.t === 'bool';
const asBig = (v) => (v.t === 'bool' ? (v.v ? 1n : 0n) : v.v);
const numBits = (b) => (b < 0n ? -b : b).toString(2).length - (b === 0n ? 1 : 0);

/** int -> float as CPython does (OverflowError when too large). */
function toFloat(v) {
  if (v.t === 'float') return v.v;
  const f = Number(asBig(v));
  return Number.isFinite(f) ? f : NOFOLD;
}

/** bool(v) for a constant. */
export function truthy(v) {
  switch (v.t) {
    case 'none': return false;
    case 'bool': return v.v;
    case 'int': return v.v !== 0n;
    case 'float': return v.v !== 0;
    case 'str': return v.v.length > 0;
    case 'bytes': case 'tuple': case 'frozenset': return v.v.length > 0;
    default: return true;
  }
}

// ---- float helpers mirroring Objects/floatobject.c

function floatMod(vx, wx) {
  if (wx === 0) return NOFOLD;
  let mod = vx % wx;
  if (mod) { if ((wx < 0) !== (mod < 0)) mod += wx; } else mod = wx < 0 ? -0 : 0;
  return mod;
}

function floatFloorDiv(vx, wx) {
  if (wx === 0) return NOFOLD;
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod) { if ((wx < 0) !== (mod < 0)) { mod += wx; div -= 1; } }
  let floordiv;
  if (div) { floordiv = Math.floor(div); if (div - floordiv > 0.5) floordiv += 1; } else {
    floordiv = (vx / wx < 0 || Object.is(vx / wx, -0)) ? -0 : 0;
  }
  return floordiv;
}

/** Correctly rounded n / d for BigInts (as long_true_divide rounds). */
export function ratioToFloat(n, d) {
  if (d === 0n) return NOFOLD;
  const neg = (n < 0n) !== (d < 0n);
  if (n < 0n) n = -n;
  if (d < 0n) d = -d;
  if (n === 0n) return neg ? -0 : 0;
  const bits = (x) => x.toString(2).length;
  // scale so the quotient has 64-65 bits, then keep a sticky bit
  const s = 64 - (bits(n) - bits(d));
  let q, r;
  if (s >= 0) { q = (n << BigInt(s)) / d; r = (n << BigInt(s)) % d; } else { q = n / (d << BigInt(-s)); r = n % (d << BigInt(-s)); }
  if (r !== 0n) q |= 1n;
  // round q to 53 significant bits by hand (Number(q) would round again)
  const extra = bits(q) - 53;
  let m = q >> BigInt(extra);
  const rest = q & ((1n << BigInt(extra)) - 1n);
  const half = 1n << BigInt(extra - 1);
  if (rest > half || (rest === half && (m & 1n))) m += 1n;
  const exp = extra - s;
  // m * 2**exp, scaled in steps so the power of two itself stays finite
  let x = Number(m);
  let e = exp;
  while (e > 0) { const k = Math.min(e, 1000); x *= 2 ** k; e -= k; }
  while (e < 0) { const k = Math.min(-e, 1000); x /= 2 ** k; e += k; }
  return neg ? -x : x;
}

/** A finite double as the exact rational mant * 2**exp (mant a BigInt). */
function exactParts(x) {
  let exp = 0;
  while (!Number.isInteger(x)) { x *= 2; exp--; }
  return [BigInt(x), exp];
}

function floatPow(iv, iw) {
  if (iw === 0) return 1;
  if (Number.isNaN(iv)) return iw === 0 ? 1 : NaN;
  if (iv === 0 && iw < 0) return NOFOLD;                    // ZeroDivisionError
  if (iv < 0 && iw !== Math.floor(iw) && Number.isFinite(iw)) return NOFOLD; // complex result
  if (Number.isFinite(iv) && Number.isInteger(iw) && Math.abs(iw) <= 1100 && iv !== 0) {
    // integral exponent: the exact power, correctly rounded (libm's pow is
    // within half an ulp here; Math.pow is not always)
    const [m, e] = exactParts(iv);
    const n = Math.abs(iw);
    let num = m ** BigInt(n), den = 1n;
    const e2 = e * n;
    if (e2 >= 0) num <<= BigInt(e2); else den <<= BigInt(-e2);
    const r = iw > 0 ? ratioToFloat(num, den) : ratioToFloat(den, num);
    if (!Number.isFinite(r)) return NOFOLD;                  // OverflowError
    return r;
  }
  const r = Math.pow(iv, iw);
  if (!Number.isFinite(r) && Number.isFinite(iv) && Number.isFinite(iw)) return NOFOLD; // OverflowError
  return r;
}

// ---- the folders (safe_* in ast_opt.c)

function checkComplexity(items, limit) {
  for (const x of items) {
    limit -= 1;
    if (x.t === 'tuple' || x.t === 'frozenset') {
      limit = checkComplexity(x.v, limit);
      if (limit < 0) return limit;
    }
  }
  return limit;
}

function seqRepeat(seqV, n) {
  const size = seqV.t === 'str' ? V.pyLen(seqV.v) : seqV.v.length;
  if (size) {
    if (n < 0n) return NOFOLD;
    if (seqV.t === 'tuple' || seqV.t === 'frozenset') {
      if (n > BigInt(Math.floor(MAX_COLLECTION_SIZE / size))) return NOFOLD;
      if (n && checkComplexity(seqV.v, Math.floor(MAX_TOTAL_ITEMS / Number(n))) < 0) return NOFOLD;
    } else if (n > BigInt(Math.floor(MAX_STR_SIZE / size))) return NOFOLD;
  }
  const k = n < 0n ? 0 : Number(n);
  switch (seqV.t) {
    case 'str': return V.str(seqV.v.repeat(k));
    case 'bytes': { const out = new Uint8Array(seqV.v.length * k); for (let i = 0; i < k; i++) out.set(seqV.v, i * seqV.v.length); return V.bytes(out); }
    case 'tuple': return V.tuple(Array.from({ length: k }, () => seqV.v).flat());
    default: return NOFOLD; // frozenset * int is a TypeError
  }
}

function numeric(op, l, r) {
  if (isIntLike(l) && isIntLike(r)) {
    const a = asBig(l), b = asBig(r);
    const bothBool = l.t === 'bool' && r.t === 'bool';
    switch (op) {
      case 'Add': return V.int(a + b);
      case 'Sub': return V.int(a - b);
      case 'Mult':
        if (a !== 0n && b !== 0n && numBits(a) + numBits(b) > MAX_INT_SIZE) return NOFOLD;
        return V.int(a * b);
      case 'Div': {
        if (b === 0n) return NOFOLD;
        const f = ratioToFloat(a, b);
        return Number.isFinite(f) ? V.float(f) : NOFOLD;
      }
      case 'FloorDiv': {
        if (b === 0n) return NOFOLD;
        let q = a / b;
        if (a % b !== 0n && ((a < 0n) !== (b < 0n))) q -= 1n;
        return V.int(q);
      }
      case 'Mod': {
        if (b === 0n) return NOFOLD;
        let m = a % b;
        if (m !== 0n && ((m < 0n) !== (b < 0n))) m += b;
        return V.int(m);
      }
      case 'Pow': {
        if (b < 0n) {
          const fa = toFloat(l), fb = toFloat(r);
          if (fa === NOFOLD || fb === NOFOLD) return NOFOLD;
          const p = floatPow(fa, fb);
          return p === NOFOLD ? NOFOLD : V.float(p);
        }
        if (a !== 0n && b > 0n && numBits(a) > Math.floor(MAX_INT_SIZE / Number(b))) return NOFOLD;
        return V.int(a ** b);
      }
      case 'LShift':
        if (b < 0n) return NOFOLD;
        if (a !== 0n && b !== 0n && (b > BigInt(MAX_INT_SIZE) || numBits(a) > MAX_INT_SIZE - Number(b))) return NOFOLD;
        return V.int(a << b);
      case 'RShift':
        if (b < 0n) return NOFOLD;
        return V.int(a >> b);
      case 'BitAnd': return bothBool ? (a & b ? V.TRUE : V.FALSE) : V.int(a & b);
      case 'BitOr': return bothBool ? (a | b ? V.TRUE : V.FALSE) : V.int(a | b);
      case 'BitXor': return bothBool ? (a ^ b ? V.TRUE : V.FALSE) : V.int(a ^ b);
      default: return NOFOLD;
    }
  }
  if ((l.t === 'float' || isIntLike(l)) && (r.t === 'float' || isIntLike(r))) {
    const a = toFloat(l), b = toFloat(r);
    if (a === NOFOLD || b === NOFOLD) return NOFOLD;
    let x;
    switch (op) {
      case 'Add': x = a + b; break;
      case 'Sub': x = a - b; break;
      case 'Mult': x = a * b; break;
      case 'Div': x = b === 0 ? NOFOLD : a / b; break;
      case 'FloorDiv': x = floatFloorDiv(a, b); break;
      case 'Mod': x = floatMod(a, b); break;
      case 'Pow': x = floatPow(a, b); break;
      default: return NOFOLD;
    }
    return x === NOFOLD ? NOFOLD : V.float(x);
  }
  return NOFOLD;
}

/** fold_binop's arithmetic on two constants (NOFOLD when CPython would not). */
export function foldBinary(op, l, r) {
  const seq = (v) => v.t === 'str' || v.t === 'bytes' || v.t === 'tuple';
  if (op === 'Add' && l.t === r.t && seq(l)) {
    if (l.t === 'str') return V.str(l.v + r.v);
    if (l.t === 'bytes') { const o = new Uint8Array(l.v.length + r.v.length); o.set(l.v); o.set(r.v, l.v.length); return V.bytes(o); }
    return V.tuple([...l.v, ...r.v]);
  }
  if (op === 'Mult') {
    if (isIntLike(l) && (seq(r) || r.t === 'frozenset')) return seqRepeat(r, asBig(l));
    if (isIntLike(r) && (seq(l) || l.t === 'frozenset')) return seqRepeat(l, asBig(r));
  }
  if (op === 'Mod' && (l.t === 'str' || l.t === 'bytes')) return NOFOLD;
  return numeric(op, l, r);
}

/** fold_unaryop's arithmetic. */
export function foldUnary(op, v) {
  if (op === 'Not') return truthy(v) ? V.FALSE : V.TRUE;
  if (isIntLike(v)) {
    const a = asBig(v);
    if (op === 'USub') return V.int(-a);
    if (op === 'UAdd') return V.int(a);
    if (op === 'Invert') return V.int(-a - 1n);
  }
  if (v.t === 'float') {
    if (op === 'USub') return V.float(-v.v);
    if (op === 'UAdd') return V.float(v.v);
  }
  return NOFOLD;
}

/** PyObject_GetItem on constants (fold_subscr). */
export function foldSubscript(v, idx) {
  if (!isIntLike(idx)) return NOFOLD;
  let i = asBig(idx);
  let items;
  if (v.t === 'str') items = Array.from(v.v);
  else if (v.t === 'bytes' || v.t === 'tuple') items = v.v;
  else return NOFOLD;
  const n = BigInt(items.length);
  if (i < 0n) i += n;
  if (i < 0n || i >= n) return NOFOLD;
  const x = items[Number(i)];
  if (v.t === 'str') return V.str(x);
  if (v.t === 'bytes') return V.int(x);
  return x;
}

// ---- the tree walk (astfold_*)

const isConst = (e) => e && e.kind === 'Constant';

function makeConst(node, value) {
  if (value === NOFOLD) return false;
  for (const k of Object.keys(node)) {
    if (!['lineno', 'col_offset', 'end_lineno', 'end_col_offset'].includes(k)) delete node[k];
  }
  node.kind = 'Constant';
  node.value = value;
  node.strKind = null;
  return true;
}

function constTuple(elts) {
  if (!elts.every(isConst)) return NOFOLD;
  return V.tuple(elts.map((e) => e.value));
}

/** fold_iter: a list display becomes a tuple, a set display of constants a frozenset. */
function foldIter(e) {
  if (e.kind === 'List') {
    if (e.elts.some((x) => x.kind === 'Starred')) return;
    e.kind = 'Tuple';
    makeConst(e, constTuple(e.elts));
  } else if (e.kind === 'Set') {
    const t = constTuple(e.elts);
    if (t !== NOFOLD) makeConst(e, frozensetOf(t.v));
  }
}

/** frozenset constant from items: equal items (by Python equality) collapse. */
export function frozensetOf(items) {
  const out = [];
  const seen = new Set();
  for (const x of items) {
    // 1, 1.0 and True are equal as set members: key by numeric value for numbers
    let k;
    if (x.t === 'bool' || x.t === 'int') k = 'n:' + asBig(x).toString();
    else if (x.t === 'float' && Number.isInteger(x.v)) k = 'n:' + BigInt(x.v).toString();
    else k = V.constKey(x);
    if (!seen.has(k)) { seen.add(k); out.push(x); }
  }
  return { t: 'frozenset', v: out };
}

/** printf-style parse of one %-unit (simple_format_arg_parse); null if unsupported. */
function parseFormatUnit(fmt, pos) {
  const MAXDIGITS = 3;
  let flags = 0, width = -1, prec = -1;
  let ch;
  const next = () => (pos < fmt.length ? (ch = fmt[pos++], true) : false);
  for (;;) {
    if (!next()) return null;
    const f = { '-': 1, '+': 2, ' ': 4, '#': 8, '0': 16 }[ch];
    if (f) { flags |= f; continue; }
    break;
  }
  if (ch >= '0' && ch <= '9') {
    width = 0;
    let digits = 0;
    while (ch >= '0' && ch <= '9') {
      width = width * 10 + Number(ch);
      if (!next()) return null;
      if (++digits >= MAXDIGITS) return null;
    }
  }
  if (ch === '.') {
    if (!next()) return null;
    prec = 0;
    let digits = 0;
    while (ch >= '0' && ch <= '9') {
      prec = prec * 10 + Number(ch);
      if (!next()) return null;
      if (++digits >= MAXDIGITS) return null;
    }
  }
  return { spec: ch, flags, width, prec, pos };
}

/** optimize_format: '%s-%r' % (a, b) -> f'{a!s}-{b!r}'. Returns true if rewritten. */
function optimizeFormat(node, fmt, elts) {
  const chars = Array.from(fmt);
  const s = chars.join('');
  void s;
  const seq = [];
  let pos = 0, cnt = 0;
  const at = { lineno: node.lineno, col_offset: node.col_offset, end_lineno: node.end_lineno, end_col_offset: node.end_col_offset };
  for (;;) {
    // parse_literal
    let start = pos, lit = '';
    while (pos < chars.length) {
      if (chars[pos] !== '%') { lit += chars[pos]; pos++; }
      else if (pos + 1 < chars.length && chars[pos + 1] === '%') { lit += '%'; pos += 2; }
      else break;
    }
    if (pos !== start) seq.push({ kind: 'Constant', value: V.str(lit), strKind: null, ...at });
    if (pos >= chars.length) break;
    if (cnt >= elts.length) return false;
    pos++;
    const u = parseFormatUnit(chars, pos);
    const arg = elts[cnt++];
    if (!u || !['s', 'r', 'a'].includes(u.spec)) return false;
    pos = u.pos;
    let spec = '';
    if (!(u.flags & 1) && u.width > 0) spec += '>';
    if (u.width >= 0) spec += String(u.width);
    if (u.prec >= 0) spec += '.' + u.prec;
    seq.push({
      kind: 'FormattedValue', value: arg, conversion: u.spec.charCodeAt(0),
      format_spec: spec ? { kind: 'Constant', value: V.str(spec), strKind: null, ...at } : null,
      lineno: arg.lineno, col_offset: arg.col_offset, end_lineno: arg.end_lineno, end_col_offset: arg.end_col_offset,
    });
  }
  if (cnt < elts.length) return false;
  for (const k of Object.keys(node)) if (!(k in at)) delete node[k];
  node.kind = 'JoinedStr';
  node.values = seq;
  return true;
}

class Folder {
  body(stmts) {
    const hadDoc = docstringOf(stmts) !== null;
    for (const s of stmts) this.stmt(s);
    if (!hadDoc && docstringOf(stmts) !== null) {
      // a folded constant str must not become a docstring (astfold_body)
      const st = stmts[0];
      const v = st.value;
      st.value = { kind: 'JoinedStr', values: [v], lineno: v.lineno, col_offset: v.col_offset, end_lineno: v.end_lineno, end_col_offset: v.end_col_offset };
    }
  }

  stmt(s) {
    const E = (e) => e && this.expr(e);
    switch (s.kind) {
      case 'FunctionDef':
        this.args(s.args);
        this.body(s.body);
        s.decorator_list.forEach(E);
        return;
      case 'ClassDef':
        s.bases.forEach(E);
        s.keywords.forEach((k) => E(k.value));
        this.body(s.body);
        s.decorator_list.forEach(E);
        return;
      case 'Return': E(s.value); return;
      case 'Delete': s.targets.forEach(E); return;
      case 'Assign': s.targets.forEach(E); E(s.value); return;
      case 'AugAssign': E(s.target); E(s.value); return;
      case 'For':
        E(s.target); E(s.iter); this.stmts(s.body); this.stmts(s.orelse);
        foldIter(s.iter);
        return;
      case 'While': case 'If': E(s.test); this.stmts(s.body); this.stmts(s.orelse); return;
      case 'With': s.items.forEach((it) => { E(it.context_expr); E(it.optional_vars); }); this.stmts(s.body); return;
      case 'Raise': E(s.exc); E(s.cause); return;
      case 'Try':
        this.stmts(s.body);
        s.handlers.forEach((h) => { E(h.type); this.stmts(h.body); });
        this.stmts(s.orelse);
        this.stmts(s.finalbody);
        return;
      case 'Assert': E(s.test); E(s.msg); return;
      case 'Expr': E(s.value); return;
      default: return; // Import, Global, Nonlocal, Pass, Break, Continue
    }
  }

  stmts(list) { for (const s of list) this.stmt(s); }

  args(a) {
    a.defaults.forEach((e) => this.expr(e));
    a.kw_defaults.forEach((e) => e && this.expr(e));
  }

  expr(e) {
    const E = (x) => x && this.expr(x);
    switch (e.kind) {
      case 'BoolOp': e.values.forEach(E); return;
      case 'BinOp': {
        E(e.left); E(e.right);
        if (!isConst(e.left)) return;
        const lv = e.left.value;
        if (e.op === 'Mod' && e.right.kind === 'Tuple' && lv.t === 'str' && !e.right.elts.some((x) => x.kind === 'Starred')) {
          optimizeFormat(e, lv.v, e.right.elts);
          return;
        }
        if (!isConst(e.right)) return;
        makeConst(e, foldBinary(e.op, lv, e.right.value));
        return;
      }
      case 'UnaryOp': {
        E(e.operand);
        const a = e.operand;
        if (isConst(a)) { makeConst(e, foldUnary(e.op, a.value)); return; }
        if (e.op === 'Not' && a.kind === 'Compare' && a.ops.length === 1) {
          const inv = { Is: 'IsNot', IsNot: 'Is', In: 'NotIn', NotIn: 'In' }[a.ops[0]];
          if (inv) {
            a.ops[0] = inv;
            for (const k of Object.keys(e)) delete e[k];
            Object.assign(e, a);
          }
        }
        return;
      }
      case 'Lambda': this.args(e.args); E(e.body); return;
      case 'IfExp': E(e.test); E(e.body); E(e.orelse); return;
      case 'Dict': e.keys.forEach(E); e.values.forEach(E); return;
      case 'Set': e.elts.forEach(E); return;
      case 'ListComp': case 'SetComp': case 'GeneratorExp':
        E(e.elt); this.gens(e.generators); return;
      case 'DictComp': E(e.key); E(e.value); this.gens(e.generators); return;
      case 'Yield': case 'YieldFrom': E(e.value); return;
      case 'Compare':
        E(e.left); e.comparators.forEach(E);
        if (['In', 'NotIn'].includes(e.ops[e.ops.length - 1])) foldIter(e.comparators[e.comparators.length - 1]);
        return;
      case 'Call': E(e.func); e.args.forEach(E); e.keywords.forEach((k) => E(k.value)); return;
      case 'FormattedValue': E(e.value); E(e.format_spec); return;
      case 'JoinedStr': e.values.forEach(E); return;
      case 'Attribute': E(e.value); return;
      case 'Subscript':
        E(e.value); E(e.slice);
        if (isConst(e.value) && isConst(e.slice)) makeConst(e, foldSubscript(e.value.value, e.slice.value));
        return;
      case 'Starred': E(e.value); return;
      case 'Slice': E(e.lower); E(e.upper); E(e.step); return;
      case 'List': e.elts.forEach(E); return;
      case 'Tuple':
        e.elts.forEach(E);
        if (e.ctx === 'Load') makeConst(e, constTuple(e.elts));
        return;
      case 'Name':
        if (e.ctx === 'Load' && e.id === '__debug__') makeConst(e, V.TRUE);
        return;
      default: return;
    }
  }

  gens(gs) {
    for (const g of gs) {
      this.expr(g.target);
      this.expr(g.iter);
      g.ifs.forEach((x) => this.expr(x));
      foldIter(g.iter);
    }
  }
}

/** _PyAST_GetDocString: the str constant of a leading expression statement. */
export function docstringOf(body) {
  const s = body[0];
  if (!s || s.kind !== 'Expr') return null;
  const v = s.value;
  return v.kind === 'Constant' && v.value.t === 'str' ? v.value.v : null;
}

/** Optimise a Module AST in place (_PyAST_Optimize). */
export function optimize(mod) {
  new Folder().body(mod.body);
  return mod;
}
