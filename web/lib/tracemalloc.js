// tracemalloc.js — CPython 3.12's Lib/tracemalloc.py in JavaScript, on the
// core's traces (core/src/tracemalloc.c), plus the module functions of
// _tracemalloc for one Heap (`heap.tracemalloc`).
//
// The Python layer is reproduced class by class — Frame, Traceback, Trace,
// Traces, Statistic, StatisticDiff, Filter, DomainFilter, Snapshot and
// _format_size — with the same grouping, sort orders, errors and exact
// str() / repr() text (cpython-memory-model.md §7.2–7.3). Raw traces have
// 3.12's shape: [domain, size, frames, total_nframe], frames being
// [filename, lineno] pairs most recent first, as _tracemalloc._get_traces()
// returns them; Traceback reverses them (oldest first), as Python does.
// The interpreter exposes these objects to Python code; JavaScript callers
// use them directly: str() is toString(), repr() is repr().
//
// Errors a Python program would see (ValueError, TypeError, RuntimeError,
// IndexError) are PyheapError code 'EPYTHON' with `pyType` and `pyMessage`,
// as the object handles throw them (objects.js).
//
// Source lines for Traceback.format() come from `linecache.getline(filename,
// lineno)`, which the interpreter replaces (CPython's linecache is
// process-wide too); by default there are none.

import { PyheapError, Status, errorFor } from './errors.js';
import { RUN } from './objects.js';
import { EXC_KINDS } from './raw.js';

// ---- Python-compatible text -----------------------------------------------------------

function pyError(call, pyType, pyMessage) {
  const e = new PyheapError('EPYTHON', `${call}: ${pyType}: ${pyMessage} (EPYTHON)`,
    { status: Status.EPYTHON, op: call.replace(/\(.*$/s, ''), detail: pyMessage });
  e.pyType = pyType;
  e.pyMessage = pyMessage;
  e.kind = 'python';
  return e;
}

/** Python's `'%.{digits}f' % x` (digits 0 or 1): exact, ties to even like C's printf. */
function fixed(x, digits) {
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  // toFixed rounds the exact binary value too, but ties away from zero; a
  // tie at 0 or 1 decimals is a multiple of 1/2 or 1/4, so exact tests work
  const scale = digits ? 10 : 1;
  const q = digits ? a * 4 : a * 2;
  let s;
  if (Number.isInteger(q) && q % 2 === 1 && a < 2 ** 50) {
    const lo = Math.floor(a * scale);   // exact: a has at most two binary fraction bits
    const n = lo % 2 === 0 ? lo : lo + 1;
    s = digits ? `${Math.floor(n / 10)}.${n % 10}` : String(n);
  } else {
    s = a.toFixed(digits);
  }
  return (neg ? '-' : '') + s;
}

/** tracemalloc._format_size(size, sign) */
export function formatSize(size, sign = false) {
  for (const unit of ['B', 'KiB', 'MiB', 'GiB', 'TiB']) {
    if (Math.abs(size) < 100 && unit !== 'B') {
      const t = fixed(size, 1);
      return `${sign && !t.startsWith('-') ? '+' : ''}${t} ${unit}`;
    }
    if (Math.abs(size) < 10 * 1024 || unit === 'TiB') {
      const t = fixed(size, 0);
      return `${sign && !t.startsWith('-') ? '+' : ''}${t} ${unit}`;
    }
    size /= 1024;
  }
  return undefined;   // not reached: TiB always returns
}

/** `%+i` */
const signed = (n) => (n >= 0 ? `+${n}` : String(n));

/** repr() of a Python str (the quoting and escapes of unicode_repr). */
export function pyRepr(s) {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c < 0x7f) out += ch;
    else if (isPrintable(ch)) out += ch;
    else if (c <= 0xff) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c <= 0xffff) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + quote;
}

