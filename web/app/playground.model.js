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
 * @param {{ baseline?: Set<string>, internal?: number[], maxItems?: number }} [opts]
 * @returns {{ objects: object[], garbage: number, hidden: number }} objects are copies with refs limited to shown
 *   objects and `reachable` set to whether they are alive
 */
export function programView(snap, roots, { baseline = new Set(), internal = [], maxItems = Infinity } = {}) {
  const byId = new Map();
  for (const o of snap.objects) byId.set(o.id, o);
  // by address and type (numbers) when the baseline carries them: a key string per object and call
  // was ~20 ms of a step at 10,000 objects
  const baseIds = baseline.typeById;
  const isBase = baseIds ? (o) => baseIds.get(o.id) === o.typeId : (o) => baseline.has(keyOf(o));
  const opaque = (o) => isBase(o) || OPAQUE_TYPES.has(o.type);

  // alive: everything reachable from names, internal holders and the interpreter's own objects
  const alive = new Set();
  const stack = [];
  const push = (id) => { if (!alive.has(id) && byId.has(id)) { alive.add(id); stack.push(id); } };
  for (const r of roots) push(r.id);
  for (const id of internal) push(id);
  for (const o of snap.objects) if (isBase(o)) push(o.id);
  while (stack.length) for (const r of byId.get(stack.pop()).refs) push(r);

  // shown: from the names (and from garbage), not through interpreter objects or modules
  const shown = new Set();
  const walk = (id) => {
    if (shown.has(id) || !byId.has(id)) return;
    shown.add(id);
    stack.push(id);
  };
  for (const r of roots) walk(r.id);
  let garbage = 0;
  for (const o of snap.objects) if (!alive.has(o.id)) { walk(o.id); garbage++; }
  const drawnRefs = (o) => (o.refs.length > maxItems ? o.refs.slice(0, maxItems) : o.refs);
  while (stack.length) {
    const o = byId.get(stack.pop());
    if (!opaque(o)) for (const r of drawnRefs(o)) walk(r);
  }
  const objects = [];
  for (const o of snap.objects) {
    if (!shown.has(o.id)) continue;
    const copy = { ...o, refs: opaque(o) ? [] : drawnRefs(o).filter((r) => shown.has(r)), reachable: alive.has(o.id) };
    if (!opaque(o) && o.refs.length > maxItems) copy.moreRefs = o.refs.length - maxItems;
    objects.push(copy);
  }
  return { objects, garbage, hidden: snap.objects.length - objects.length };
}

/** The set of keys of a snapshot's objects (the interpreter's baseline), with .typeById: address -> typeId. */
export function baselineOf(snap) {
  const keys = new Set(snap.objects.map(keyOf));
  keys.typeById = new Map(snap.objects.map((o) => [o.id, o.typeId]));
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
