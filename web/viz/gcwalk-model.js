// gcwalk-model.js — the pure data behind the "gc.collect() explained" view
// (gcwalk.js): one traced collection turned into the phases CPython 3.12's
// gc_collect_main runs, each with the objects it concerned, their gc_refs,
// a state and a one-sentence reason. No DOM, no d3: unit-tested in node.
//
// Fed by heap.gc.lastTrace() (web/lib/gc.js; core/src/gc.c's phase trace)
// and a heap.snapshot() taken just before the collection (types, refcounts,
// references and weak references by id). Objects a finalizer created during
// the collection are not in that snapshot: their type shows as '?'.

/** Phase names, in the order gc_collect_main runs them. */
export const PHASES = Object.freeze([
  'update_refs', 'subtract_refs', 'move_unreachable', 'untrack', 'legacy_finalizers',
  'handle_weakrefs', 'finalize_garbage', 'handle_resurrected', 'delete_garbage', 'result',
]);

const hex = (id) => `0x${(id >>> 0).toString(16)}`;
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One object's label: "Marked at 0x1234". */
export function labelOf(o) {
  return `${o.type} at ${hex(o.id)}`;
}

/**
 * For each examined object with gc_refs 0 that move_unreachable finds
 * reachable, the examined object it was reached from: a breadth-first walk
 * over the snapshot's (strong) references inside the examined set, from the
 * objects with outside references. Map id -> parent id (roots map to null).
 */
function reachedFrom(examinedIds, gcRefs, byId) {
  const parent = new Map();
  const queue = [];
  for (const id of examinedIds) {
    if ((gcRefs.get(id) ?? 0) !== 0) { parent.set(id, null); queue.push(id); }
  }
  for (let i = 0; i < queue.length; i++) {
    const o = byId.get(queue[i]);
    if (!o) continue;
    for (const r of o.refs) {
      if (examinedIds.has(r) && !parent.has(r)) { parent.set(r, queue[i]); queue.push(r); }
    }
  }
  return parent;
}

/** The snapshot's strong references from one examined object to another, once per pair. */
function examinedLinks(examinedIds, byId) {
  const links = [];
  for (const id of examinedIds) {
    const o = byId.get(id);
    if (!o) continue;
    for (const r of new Set(o.refs)) if (examinedIds.has(r)) links.push({ source: id, target: r });
  }
  return links;
}

/**
 * Who holds each examined object inside the set: target id -> the examined
 * objects (snapshot entries, in examined order) whose references point at it,
 * built once from examinedLinks (a search of the whole set per object was
 * quadratic: minutes for a collection of 50,000 objects).
 */
function internalHolders(links, byId) {
  const holders = new Map();
  for (const { source, target } of links) {
    if (!holders.has(target)) holders.set(target, []);
    holders.get(target).push(byId.get(source));
  }
  return holders;
}

/**
 * walkModel(trace, snapshot) -> phases
 *
 * trace: heap.gc.lastTrace() ({ generation, phases: { examined, copied,
 * unreachable, untracked, weakrefsCleared, weakrefCallbacks, finalized,
 * resurrected, cleared, freed }, collected, uncollectable }).
 * snapshot: heap.snapshot(...) taken before the collection, or null.
 *
 * Returns [{ name, title, explain, objects: [{ id, type, gcRefs, state, why }],
 * counts }] in PHASES order; the last phase ('result') carries the counts
 * gc.collect() returned: { collected, uncollectable, returned }. The first
 * three phases (gc_refs at work) also carry `links`: [{ source, target }],
 * the snapshot's references between examined objects.
 */