// str.isprintable for one non-ASCII character: not in the "Other" or
// "Separator" categories except the plain space (an approximation of
// CPython's table through the JS Unicode property escapes).
const NON_PRINTABLE = /[\p{C}\p{Z}]/u;
const isPrintable = (ch) => !NON_PRINTABLE.test(ch);

/** Python's str comparison: by code point (JS compares UTF-16 units). */
function cmpStr(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i), y = b.codePointAt(i);
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** (filename, lineno) tuples compared as Python compares them. */
function cmpFrame(a, b) {
  return cmpStr(a[0], b[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}

/** Tuples of frames, lexicographically (a prefix is smaller). */
function cmpFrames(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpFrame(a[i], b[i]);
    if (c) return c;
  }
  return a.length - b.length;
}

const cmpNum = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** A dictionary key for a tuple of frames. */
const framesKey = (frames) => frames.map((f) => `${f[1]}\u0000${f[0]}`).join('\u0001');

function tupleRepr(items) {
  return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
}

/** Where Traceback.format() gets source lines; replace getline (the interpreter does). */
export const linecache = {
  /** @type {(filename: string, lineno: number) => string} */
  getline: () => '',
};

// ---- Frame, Traceback, Trace, Traces ---------------------------------------------------

/** seq[i] with Python's negative indices; IndexError "<kind> index out of range". */
function itemIndex(i, len, call, kind) {
  const j = i < 0 ? i + len : i;
  if (!Number.isInteger(j) || j < 0 || j >= len) throw pyError(call, 'IndexError', `${kind} index out of range`);
  return j;
}

/** tracemalloc.Frame: one (filename, lineno). */
export class Frame {
  /** @param {[string, number]} frame */
  constructor(frame) {
    this._frame = frame;
  }

  get filename() { return this._frame[0]; }
  get lineno() { return this._frame[1]; }
  equals(other) { return other instanceof Frame && cmpFrame(this._frame, other._frame) === 0; }
  compare(other) { return cmpFrame(this._frame, other._frame); }
  toString() { return `${this.filename}:${this.lineno}`; }
  repr() { return `<Frame filename=${pyRepr(this.filename)} lineno=${this.lineno}>`; }
}

/** tracemalloc.Traceback: frames from the oldest to the most recent. */
export class Traceback {
  /**
   * @param {Array<[string, number]>} frames most recent first (as _tracemalloc gives them)
   * @param {number | null} [totalNframe]
   */
  constructor(frames, totalNframe = null) {
    this._frames = [...frames].reverse();
    this._total_nframe = totalNframe ?? null;
  }

  get totalNframe() { return this._total_nframe; }
  get length() { return this._frames.length; }

  /** self[i], negative indices from the end; IndexError out of range. */
  at(i) {
    return new Frame(this._frames[itemIndex(i, this._frames.length, 'Traceback[]', 'tuple')]);
  }

  /** self[start:stop] as Frames (Python slice bounds). */
  slice(start, stop) {
    return this._frames.slice(start, stop).map((f) => new Frame(f));
  }

  *[Symbol.iterator]() {
    for (const f of this._frames) yield new Frame(f);
  }

  includes(frame) { return this._frames.some((f) => cmpFrame(f, frame._frame) === 0); }
  equals(other) { return other instanceof Traceback && cmpFrames(this._frames, other._frames) === 0; }
  compare(other) { return cmpFrames(this._frames, other._frames); }
  /** str(): the oldest frame. */
  toString() { return this.at(0).toString(); }

  repr() {
    const s = `<Traceback ${tupleRepr(this._frames.map((f) => new Frame(f).repr()))}`;
    return this._total_nframe === null ? `${s}>` : `${s} total_nframe=${this._total_nframe}>`;
  }

  /**
   * Traceback.format(limit=None, most_recent_first=False): '  File "f", line N'
   * lines, each followed by its stripped source line when linecache has one.
   */
  format(limit = null, mostRecentFirst = false) {
    let frames = this._frames;
    if (limit !== null && limit !== undefined) {
      frames = limit > 0 ? frames.slice(-limit) : frames.slice(0, limit === 0 ? 0 : limit);
    }
    if (mostRecentFirst) frames = [...frames].reverse();
    const lines = [];
    for (const [filename, lineno] of frames) {
      lines.push(`  File "${filename}", line ${lineno}`);
      const line = String(linecache.getline(filename, lineno) ?? '').trim();
      if (line) lines.push(`    ${line}`);
    }
    return lines;
  }
}

/** tracemalloc.Trace: one memory block. */
export class Trace {
  /** @param {[number, number, Array<[string, number]>, number | null]} trace */
  constructor(trace) {
    this._trace = trace;
  }

  get domain() { return this._trace[0]; }
  get size() { return this._trace[1]; }
  get traceback() { return new Traceback(this._trace[2], this._trace[3]); }
  toString() { return `${this.traceback}: ${formatSize(this.size, false)}`; }
  repr() { return `<Trace domain=${this.domain} size=${formatSize(this.size, false)}, traceback=${this.traceback.repr()}>`; }
}

/** Snapshot.traces: a sequence of Trace. */
export class Traces {
  constructor(traces) {
    this._traces = traces;
  }

  get length() { return this._traces.length; }

  at(i) {
    return new Trace(this._traces[itemIndex(i, this._traces.length, 'Traces[]', 'list')]);
  }

  *[Symbol.iterator]() {
    for (const t of this._traces) yield new Trace(t);
  }

  repr() { return `<Traces len=${this._traces.length}>`; }
}

// ---- Statistic, StatisticDiff ---------------------------------------------------------------

const average = (size, count) => (count ? `, average=${formatSize(size / count, false)}` : '');

/** tracemalloc.Statistic */
export class Statistic {
  constructor(traceback, size, count) {
    this.traceback = traceback;
    this.size = size;
    this.count = count;
  }

  toString() {
    return `${this.traceback}: size=${formatSize(this.size, false)}, count=${this.count}${average(this.size, this.count)}`;
  }

  /** A plain object for panels: the most recent frame, the frames (oldest first), figures and str(). */
  toJSON() {
    const frames = this.traceback._frames.map(([f, l]) => [f, l]);
    const [filename, lineno] = frames[frames.length - 1];
    return { filename, lineno, frames, size: this.size, count: this.count,
      average: this.count ? this.size / this.count : 0, text: String(this) };
  }

  repr() { return `<Statistic traceback=${this.traceback.repr()} size=${this.size} count=${this.count}>`; }

  /** sort key (size, count, traceback), compared */
  static compare(a, b) {
    return cmpNum(a.size, b.size) || cmpNum(a.count, b.count) || a.traceback.compare(b.traceback);
  }
}

/** tracemalloc.StatisticDiff */
export class StatisticDiff {
  constructor(traceback, size, sizeDiff, count, countDiff) {
    this.traceback = traceback;
    this.size = size;
    this.size_diff = sizeDiff;
    this.count = count;
    this.count_diff = countDiff;
  }

  /** Statistic.toJSON() plus sizeDiff and countDiff. */
  toJSON() {
    return { ...Statistic.prototype.toJSON.call(this), sizeDiff: this.size_diff, countDiff: this.count_diff };
  }

  toString() {
    return `${this.traceback}: size=${formatSize(this.size, false)} (${formatSize(this.size_diff, true)}), `
      + `count=${this.count} (${signed(this.count_diff)})${average(this.size, this.count)}`;
  }

  repr() {
    return `<StatisticDiff traceback=${this.traceback.repr()} size=${this.size} (${signed(this.size_diff)}) `
      + `count=${this.count} (${signed(this.count_diff)})>`;
  }

  /** sort key (abs(size_diff), size, abs(count_diff), count, traceback), compared */
  static compare(a, b) {
    return cmpNum(Math.abs(a.size_diff), Math.abs(b.size_diff)) || cmpNum(a.size, b.size)
      || cmpNum(Math.abs(a.count_diff), Math.abs(b.count_diff)) || cmpNum(a.count, b.count)
      || a.traceback.compare(b.traceback);
  }
}

// ---- Filters ------------------------------------------------------------------------------

/** _normalize_filename on POSIX: a trailing .pyc becomes .py (normcase is the identity). */
const normalizeFilename = (f) => (f.endsWith('.pyc') ? f.slice(0, -1) : f);

const REGEX_SPECIAL = /[\\^$.|?*+()[\]{}/]/g;

/** fnmatch.translate: the shell pattern as an anchored regular expression. */
function translate(pat) {
  let re = '';
  let i = 0;
  const n = pat.length;
  while (i < n) {
    const c = pat[i++];
    if (c === '*') {
      while (pat[i] === '*') i++;
      re += '[^]*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '[') {
      let j = i;
      if (pat[j] === '!') j++;
      if (pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        re += '\\[';
        continue;
      }
      let stuff = setBody(pat, i, j);
      i = j + 1;
      if (!stuff) re += '(?!)';                   // an empty range never matches
      else if (stuff === '!') re += '.';
      else {
        if (stuff[0] === '!') stuff = '^' + stuff.slice(1);
        else if (stuff[0] === '^' || stuff[0] === '[') stuff = '\\' + stuff;
        re += `[${stuff}]`;
      }
    } else {
      re += c.replace(REGEX_SPECIAL, '\\$&');
    }
  }
  return new RegExp(`^(?:${re})$`, 'su');
}

/** The inside of a [...] set, pat[i:j]: ranges kept, reversed ranges dropped, \ and - escaped. */
function setBody(pat, i, j) {
  if (!pat.slice(i, j).includes('-')) return pat.slice(i, j).replace(/\\/g, '\\\\').replace(/]/g, '\\]');
  const chunks = [];
  let k = pat[i] === '!' ? i + 2 : i + 1;
  for (;;) {
    k = pat.indexOf('-', k);
    if (k < 0 || k >= j) break;
    chunks.push(pat.slice(i, k));
    i = k + 1;
    k += 3;
  }
  const last = pat.slice(i, j);
  if (last) chunks.push(last);
  else chunks[chunks.length - 1] += '-';
  for (let m = chunks.length - 1; m > 0; m--) {
    const prev = chunks[m - 1];
    if (cmpStr(prev[prev.length - 1], chunks[m][0]) > 0) {
      chunks[m - 1] = prev.slice(0, -1) + chunks[m].slice(1);
      chunks.splice(m, 1);
    }
  }
  return chunks.map((s) => s.replace(/\\/g, '\\\\').replace(/-/g, '\\-').replace(/]/g, '\\]')).join('-');
}

