// view.js — which objects the widget's heap graph shows (pure; node tests import it).
//
// A session snapshot lists every object reachable from the program's names
// plus everything the collector tracks: as soon as a function exists, its
// globals reach the builtins module and a few hundred objects no learner
// asked about. The widget shows what Python Tutor shows: the objects the
// program's names reach, without walking into the interpreter's own
// machinery (modules, code, a class's namespace, the globals a function
// refers to, built-in functions, descriptors, immortal objects), plus the
// objects shown at an earlier step that are still alive but unreachable
// (so a cycle that lost its last name stays on screen, marked unreachable,
// until the collector frees it).

/** Names every module or class body has, which a learner did not write: not drawn. */
export const HIDDEN_NAMES = new Set([
  '__name__', '__doc__', '__package__', '__loader__', '__spec__', '__builtins__', '__file__', '__cached__',
  '__annotations__', '__module__', '__qualname__', '__firstlineno__', '__static_attributes__',
]);

/** The names worth drawing: not the dunder metadata above (`frame.__name__` for a function's or class body's). */
export function userNames(names) {
  return names.filter((n) => !HIDDEN_NAMES.has(n.name.slice(n.name.lastIndexOf('.') + 1)));
}

/**
 * Types shown as a node whose references are not followed. A class is one
 * node: its namespace (methods, descriptors, the MRO) is the interpreter's
 * bookkeeping more than the program's data.
 */
export const OPAQUE = new Set([
  'type', 'module', 'code', 'builtin_function_or_method', 'getset_descriptor', 'member_descriptor',
  'method_descriptor', 'wrapper_descriptor', 'classmethod_descriptor', 'method-wrapper',
]);

/** From a function only its defaults and closure are followed (not its globals, builtins, code or names). */
const FROM_FUNCTION = new Set(['tuple', 'cell']);

/**
 * @param {{ objects: Array<{ id: number, typeId: number, type: string, immortal: boolean, refs: number[] }> }} snapshot
 * @param {Array<{ name: string, id: number }>} names
 * @param {Set<string>} [before] keys (`id:typeId`) shown at the previous step
 * @param {{ limit?: number }} [options] at most this many objects (default 600)
 * @returns {{ snapshot: { objects: object[] }, keys: Set<string>, truncated: boolean }}
 */
export function userGraph(snapshot, names, before = new Set(), { limit = 600 } = {}) {
  const byId = new Map(snapshot.objects.map((o) => [o.id, o]));
  const globals = globalsDicts(snapshot, byId);
  const key = (o) => `${o.id}:${o.typeId}`;
  const shown = new Map();
  let truncated = false;
  const queue = [];
  const visit = (o) => {
    if (!o || shown.has(o.id)) return;
    if (shown.size >= limit) { truncated = true; return; }
    shown.set(o.id, o);
    queue.push(o);
  };
  for (const n of names) visit(byId.get(n.id));
  // garbage: shown before, alive, and no longer reachable from any name (a
  // shown object still reachable, but only through hidden machinery, goes)
  for (const o of snapshot.objects) if (o.reachable === false && before.has(key(o))) visit(o);
  while (queue.length) {
    const o = queue.shift();
    if (o.immortal || OPAQUE.has(o.type)) continue;
    for (const r of o.refs) {
      const t = byId.get(r);
      if (!t) continue;
      // a function's dict is its __dict__ only when it is not the globals:
      // globals are reached from the module, so a dict also held by a module is skipped
      if (o.type === 'function' && (!FROM_FUNCTION.has(t.type) || globals.has(t.id))) continue;
      visit(t);
    }
  }
  const objects = snapshot.objects.filter((o) => shown.has(o.id));
  return { snapshot: { objects }, keys: new Set(objects.map(key)), truncated };
}

/**
 * Module namespaces: dicts a module object refers to, and dicts holding a
 * module (the __main__ module itself is not in the snapshot when no name
 * reaches it, but its globals hold '__builtins__').
 */
function globalsDicts(snapshot, byId) {
  const out = new Set();
  for (const o of snapshot.objects) {
    if (o.type === 'module') for (const r of o.refs) if (byId.get(r)?.type === 'dict') out.add(r);
    if (o.type === 'dict' && o.refs.some((r) => byId.get(r)?.type === 'module')) out.add(o.id);
  }
  return out;
}
