// Compile-time constant values of the Python subset (the values a Constant
// AST node or a code object's co_consts can hold), with CPython 3.12's repr,
// equality-for-merging key and a few helpers.
//
// A value is a tagged plain object:
//   { t: 'none' } | { t: 'bool', v: boolean } | { t: 'int', v: bigint }
//   { t: 'float', v: number } | { t: 'str', v: string } | { t: 'bytes', v: Uint8Array }
//   { t: 'ellipsis' } | { t: 'tuple', v: value[] } | { t: 'frozenset', v: value[] }
//   { t: 'code', v: CodeInfo }          (only in co_consts, see compile.js)
// Strings are JS strings; Python's len() is their code-point count (pyLen).

export const NONE = Object.freeze({ t: 'none' });
export const TRUE = Object.freeze({ t: 'bool', v: true });
export const FALSE = Object.freeze({ t: 'bool', v: false });
export const ELLIPSIS = Object.freeze({ t: 'ellipsis' });
export const int = (v) => ({ t: 'int', v: BigInt(v) });
export const float = (v) => ({ t: 'float', v });
export const str = (v) => ({ t: 'str', v });
export const bytes = (v) => ({ t: 'bytes', v });
export const tuple = (v) => ({ t: 'tuple', v });

/** Python len() of a str value: code points, not UTF-16 units. */
export function pyLen(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** repr(float) as CPython prints it (float_repr_style 'short'): shortest
 *  round-trip digits, exponent form when exp < -4 or exp >= 16. */
export function floatRepr(x) {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [m, e] = Math.abs(x).toExponential().split('e');
  const digits = m.replace('.', '');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const ee = Math.abs(exp) < 10 ? '0' + Math.abs(exp) : String(Math.abs(exp));
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${ee}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

// str.isprintable(): not in Unicode categories Cc Cf Cs Co Cn Zl Zp Zs, space allowed
const NONPRINT = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** repr(str) — unicode_repr in Objects/unicodeobject.c. */
export function strRepr(s) {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c < 0x7f) out += ch;
    else if (ch !== ' ' && NONPRINT.test(ch)) {
      if (c <= 0xff) out += '\\x' + c.toString(16).padStart(2, '0');
      else if (c <= 0xffff) out += '\\u' + c.toString(16).padStart(4, '0');
      else out += '\\U' + c.toString(16).padStart(8, '0');
    } else out += ch;
  }
  return out + q;
}

/** repr(bytes) — bytes_repr. */
export function bytesRepr(b) {
  let hasSq = false, hasDq = false;
  for (const c of b) { if (c === 0x27) hasSq = true; if (c === 0x22) hasDq = true; }
  const q = hasSq && !hasDq ? '"' : "'";
  let out = 'b' + q;
  for (const c of b) {
    if (c === q.charCodeAt(0) || c === 0x5c) out += '\\' + String.fromCharCode(c);
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += String.fromCharCode(c);
  }
  return out + q;
}

/** repr() of a constant value. Code objects print as <code NAME>. */
export function repr(v) {
  switch (v.t) {
    case 'none': return 'None';
    case 'bool': return v.v ? 'True' : 'False';
    case 'int': return v.v.toString();
    case 'float': return floatRepr(v.v);
    case 'str': return strRepr(v.v);
    case 'bytes': return bytesRepr(v.v);
    case 'ellipsis': return 'Ellipsis';
    case 'tuple': return v.v.length === 1 ? `(${repr(v.v[0])},)` : `(${v.v.map(repr).join(', ')})`;
    case 'frozenset': return v.v.length ? `frozenset({${v.v.map(repr).join(', ')}})` : 'frozenset()';
    case 'code': return `<code ${v.v.name}>`;
    default: throw new Error(`bad constant tag ${v.t}`);
  }
}

/** The merge key of a constant — _PyCode_ConstantKey: equal keys are one
 *  co_consts entry. Type-exact (1, 1.0 and True differ), -0.0 differs from
 *  0.0; code objects are keyed by identity. */
export function constKey(v) {
  switch (v.t) {
    case 'float': return 'f:' + (Object.is(v.v, -0) ? '-0' : String(v.v));
    case 'tuple': return 't:(' + v.v.map(constKey).join(',') + ')';
    case 'frozenset': return 'z:{' + v.v.map(constKey).sort().join(',') + '}';
    case 'code': return 'c:' + v.v.id;
    case 'bytes': return 'b:' + Array.from(v.v).join(',');
    case 'int': return 'i:' + v.v.toString();
    case 'str': return 's:' + v.v;
    case 'bool': return v.v ? 'T' : 'F';
    case 'none': return 'N';
    case 'ellipsis': return 'E';
    default: throw new Error(`bad constant tag ${v.t}`);
  }
}