/** tracemalloc.Filter(inclusive, filename_pattern, lineno=None, all_frames=False, domain=None) */
export class Filter {
  constructor(inclusive, filenamePattern, lineno = null, allFrames = false, domain = null) {
    this.inclusive = inclusive;
    this._filename_pattern = normalizeFilename(filenamePattern);
    this._re = translate(this._filename_pattern);
    this.lineno = lineno ?? null;
    this.all_frames = allFrames;
    this.domain = domain ?? null;
  }

  get filename_pattern() { return this._filename_pattern; }

  _matchFrameImpl(filename, lineno) {
    if (!this._re.test(normalizeFilename(filename))) return false;
    return this.lineno === null ? true : lineno === this.lineno;
  }

  _matchTraceback(frames) {
    if (this.all_frames) {
      return frames.some(([f, l]) => this._matchFrameImpl(f, l)) ? !!this.inclusive : !this.inclusive;
    }
    const [f, l] = frames[0];
    return this._matchFrameImpl(f, l) !== !this.inclusive;
  }

  _match(trace) {
    const res = this._matchTraceback(trace[2]);
    if (this.domain !== null) return this.inclusive ? res && trace[0] === this.domain : res || trace[0] !== this.domain;
    return res;
  }
}

/** tracemalloc.DomainFilter(inclusive, domain) */
export class DomainFilter {
  constructor(inclusive, domain) {
    this.inclusive = inclusive;
    this._domain = domain;
  }

