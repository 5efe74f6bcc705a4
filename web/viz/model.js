// model.js — the heap graph's view-model: pure functions over snapshots.
//
// A snapshot (Heap.snapshot(), see web/lib/index.d.ts) lists objects with
// their referents; `names` are the roots a program has ([{ name, id }]:
// globals, frame locals). The view keeps ONE persistent node per object
// across steps, keyed by id (the object's address), so the layout can stay
// put: GraphModel.update() diffs a new snapshot against the previous one and
// reports what entered, what changed and what left (freed). Nothing here
// touches the DOM or d3, so node's test runner imports it directly.

/** Key of an object node. An address can be reused after a free: a new type there is a new node. */
export const objectKey = (o) => `o${o.id}:${o.typeId}`;
/** Key of a root name. */
export const nameKey = (name) => `n:${name}`;

/** Where an object's colour comes from: its generation, or why it has none. */
const GEN_KEYS = ['gen0', 'gen1', 'gen2'];
export function genClass(o) {
  if (o.immortal) return 'immortal';
  if (o.gen === 0 || o.gen === 1 || o.gen === 2) return GEN_KEYS[o.gen];   // no string made per call (every node, every frame)
  if (o.gen === 'permanent') return 'permanent';
  return 'untracked';
}

/** Badges shown next to a node (ecosystem.md §1.14: immortal, not tracked by the GC, finalized). */
export function badges(o) {
  const out = [];
  if (o.immortal) out.push('immortal');
  else if (o.gen == null) out.push(o.gcType ? 'untracked' : 'no GC head');
  if (o.finalized) out.push('finalized');
  if (o.reachable === false) out.push('unreachable');
  return out;
}

/**
 * Which immortal objects to show. 'referenced' (default): an immortal object
 * appears only when a name or a shown container refers to it — so the graph
 * is not littered with None and small ints, yet `x = None` still draws an
 * arrow. 'hidden': never. 'all': whatever the snapshot lists.
 */
export const IMMORTALS = Object.freeze(['referenced', 'hidden', 'all']);

/**
 * The visible objects and edges of a snapshot.
 * @returns {{ objects: object[], byId: Map<number, object>, links: Array<{source:number, target:number, weak:boolean}> }}
 */
export function visibleGraph(snapshot, names = [], options = {}) {
  const { objects } = visibleObjects(snapshot, names, options);
  const shown = new Map(objects.map((o) => [o.id, o]));
  const links = [];
  for (const o of objects) {
    for (const r of o.refs) if (shown.has(r)) links.push({ source: o.id, target: r, weak: false });
    for (const r of weakTargets(o)) if (shown.has(r)) links.push({ source: o.id, target: r, weak: true });
  }
  return { objects, byId: shown, links };
}

/** The visible objects of a snapshot (visibleGraph without the links), in snapshot order. */
export function visibleObjects(snapshot, names = [], { immortals = 'referenced' } = {}) {
  if (!IMMORTALS.includes(immortals)) throw new TypeError(`immortals must be one of ${IMMORTALS.join(', ')}, got ${immortals}`);
  if (immortals === 'all') return { objects: snapshot.objects };
  // only the immortal objects need a lookup by id (few of them): no map of every object
  const immortal = new Set();
  for (const o of snapshot.objects) if (o.immortal) immortal.add(o.id);
  if (!immortal.size) return { objects: snapshot.objects };
  const wanted = new Set();
  if (immortals === 'referenced') {
    // referenced from a name or a shown (mortal) container; an immortal
    // container (the empty tuple) does not pull in further immortals
    for (const n of names) if (immortal.has(n.id)) wanted.add(n.id);
    for (const o of snapshot.objects) if (!o.immortal) for (const r of o.refs) if (immortal.has(r)) wanted.add(r);
  }
  return { objects: snapshot.objects.filter((o) => !o.immortal || wanted.has(o.id)) };
}

