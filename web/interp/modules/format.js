// format.js — CPython 3.12's string formatting for the interpreter:
// format(v, spec) / f-string format specs (the format-spec mini-language of
// Python/formatter_unicode.c), str.format (Objects/stringlib/unicode_format.h)
// and printf-style `str % args` (Objects/unicodeobject.c PyUnicode_Format).
//
// Floats are rounded on their exact binary value, half to even, as
// _Py_dg_dtoa does (JavaScript's toFixed rounds exact ties up).

import { PyException, USER_TYPE } from '../vm.js';
import { TYPE_IDS } from '../../lib/raw.js';

const T = Object.fromEntries(TYPE_IDS.map((n, i) => [n, i]));

// ---- exact decimal expansion of a double

/** The exact decimal value of a finite |x|: { digits, point } meaning 0.digits × 10^point. */
function exactDecimal(x) {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, Math.abs(x));
  const hi = dv.getUint32(0), lo = dv.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e;
  if (bexp === 0) e = -1074;
  else { mant |= 1n << 52n; e = bexp - 1075; }
  if (mant === 0n) return { digits: '0', point: 1 };
  let digits, point;
  if (e >= 0) { digits = (mant << BigInt(e)).toString(); point = digits.length; }
  else {
    digits = (mant * 5n ** BigInt(-e)).toString();
    point = digits.length + e;   // e decimal places
  }
  const stripped = digits.replace(/0+$/, '');
  const lead = stripped.length - stripped.replace(/^0+/, '').length;
  return { digits: stripped.slice(lead) || '0', point: point - lead };
}

/** Rounds 0.digits × 10^point to `keep` significant digits, half to even. */
function roundDigits({ digits, point }, keep) {
  if (keep >= digits.length) return { digits: digits.padEnd(Math.max(keep, 0), '0'), point };
  if (keep < 0) return { digits: '', point };
  const head = digits.slice(0, keep), rest = digits.slice(keep);
  const cmp = rest[0] > '5' ? 1 : rest[0] < '5' ? -1 : (/[1-9]/.test(rest.slice(1)) ? 1 : 0);
  const last = keep ? Number(head[keep - 1]) : 0;
  if (cmp > 0 || (cmp === 0 && last % 2 === 1)) {
    const n = (BigInt(head || '0') + 1n).toString();
    if (n.length > keep || !keep) return { digits: keep ? n.slice(0, keep) : '1', point: point + 1 };   // 99.. carried
    return { digits: n.padStart(keep, '0'), point };
  }
  return { digits: head, point };
}

/** |x| in fixed notation with `prec` decimals. */
export function fixed(x, prec) {
  const d = exactDecimal(x);
  const { digits, point } = d.digits === '0' ? { digits: '', point: 0 } : roundDigits(d, d.point + prec);
  let intPart, frac;
  if (!digits) { intPart = '0'; frac = '0'.repeat(prec); }
  else if (point <= 0) { intPart = '0'; frac = ('0'.repeat(-point) + digits).padEnd(prec, '0').slice(0, prec); }
  else { intPart = digits.slice(0, point).padEnd(point, '0'); frac = digits.slice(point).padEnd(prec, '0').slice(0, prec); }
  return prec ? `${intPart}.${frac}` : intPart;
}

/** |x| in exponent notation with `prec` digits after the point: [mantissa, exponent]. */
function expParts(x, prec) {
  if (x === 0) return [prec ? `0.${'0'.repeat(prec)}` : '0', 0];
  const r = roundDigits(exactDecimal(x), prec + 1);
  const m = r.digits;
  return [prec ? `${m[0]}.${m.slice(1)}` : m[0], r.point - 1];
}