  get domain() { return this._domain; }
  _match(trace) { return (trace[0] === this._domain) !== !this.inclusive; }
}

// ---- Snapshot ------------------------------------------------------------------------------

function pyTypeName(v) {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  return v.constructor?.name ?? 'object';
}

/** tracemalloc.Snapshot(traces, traceback_limit) */
export class Snapshot {
  /**
   * @param {Array<[number, number, Array<[string, number]>, number | null]>} traces raw traces
   * @param {number} tracebackLimit
   */
  constructor(traces, tracebackLimit) {
    this.traces = new Traces(traces);
    this.traceback_limit = tracebackLimit;
  }

  /** Snapshot.dump: the snapshot as JSON text (CPython pickles it to a file). */
  dump() {
    return JSON.stringify({ traces: this.traces._traces, traceback_limit: this.traceback_limit });
  }

  /** Snapshot.load: from dump()'s text. */
  static load(text) {
    const o = JSON.parse(text);
    return new Snapshot(o.traces, o.traceback_limit);
  }

  /** filter_traces(filters): a new Snapshot with the traces the filters keep. */
  filterTraces(filters) {
    if (filters === null || filters === undefined || typeof filters[Symbol.iterator] !== 'function') {
      throw pyError('filter_traces()', 'TypeError', `filters must be a list of filters, not ${pyTypeName(filters)}`);
    }
    const list = [...filters];
    if (!list.length) return new Snapshot([...this.traces._traces], this.traceback_limit);
    const include = list.filter((f) => f.inclusive);
    const exclude = list.filter((f) => !f.inclusive);
    const keep = (t) => (!include.length || include.some((f) => f._match(t))) && !exclude.some((f) => !f._match(t));
    return new Snapshot(this.traces._traces.filter(keep), this.traceback_limit);
  }