const NO_WEAK = [];
const NO_CHANGE = Object.freeze([]);
const TARGET_CHANGED = Object.freeze(['target']);
/** An object's weak referents, each once (most objects have none: no Set made for them). */
const weakTargets = (o) => (!o.weakRefs?.length ? NO_WEAK : o.weakRefs.length === 1 ? o.weakRefs : new Set(o.weakRefs));

const FIELDS = ['refcount', 'size', 'gen', 'finalized', 'reachable', 'immortal', 'refs'];
/** The list of changed fields for each combination (bit i: FIELDS[i]), made once and shared (frozen). */
const FIELD_LISTS = Array.from({ length: 1 << FIELDS.length },
  (_, m) => (m ? Object.freeze(FIELDS.filter((_, i) => m & (1 << i))) : NO_CHANGE));

/**
 * The fields of a kept object that changed between two snapshots (the diff's `changed`): one of
 * the shared lists above. (Run for every shown object at every step: no array made, no call that
 * only a rare change reaches — V8 compiled code for the common case and threw it away whenever a
 * field changed for the first time in a while, recompiling the whole diff: ~150 ms of a compiler
 * thread each time, beside the page on two cores.)
 */
export function changedFields(a, b) {
  if (a === b) return NO_CHANGE;
  const m = (a.refcount !== b.refcount ? 1 : 0) | (a.size !== b.size ? 2 : 0) | (a.gen !== b.gen ? 4 : 0) |
    (a.finalized !== b.finalized ? 8 : 0) | (a.reachable !== b.reachable ? 16 : 0) | (a.immortal !== b.immortal ? 32 : 0) |
    (sameIds(a.refs, b.refs) ? 0 : 64);
  return FIELD_LISTS[m];
}