export function walkModel(trace, snapshot) {
  if (!trace || !trace.phases) throw new TypeError('walkModel: trace must be heap.gc.lastTrace()');
  if (trace.generation == null) throw new TypeError('walkModel: the trace holds no collection (heap.gc.trace() was off)');
  const P = trace.phases;
  const byId = new Map((snapshot?.objects ?? []).map((o) => [o.id, o]));
  const typeOf = (id) => byId.get(id)?.type ?? '?';
  const g = trace.generation;
  const older = g < 2 ? g + 1 : 2;
  const obj = (id, gcRefs, state, why) => ({ id, type: typeOf(id), gcRefs, state, why });
  const lbl = (id) => labelOf({ id, type: typeOf(id) });
  const phases = [];

  // ---- update_refs ----------------------------------------------------------------------------
  const copied = new Map((P.copied ?? []).map((e) => [e.id, e.value]));
  const after = new Map(P.examined.map((e) => [e.id, e.value]));
  const immortals = P.examined.filter((e) => e.value < 0).map((e) => e.id);
  const examinedIds = new Set(P.examined.filter((e) => e.value >= 0).map((e) => e.id));
  const order = [...immortals, ...examinedIds];
  const links = examinedLinks(examinedIds, byId);
  phases.push({
    name: 'update_refs',
    title: 'gc_refs copied (update_refs)',
    explain: `Generation${g ? `s 0 to ${g} are` : ' 0 is'} merged into one list of ${plural(order.length, 'object')}; ` +
      'each object\'s reference count is copied into its gc_refs field.',
    objects: order.map((id) => (after.get(id) < 0
      ? obj(id, null, 'immortal', 'Immortal: moved to the permanent generation, never collected.')
      : obj(id, copied.get(id) ?? null, 'examined',
        `Its reference count, ${copied.get(id) ?? '?'}, is copied into gc_refs.`))),
    counts: { examined: examinedIds.size, immortal: immortals.length },
    links,
  });

  // ---- subtract_refs --------------------------------------------------------------------------
  let external = 0;
  const holdersOf = internalHolders(links, byId);
  const subtracted = [...examinedIds].map((id) => {
    const r = after.get(id);
    const c = copied.get(id);
    const internal = c == null ? null : c - r;
    if (r > 0) {
      external++;
      return obj(id, r, 'external', `${plural(r, 'reference')} to it ${r === 1 ? 'comes' : 'come'} from outside the examined objects ` +
        `(a name, a handle, an older generation${internal ? `; ${internal} internal subtracted` : ''}): the scan starts from it.`);
    }
    const holders = holdersOf.get(id) ?? [];
    const who = holders.length ? ` (held by ${holders.slice(0, 3).map(labelOf).join(', ')}${holders.length > 3 ? ', ...' : ''})` : '';
    return obj(id, 0, 'internal', `Every reference to it comes from another examined object${who}: gc_refs drops to 0, so it may be garbage.`);
  });
  phases.push({
    name: 'subtract_refs',
    title: 'internal references subtracted (subtract_refs)',
    explain: 'Each examined object\'s tp_traverse visits what it references; every reference that lands on an ' +
      'examined object takes 1 off that object\'s gc_refs. What is left counts references from outside the set.',
    objects: subtracted,
    counts: { external, internal: examinedIds.size - external },
    links,
  });

  // ---- move_unreachable -----------------------------------------------------------------------
  const unreachable = new Set(P.unreachable.map((e) => e.id));
  const parent = reachedFrom(examinedIds, after, byId);
  const marked = [...examinedIds].map((id) => {
    const r = after.get(id);
    if (unreachable.has(id)) {
      return obj(id, 0, 'unreachable', 'gc_refs is 0 and no object with outside references leads to it: tentatively unreachable.');
    }
    if (r > 0) return obj(id, r, 'reachable', `gc_refs ${r} > 0: referenced from outside, so reachable.`);
    const p = parent.get(id);
    return obj(id, 0, 'reachable', p != null
      ? `gc_refs is 0, but ${lbl(p)}, which is reachable, refers to it: reachable after all.`
      : 'gc_refs is 0, but a reachable object refers to it: reachable after all.');
  });
  phases.push({
    name: 'move_unreachable',
    title: 'the unreachable set marked (move_unreachable)',
    explain: 'Starting from the objects with gc_refs > 0, everything they reach is reachable; what is left ' +
      `(${plural(unreachable.size, 'object')}) moves to the unreachable list.`,
    objects: marked,
    counts: { reachable: examinedIds.size - unreachable.size, unreachable: unreachable.size },
    links,
  });

  // ---- untrack + survivors moved ----------------------------------------------------------------
  const untracked = (P.untracked ?? []).map((e) => obj(e.id, null, 'untracked', e.value === 1
    ? 'A dict holding only untracked objects cannot be part of a cycle: untracked (full collections only).'
    : 'A tuple holding only untracked objects cannot be part of a cycle: untracked.'));
  phases.push({
    name: 'untrack',
    title: 'survivors move on; atomic tuples and dicts untracked',
    explain: `The ${plural(examinedIds.size - unreachable.size, 'reachable object')} ${g < 2 ? `move to generation ${older}` : 'stay in generation 2'}. ` +
      (untracked.length ? `${plural(untracked.length, 'container')} holding only atoms ${untracked.length === 1 ? 'is' : 'are'} untracked on the way.`
        : 'No tuple or dict was untracked.'),
    objects: untracked,
    counts: { survivors: examinedIds.size - unreachable.size, untracked: untracked.length },
  });

  // ---- legacy finalizers (tp_del) / gc.garbage ---------------------------------------------------
  const uncollectable = trace.uncollectable ?? 0;
  phases.push({
    name: 'legacy_finalizers',
    title: 'legacy finalizers → gc.garbage',
    explain: uncollectable
      ? `${plural(uncollectable, 'object')} with a legacy tp_del finalizer (and what ${uncollectable === 1 ? 'it reaches' : 'they reach'}) cannot be collected: gc.garbage.`
      : 'Only C types with a legacy tp_del end up uncollectable in gc.garbage; since PEP 442 (3.4), __del__ is a tp_finalize, ' +
        'so nothing here is uncollectable.',
    objects: [],
    counts: { uncollectable },
  });

  // ---- handle_weakrefs --------------------------------------------------------------------------
  const cbs = new Map(P.weakrefCallbacks.map((e) => [e.id, e.value]));
  const referentOf = (id) => byId.get(id)?.weakRefs?.[0];
  const wrs = (P.weakrefsCleared ?? []).map((e) => {
    const ref = referentOf(e.id);
    const to = ref != null ? ` to ${lbl(ref)}` : '';
    if (e.value === 2) return obj(e.id, null, 'cleared', `A weak reference${to} that is garbage itself: cleared; a callback, if it has one, is never called.`);
    if (e.value === 0) return obj(e.id, null, 'cleared', `A weak reference${to}, which is garbage: cleared (it has no callback).`);
    return obj(e.id, null, cbs.get(e.id) ? 'died' : 'callback', `A weak reference${to}, which is garbage: cleared, then its callback ran` +
      (cbs.get(e.id) ? ', after which the weakref itself died (counted as collected).' : '; the weakref survives.'));
  });
  const died = P.weakrefCallbacks.filter((e) => e.value).length;
  phases.push({
    name: 'handle_weakrefs',
    title: 'weakrefs cleared, callbacks run (handle_weakrefs)',
    explain: 'Before any finalizer runs, every weak reference to an unreachable object is cleared, so no callback or ' +
      `finalizer can reach garbage through one; then the callbacks of weakrefs that are not garbage themselves run (${cbs.size}).`,
    objects: wrs,
    counts: { cleared: wrs.length, callbacks: cbs.size, died },
  });

  // ---- finalize_garbage ---------------------------------------------------------------------------
  const finalized = P.finalized.map((e) => obj(e.id, null, 'finalized',
    'Its tp_finalize (__del__) runs, once: the object is marked finalized and its __del__ will not run again.'));
  phases.push({
    name: 'finalize_garbage',
    title: 'PEP 442 finalizers run (finalize_garbage)',
    explain: finalized.length
      ? `${plural(finalized.length, '__del__ method')} ran, in the order of the unreachable list; the objects stay alive while ${finalized.length === 1 ? 'it runs' : 'they run'}.`
      : 'No unreachable object has a __del__ (or its __del__ already ran): nothing to finalize.',
    objects: finalized,
    counts: { finalized: finalized.length },
  });

  // ---- handle_resurrected_objects ---------------------------------------------------------------
  const resurrectedIds = new Set(P.resurrected.map((e) => e.id));
  const resParent = reachedFrom(resurrectedIds, new Map(P.resurrected.map((e) => [e.id, e.value])), byId);
  const res = P.resurrected.map((e) => {
    if (e.value > 0) {
      return obj(e.id, e.value, 'resurrected', `After the finalizers ${plural(e.value, 'reference')} to it ${e.value === 1 ? 'comes' : 'come'} from ` +
        'outside the set (a __del__ stored it somewhere): it survives, is not counted, and its __del__ will not run again.');
    }
    const p = resParent.get(e.id);
    return obj(e.id, 0, 'resurrected', `${p != null ? `${lbl(p)}, which a finalizer resurrected,` : 'A resurrected object'} refers to it: ` +
      'it survives with it and is not counted.');
  });
  phases.push({
    name: 'handle_resurrected',
    title: 'resurrected objects returned (handle_resurrected_objects)',
    explain: 'gc_refs are computed again for the unreachable set alone; objects a finalizer made reachable again, and ' +
      `what they reach, leave it${resurrectedIds.size ? '' : ' (none did)'}.`,
    objects: res,
    counts: { resurrected: resurrectedIds.size },
  });

  // ---- delete_garbage ---------------------------------------------------------------------------
  const cleared = new Map(P.cleared.map((e) => [e.id, e.value]));
  const freed = new Set(P.freed.map((e) => e.id));
  const finalSet = [...new Set([...P.cleared.map((e) => e.id), ...P.freed.map((e) => e.id)])];
  const del = finalSet.map((id) => {
    if (cleared.get(id) === 1) return obj(id, null, 'saved', 'DEBUG_SAVEALL: appended to gc.garbage instead of being cleared.');
    if (cleared.has(id) && freed.has(id)) {
      return obj(id, null, 'freed', 'Its tp_clear dropped its references and so broke the cycle it was in: freed.');
    }
    if (freed.has(id)) {
      return obj(id, null, 'freed', 'Freed in cascade: another object\'s tp_clear dropped the last reference to it.');
    }
    return obj(id, null, 'survived', `Its tp_clear ran but something still refers to it: it survives in generation ${older}.`);
  });
  phases.push({
    name: 'delete_garbage',
    title: 'the rest freed (delete_garbage: tp_clear)',
    explain: `${plural(finalSet.length, 'object')} ${finalSet.length === 1 ? 'is' : 'are'} still unreachable: each gets tp_clear, which drops ` +
      'its references and so breaks the cycles; reference counting then frees them.',
    objects: del,
    counts: { cleared: cleared.size, freed: freed.size, survived: del.filter((o) => o.state === 'survived').length },
  });

  // ---- result ---------------------------------------------------------------------------------------
  const collected = trace.collected ?? finalSet.length + died;
  phases.push({
    name: 'result',
    title: 'gc.collect() returns',
    explain: `gc.collect() returns ${collected + uncollectable}: ${plural(collected, 'unreachable object')} collected` +
      `${died ? ` (${died} of them weakrefs that died after their callbacks)` : ''} + ${uncollectable} uncollectable.`,
    objects: [],
    counts: { collected, uncollectable, returned: collected + uncollectable },
  });
  return phases;
}