  /** _group_by: Map key -> Statistic, in first-seen order (a Python dict). */
  _groupBy(keyType, cumulative) {
    if (!['traceback', 'filename', 'lineno'].includes(keyType)) {
      const shown = typeof keyType === 'string' ? pyRepr(keyType) : String(keyType);
      throw pyError('statistics()', 'ValueError', `unknown key_type: ${shown}`);
    }
    if (cumulative && keyType === 'traceback') {
      throw pyError('statistics()', 'ValueError', `cumulative mode cannot by used with key type ${pyRepr(keyType)}`);
    }
    const stats = new Map();
    const add = (frames, size) => {
      const key = framesKey(frames);
      const st = stats.get(key);
      if (st) {
        st.size += size;
        st.count += 1;
      } else {
        stats.set(key, new Statistic(new Traceback(frames), size, 1));
      }
    };
    for (const [, size, frames] of this.traces._traces) {
      if (!cumulative) {
        if (keyType === 'traceback') add(frames, size);
        else if (keyType === 'lineno') add(frames.slice(0, 1), size);
        else add([[frames[0][0], 0]], size);
      } else {
        for (const frame of frames) add(keyType === 'lineno' ? [frame] : [[frame[0], 0]], size);
      }
    }
    return stats;
  }

  /** statistics(key_type, cumulative=False): Statistic list, largest first. */
  statistics(keyType, cumulative = false) {
    return sortedStatistics(this._groupBy(keyType, cumulative));
  }

  /** The `limit` largest statistics as plain objects (Statistic.toJSON), for panels. */
  top(keyType = 'lineno', limit = 10, cumulative = false) {
    return this.statistics(keyType, cumulative).slice(0, limit).map((st) => st.toJSON());
  }

  /** The `limit` largest changes since `oldSnapshot` as plain objects (StatisticDiff.toJSON). */
  topDiff(oldSnapshot, keyType = 'lineno', limit = 10, cumulative = false) {
    return this.compareTo(oldSnapshot, keyType, cumulative).slice(0, limit).map((st) => st.toJSON());
  }