const expText = (exp, upper) => `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;

/** 'g' formatting of finite |x| (format_float_short with 'g'): prec significant digits. */
function general(x, prec, alt, upper, noneType = false) {
  if (prec === 0) prec = 1;
  let exp;
  if (x === 0) exp = 0;
  else exp = roundDigits(exactDecimal(x), prec).point - 1;
  let s;
  // no type with a precision (Py_DTSF_ADD_DOT_0): the exponent form from one digit earlier
  if (exp >= -4 && exp < prec - (noneType ? 1 : 0)) {
    s = fixed(x, Math.max(prec - 1 - exp, 0));
    if (!alt && s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
    if (alt && !s.includes('.')) s += '.';   // '#': the point stays
    if (noneType && !s.includes('.')) s += '.0';
  } else {
    const [m] = expParts(x, prec - 1);
    let mm = m;
    if (!alt && mm.includes('.')) mm = mm.replace(/0+$/, '').replace(/\.$/, '');
    if (alt && !mm.includes('.')) mm += '.';
    s = mm + expText(exp, upper);
  }
  return s;
}

/** repr(float) (float_repr: the shortest string that round-trips, 'r' mode). */
export function floatRepr(x) {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // JavaScript's shortest round-trip digits are the same digits repr uses
  const [mant, e] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(e);
  let s;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) s = `0.${'0'.repeat(-exp - 1)}${digits}`;
    else if (digits.length <= exp + 1) s = `${digits.padEnd(exp + 1, '0')}.0`;
    else s = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    s = (digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits) + expText(exp, false);
  }
  return (x < 0 ? '-' : '') + s;
}

// ---- the format-spec mini-language

/** parse_internal_render_format_spec: a spec string -> its fields, or a ValueError message. */
function parseSpec(spec) {
  const m = /^(?:([\s\S])?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([\s\S])?$/u.exec(spec);
  if (m) {
    return {
      fill: m[1], align: m[2], sign: m[3], z: !!m[4], alt: !!m[5], zero: !!m[6], width: m[7] ? Number(m[7]) : undefined,
      grouping: m[8], prec: m[9] !== undefined ? Number(m[9]) : undefined, type: m[10],
    };
  }
  if (/^(?:[\s\S]?[<>=^])?[-+ ]?z?#?0?\d*[,_]?\.(?!\d)/u.test(spec)) return { error: 'Format specifier missing precision' };
  return { error: 'Invalid format specifier' };
}

function group(intDigits, sep, every) {
  let out = '';
  for (let i = intDigits.length; i > 0; i -= every) out = intDigits.slice(Math.max(0, i - every), i) + (out ? sep + out : '');
  return out;
}

/** The fill and alignment in effect: a '0' before the width fills with '0' when no fill is
 *  given, and numbers (default '>') then align with '=' (parse_internal_render_format_spec). */
function resolve(f, defAlign) {
  const fill = f.fill ?? (f.zero ? '0' : ' ');
  const align = f.align ?? (f.zero && defAlign === '>' ? '=' : defAlign);
  return { fill, align };
}

/** Pads `sign + body` to the width (fill_padding + the '=' alignment). */
function pad(sign, body, f, defAlign) {
  const { fill, align } = resolve(f, defAlign);
  const n = [...sign].length + [...body].length;
  const w = f.width ?? 0;
  if (n >= w) return sign + body;
  const p = w - n;
  if (align === '<') return sign + body + fill.repeat(p);
  if (align === '>') return fill.repeat(p) + sign + body;
  if (align === '^') return fill.repeat(p >> 1) + sign + body + fill.repeat(p - (p >> 1));
  return sign + fill.repeat(p) + body;   // '='
}

/** Grouping inside a zero-padded width (the digits themselves get the separators as they are padded). */
function numberBody(intPart, rest, f, sep, every, signLen) {
  if (!sep) return intPart + rest;
  const { fill, align } = resolve(f, '>');
  if (fill === '0' && align === '=' && f.width) {
    // format_int_or_long_internal: zero padding counts toward the grouped digits
    const want = f.width - signLen - rest.length;
    let g = group(intPart, sep, every);
    let digits = intPart;
    while (g.length < want) { digits = `0${digits}`; g = group(digits, sep, every); }
    return g + rest;
  }
  return group(intPart, sep, every) + rest;
}

function signOf(neg, f) {
  if (neg) return '-';
  return f.sign === '+' ? '+' : f.sign === ' ' ? ' ' : '';
}

function formatInt(n, f, typeName) {
  const type = f.type ?? 'd';
  if ('eEfFgG%'.includes(type)) return formatFloat(Number(n), f, typeName);
  if (!'bcdoxXn'.includes(type)) throw new FormatError('ValueError', `Unknown format code '${type}' for object of type '${typeName}'`);
  if (f.prec !== undefined) throw new FormatError('ValueError', 'Precision not allowed in integer format specifier');
  if (type === 'c') {
    if (f.sign) throw new FormatError('ValueError', 'Sign not allowed with integer format specifier \'c\'');
    if (f.alt) throw new FormatError('ValueError', 'Alternate form (#) not allowed with integer format specifier \'c\'');
    if (n < 0n || n > 0x10ffffn) throw new FormatError('OverflowError', '%c arg not in range(0x110000)');
    return pad('', String.fromCodePoint(Number(n)), f, '>');
  }
  const neg = n < 0n, a = neg ? -n : n;
  const base = { b: 2, o: 8, x: 16, X: 16 }[type] ?? 10;
  let digits = a.toString(base);
  if (type === 'X') digits = digits.toUpperCase();
  const prefix = f.alt ? { b: '0b', o: '0o', x: '0x', X: '0X' }[type] ?? '' : '';
  const sign = signOf(neg, f) + prefix;
  const body = numberBody(digits, '', f, f.grouping, base === 10 ? 3 : 4, sign.length);
  return pad(sign, body, f, '>');
}

function formatFloat(x, f, typeName = 'float') {
  let type = f.type;
  if (type !== undefined && !'eEfFgGn%'.includes(type)) {
    throw new FormatError('ValueError', `Unknown format code '${type}' for object of type '${typeName}'`);
  }
  const upper = type === 'E' || type === 'F' || type === 'G';
  let neg = x < 0 || Object.is(x, -0);
  let a = Math.abs(x);
  if (type === '%') a *= 100;
  let body;
  if (Number.isNaN(x)) { body = upper ? 'NAN' : 'nan'; neg = false; }
  else if (!Number.isFinite(a)) body = upper ? 'INF' : 'inf';
  else if (type === undefined && f.prec === undefined) {
    body = floatRepr(a);
    if (f.alt && !body.includes('.')) body = body.replace(/(?=e)|$/, '.');   // '#': always a point
  }
  else if (type === undefined) body = general(a, f.prec, f.alt, false, true);
  else if (type === 'f' || type === 'F' || type === '%') body = fixed(a, f.prec ?? 6) + (f.alt && !(f.prec ?? 6) ? '.' : '');
  else if (type === 'e' || type === 'E') { const [m, e] = expParts(a, f.prec ?? 6); body = m + (f.alt && !(f.prec ?? 6) ? '.' : '') + expText(e, upper); }
  else body = general(a, f.prec ?? 6, f.alt, upper);
  if (f.z && neg && /^[0.]*$/.test(body.replace(/[eE][-+]\d+$/, ''))) neg = false;   // 'z': no negative zero
  if (type === '%') body += '%';
  const sign = signOf(neg, f);
  const m = /^(\d*)(.*)$/s.exec(body);
  const numeric = Number.isFinite(a);
  const out = numeric ? numberBody(m[1], m[2], f, f.grouping, 3, sign.length) : body;
  return pad(sign, out, f, '>');
}

function formatStr(s, f) {
  if (f.type !== undefined && f.type !== 's') throw new FormatError('ValueError', `Unknown format code '${f.type}' for object of type 'str'`);
  if (f.sign) throw new FormatError('ValueError', `${f.sign === ' ' ? 'Space' : 'Sign'} not allowed in string format specifier`);
  if (f.alt) throw new FormatError('ValueError', 'Alternate form (#) not allowed in string format specifier');
  if (f.align === '=') throw new FormatError('ValueError', "'=' alignment not allowed in string format specifier");
  let text = s;
  if (f.prec !== undefined) text = [...s].slice(0, f.prec).join('');
  return pad('', text, f, '<');
}

class FormatError {
  constructor(type, msg) { this.type = type; this.msg = msg; }
}

/** Formatting for one VM: format(v, spec) as a JS string, str.format and str % args. */
export function formatters(vm) {
  const raw = vm.raw, h = vm.h;
  const fail = (e) => {
    if (e instanceof FormatError) throw new PyException(vm.makeExc(e.type, e.msg));
    throw e;
  };
  const tupleItems = (t) => {
    const n = raw.obj_len(h, t), out = [];
    for (let i = 0; i < n; i++) out.push(raw.tuple_getitem(h, t, i));
    return out;
  };
  const bigOf = (o) => {
    const tid = vm.typeId(o);
    if (tid === T.bool) return o === vm.true_ ? 1n : 0n;
    return BigInt(vm.toRepr(o));   // exact for any size
  };

  /** PyObject_Format(v, spec). */
  const format = (v, spec) => {
    const tid = vm.typeId(v);
    if (tid === USER_TYPE) {
      const m = vm.lookupSpecial(v, '__format__');
      if (m) {
        const r = vm.callObject(vm.incref(m), [vm.incref(v), vm.newStr(spec)], 0);
        try {
          if (vm.typeId(r) !== T.str) throw new PyException(vm.makeExc('TypeError', `__format__ must return a str, not ${vm.typeName(r)}`));
          return vm.text(r);
        } finally { vm.decref(r); }
      }
    }
    if (tid === T.str && !spec) return vm.text(v);
    if (!spec) return vm.toStr(v);
    const f = parseSpec(spec);
    if (f.error) throw new PyException(vm.makeExc('ValueError', f.error));
    // the separators each presentation type allows (PEP 378, PEP 515), checked while parsing
    const type = f.type ?? (tid === T.str ? 's' : tid === T.float ? 'g' : 'd');   // each type's default
    if (f.grouping && !'defgEGF%'.includes(type) && !(f.grouping === '_' && 'boxX'.includes(type))) {
      throw new PyException(vm.makeExc('ValueError', `Cannot specify '${f.grouping}' with '${type}'.`));
    }
    try {
      if (tid === T.str) return formatStr(vm.text(v), f);
      if (tid === T.int || tid === T.bool) return formatInt(bigOf(v), f, vm.typeName(v));
      if (tid === T.float) return formatFloat(raw.float_value(h, v), f);
    } catch (e) { fail(e); }
    // object.__format__: only the empty spec
    throw new PyException(vm.makeExc('TypeError', `unsupported format string passed to ${vm.typeName(v)}.__format__`));
  };

  /** The value of a field name (arg_name ("." attr | "[" key "]")*) of str.format. */
  const fieldValue = (name, pos, kw, auto) => {
    const m = /^([^.[]*)(.*)$/s.exec(name);
    let first = m[1];
    let obj;
    if (first === '') {
      if (auto.mode === 'manual') throw new PyException(vm.makeExc('ValueError', 'cannot switch from manual field specification to automatic field numbering'));
      auto.mode = 'auto';
      first = String(auto.next++);
    } else if (/^\d+$/.test(first)) {
      if (auto.mode === 'auto') throw new PyException(vm.makeExc('ValueError', 'cannot switch from automatic field numbering to manual field specification'));
      auto.mode = 'manual';
    }
    if (/^\d+$/.test(first)) {
      const i = Number(first);
      if (i >= pos.length) throw new PyException(vm.makeExc('IndexError', `Replacement index ${i} out of range for positional args tuple`));
      obj = vm.incref(pos[i]);
    } else {
      if (!(first in kw)) throw new PyException(vm.newException(vm.excClasses.get('KeyError'), [vm.newStr(first)]));
      obj = vm.incref(kw[first]);
    }
    let rest = m[2];
    while (rest) {
      let r;
      if ((r = /^\.([^.[]+)/.exec(rest))) {
        try { const next = vm.getAttr(obj, r[1]); vm.decref(obj); obj = next; } catch (e) { vm.decref(obj); throw e; }
      } else if ((r = /^\[([^\]]+)\]/.exec(rest))) {
        const k = /^\d+$/.test(r[1]) ? vm.newInt(Number(r[1])) : vm.newStr(r[1]);
        try { const next = vm.getItem(obj, k); vm.decref(obj); obj = next; } catch (e) { vm.decref(obj); throw e; } finally { vm.decref(k); }
      } else {
        vm.decref(obj);
        throw new PyException(vm.makeExc('ValueError', rest[0] === '.' ? 'Empty attribute in format string' : 'Only \'.\' or \'[\' may follow \']\' in format field specifier'));
      }
      rest = rest.slice(r[0].length);
    }
    return obj;
  };

  /** str.format(*pos, **kw) (MarkupIterator + render_field). */
  const strFormat = (fmt, pos, kw, auto = { mode: null, next: 0 }, depth = 2) => {
    if (depth < 0) throw new PyException(vm.makeExc('ValueError', 'Max string recursion exceeded'));
    let out = '';
    let i = 0;
    while (i < fmt.length) {
      const c = fmt[i];
      if (c === '}') {
        if (fmt[i + 1] === '}') { out += '}'; i += 2; continue; }
        throw new PyException(vm.makeExc('ValueError', "Single '}' encountered in format string"));
      }
      if (c !== '{') { out += c; i++; continue; }
      if (fmt[i + 1] === '{') { out += '{'; i += 2; continue; }
      // the field: up to the matching '}'
      let j = i + 1, nest = 1;
      while (j < fmt.length) {
        if (fmt[j] === '{') nest++;
        else if (fmt[j] === '}' && --nest === 0) break;
        j++;
      }
      if (j >= fmt.length) throw new PyException(vm.makeExc('ValueError', "expected '}' before end of string"));
      const field = fmt.slice(i + 1, j);
      i = j + 1;
      // field_name [! conversion] [: spec]
      let k = 0, bracket = false;
      while (k < field.length && (bracket || (field[k] !== '!' && field[k] !== ':'))) {
        if (field[k] === '[') bracket = true; else if (field[k] === ']') bracket = false;
        k++;
      }
      const name = field.slice(0, k);
      let conv = null, spec = '';
      if (field[k] === '!') {
        conv = field[k + 1];
        if (conv === undefined || conv === ':') throw new PyException(vm.makeExc('ValueError', 'end of string while looking for conversion specifier'));
        if (field[k + 2] !== undefined && field[k + 2] !== ':') throw new PyException(vm.makeExc('ValueError', 'expected \':\' after conversion specifier'));
        spec = field.slice(k + 3);
      } else if (field[k] === ':') spec = field.slice(k + 1);
      if (spec.includes('{')) spec = strFormat(spec, pos, kw, auto, depth - 1);
      const obj = fieldValue(name, pos, kw, auto);
      try {
        if (conv === null) out += format(obj, spec);
        else {
          if (!'rsa'.includes(conv)) throw new PyException(vm.makeExc('ValueError', `Unknown conversion specifier ${conv}`));
          let s = conv === 's' ? vm.toStr(obj) : vm.toRepr(obj);
          if (conv === 'a') s = vm.asciiRepr(s, true);
          const so = vm.newStr(s);
          try { out += format(so, spec); } finally { vm.decref(so); }
        }
      } finally { vm.decref(obj); }
    }
    return out;
  };

  /** printf-style formatting: fmt % args (PyUnicode_Format). */
  const percent = (fmt, args) => {
    const atid = vm.typeId(args);
    const isTuple = atid === T.tuple;
    const items = isTuple ? tupleItems(args) : [vm.incref(args)];
    const mapping = !isTuple && (atid === T.dict || (atid === USER_TYPE && vm.lookupSpecial(args, '__getitem__'))) && atid !== T.str;
    let argi = 0;
    const next = () => {
      if (argi >= items.length) throw new PyException(vm.makeExc('TypeError', 'not enough arguments for format string'));
      return items[argi++];
    };
    let out = '';
    try {
      for (let i = 0; i < fmt.length;) {
        const c = fmt[i];
        if (c !== '%') { out += c; i++; continue; }
        i++;
        let key = null;
        if (fmt[i] === '(') {
          let depth = 1, j = i + 1;
          for (; j < fmt.length && depth; j++) { if (fmt[j] === '(') depth++; else if (fmt[j] === ')') depth--; }
          if (depth) throw new PyException(vm.makeExc('ValueError', 'incomplete format key'));
          key = fmt.slice(i + 1, j - 1);
          i = j;
        }
        const flags = { '-': false, '+': false, ' ': false, '#': false, '0': false };
        while ('-+ #0'.includes(fmt[i]) && fmt[i] !== undefined) flags[fmt[i++]] = true;
        let value = null;
        const getValue = () => {
          if (key === null) return next();
          if (!mapping) throw new PyException(vm.makeExc('TypeError', 'format requires a mapping'));
          const k = vm.newStr(key);
          try { const v = vm.getItem(args, k); items.push(v); return v; } finally { vm.decref(k); }
        };
        let width;
        if (fmt[i] === '*') {
          const w = next(); i++;
          if (vm.typeId(w) !== T.int) throw new PyException(vm.makeExc('TypeError', '* wants int'));
          width = raw.vm_int_value(h, w);
          if (width < 0) { flags['-'] = true; width = -width; }
        } else { const m = /^\d*/.exec(fmt.slice(i))[0]; if (m) width = Number(m); i += m.length; }
        let prec;
        if (fmt[i] === '.') {
          i++;
          if (fmt[i] === '*') {
            const p = next(); i++;
            if (vm.typeId(p) !== T.int) throw new PyException(vm.makeExc('TypeError', '* wants int'));
            prec = Math.max(0, raw.vm_int_value(h, p));
          } else { const m = /^\d*/.exec(fmt.slice(i))[0]; prec = m ? Number(m) : 0; i += m.length; }
        }
        const type = fmt[i++];
        if (type === undefined) throw new PyException(vm.makeExc('ValueError', 'incomplete format'));
        if (type === '%') {
          // only a bare %% is a percent sign; with a key, flags, width or precision it takes an
          // argument and is then an unsupported conversion (unicode_format_arg)
          if (fmt[i - 2] === '%' && key === null) { out += '%'; continue; }
          getValue();
          throw new PyException(vm.makeExc('ValueError', `unsupported format character '%' (0x25) at index ${i - 1}`));
        }
        value = getValue();
        const vt = vm.typeId(value);
        const spec = { fill: flags['0'] && !flags['-'] ? '0' : ' ', align: flags['-'] ? '<' : '>', width, sign: flags['+'] ? '+' : flags[' '] ? ' ' : undefined, alt: flags['#'] };
        let s;
        if (type === 's' || type === 'r' || type === 'a') {
          s = type === 's' ? vm.toStr(value) : vm.toRepr(value);
          if (prec !== undefined) s = [...s].slice(0, prec).join('');
          s = pad('', s, { width, fill: ' ', align: flags['-'] ? '<' : '>' }, '>');
        } else if ('diuoxX'.includes(type)) {
          let n;
          if (vt === T.int || vt === T.bool) n = bigOf(value);
          else if (vt === T.float && 'diu'.includes(type)) n = BigInt(Math.trunc(raw.float_value(h, value)));
          else {
            const what = 'diu'.includes(type) ? `%${type} format: a real number is required, not ${vm.typeName(value)}` : `%${type} format: an integer is required, not ${vm.typeName(value)}`;
            throw new PyException(vm.makeExc('TypeError', what));
          }
          const t = type === 'i' || type === 'u' ? 'd' : type;
          const neg = n < 0n;
          let digits = (neg ? -n : n).toString(t === 'd' ? 10 : t === 'o' ? 8 : 16);
          if (t === 'X') digits = digits.toUpperCase();
          if (prec !== undefined) digits = digits.padStart(prec, '0');
          const prefix = flags['#'] && t !== 'd' ? (t === 'o' ? '0o' : t === 'x' ? '0x' : '0X') : '';
          const sign = (neg ? '-' : spec.sign ?? '') + prefix;
          s = flags['0'] && !flags['-'] ? pad(sign, digits, { width, fill: '0', align: '=' }, '=') : pad('', sign + digits, { width, fill: ' ', align: spec.align }, '>');
        } else if ('eEfFgG'.includes(type)) {
          let x;
          if (vt === T.float) x = raw.float_value(h, value);
          else if (vt === T.int || vt === T.bool) x = Number(bigOf(value));
          else throw new PyException(vm.makeExc('TypeError', `must be real number, not ${vm.typeName(value)}`));
          const t = formatFloat(x, { sign: spec.sign, alt: flags['#'], type, prec: prec ?? 6 });
          const sg = '+- '.includes(t[0]) ? t[0] : '';
          s = flags['0'] && !flags['-'] && Number.isFinite(x) ? pad(sg, t.slice(sg.length), { width, fill: '0', align: '=' }, '=')
            : pad('', t, { width, fill: ' ', align: spec.align }, '>');
        } else if (type === 'c') {
          if (vt === T.str && raw.obj_len(h, value) === 1) s = vm.text(value);
          else if (vt === T.int || vt === T.bool) {
            const cp = raw.vm_int_value(h, value);
            if (!(cp >= 0 && cp <= 0x10ffff)) throw new PyException(vm.makeExc('OverflowError', '%c arg not in range(0x110000)'));
            s = String.fromCodePoint(cp);
          }
          else throw new PyException(vm.makeExc('TypeError', '%c requires int or char'));
          s = pad('', s, { width, fill: ' ', align: spec.align }, '>');
        } else {
          throw new PyException(vm.makeExc('ValueError', `unsupported format character '${type}' (0x${type.codePointAt(0).toString(16)}) at index ${i - 1}`));
        }
        out += s;
      }
      if (argi < items.length && !mapping) {
        throw new PyException(vm.makeExc('TypeError', 'not all arguments converted during string formatting'));
      }
    } catch (e) { fail(e); } finally { for (const x of items) vm.decref(x); }
    return out;
  };

  return { format, strFormat, percent };
}