/**
 * Columns for the small graph, the same for every phase of one collection:
 * column 0 holds the objects with outside references (gc_refs > 0 after
 * subtract_refs), column k what they reach in k steps, the last column the
 * unreachable set. Returns { pos: Map id -> { x: column, y: row }, columns,
 * rows (the longest column) }.
 */
export function graphLayout(phases) {
  const mu = phases.find((p) => p.name === 'move_unreachable');
  if (!mu) return { pos: new Map(), columns: 0, rows: 0 };
  const out = new Map();
  for (const l of mu.links) {
    if (!out.has(l.source)) out.set(l.source, []);
    out.get(l.source).push(l.target);
  }
  const depth = new Map();
  const queue = mu.objects.filter((o) => o.state === 'reachable' && o.gcRefs > 0).map((o) => o.id);
  for (const id of queue) depth.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    for (const t of out.get(queue[i]) ?? []) {
      if (!depth.has(t)) { depth.set(t, depth.get(queue[i]) + 1); queue.push(t); }
    }
  }
  let last = 0;
  for (const d of depth.values()) last = Math.max(last, d);
  const unreachableCol = mu.objects.some((o) => o.state === 'unreachable') ? last + 1 : last;
  const rows = [];
  const pos = new Map();
  for (const o of mu.objects) {
    // reachable objects the snapshot's references do not explain go to column 0
    const x = o.state === 'unreachable' ? unreachableCol : (depth.get(o.id) ?? 0);
    rows[x] = (rows[x] ?? 0) + 1;
    pos.set(o.id, { x, y: rows[x] - 1 });
  }
  return { pos, columns: unreachableCol + 1, rows: Math.max(0, ...rows.filter(Boolean)) };
}