  /** compare_to(old_snapshot, key_type, cumulative=False): StatisticDiff list, largest change first. */
  compareTo(oldSnapshot, keyType, cumulative = false) {
    return diffGroups(this._groupBy(keyType, cumulative), oldSnapshot._groupBy(keyType, cumulative));
  }
}

/** statistics()'s list for a grouping (Map key -> Statistic, as Snapshot._groupBy makes it): largest first. */
export function sortedStatistics(groups) {
  return [...groups.values()].sort((a, b) => Statistic.compare(b, a));
}

/**
 * compare_to's pairing of two groupings (Maps key -> Statistic, as
 * Snapshot._groupBy makes them; neither is changed): StatisticDiff list,
 * largest change first. A panel that keeps only the groupings of earlier
 * steps compares them with this.
 */
export function diffGroups(now, old) {
  const rest = new Map(old);
  const out = [];
  for (const [key, st] of now) {
    const prev = rest.get(key);
    rest.delete(key);
    out.push(prev
      ? new StatisticDiff(st.traceback, st.size, st.size - prev.size, st.count, st.count - prev.count)
      : new StatisticDiff(st.traceback, st.size, st.size, st.count, st.count));
  }
  for (const st of rest.values()) out.push(new StatisticDiff(st.traceback, 0, -st.size, 0, -st.count));
  return out.sort((a, b) => StatisticDiff.compare(b, a));
}

// ---- the module functions for one heap (_tracemalloc + take_snapshot) --------------------

/**
 * Decode pm_tracemalloc_export's blob at `p`: raw traces, the traceback table
 * ({ frames, total } by id) and the traceback limit. `raw` needs `dv` (a
 * DataView of linear memory) and `cString(ptr)`. @internal
 */
export function decodeBlob(raw, p) {
  const { dv, ntraces, trOff, tracebacks, limit } = blobTables(raw, p);
  const traces = [];
  for (let i = 0; i < ntraces; i++) {
    const at = p + trOff + 16 * i;
    const tb = tracebacks[dv.getUint32(at + 4, true)];
    const size = dv.getUint32(at + 8, true) + dv.getUint32(at + 12, true) * 2 ** 32;
    traces.push([dv.getUint32(at, true), size, tb.frames, tb.total]);
  }
  return { traces, tracebacks, limit };
}

/** The blob's header and its traceback table (decodeBlob's first half). */
function blobTables(raw, p) {
  const dv = raw.dv;
  const w = (i) => dv.getUint32(p + 4 * i, true);
  const [ntraces, ntbs, nfiles, limit, trOff, tbOff, fnOff] = [0, 1, 2, 3, 4, 5, 6].map(w);
  const files = [];
  for (let i = 0; i < nfiles; i++) files.push(raw.cString(p + dv.getUint32(p + fnOff + 4 * i, true)));
  const tracebacks = [];
  for (let i = 0; i < ntbs; i++) {
    const at = p + dv.getUint32(p + tbOff + 4 * i, true);
    const n = dv.getUint32(at, true);
    const frames = [];
    for (let j = 0; j < n; j++) {
      frames.push([files[dv.getUint32(at + 8 + 8 * j, true)], dv.getInt32(at + 12 + 8 * j, true)]);
    }
    tracebacks.push({ frames, total: dv.getUint32(at + 4, true) });
  }
  return { dv, ntraces, trOff, tracebacks, limit };
}

/**
 * Snapshot.statistics('lineno')'s grouping (Map key -> Statistic, as
 * Snapshot._groupBy('lineno') makes it) straight from the blob at `p`:
 * sizes and counts are summed per traceback id first, so no object is made
 * per trace (a panel reads this at every step of a big heap). Also the
 * number of traces and the traceback table (by id, as decodeBlob gives it).
 */
