// strmethods.js — the methods of str (Objects/unicodeobject.c, stringlib) for
// the interpreter's method table. Each takes (self, args, kw) as the VM's
// builtin methods do (args: positional then keyword values, kw: the keyword
// names) and returns a new reference. Indices count code points; a result
// equal to self is self (as CPython returns an unchanged exact str), so `is`
// and reference counts match.

import { TYPE_IDS } from '../../lib/raw.js';

const T = Object.fromEntries(TYPE_IDS.map((n, i) => [n, i]));

// Py_UNICODE_ISSPACE
const WS = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const IS_WS = new RegExp(`^[${WS}]$`, 'u');
// str.splitlines' line boundaries
const LINE_BREAK = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/u;

const isCased = (c) => c.toLowerCase() !== c.toUpperCase();
const isLower = (c) => isCased(c) && c === c.toLowerCase() && c !== c.toUpperCase();
const isUpper = (c) => isCased(c) && c === c.toUpperCase() && c !== c.toLowerCase();

export function strMethods(vm, { err, nargs, collect }) {
  const h = vm.h, raw = vm.raw;
  const text = (o) => vm.text(o);
  const cps = (s) => [...s];
  /** A new str, or self when the text did not change. */
  const result = (self, s, r) => (r === s ? vm.incref(self) : vm.newStr(r));
  const strArg = (o, meth, what = 'argument') => {
    if (vm.typeId(o) !== T.str) throw err('TypeError', `${meth}() ${what} must be str, not ${vm.typeName(o)}`);
    return text(o);
  };
  const intArg = (o) => {
    const t = vm.typeId(o);
    if (t !== T.int && t !== T.bool) throw err('TypeError', `'${vm.typeName(o)}' object cannot be interpreted as an integer`);
    return raw.vm_int_value(h, o);
  };
  /** Positional-or-keyword arguments by name: [values...] (undefined when missing). */
  const params = (meth, args, kw, names, min = 0) => {
    const npos = args.length - kw.length;
    if (npos > names.length) throw err('TypeError', `${meth}() takes at most ${names.length} argument${names.length === 1 ? '' : 's'} (${npos} given)`);
    const out = names.map((_, i) => (i < npos ? args[i] : undefined));
    kw.forEach((k, i) => {
      const j = names.indexOf(k);
      if (j < 0) throw err('TypeError', `${meth}() got an unexpected keyword argument '${k}'`);
      out[j] = args[npos + i];
    });
    if (npos + kw.length < min) throw err('TypeError', `${meth}() takes at least ${min} argument${min === 1 ? '' : 's'} (${npos + kw.length} given)`);
    return out;
  };
  const noneOr = (o) => (o === undefined || o === vm.none ? undefined : o);
  /** ADJUST_INDICES for start/end arguments (None = omitted) over a length n. */
  const range = (n, start, end) => {
    let a = noneOr(start) === undefined ? 0 : intArg(start), b = noneOr(end) === undefined ? n : intArg(end);
    if (b > n) b = n; else if (b < 0) { b += n; if (b < 0) b = 0; }
    if (a < 0) { a += n; if (a < 0) a = 0; }
    return [a, b];
  };

  const stripWith = (meth, left, right) => (self, args, kw) => {
    const [chars] = params(meth, args, kw, ['chars']);
    const s = text(self);
    const c = cps(s);
    const inSet = noneOr(chars) === undefined ? (ch) => IS_WS.test(ch) : ((set) => (ch) => set.has(ch))(new Set(cps(strArg(chars, meth, 'arg'))));
    let i = 0, j = c.length;
    if (left) while (i < j && inSet(c[i])) i++;
    if (right) while (j > i && inSet(c[j - 1])) j--;
    return result(self, s, c.slice(i, j).join(''));
  };

  /** split / rsplit (split_whitespace / split_char / split of stringlib). */
  const splitter = (meth, fromRight) => (self, args, kw) => {
    const [sepO, maxO] = params(meth, args, kw, ['sep', 'maxsplit']);
    let max = maxO === undefined ? -1 : intArg(maxO);
    if (max < 0) max = Infinity;
    const s = text(self);
    let parts;
    if (noneOr(sepO) === undefined) {
      const c = cps(s);
      parts = [];
      if (!fromRight) {
        let i = 0;
        while (i < c.length) {
          while (i < c.length && IS_WS.test(c[i])) i++;
          if (i >= c.length) break;
          if (parts.length >= max) { parts.push(c.slice(i).join('')); break; }   // the rest as it is
          let j = i;
          while (j < c.length && !IS_WS.test(c[j])) j++;
          parts.push(c.slice(i, j).join(''));
          i = j;
        }
      } else {
        let j = c.length;
        while (j > 0) {
          while (j > 0 && IS_WS.test(c[j - 1])) j--;
          if (j <= 0) break;
          if (parts.length >= max) { parts.push(c.slice(0, j).join('')); break; }
          let i = j;
          while (i > 0 && !IS_WS.test(c[i - 1])) i--;
          parts.push(c.slice(i, j).join(''));
          j = i;
        }
        parts.reverse();
      }
    } else {
      const sep = strArg(sepO, meth, 'argument 1');
      if (!sep) throw err('ValueError', 'empty separator');
      const all = s.split(sep);
      if (all.length - 1 <= max) parts = all;
      else if (!fromRight) parts = [...all.slice(0, max), all.slice(max).join(sep)];
      else parts = [all.slice(0, all.length - max).join(sep), ...all.slice(all.length - max)];
    }
    // a split that found nothing returns [self] (the same object)
    const items = parts.length === 1 && parts[0] === s ? [vm.incref(self)] : parts.map((p) => vm.newStr(p));
    const l = vm.list(items);
    for (const x of items) vm.decref(x);
    return l;
  };

  /** find / rfind / index / rindex / count over s[start:end] in code points. */
  const search = (meth, kind) => (self, args, kw) => {
    if (kw.length) throw err('TypeError', `${meth}() takes no keyword arguments`);
    nargs(meth, args, 1, 3);
    const sub = strArg(args[0], meth, 'argument 1');
    const c = cps(text(self));
    const [a, b] = range(c.length, args[1], args[2]);
    const hay = a <= b ? c.slice(a, b).join('') : null;
    const toCp = (i) => cps(hay.slice(0, i)).length + a;
    if (kind === 'count') {
      if (hay === null) return vm.newInt(0);
      if (!sub) return vm.newInt(cps(hay).length + 1);
      return vm.newInt(hay.split(sub).length - 1);
    }
    let i = -1;
    if (hay !== null) i = kind.startsWith('r') ? hay.lastIndexOf(sub) : hay.indexOf(sub);
    if (i < 0) {
      if (kind.endsWith('index')) throw err('ValueError', 'substring not found');
      return vm.newInt(-1);
    }
    return vm.newInt(toCp(i));
  };

  /** startswith / endswith: a str or a tuple of str, in s[start:end]. */
  const affix = (meth, atEnd) => (self, args, kw) => {
    if (kw.length) throw err('TypeError', `${meth}() takes no keyword arguments`);
    nargs(meth, args, 1, 3);
    const c = cps(text(self));
    const [a, b] = range(c.length, args[1], args[2]);
    const part = c.slice(a, Math.max(a, b)).join('');
    const test = (o) => {
      if (vm.typeId(o) !== T.str) {
        throw err('TypeError', `tuple for ${meth} must only contain str, not ${vm.typeName(o)}`);
      }
      const p = text(o);
      if (a > c.length) return false;
      return atEnd ? part.endsWith(p) : part.startsWith(p);
    };
    if (vm.typeId(args[0]) === T.tuple) {
      const items = collect(args[0]);
      try { return vm.bool(items.some(test)); } finally { for (const x of items) vm.decref(x); }
    }
    if (vm.typeId(args[0]) !== T.str) {
      throw err('TypeError', `${meth} first arg must be str or a tuple of str, not ${vm.typeName(args[0])}`);
    }
    return vm.bool(test(args[0]));
  };

  const padder = (meth, where) => (self, args, kw) => {
    if (kw.length) throw err('TypeError', `${meth}() takes no keyword arguments`);
    nargs(meth, args, 1, 2);
    const width = intArg(args[0]);
    let fill = ' ';
    if (args.length > 1) {
      if (vm.typeId(args[1]) !== T.str || cps(text(args[1])).length !== 1) {
        throw err('TypeError', `The fill character must be exactly one character long`);
      }
      fill = text(args[1]);
    }
    const s = text(self);
    const n = cps(s).length;
    if (width <= n) return vm.incref(self);
    const pad = width - n;
    if (where === '<') return vm.newStr(s + fill.repeat(pad));
    if (where === '>') return vm.newStr(fill.repeat(pad) + s);
    // str.center: the odd extra goes left when both the width and the padding are odd (pad())
    const left = (pad >> 1) + (pad & width & 1);
    return vm.newStr(fill.repeat(left) + s + fill.repeat(pad - left));
  };

  const predicate = (meth, test) => (self, args) => {
    nargs(meth, args, 0);
    return vm.bool(test(cps(text(self))));
  };
  const cased = (c, want) => c.some(isCased) && c.every((ch) => !isCased(ch) || want(ch));

  const titleCase = (s) => {
    let out = '', prevCased = false;
    for (const ch of s) {
      out += prevCased ? ch.toLowerCase() : ch.toUpperCase();
      prevCased = isCased(ch);
    }
    return out;
  };

  const partition = (meth, fromRight) => (self, args) => {
    nargs(meth, args, 1);
    const sep = strArg(args[0], meth, 'argument');
    if (!sep) throw err('ValueError', 'empty separator');
    const s = text(self);
    const i = fromRight ? s.lastIndexOf(sep) : s.indexOf(sep);
    const e = vm.str('');
    let items;
    if (i < 0) items = fromRight ? [e, e, self] : [self, e, e];
    else items = [vm.newStr(s.slice(0, i)), args[0], vm.newStr(s.slice(i + sep.length))];
    const t = vm.tuple(items);
    if (i >= 0) { vm.decref(items[0]); vm.decref(items[2]); }
    return t;
  };

  return {
    strip: stripWith('strip', true, true),
    lstrip: stripWith('lstrip', true, false),
    rstrip: stripWith('rstrip', false, true),
    split: splitter('split', false),
    rsplit: splitter('rsplit', true),
    splitlines: (self, args, kw) => {
      const [keepO] = params('splitlines', args, kw, ['keepends']);
      const keep = keepO !== undefined && vm.truth(keepO);
      let s = text(self);
      const parts = [];
      while (s) {
        const m = LINE_BREAK.exec(s);
        if (!m) { parts.push(s); break; }
        parts.push(s.slice(0, keep ? m.index + m[0].length : m.index));
        s = s.slice(m.index + m[0].length);
      }
      const items = parts.map((p) => vm.newStr(p));
      const l = vm.list(items);
      for (const x of items) vm.decref(x);
      return l;
    },
    join: (self, args) => {
      nargs('join', args, 1);
      const items = collect(args[0]);
      try {
        items.forEach((x, i) => {
          if (vm.typeId(x) !== T.str) throw err('TypeError', `sequence item ${i}: expected str instance, ${vm.typeName(x)} found`);
        });
        if (items.length === 1) return vm.incref(items[0]);   // a one-item join is that item
        return vm.newStr(items.map((x) => text(x)).join(text(self)));
      } finally { for (const x of items) vm.decref(x); }
    },
    count: search('count', 'count'),
    find: search('find', 'find'),
    rfind: search('rfind', 'rfind'),
    index: search('index', 'index'),
    rindex: search('rindex', 'rindex'),
    startswith: affix('startswith', false),
    endswith: affix('endswith', true),
    replace: (self, args, kw) => {
      const [oldO, newO, countO] = params('replace', args, kw, ['old', 'new', 'count'], 2);
      const s = text(self), o = strArg(oldO, 'replace', 'argument 1'), n = strArg(newO, 'replace', 'argument 2');
      let count = countO === undefined ? -1 : intArg(countO);
      if (count < 0) count = Infinity;
      let r;
      if (!o) {   // an empty old inserts new between the characters (and at both ends)
        const c = cps(s);
        r = '';
        let k = 0;
        for (let i = 0; i <= c.length; i++) {
          if (k < count) { r += n; k++; }
          if (i < c.length) r += c[i];
        }
      } else {
        const parts = s.split(o);
        r = parts.length - 1 <= count ? parts.join(n) : parts.slice(0, count + 1).join(n) + o + parts.slice(count + 1).join(o);
      }
      return result(self, s, r);
    },
    upper: (self, args) => { nargs('upper', args, 0); return vm.newStr(text(self).toUpperCase()); },
    lower: (self, args) => { nargs('lower', args, 0); return vm.newStr(text(self).toLowerCase()); },
    casefold: (self, args) => { nargs('casefold', args, 0); return vm.newStr(text(self).toLowerCase()); },
    swapcase: (self, args) => {
      nargs('swapcase', args, 0);
      return vm.newStr(cps(text(self)).map((ch) => (isUpper(ch) ? ch.toLowerCase() : isLower(ch) ? ch.toUpperCase() : ch)).join(''));
    },
    capitalize: (self, args) => {
      nargs('capitalize', args, 0);
      const c = cps(text(self));
      return vm.newStr(c.length ? c[0].toUpperCase() + c.slice(1).join('').toLowerCase() : '');
    },
    title: (self, args) => { nargs('title', args, 0); return vm.newStr(titleCase(text(self))); },
    center: padder('center', '^'),
    ljust: padder('ljust', '<'),
    rjust: padder('rjust', '>'),
    zfill: (self, args) => {
      nargs('zfill', args, 1);
      const width = intArg(args[0]);
      const s = text(self);
      const n = cps(s).length;
      if (width <= n) return vm.incref(self);
      const sign = s[0] === '+' || s[0] === '-' ? s[0] : '';
      return vm.newStr(sign + '0'.repeat(width - n) + s.slice(sign.length));
    },
    partition: partition('partition', false),
    rpartition: partition('rpartition', true),
    removeprefix: (self, args) => {
      nargs('removeprefix', args, 1);
      const s = text(self), p = strArg(args[0], 'removeprefix', 'argument');
      return result(self, s, p && s.startsWith(p) ? s.slice(p.length) : s);
    },
    removesuffix: (self, args) => {
      nargs('removesuffix', args, 1);
      const s = text(self), p = strArg(args[0], 'removesuffix', 'argument');
      return result(self, s, p && s.endsWith(p) ? s.slice(0, -p.length) : s);
    },
    expandtabs: (self, args, kw) => {
      const [sizeO] = params('expandtabs', args, kw, ['tabsize']);
      const size = sizeO === undefined ? 8 : intArg(sizeO);
      let out = '', col = 0;
      for (const ch of text(self)) {
        if (ch === '\t') { if (size > 0) { const k = size - (col % size); out += ' '.repeat(k); col += k; } }
        else { out += ch; col = ch === '\n' || ch === '\r' ? 0 : col + 1; }
      }
      return result(self, text(self), out);
    },
    isalpha: predicate('isalpha', (c) => c.length > 0 && c.every((ch) => /^\p{L}$/u.test(ch))),
    isdigit: predicate('isdigit', (c) => c.length > 0 && c.every((ch) => /^[\p{Nd}\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089]$/u.test(ch))),
    isdecimal: predicate('isdecimal', (c) => c.length > 0 && c.every((ch) => /^\p{Nd}$/u.test(ch))),
    isnumeric: predicate('isnumeric', (c) => c.length > 0 && c.every((ch) => /^\p{N}$/u.test(ch))),
    isalnum: predicate('isalnum', (c) => c.length > 0 && c.every((ch) => /^[\p{L}\p{N}]$/u.test(ch))),
    isspace: predicate('isspace', (c) => c.length > 0 && c.every((ch) => IS_WS.test(ch))),
    islower: predicate('islower', (c) => cased(c, (ch) => !isUpper(ch))),
    isupper: predicate('isupper', (c) => cased(c, (ch) => !isLower(ch))),
    istitle: predicate('istitle', (c) => {
      const s = c.join('');
      return c.some(isCased) && titleCase(s) === s;
    }),
    isascii: predicate('isascii', (c) => c.every((ch) => ch.codePointAt(0) < 128)),
    isidentifier: predicate('isidentifier', (c) => /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(c.join(''))),
    isprintable: predicate('isprintable', (c) => c.every((ch) => !/^[\p{C}\p{Z}]$/u.test(ch) || ch === ' ')),
  };
}
