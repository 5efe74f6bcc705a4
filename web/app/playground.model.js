// playground.model.js — the playground's pure data joins (no DOM, no heap):
// which objects of a snapshot belong to the program, which are cyclic
// garbage, the roots from the paused frames, the line a traceback points at,
// and the program kept in the URL. Imported by playground.js and by node tests.

/** Key of an object across snapshots (the heap graph's own key: an address reused by another type is another object). */
export const keyOf = (o) => `${o.id}:${o.typeId}`;

const DUNDER = /^__.*__$/;

/**
 * Code, not data: drawn when a name or an object reaches them, never
 * expanded (a class's namespace, a function's code and globals, a module's
 * contents would bury the program's own objects).
 */
export const OPAQUE_TYPES = new Set([
  'module', 'type', 'function', 'code', 'builtin_function_or_method', 'method', 'method-wrapper',
  'getset_descriptor', 'member_descriptor', 'wrapper_descriptor', 'method_descriptor',
  'classmethod_descriptor', 'classmethod', 'staticmethod', 'property', 'frame',
]);

/**
 * The names of the paused frames as heap-graph roots: module globals as
 * `x`, a function's locals as `f:x` (innermost frames last). Dunder names
 * (`__name__`, `__doc__`, a class body's `__module__`) are left out.
 * @param {Array<{ name: string, names: Record<string, number> }>} frames
 * @returns {Array<{ name: string, id: number }>}
 */
export function rootsOf(frames = []) {
  const out = [];
  frames.forEach((f, i) => {
    for (const [n, id] of Object.entries(f.names ?? {})) {
      if (DUNDER.test(n) || !id) continue;
      out.push({ name: i === 0 && f.name === '<module>' ? n : `${f.name}:${n}`, id });
    }
  });
  return out;
}

/**
 * The part of a snapshot a learner should see: what the program's names
 * reach, plus the cyclic garbage the program left, never the interpreter's
 * own objects (builtins, types, modules' contents, code objects).
 *
 * `baseline` holds the keys of the objects that existed before the first
 * line ran (the interpreter): they are drawn when a name reaches them but
 * never expanded, and count as alive. Code-like objects (OPAQUE_TYPES:
 * modules, classes, functions) are not expanded either. `internal` are addresses the interpreter holds outside any object
 * (value stacks, suspended generators): alive, not drawn. An object is
 * garbage when nothing alive reaches it — a name, the interpreter, its
 * stacks — which is what the collector would find unreachable.
 *
 * @param {{ objects: object[] }} snap  Heap.snapshot()
 * @param {Array<{ name: string, id: number }>} roots
 * A container with more than `maxItems` references is drawn with its first
 * maxItems only (level of detail: a list of 100,000 items would bury
 * everything else); such a copy carries `moreRefs`, the number left out.
 *
 * `previous`: the view this function answered for an earlier snapshot (the
 * step before). A copy made then from the same snapshot entry (a snapshot
 * taken with `{ previous }` returns the entries of unchanged objects again)
 * with the same references and reachability is returned again, not made anew.
 *
 * @param {{ baseline?: Set<string>, internal?: number[], maxItems?: number, previous?: object }} [opts]
 * @returns {{ objects: object[], garbage: number, hidden: number }} objects are copies with refs limited to shown
 *   objects and `reachable` set to whether they are alive
 */
export function programView(snap, roots, { baseline = new Set(), internal = [], maxItems = Infinity, previous = null } = {}) {
  // by index into snap.objects: each reference resolved once into a flat table, the sets as
  // flag arrays (a step at 10,000 objects did ~4 map and set operations per reference: ~8 ms)
  const objs = snap.objects, n = objs.length;
  const index = new IdTable(n);
  for (let i = 0; i < n; i++) index.set(objs[i].id, i);
  // interpreter objects: by address and type (numbers) when the baseline carries them
  const baseIds = baseline.typeById;
  const kind = new Uint8Array(n);   // 1: the interpreter's (baseline), 2: code-like (OPAQUE_TYPES), 0: data
  let nrefs = 0;
  for (let i = 0; i < n; i++) {
    const o = objs[i];
    const base = baseIds ? baseIds.get(o.id) === o.typeId : baseline.has(keyOf(o));
    kind[i] = base ? 1 : OPAQUE_TYPES.has(o.type) ? 2 : 0;
    nrefs += o.refs.length;
  }
  const first = new Int32Array(n + 1), refAt = new Int32Array(nrefs);   // object i's references: refAt[first[i] .. first[i + 1])
  for (let i = 0, k = 0; i < n; i++) {
    first[i] = k;
    for (const r of objs[i].refs) refAt[k++] = index.get(r) ?? -1;
    first[i + 1] = k;
  }
  const stack = new Int32Array(n);
  let sp = 0;

  // alive: everything reachable from names, internal holders and the interpreter's own objects
  const alive = new Uint8Array(n);
  const push = (i) => { if (i >= 0 && !alive[i]) { alive[i] = 1; stack[sp++] = i; } };
  for (const r of roots) push(index.get(r.id) ?? -1);
  for (const id of internal) push(index.get(id) ?? -1);
  for (let i = 0; i < n; i++) if (kind[i] === 1) push(i);
  while (sp) { const i = stack[--sp]; for (let k = first[i]; k < first[i + 1]; k++) push(refAt[k]); }

  // shown: from the names (and from garbage), not through interpreter objects or modules;
  // a container's first maxItems references only (level of detail)
  const shown = new Uint8Array(n);
  const walk = (i) => { if (i >= 0 && !shown[i]) { shown[i] = 1; stack[sp++] = i; } };
  const drawnEnd = (i) => Math.min(first[i + 1], first[i] + maxItems);
  for (const r of roots) walk(index.get(r.id) ?? -1);
  let garbage = 0;
  for (let i = 0; i < n; i++) if (!alive[i]) { walk(i); garbage++; }
  while (sp) {
    const i = stack[--sp];
    if (!kind[i]) for (let k = first[i], end = drawnEnd(i); k < end; k++) walk(refAt[k]);
  }
  const objects = [], sources = [];
  const was = previous?.[SOURCES] ?? [], wasCopies = previous?.objects ?? [];
  let cursor = 0;
  for (let i = 0; i < n; i++) {
    if (!shown[i]) continue;
    const o = objs[i];
    const end = kind[i] ? first[i] : drawnEnd(i);
    const more = !kind[i] && o.refs.length > maxItems ? o.refs.length - maxItems : undefined;
    // the copy made from this entry last time: near the cursor (which moves on past a miss too)
    let copy = null, at = cursor;
    for (let k = Math.max(0, cursor - 2), stop = Math.min(was.length, cursor + 6); k < stop; k++) {
      if (was[k] === o) { copy = wasCopies[k]; at = k; break; }
    }
    cursor = at + 1;
    if (copy === null || copy.reachable !== (alive[i] === 1) || copy.moreRefs !== more || !sameShown(copy.refs, o.refs, first[i], end, refAt, shown)) {
      const refs = [];
      for (let k = first[i]; k < end; k++) if (refAt[k] >= 0 && shown[refAt[k]]) refs.push(o.refs[k - first[i]]);
      copy = { ...o, refs, reachable: alive[i] === 1 };
      if (more !== undefined) copy.moreRefs = more;
    }
    objects.push(copy);
    sources.push(o);
  }
  const view = { objects, garbage, hidden: n - objects.length };
  Object.defineProperty(view, SOURCES, { value: sources });   // (not enumerable: the view's data is the three fields)
  return view;
}