export function blobLineGroups(raw, p) {
  const { dv, ntraces, trOff, tracebacks } = blobTables(raw, p);
  const sizes = new Float64Array(tracebacks.length);
  const counts = new Uint32Array(tracebacks.length);
  for (let i = 0, at = p + trOff; i < ntraces; i++, at += 16) {
    const id = dv.getUint32(at + 4, true);
    sizes[id] += dv.getUint32(at + 8, true) + dv.getUint32(at + 12, true) * 2 ** 32;
    counts[id]++;
  }
  const groups = new Map();
  tracebacks.forEach(({ frames }, id) => {
    if (!counts[id]) return;
    const key = framesKey(frames.slice(0, 1));
    const st = groups.get(key);
    if (st) {
      st.size += sizes[id];
      st.count += counts[id];
    } else {
      groups.set(key, new Statistic(new Traceback(frames.slice(0, 1)), sizes[id], counts[id]));
    }
  });
  return { groups, ntraces, tracebacks };
}

/**
 * take_snapshot() on a raw module and heap handle (what the interpreter and
 * a playground running it use): a Snapshot, or null when not tracing.
 * Throws PyheapError ENOMEM if the traces cannot be exported.
 */
export function snapshotOf(raw, h) {
  if (raw.tm_is_tracing(h) !== 1) return null;
  const p = raw.tm_snapshot(h);
  if (!p) throw errorFor(Status.ENOMEM, { call: 'tracemalloc.take_snapshot()', op: 'tracemalloc.take_snapshot' });
  return new Snapshot(decodeBlob(raw, p).traces, raw.tm_traceback_limit(h));
}

/**
 * `heap.tracemalloc`: tracemalloc's module functions on one Heap. Created by
 * the Heap on first use (see createTracemalloc).
 */
export class Tracemalloc {
  #heap;

  /** @internal */
  constructor(heap) {
    this.#heap = heap;
  }

