// scenario.js — scripted steps that drive a Heap through the JS API, so every
// view can be watched before the Python interpreter exists. Each step shows
// the Python it stands for; run(ctx) does the same through web/lib handles.
// Names are handles the scenario keeps (one reference each, like a Python
// name); the views get them as roots.

/** The names of a program: name -> handle (each owns one reference). */
export class Names {
  constructor() { this.map = new Map(); }
  /** name = handle (takes over the handle's reference; the old value is released). */
  bind(name, handle) {
    this.map.get(name)?.release();
    this.map.set(name, handle);
    return handle;
  }
  get(name) {
    const h = this.map.get(name);
    if (!h) throw new Error(`scenario: name ${name} is not bound`);
    return h;
  }
  /** del name */
  unbind(...names) {
    for (const n of names) { this.get(n).release(); this.map.delete(n); }
  }
  handles() { return [...this.map.values()]; }
  roots() { return [...this.map].map(([name, h]) => ({ name, id: h.id })); }
  clear() { for (const h of this.map.values()) if (!h.released) h.release(); this.map.clear(); }
}

/** The tour: a list of dicts, an alias, a cycle, immortals, dropping names, many small objects, freeing half. */
export const TOUR = [
  {
    code: "rows = [{'id': i, 'tag': 'row'} for i in range(4)]",
    note: 'A list of four dicts. Lists and dicts are GC-tracked (generation 0, blue); the ints 0..3 are small ints (immortal, grey) and only appear because a dict refers to them.',
    run({ heap, names }) {
      const rows = names.bind('rows', heap.list());
      for (let i = 0; i < 4; i++) { const d = heap.dict({ id: i, tag: 'row' }); rows.append(d); d.release(); }
    },
  },
  {
    code: 'first = rows[0]',
    note: 'A second name for the first dict: its refcount goes from 1 to 2 (one from the list, one from the name). Click it to see who holds it.',
    run({ names }) { names.bind('first', names.get('rows').get(0)); },
  },
  {
    code: 'a = []; b = [a]; a.append(b)',
    note: 'Two lists that refer to each other: a reference cycle. Each has refcount 2 (a name and the other list).',
    run({ heap, names }) {
      const a = names.bind('a', heap.list());
      const b = names.bind('b', heap.list([a]));
      a.append(b);
    },
  },
  {
    code: "t = (1000, 'x', None)",
    note: 'A tuple: 1000 is a real int object (not in the small-int cache), None is immortal. A tuple of atoms may later be untracked by the collector.',
    run({ heap, names }) { names.bind('t', heap.tuple([1000, 'x', null])); },
  },
  {
    code: 'del a, b',
    note: 'The names are gone but each list still holds the other: refcounts stay at 1, nothing is freed. The pair is now cyclic garbage (red dashed ring) until the cycle collector runs.',
    run({ names }) { names.unbind('a', 'b'); },
  },
  {
    code: 'rows.pop()',
    note: 'The last dict loses its only reference: refcount 0, freed at once (it fades out), and its block goes back to its pool.',
    run({ names }) { names.get('rows').pop().release(); },
  },
  {
    code: 'del first',
    note: 'rows[0] is held by the list alone again (refcount 1).',
    run({ names }) { names.unbind('first'); },
  },
  {
    code: 'small = [[i] for i in range(300, 2300)]',
    note: 'Two thousand one-item lists, each with its own int: thousands of small blocks. The graph switches to Canvas drawing; the allocator map fills pools of the 48- and 64-byte classes.',
    run({ heap, names }) {
      const small = names.bind('small', heap.list());
      for (let i = 300; i < 2300; i++) { const l = heap.list([i]); small.append(l); l.release(); }
    },
  },
  {
    code: 'del small[::2]',
    note: 'Every other list (and its int) is freed. The pools are now half empty but no pool is empty, so no arena can be given back: fragmentation.',
    run({ names }) { names.get('small').deleteSlice(null, null, 2); },
  },
  {
    code: 'del small',
    note: 'The rest goes too. Pools become empty; an arena whose pools are all empty is unmapped, except the last one on usable_arenas.',
    run({ names }) { names.unbind('small'); },
  },
];

/** A big heap for the 10,000-object check: a list of 10,000 small lists. */
export const BIG = [
  {
    code: 'big = [[] for _ in range(10000)]',
    note: '10,001 objects: the graph draws on Canvas with the force layout in a Worker.',
    run({ heap, names }) {
      const big = names.bind('big', heap.list());
      for (let i = 0; i < 10000; i++) { const l = heap.list(); big.append(l); l.release(); }
    },
  },
  {
    code: 'x = big[5000]; x.append(x)',
    note: 'A local change in a large heap: one self-reference; the layout moves only what changed.',
    run({ names }) { const x = names.bind('x', names.get('big').get(5000)); x.append(x); },
  },
];

export const SCENARIOS = { tour: TOUR, big: BIG };

/**
 * Short reprs of the objects reachable from the names (for labels), read
 * after the snapshot so the temporary handles do not show in refcounts.
 * Stops after `limit` objects.
 */
export function collectReprs(names, limit = 1500) {
  const out = new Map();
  const visit = (h, depth) => {
    if (out.size >= limit || out.has(h.id)) return;
    let r;
    try { r = h.repr(); } catch { r = `<${h.typeName}>`; }
    out.set(h.id, r.length > 60 ? `${r.slice(0, 59)}…` : r);
    if (depth > 3) return;
    let kids = [];
    try {
      if (h.typeName === 'list' || h.typeName === 'tuple' || h.typeName === 'set' || h.typeName === 'frozenset') kids = h.toArray();
      else if (h.typeName === 'dict') kids = [...h.items()].flat();
    } catch { kids = []; }
    for (const k of kids) { visit(k, depth + 1); k.release(); }
  };
  for (const h of names.handles()) visit(h, 0);
  return out;
}
