// A light pass over the source that finds the errors CPython's tokenizer
// (Parser/tokenizer.c) reports and Lezer does not: unterminated strings,
// unbalanced brackets, and indentation (unexpected indent, unindent that
// matches no outer level, a missing indented block after a ':' line).
// Lezer recovers silently from some of these, so the front end runs this
// first and compares positions with Lezer's first error node.

import { PySyntaxError } from './errors.js';

const OPEN = { '(': ')', '[': ']', '{': '}' };
const STR_START = /(?:[rRbBuUfF]{0,2})(['"])/y;
const WORD = /[A-Za-z_0-9\u0080-\uffff]+|[^]/y;
const CLOSE = { ')': '(', ']': '[', '}': '{' };
const BLOCK_WHAT = {
  if: "'if' statement", elif: "'elif' statement", else: "'else' statement",
  while: "'while' statement", for: "'for' statement", with: "'with' statement",
  try: "'try' statement", except: "'except' statement", finally: "'finally' statement",
  def: 'function definition', class: 'class definition',
};

/**
 * Scan `src`. Returns { error, offset, kind, patches }: the first
 * tokenizer-level error (a PySyntaxError, or null when none), the source
 * offset where CPython's tokenizer would stop, its kind (below), and
 * same-length rewrites that help Lezer parse what CPython accepts.
 */
export function scanTokens(src) {
  const lineStarts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (off) => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid] <= off) lo = mid; else hi = mid - 1; }
    return lo;
  };
  const loc = (off, len = 1) => {
    const l = lineOf(off);
    return { lineno: l + 1, col: off - lineStarts[l], endLineno: l + 1, endCol: off - lineStarts[l] + len };
  };
  const lineText = (l) => src.slice(lineStarts[l], l + 1 < lineStarts.length ? lineStarts[l + 1] - 1 : src.length);
  // kind: 'exception' — the tokenizer raises it (it wins over parser errors);
  // 'parser' — the parser reports it when it reaches that token; 'unclosed' —
  // a bracket still open at the end of the file
  // same-length rewrites of the text Lezer parses (see lezerSource)
  const patches = [];
  const fail = (msg, l, off, type = 'SyntaxError', kind = 'exception') =>
    ({ error: new PySyntaxError(msg, l, type), offset: off, kind, patches });

  const indents = [0];
  const parens = [];
  let i = 0;
  let atLineStart = true;
  let lastSignificant = '';      // last token text of the current logical line
  let logicalStart = -1;         // offset of the current logical line's first token
  let prevLogical = null;        // { last, start } of the previous logical line
  while (i < src.length) {
    if (atLineStart && parens.length === 0) {
      // measure indentation (tabs to multiples of 8, as the tokenizer does)
      let col = 0, j = i;
      while (j < src.length && (src[j] === ' ' || src[j] === '\t' || src[j] === '\f')) {
        col = src[j] === '\t' ? (Math.floor(col / 8) + 1) * 8 : src[j] === '\f' ? 0 : col + 1;
        j++;
      }
      atLineStart = false;
      if (j >= src.length || src[j] === '\n' || src[j] === '#' || (src[j] === '\r' && src[j + 1] === '\n')) {
        i = j; // blank or comment-only line: no indentation meaning
      } else {
        const top = indents[indents.length - 1];
        const expectBlock = prevLogical && prevLogical.last === ':';
        if (expectBlock && col <= top) {
          const kw = /^[A-Za-z_]+/.exec(src.slice(prevLogical.start))?.[0];
          const what = BLOCK_WHAT[kw];
          if (what) {
            return fail(`expected an indented block after ${what} on line ${lineOf(prevLogical.start) + 1}`,
              loc(j), j, 'IndentationError', 'parser');
          }
        }
        if (col > top) {
          if (!expectBlock) return fail('unexpected indent', { ...loc(j), noCaret: true }, j, 'IndentationError', 'parser');
          indents.push(col);
        } else if (col < top) {
          while (indents.length > 1 && indents[indents.length - 1] > col) indents.pop();
          if (indents[indents.length - 1] !== col) {
            const l = lineOf(j);
            const text = lineText(l).replace(/\s+$/, '');
            return fail('unindent does not match any outer indentation level',
              { lineno: l + 1, col: text.length, endLineno: l + 1, endCol: text.length + 1 }, j, 'IndentationError');
          }
        }
        i = j;
        logicalStart = j;
      }
      continue;
    }
    const c = src[i];
    if (c === '\n') {
      if (parens.length === 0) {
        if (logicalStart >= 0) prevLogical = { last: lastSignificant, start: logicalStart };
        logicalStart = -1;
        lastSignificant = '';
        atLineStart = true;
      }
      i++;
      continue;
    }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '\\' && (src[i + 1] === '\n' || (src[i + 1] === '\r' && src[i + 2] === '\n'))) {
      i += src[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\r') { i++; continue; }
    if (logicalStart < 0) logicalStart = i;
    // string literal, with an optional prefix
    STR_START.lastIndex = i;
    const m = /[rRbBuUfF'"]/.test(c) ? STR_START.exec(src) : null;
    if (m && /^[rRbBuUfF]{0,2}$/.test(src.slice(i, i + m[0].length - 1)) &&
        (i === 0 || !/[A-Za-z0-9_]/.test(src[i - 1]))) {
      const start = i;
      const prefix = m[0].slice(0, -1).toLowerCase();
      const raw = prefix.includes('r');
      const q = m[1];
      let k = i + m[0].length - 1;
      const triple = src.startsWith(q.repeat(3), k);
      const close = triple ? q.repeat(3) : q;
      k += close.length;
      let done = false;
      while (k < src.length) {
        if (src[k] === '\\') { k += 2; continue; }
        if (!triple && src[k] === '\n') break;
        if (src.startsWith(close, k)) { k += close.length; done = true; break; }
        // f-string replacement fields may hold nested strings (3.12) — skip them loosely
        k++;
      }
      void raw;
      if (prefix.includes('f')) {
        // `\{` in an f-string: the backslash is literal text and the brace
        // opens a replacement field; Lezer takes it for an escape
        for (let j = start + m[0].length; j < k - close.length; j++) {
          if (src[j] !== '\\') continue;
          if (src[j + 1] === '{' && src[j + 2] !== '{') patches.push({ at: j, text: ' ' });
          j++;
        }
      }
      if (!done) {
        const lastLine = lineOf(Math.min(k, src.length) - (src[Math.min(k, src.length) - 1] === '\n' ? 1 : 0));
        return fail(`unterminated ${triple ? 'triple-quoted ' : ''}string literal (detected at line ${lastLine + 1})`,
          loc(start), start);
      }
      lastSignificant = 'str';
      i = k;
      continue;
    }
    if (OPEN[c]) { parens.push({ ch: c, off: i }); lastSignificant = c; i++; continue; }
    if (CLOSE[c]) {
      const top = parens.pop();
      if (!top) return fail(`unmatched '${c}'`, loc(i), i);
      if (top.ch !== CLOSE[c]) {
        const tl = lineOf(top.off), cl = lineOf(i);
        return fail(`closing parenthesis '${c}' does not match opening parenthesis '${top.ch}'` +
          (tl !== cl ? ` on line ${tl + 1}` : ''), loc(i), i);
      }
      lastSignificant = c;
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const bad = checkNumber(src, i);
      if (bad) return fail(bad.msg, loc(bad.at), bad.at);
      // `1.e5`: Lezer reads `1.` then an attribute; give it `1e05`
      const fe = /^([0-9][0-9_]*)\.([eE][+-]?)([0-9][0-9_]*)/.exec(src.slice(i, i + 4096));
      if (fe && !/[A-Za-z_0-9]/.test(src[i + fe[0].length] ?? '')) {
        patches.push({ at: i + fe[1].length, text: fe[2] + '0' + fe[3] });
        lastSignificant = fe[0];
        i += fe[0].length;
        continue;
      }
    }
    WORD.lastIndex = i;
    const w = WORD.exec(src)[0];
    lastSignificant = w;
    i += w.length;
  }
  if (parens.length) {
    const top = parens[parens.length - 1];
    return fail(`'${top.ch}' was never closed`, loc(top.off), src.length, 'SyntaxError', 'unclosed');
  }
  return { error: null, patches };
}

/** The source with the tokenizer's same-length patches applied, for Lezer. */
export function lezerSource(src, patches) {
  if (!patches.length) return src;
  let out = '', at = 0;
  for (const p of patches) {
    out += src.slice(at, p.at) + p.text;
    at = p.at + p.text.length;
  }
  return out + src.slice(at);
}

/**
 * The tokenizer's number-literal errors (tok_get's number branch): invalid
 * digits in 0b/0o literals, misplaced underscores, an exponent without
 * digits, letters straight after a number. Returns { msg, at } or null.
 */
function checkNumber(src, i) {
  const m = /^(?:0[xX][0-9a-fA-F_]*|0[oO][0-9_]*|0[bB][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)/.exec(src.slice(i, i + 4096));
  const t = m[0];
  const radix = /^0[bB]/.test(t) ? ['binary', /[01_]/] : /^0[oO]/.test(t) ? ['octal', /[0-7_]/] : null;
  if (radix) {
    for (let k = 2; k < t.length; k++) {
      if (!radix[1].test(t[k])) return { msg: `invalid digit '${t[k]}' in ${radix[0]} literal`, at: i + k };
    }
  }
  const u = t.search(/_(?![0-9a-fA-F])/);
  if (u >= 0) return { msg: 'invalid decimal literal', at: i + u };
  let end = i + t.length;
  if (!/^0[xXoObB]/.test(t) && /[eE]/.test(src[end] ?? '')) {
    const e = /^[eE][+-]?[0-9][0-9_]*/.exec(src.slice(end));
    if (!e) return { msg: 'invalid decimal literal', at: i };
    end += e[0].length;
  }
  if (/[jJ]/.test(src[end] ?? '')) end++;
  if (/[A-Za-z_0-9]/.test(src[end] ?? '')) {
    // keywords right after a number (1if x else y) are allowed with a warning
    const word = /^[A-Za-z_]+/.exec(src.slice(end))?.[0] ?? '';
    if (!['and', 'or', 'in', 'is', 'not', 'if', 'else', 'for'].includes(word)) {
      return { msg: 'invalid decimal literal', at: i };
    }
  }
  return null;
}