  #run(call, fn) {
    return this.#heap[RUN](() => call, fn);
  }

  #check(raw, h, r, call) {
    if (r >= 0) return r;
    if (r === Status.EPYTHON) throw pyError(call, EXC_KINDS[raw.exc_kind(h)], raw.cString(raw.exc_msg(h)));
    throw errorFor(r, { call, op: call.replace(/\(.*$/s, ''), detail: raw.cString(raw.error(h)) });
  }

  /** tracemalloc.start(nframe=1): ValueError outside 1..65535; a no-op while tracing. */
  start(nframe = 1) {
    const call = `tracemalloc.start(${nframe})`;
    if (typeof nframe !== 'number' || !Number.isInteger(nframe)) {
      throw pyError(call, 'TypeError', `'${pyTypeName(nframe)}' object cannot be interpreted as an integer`);
    }
    const n = Math.max(-1, Math.min(nframe, 0x7fffffff));   // the range check happens in the core
    this.#run(call, (raw, h) => this.#check(raw, h, raw.tm_start(h, n), call));
  }

  /** tracemalloc.stop(): also drops every trace. */
  stop() {
    this.#run('tracemalloc.stop()', (raw, h) => this.#check(raw, h, raw.tm_stop(h), 'tracemalloc.stop()'));
  }

  /** tracemalloc.is_tracing() */
  isTracing() {
    return this.#run('tracemalloc.is_tracing()', (raw, h) => this.#check(raw, h, raw.tm_is_tracing(h), 'tracemalloc.is_tracing()') === 1);
  }

  /** tracemalloc.clear_traces() */
  clearTraces() {
    this.#run('tracemalloc.clear_traces()', (raw, h) => this.#check(raw, h, raw.tm_clear_traces(h), 'tracemalloc.clear_traces()'));
  }

  /** tracemalloc.get_traced_memory(): [current, peak] in bytes. */
  getTracedMemory() {
    return this.#run('tracemalloc.get_traced_memory()', (raw, h) => [raw.tm_memory(h, 0), raw.tm_memory(h, 1)]);
  }

  /** tracemalloc.reset_peak() */
  resetPeak() {
    this.#run('tracemalloc.reset_peak()', (raw, h) => this.#check(raw, h, raw.tm_reset_peak(h), 'tracemalloc.reset_peak()'));
  }

  /** tracemalloc.get_traceback_limit() */
  getTracebackLimit() {
    return this.#run('tracemalloc.get_traceback_limit()', (raw, h) => this.#check(raw, h, raw.tm_traceback_limit(h), 'tracemalloc.get_traceback_limit()'));
  }

  /** tracemalloc.get_tracemalloc_memory(): bytes of the core's tracemalloc bookkeeping (not CPython's figure). */
  getTracemallocMemory() {
    return this.#run('tracemalloc.get_tracemalloc_memory()', (raw, h) => raw.tm_memory(h, 2));
  }

  /** _tracemalloc._get_traces(): raw traces (empty when not tracing). */
  getTraces() {
    return this.#run('tracemalloc._get_traces()', (raw, h) => this.#blob(raw, h, '_get_traces()').traces);
  }

  #blob(raw, h, call) {
    const p = raw.tm_snapshot(h);
    if (!p) this.#check(raw, h, raw.last_status(h) < 0 ? raw.last_status(h) : Status.ENOMEM, call);
    return decodeBlob(raw, p);
  }

  /** tracemalloc.take_snapshot(): RuntimeError when not tracing. */
  takeSnapshot() {
    const call = 'tracemalloc.take_snapshot()';
    return this.#run(call, (raw, h) => {
      if (this.#check(raw, h, raw.tm_is_tracing(h), call) !== 1) {
        throw pyError(call, 'RuntimeError', 'the tracemalloc module must be tracing memory allocations to take a snapshot');
      }
      const { traces } = this.#blob(raw, h, call);
      return new Snapshot(traces, this.#check(raw, h, raw.tm_traceback_limit(h), call));
    });
  }

  /**
   * tracemalloc.get_object_traceback(obj): the Traceback where obj's block was
   * allocated, or null. obj: a handle of this heap or an object address.
   */
  getObjectTraceback(obj) {
    const call = 'tracemalloc.get_object_traceback()';
    let p = obj;
    if (typeof obj !== 'number') {
      if (obj?.heap !== this.#heap) {
        throw errorFor('EINVAL', { call, hint: 'expected an object handle of this heap or an object address' });
      }
      p = obj.id;
    }
    return this.#run(call, (raw, h) => {
      const id = this.#check(raw, h, raw.tm_object_traceback(h, p >>> 0), call);
      if (id === 0) return null;
      const tb = this.#blob(raw, h, call).tracebacks[id - 1];
      return new Traceback(tb.frames);
    });
  }

  /** PyTraceMalloc_Track(domain, ptr, size): 0, or -2 when not tracing. */
  track(domain, ptr, size) {
    const call = `tracemalloc.track(${domain}, ${ptr}, ${size})`;
    return this.#run(call, (raw, h) => {
      const r = raw.tm_track(h, domain >>> 0, ptr >>> 0, size);
      return r === -2 ? -2 : this.#check(raw, h, r, call);
    });
  }

  /** PyTraceMalloc_Untrack(domain, ptr): 0, or -2 when not tracing. */
  untrack(domain, ptr) {
    const call = `tracemalloc.untrack(${domain}, ${ptr})`;
    return this.#run(call, (raw, h) => {
      const r = raw.tm_untrack(h, domain >>> 0, ptr >>> 0);
      return r === -2 ? -2 : this.#check(raw, h, r, call);
    });
  }

  /** The interpreter's line hook: frame `frame` (an address; 0 = the current frame) is at `lineno`. */
  setLineno(frame, lineno) {
    const call = `setLineno(${frame}, ${lineno})`;
    this.#run(call, (raw, h) => this.#check(raw, h, raw.frame_set_lineno(h, frame >>> 0, lineno | 0), call));
  }
}

/** heap.tracemalloc's factory (the one hook in heap.js). @internal */
export function createTracemalloc(heap) {
  return new Tracemalloc(heap);
}