const sameIds = (a, b) => {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** Who refers to each object: Map id -> [referrer ids] (snapshot order). */
export function referrers(snapshot) {
  const out = new Map();
  for (const o of snapshot.objects) {
    for (const r of o.refs) {
      let list = out.get(r);
      if (!list) out.set(r, (list = []));
      if (list[list.length - 1] !== o.id) list.push(o.id);
    }
  }
  return out;
}

/**
 * A shortest back-reference chain from a root name to object `id` (objgraph's
 * find_backref_chain, with names as the roots): `{ name, ids }` where
 * ids[0] is the object the name is bound to and ids[ids.length - 1] === id;
 * null when no name reaches the object (garbage, or only held from outside).
 * Ties go to the earlier name, then to the earlier reference.
 */
export function backChain(snapshot, id, names = []) {
  const refs = new Map(snapshot.objects.map((o) => [o.id, o.refs]));
  if (!refs.has(id)) return null;
  // breadth-first from every named object at once: the first arrival is shortest
  const from = new Map();      // object id -> previous id (or null for a named object)
  const nameOf = new Map();    // named object id -> first name bound to it
  let frontier = [];
  for (const n of names) {
    if (!refs.has(n.id) || nameOf.has(n.id)) continue;
    nameOf.set(n.id, n.name);
    from.set(n.id, null);
    frontier.push(n.id);
  }
  while (frontier.length && !from.has(id)) {
    const next = [];
    for (const cur of frontier) {
      for (const r of refs.get(cur) ?? []) {
        if (from.has(r) || !refs.has(r)) continue;
        from.set(r, cur);
        next.push(r);
      }
    }
    frontier = next;
  }
  if (!from.has(id)) return null;
  const ids = [];
  for (let cur = id; cur !== null; cur = from.get(cur)) ids.push(cur);
  ids.reverse();
  return { name: nameOf.get(ids[0]), ids };
}

/**
 * The persistent view-model. update() takes the next snapshot and returns
 * the diff: enter (new keys), update (kept keys, with changed fields noted),
 * exit (keys gone: freed objects, unbound names). Node objects are kept
 * across calls (same JS object for the same key) so a layout can hold its
 * x/y on them.
 */
export class GraphModel {
  constructor() {
    /** @type {Map<string, object>} */
    this.nodes = new Map();
    this.links = [];
    this.ends = [];
    this.snapshot = { objects: [] };
    this.names = [];
    this.step = 0;
    /** object nodes by id (the key is made once, when the node enters) */
    this.byId = new Map();
  }

  update(snapshot, names = [], options = {}) {
    if (!snapshot || !Array.isArray(snapshot.objects)) throw new TypeError('update(snapshot, names): snapshot.objects must be an array');
    if (!Array.isArray(names)) throw new TypeError('update(snapshot, names): names must be an array of { name, id }');
    const seenNames = new Set();
    for (const n of names) {
      if (typeof n?.name !== 'string' || !Number.isInteger(n.id)) throw new TypeError(`names must be { name: string, id: integer }, got ${JSON.stringify(n)}`);
      if (seenNames.has(n.name)) throw new TypeError(`name ${n.name} is listed twice`);
      seenNames.add(n.name);
    }
    const { objects } = visibleObjects(snapshot, names, options);
    const mode = options.immortals ?? 'referenced';
    if (mode !== this.mode) { this.mode = mode; for (const node of this.nodes.values()) node.linkCache = null; }
    const step = ++this.step;
    const enter = [], update = [], exit = [];
    // (in parts: V8 recompiles a function whole when a rarely taken path runs, and this one
    // whole, with what it inlined, took ~150 ms of a compiler thread each time)
    const shownNodes = this.diffObjects(objects, step, enter, update);
    this.diffNames(names, step, enter, update);
    const { nodes, byId } = this;
    for (const node of nodes.values()) {
      if (node.seen === step) continue;
      exit.push(node);
      nodes.delete(node.key);
      if (node.kind === 'object' && byId.get(node.id) === node) byId.delete(node.id);
    }
    const { links, ends } = this.linksOf(objects, shownNodes, names, step);
    // the first referrer of each entering node (made with seed null): where the layout seeds it
    if (enter.length) {
      // (the nodes born this step are the entering ones: no key lookups over every link)
      for (let i = 0; i < ends.length; i += 2) {
        const t = ends[i + 1];
        if (t.born === step && t.seed === null && ends[i] !== t) t.seed = ends[i].key;
      }
    }
    for (const node of enter) {
      if (node.kind === 'name' && node.target) node.seed = node.target;   // a name sits next to its object
    }
    this.links = links;
    this.ends = ends;
    this.shownNodes = shownNodes;
    this.snapshot = snapshot;
    this.names = names;
    return { enter, update, exit, nodes, links };
  }

  /**
   * The nodes of this step's objects, in order: kept ones found by id (no key string made) and
   * their changed fields noted (into `update`), new ones made (into `enter`); each marked seen.
   * An address reused by another type is another node.
   */
  diffObjects(objects, step, enter, update) {
    const { nodes, byId } = this;
    const shownNodes = new Array(objects.length);
    // a snapshot lists its objects in much the same order from step to step: the node at the
    // same place last step is tried before the map (10,000 lookups by address a step); it is
    // the map's node for its address (the map changed since only for nodes that left or came)
    const prev = this.shownNodes ?? [];
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      let node = prev[i];
      if (!node || node.id !== o.id) node = byId.get(o.id);
      if (node && node.obj.typeId === o.typeId) {
        node.changed = changedFields(node.obj, o);
        node.obj = o;
        update.push(node);
      } else {
        // every field a node gets later is there from the start (one shape for every object node)
        node = { key: objectKey(o), kind: 'object', id: o.id, obj: o, born: step, changed: NO_CHANGE, linkCache: null, seen: step, seed: null, slot: -1, rec: null };
        enter.push(node);
        byId.set(o.id, node);
        nodes.set(node.key, node);
      }
      node.seen = step;
      shownNodes[i] = node;
    }
    return shownNodes;
  }

  /** The node of object `id` if it is shown at `step`, else null. */
  present(id, step) {
    const t = this.byId.get(id);
    return t && t.seen === step ? t : null;
  }

  /** The name nodes (the roots) of this step, into `enter` or `update` as for objects. */
  diffNames(names, step, enter, update) {
    const { nodes } = this;
    for (const n of names) {
      const key = nameKey(n.name);
      const target = this.present(n.id, step)?.key ?? null;
      let node = nodes.get(key);
      if (node) {
        node.changed = node.target !== target ? TARGET_CHANGED : NO_CHANGE;
        node.target = target;
        node.targetId = n.id;
        update.push(node);
      } else {
        node = { key, kind: 'name', name: n.name, targetId: n.id, target, born: step, changed: NO_CHANGE, seen: step, seed: null, slot: -1, rec: null };
        enter.push(node);
        nodes.set(key, node);
      }
      node.seen = step;
    }
  }

  /**
   * The links between visible objects (visibleGraph's, with node keys) and their two nodes, flat
   * ([source0, target0, source1, ...]: no key lookups for the view); an object whose references
   * and targets did not change keeps its links.
   */
  linksOf(objects, shownNodes, names, step) {
    const links = [];
    const ends = [];
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i], node = shownNodes[i];
      const weak = o.weakRefs ?? NO_WEAK;
      let c = node.linkCache;
      if (!c || !c.complete || node.changed.includes('refs') || !sameIds(c.weak, weak) || !c.targets.every((t) => t.seen === step)) {
        c = node.linkCache = this.linksFrom(node, o, weak, c, step);
      }
      for (let j = 0; j < c.links.length; j++) { links.push(c.links[j]); ends.push(node, c.targets[j]); }
    }
    for (const n of names) {
      const t = this.present(n.id, step);
      if (t) { links.push({ source: nameKey(n.name), target: t.key, weak: false, name: true }); ends.push(this.nodes.get(nameKey(n.name)), t); }
    }
    return { links, ends };
  }

  /** Object `o`'s links (its node's link cache), reusing those of `was` that are the same. */
  linksFrom(node, o, weak, was, step) {
    const c = { links: [], targets: [], weak, complete: true };
    const add = (r, isWeak) => {
      // the same link at the same place as before (a list that grew by one keeps
      // the 10,000 it had): reused, not made again, its target not looked up again
      const k = c.links.length, l = was?.links[k], wt = was?.targets[k];
      const t = wt && wt.id === r && wt.seen === step ? wt : this.present(r, step);
      if (!t) { c.complete = false; return; }
      c.links.push(l && wt === t && l.weak === isWeak ? l : { source: node.key, target: t.key, weak: isWeak });
      c.targets.push(t);
    };
    for (const r of o.refs) add(r, false);
    for (const r of weakTargets(o)) add(r, true);
    return c;
  }

  /** Details for a node: what the click panel shows. */
  details(key) {
    const node = this.nodes.get(key);
    if (!node) return null;
    if (node.kind === 'name') return { kind: 'name', name: node.name, id: node.targetId };
    const o = node.obj;
    // the referrers of this one object, in snapshot order (one scan; referrers() would index every object)
    const heldBy = [];
    for (const x of this.snapshot.objects) {
      let count = 0;
      for (const r of x.refs) if (r === o.id) count++;
      if (count) heldBy.push({ id: x.id, type: x.type ?? '?', count });
    }
    const boundTo = this.names.filter((n) => n.id === o.id).map((n) => n.name);
    const fromObjects = heldBy.reduce((s, h) => s + h.count, 0);
    return {
      kind: 'object',
      id: o.id,
      type: o.type,
      size: o.size,
      refcount: o.refcount,
      immortal: o.immortal,
      gen: o.gen,
      badges: badges(o),
      heldBy,
      names: boundTo,
      // references the graph cannot see (handles, the interpreter's stack, C code)
      unseen: o.immortal ? null : Math.max(0, o.refcount - fromObjects - boundTo.length),
      chain: backChain(this.snapshot, o.id, this.names),
    };
  }
}