/**
 * Object id -> a u32 (`get`, or undefined): open addressing over two typed arrays (ids are
 * addresses, never 0), sized for `n` ids. ~4x faster than a Map at 10,000 objects, where filling
 * the map and a lookup per reference were half of programView's time.
 */
class IdTable {
  constructor(n) {
    let bits = 4;
    while (1 << bits < 2 * n) bits++;
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    this.keys = new Uint32Array(1 << bits);
    this.vals = new Uint32Array(1 << bits);
  }

  set(id, value) {
    let h = Math.imul(id, 0x9e3779b1) >>> this.shift;
    while (this.keys[h] !== 0 && this.keys[h] !== id) h = (h + 1) & this.mask;
    this.keys[h] = id;
    this.vals[h] = value;
  }

  get(id) {
    let h = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (let key = this.keys[h]; key !== 0; key = this.keys[h]) {
      if (key === id) return this.vals[h];
      h = (h + 1) & this.mask;
    }
    return undefined;
  }
}

/** The snapshot entry each copy of a programView was made from (for the next call's `previous`). */
const SOURCES = Symbol('sources');

/** Whether `refs` lists exactly the shown references among o.refs's [from, end) (refAt: their indexes). */
function sameShown(refs, oRefs, from, end, refAt, shown) {
  let m = 0;
  for (let k = from; k < end; k++) {
    if (refAt[k] < 0 || !shown[refAt[k]]) continue;
    if (m >= refs.length || refs[m] !== oRefs[k - from]) return false;
    m++;
  }
  return m === refs.length;
}

/** The set of keys of a snapshot's objects (the interpreter's baseline), with .typeById: address -> typeId (`get`). */
export function baselineOf(snap) {
  const keys = new Set(snap.objects.map(keyOf));
  keys.typeById = new IdTable(snap.objects.length);
  for (const o of snap.objects) keys.typeById.set(o.id, o.typeId);
  return keys;
}

/**
 * The line a traceback or a SyntaxError report points at in `filename`
 * (the last `File "filename", line N` entry), or null.
 */
export function errorLine(text, filename) {
  let line = null;
  const re = /File "([^"]*)", line (\d+)/g;
  for (let m; (m = re.exec(text));) if (m[1] === filename) line = Number(m[2]);
  return line;
}

// ---- the program in the URL: #code=<base64url of deflate-raw UTF-8>, or #src=<base64url UTF-8> ----

const b64url = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const unb64url = (s) => {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The URL hash that carries `source` (compressed where the browser can). */
export async function encodeSource(source) {
  const bytes = new TextEncoder().encode(source);
  if (typeof CompressionStream === 'function') {
    return `#code=${b64url(await pipe(bytes, new CompressionStream('deflate-raw')))}`;
  }
  return `#src=${b64url(bytes)}`;
}

/** The program a hash carries, or null (no program in it). Throws a clear Error for a damaged one. */
export async function decodeSource(hash) {
  const m = /^#?(code|src)=([A-Za-z0-9_-]*)$/.exec(hash ?? '');
  if (!m) return null;
  try {
    let bytes = unb64url(m[2]);
    if (m[1] === 'code') bytes = await pipe(bytes, new DecompressionStream('deflate-raw'));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new Error(`the program in this link is damaged (${e.message})`);
  }
}

/** The first index of sorted (ascending) `a` whose value is >= x; a.length when there is none. */
export function lowerBound(a, x) {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}
