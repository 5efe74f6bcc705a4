// objgraph.js — `import objgraph` for the interpreter: objgraph 3.5's
// counting, growth, leak and reference-chain functions and its Graphviz
// output, over the core's collector (gc.get_objects / get_referents /
// get_referrers: only GC-tracked objects, as in CPython).
//
// Printed formats are objgraph's (show_most_common_types '%-*s %i',
// show_growth '%-*s%9d %+9d', get_new_ids' table, "Graph written to ...").
// Headless graphs: show_refs / show_backrefs / show_chain write the DOT text
// objgraph writes; with filename='x.dot' it goes to the VM's virtual files
// (vm.files: name -> text, for the playground to draw) and "Graph written to
// x.dot (N nodes)" is printed; another extension (e.g. .png) or no filename
// writes /tmp/objgraph-N.dot (numbered, not random) and prints objgraph's
// message for a machine without Graphviz's dot/xdot; output=stream writes
// the text to stream.write. Node ids are 'o' + the object's address.
//
// Importing objgraph makes the module object `__main__` (its __dict__ the
// program's globals), so chains found with is_proper_module end there as in
// CPython. Differences: the interpreter's own frames are not objects, so
// they never appear as referrers.

import { libraryModule, converters } from './common.js';
import { USER_TYPE } from '../vm.js';

export const FILENAME = '/pyheap/lib/objgraph.py';

/** Python's '%g' for the colour components objgraph prints. */
export function formatG(x) {
  if (x === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(x)));
  if (e < -4 || e >= 6) {
    const [m, ex] = x.toExponential(5).split('e');
    const mm = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(ex);
    return `${mm}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = x.toPrecision(6);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** objgraph._quote */
const quote = (s) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\0/g, '\\\\0');

/** objgraph._gradient */
function gradient(start, end, depth, maxDepth) {
  if (maxDepth === 0) return start;
  const f = depth / maxDepth;
  return start.map((a, i) => a * (1 - f) + end[i] * f);
}

const MODULE_SOURCE = `\
# objgraph for pyheap: the functions are JavaScript
# (web/interp/modules/objgraph.js); this module only holds the growth state.
`;

/** Loads the module on a VM: the module, a new reference. */
export function loadObjgraph(vm) {
  const raw = vm.raw, h = vm.h;
  const c = converters(vm);
  const { err, isNone, toInt, fromJs, listOf, tupleOf, arg } = c;
  const T = c.T;
  vm.files ??= new Map();
  let tmpCount = 0;
  const peakStats = new Map();     // growth()'s default peak_stats
  const newIdsState = new Map();   // get_new_ids' _state: type name -> Set of ids
  let isProperModuleFn = 0;        // the module's is_proper_module (a predicate run in JS directly)

  // ---- the collector's views, as JS arrays of borrowed-while-held addresses
  /** Items of a Python sequence as new references. */
  const itemsOf = (o) => vm.lib.collect(o);
  const release = (items) => { for (const x of items) vm.decref(x); };
  const fromList = (l) => { try { return itemsOf(l); } finally { vm.decref(l); } };
  const getObjects = () => fromList(vm.check(raw.gc_get_objects(h, -1)));
  const edges = (fnName) => (o) => {
    const p = raw.obj_scratch(h);
    raw.writeU32s(p, [o]);
    return fnName === 'referents' ? vm.check(raw.gc_get_referents(h, p, 1)) : vm.check(raw.gc_get_referrers(h, p, 1, 0));
  };
  const referents = edges('referents'), referrers = edges('referrers');
  const collect = () => { vm.checkStatus(raw.gc_collect(h, 2)); };
  /** The objects argument (a sequence) or gc.get_objects(), as new references. */
  const objectsArg = (objects) => (isNone(objects) ? getObjects() : itemsOf(objects));

  const shortName = (o) => vm.typeName(o);
  const longName = (o) => {
    const t = raw.vm_type(o);
    const name = vm.typeName(o);
    if (vm.typeAddr.has(t)) return `builtins.${name}`;   // a built-in type's __module__
    const m = c.attr(t, '__module__');
    if (!m) return name;
    try { return vm.typeId(m) === T.str && vm.text(m) ? `${vm.text(m)}.${name}` : name; } finally { vm.decref(m); }
  };
  const namer = (shortnames) => (shortnames === undefined || vm.truth(shortnames) ? shortName : longName);
  const callPred = (fn, o) => {
    if (isProperModuleFn && fn === isProperModuleFn) return isProperModule(o);
    const r = vm.callObject(vm.incref(fn), [vm.incref(o)], 0);
    try { return vm.truth(r); } finally { vm.decref(r); }
  };
  const write = (file, text) => {
    if (isNone(file)) { vm.out(text); return; }
    const w = c.attr(file, 'write');
    if (!w) throw err('AttributeError', `'${vm.typeName(file)}' object has no attribute 'write'`);
    vm.decref(vm.callObject(w, [vm.newStr(text)], 0));
  };
  const isModule = (o) => vm.typeName(o) === 'module';
  const isProperModule = (o) => {
    if (!isModule(o)) return false;
    const n = c.attrJs(o, '__name__');
    return typeof n === 'string' && vm.modules.get(n) === o;
  };

  /** typestats as a JS Map name -> count, in gc.get_objects() order. */
  const typestats = (objects, shortnames, filter) => {
    const objs = objectsArg(objects);
    const name = namer(shortnames);
    const stats = new Map();
    try {
      for (const o of objs) {
        if (filter && !isNone(filter) && !callPred(filter, o)) continue;
        const n = name(o);
        stats.set(n, (stats.get(n) ?? 0) + 1);
      }
    } finally { release(objs); }
    return stats;
  };
  const mostCommon = (limit, objects, shortnames, filter) => {
    let stats = [...typestats(objects, shortnames, filter)].sort((a, b) => b[1] - a[1]);
    if (limit) stats = stats.slice(0, limit);
    return stats;
  };
  const growth = (limit, peak, shortnames, filter) => {
    collect();
    const stats = typestats(undefined, shortnames, filter);
    const deltas = [];
    for (const [n, count] of stats) {
      const old = peak.get(n);
      if (count > old) { deltas.push([n, count - old]); peak.set(n, count); }
    }
    deltas.sort((a, b) => b[1] - a[1]);
    return (limit ? deltas.slice(0, limit) : deltas).map(([n, d]) => [n, stats.get(n), d]);
  };
  /** A Python dict used as peak_stats, viewed as a Map (get/set write through). */
  const dictMap = (d) => ({
    get: (k) => {
      const v = raw.dict_getitem(h, d, vm.str(k));
      if (!v) { return 0; }
      try { return toInt(v); } finally { vm.decref(v); }
    },
    set: (k, v) => { const o = vm.newInt(v); raw.dict_setitem(h, d, vm.str(k), o); vm.decref(o); },
  });
  const peakOf = (p) => (isNone(p) ? { get: (k) => peakStats.get(k) ?? 0, set: (k, v) => peakStats.set(k, v) } : dictMap(p));
  const lim = (o, d) => (o === undefined ? d : isNone(o) ? 0 : toInt(o));

  // ---- chains and graphs
  const idsOfSeq = (seq) => {
    if (seq === undefined || isNone(seq)) return [];
    const items = itemsOf(seq);
    try { return items.map((x) => (vm.typeId(x) === T.int ? raw.vm_int_value(h, x) : x)); } finally { release(items); }
  };
  /** _find_chain: a JS array of new references, target first. */
  const findChain = (obj, predicate, edgeFn, maxDepth, extraIgnore) => {
    const ignore = new Set(extraIgnore);
    const queue = [vm.incref(obj)];
    const depth = new Map([[obj, 0]]);
    const parent = new Map([[obj, 0]]);
    const held = [...queue];
    collect();
    try {
      while (queue.length) {
        const target = queue.shift();
        if (callPred(predicate, target)) {
          const chain = [target];
          let t = target;
          while (parent.get(t)) { t = parent.get(t); chain.push(t); }
          return chain.map((x) => vm.incref(x));
        }
        const td = depth.get(target);
        if (td < maxDepth) {
          const l = edgeFn(target);
          ignore.add(l);
          const srcs = itemsOf(l);
          held.push(l);
          for (const s of srcs) {
            held.push(s);
            if (ignore.has(s) || depth.has(s)) continue;
            depth.set(s, td + 1);
            parent.set(s, target);
            queue.push(s);
          }
        }
      }
      return [vm.incref(obj)];
    } finally { release(held); }
  };

  const shortRepr = (o) => {
    const tid = vm.typeId(o);
    const name = vm.typeName(o);
    if (tid === T.type || isModule(o) || name === 'builtin_function_or_method') {
      const n = c.attrJs(o, '__name__');
      return typeof n === 'string' ? n : vm.toRepr(o).slice(0, 40);
    }
    if (tid === T.method) {
      const f = vm.check(raw.method_get(h, o, 0));
      try { return `${c.attrJs(f, '__name__') ?? vm.toRepr(f).slice(0, 40)} (bound)`; } finally { vm.decref(f); }
    }
    if (tid === T.function && c.attrJs(o, '__name__') === '<lambda>') {
      const code = vm.funcCode(o);
      return `lambda: ${String(code.filename ?? vm.filename).split('/').pop()}:${code.firstlineno}`;
    }
    if ([T.tuple, T.list, T.dict, T.set].includes(tid)) return `${raw.obj_len(h, o)} items`;
    return [...vm.toRepr(o)].slice(0, 40).join('');
  };
  const safeRepr = (o) => {
    try { return shortRepr(o); } catch (e) {
      if (e instanceof Error) throw e;
      if (e && e.exc) vm.decref(e.exc);
      return '(unrepresentable)';
    }
  };
  const label = (o, extraInfo, refcounts, name) => {
    const parts = [name(o)];
    if (refcounts) parts[0] += ` [${raw.vm_refcnt(o) - 4}]`;
    parts.push(safeRepr(o));
    if (extraInfo && !isNone(extraInfo)) {
      const r = vm.callObject(vm.incref(extraInfo), [vm.incref(o)], 0);
      parts.push(vm.toStr(r));
      vm.decref(r);
    }
    return quote(parts.join('\n'));
  };
  const FUNC_ATTRS = [['__annotations__', 11], ['__builtins__', 2], ['__closure__', 7], ['__code__', 0],
    ['__defaults__', 5], ['__dict__', 9], ['__doc__', 8], ['__globals__', 1], ['__kwdefaults__', 6],
    ['__module__', 10], ['__name__', 3], ['__qualname__', 4]];
  const edgeLabel = (src, tgt, name) => {
    if (vm.typeId(tgt) === T.dict && vm.typeId(src) !== T.type) {
      const d = raw.instance_dict(h, src);
      if (d) { vm.decref(d); if (d === tgt) return ' [label="__dict__",weight=10]'; } else raw.exc_kind(h);
    }
    if (vm.typeId(src) === T.method) {
      for (const [lab, i] of [['__self__', 1], ['__func__', 0]]) {
        const v = vm.check(raw.method_get(h, src, i));
        vm.decref(v);
        if (v === tgt) return ` [label="${lab}",weight=10]`;
      }
    }
    if (vm.typeId(src) === T.function) {
      for (const [k, i] of FUNC_ATTRS) {
        const v = raw.func_get(h, src, i);
        if (!v) continue;
        vm.decref(v);
        if (v === tgt) return ` [label="${quote(k)}",weight=10]`;
      }
    }
    if (vm.typeId(src) === T.dict) {
      for (const k of vm.keysOf(src)) {
        const v = raw.dict_getitem(h, src, k);
        vm.decref(v);
        try {
          if (v === tgt) {
            if (vm.typeId(k) === T.str && /^[a-zA-Z_][a-zA-Z_0-9]*$/.test(vm.text(k))) return ` [label="${quote(vm.text(k))}",weight=2]`;
            return ` [label="${quote(`${name(k)}\n${safeRepr(k)}`)}"]`;
          }
        } finally { vm.decref(k); }
      }
    }
    return '';
  };
  const nodeId = (o) => `o${o}`;

  /** _show_graph: returns the DOT text and the node count. */
  const graph = (objs, edgeFn, swap, o) => {
    const name = namer(o.shortnames);
    let out = 'digraph ObjectGraph {\n  node[shape=box, style=filled, fillcolor=white];\n';
    const queue = [], depth = new Map(), held = [];
    const ignore = new Set(o.extraIgnore);
    ignore.add(o.objsAddr);
    for (const x of o.objs) {
      out += `  ${nodeId(x)}[fontcolor=red];\n`;
      depth.set(x, 0);
      queue.push(x);
    }
    collect();
    let nodes = 0;
    try {
      while (queue.length) {
        nodes++;
        const target = queue.shift();
        const td = depth.get(target);
        let attrs = '';
        if (o.extraNodeAttrs && !isNone(o.extraNodeAttrs)) {
          const r = vm.callObject(vm.incref(o.extraNodeAttrs), [vm.incref(target)], 0);
          const keys = vm.keysOf(r).map((k) => { const t = vm.toStr(k); vm.decref(k); return t; }).sort();
          const parts = [];
          for (const k of keys) {
            const v = vm.check(raw.dict_getitem(h, r, vm.str(k)));
            if (v !== vm.none) parts.push(`${k}="${quote(vm.toStr(v))}"`);
            vm.decref(v);
          }
          vm.decref(r);
          attrs = `, ${parts.join(', ')}`;
        }
        out += `  ${nodeId(target)}[label="${label(target, o.extraInfo, o.refcounts, name)}"${attrs}];\n`;
        let [hh, s, v] = gradient([0, 0, 1], [0, 0, 0.3], td, o.maxDepth);
        if (isModule(target)) { hh = 0.3; s = 1; }
        if (o.highlight && !isNone(o.highlight) && callPred(o.highlight, target)) { hh = 0.6; s = 0.6; v = 0.5 + v * 0.5; }
        out += `  ${nodeId(target)}[fillcolor="${formatG(hh)},${formatG(s)},${formatG(v)}"];\n`;
        if (v < 0.5) out += `  ${nodeId(target)}[fontcolor=white];\n`;
        if (vm.typeId(target) === USER_TYPE && vm.lookupSpecial(target, '__del__')) {
          out += `  ${nodeId(target)}->${nodeId(target)}_has_a_del[color=red,style=dotted,len=0.25,weight=10];\n`;
          out += `  ${nodeId(target)}_has_a_del[label="__del__",shape=doublecircle,height=0.25,color=red,fillcolor="0,.5,1",fontsize=6];\n`;
        }
        if (td >= o.maxDepth) continue;
        if (o.cull && o.cull(target)) continue;
        const l = edgeFn(target);
        held.push(l);
        ignore.add(l);
        const neighbours = itemsOf(l);
        held.push(...neighbours);
        let n = 0, skipped = 0;
        for (const src of neighbours) {
          if (ignore.has(src)) continue;
          if (o.filter && !isNone(o.filter) && !callPred(o.filter, src)) continue;
          if (n >= o.tooMany) { skipped++; continue; }
          const [a, b] = swap ? [target, src] : [src, target];
          out += `  ${nodeId(a)} -> ${nodeId(b)}${edgeLabel(a, b, name)};\n`;
          if (!depth.has(src)) { depth.set(src, td + 1); queue.push(src); }
          n++;
        }
        if (skipped > 0) {
          const [gh, gs, gv] = gradient([0, 1, 1], [0, 1, 0.3], td + 1, o.maxDepth);
          const t = nodeId(target);
          const [lab, edge] = swap ? [`${skipped} more references`, `${t}->too_many_${t}`]
            : [`${skipped} more backreferences`, `too_many_${t}->${t}`];
          out += `  ${edge}[color=red,style=dotted,len=0.25,weight=10];\n`;
          out += `  too_many_${t}[label="${lab}",shape=box,height=0.25,color=red,fillcolor="${formatG(gh)},${formatG(gs)},${formatG(gv)}",fontsize=6];\n`;
          out += `  too_many_${t}[fontcolor=white];\n`;
        }
      }
    } finally { release(held); }
    return { text: `${out}}\n`, nodes };
  };

  /** show_refs / show_backrefs: writes the graph where objgraph would and prints its messages. */
  const showGraph = (args, kw, edgeFn, swap, cull) => {
    const A = (i, n) => arg(args, kw, i, n);
    const objsArg = A(0, 'objs');
    if (objsArg === undefined) throw err('TypeError', "missing required argument 'objs'");
    const seq = [T.list, T.tuple].includes(vm.typeId(objsArg));
    const objs = seq ? itemsOf(objsArg) : [vm.incref(objsArg)];
    const filename = A(6, 'filename'), output = A(10, 'output');
    const str = (x) => (x === undefined || isNone(x) ? '' : vm.text(x));
    const fname = str(filename);
    if (fname && output !== undefined && !isNone(output)) throw err('ValueError', 'Cannot specify both output and filename.');
    const filterArg = A(3, 'filter');
    const filterFn = filterArg && !isNone(filterArg) ? filterArg : undefined;
    try {
      const { text, nodes } = graph(objs, edgeFn, swap, {
        objs, objsAddr: objsArg, maxDepth: lim(A(1, 'max_depth'), 3), extraIgnore: idsOfSeq(A(2, 'extra_ignore')),
        filter: filterFn, tooMany: lim(A(4, 'too_many'), 10), highlight: A(5, 'highlight'),
        extraInfo: A(7, 'extra_info'), refcounts: vm.truth(A(8, 'refcounts') ?? vm.false_),
        shortnames: A(9, 'shortnames'), extraNodeAttrs: A(11, 'extra_node_attrs'), cull,
      });
      if (output !== undefined && !isNone(output)) { write(output, text); return vm.incref(vm.none); }
      const dotName = fname.endsWith('.dot') ? fname : `/tmp/objgraph-${++tmpCount}.dot`;
      vm.files.set(dotName, text);
      vm.out(`Graph written to ${dotName} (${nodes} nodes)\n`);
      if (fname !== dotName) {
        vm.out(fname ? 'Image renderer (dot) not found, not doing anything else\n'
          : 'Graph viewer (xdot) and image renderer (dot) not found, not doing anything else\n');
      }
      return vm.incref(vm.none);
    } finally { release(objs); }
  };

  const exports = {
    count: (args, kw) => {
      const typename = vm.text(arg(args, kw, 0, 'typename'));
      const objs = objectsArg(arg(args, kw, 1, 'objects'));
      const name = typename.includes('.') ? longName : shortName;
      try { return vm.newInt(objs.filter((o) => name(o) === typename).length); } finally { release(objs); }
    },
    typestats: (args, kw) => {
      const stats = typestats(arg(args, kw, 0, 'objects'), arg(args, kw, 1, 'shortnames'), arg(args, kw, 2, 'filter'));
      const d = vm.check(raw.dict_new(h));
      for (const [k, v] of stats) { const o = vm.newInt(v); raw.dict_setitem(h, d, vm.str(k), o); vm.decref(o); }
      return d;
    },
    most_common_types: (args, kw) => listOf(mostCommon(lim(arg(args, kw, 0, 'limit'), 10), arg(args, kw, 1, 'objects'),
      arg(args, kw, 2, 'shortnames'), arg(args, kw, 3, 'filter')).map(([n, k]) => tupleOf([vm.newStr(n), vm.newInt(k)]))),
    show_most_common_types: (args, kw) => {
      const stats = mostCommon(lim(arg(args, kw, 0, 'limit'), 10), arg(args, kw, 1, 'objects'),
        arg(args, kw, 2, 'shortnames'), arg(args, kw, 4, 'filter'));
      if (!stats.length) throw err('ValueError', 'max() arg is an empty sequence');
      const width = Math.max(...stats.map(([n]) => n.length));
      write(arg(args, kw, 3, 'file'), stats.map(([n, k]) => `${n.padEnd(width)} ${k}\n`).join(''));
      return vm.incref(vm.none);
    },
    growth: (args, kw) => {
      const r = growth(lim(arg(args, kw, 0, 'limit'), 10), peakOf(arg(args, kw, 1, 'peak_stats') ?? vm.none),
        arg(args, kw, 2, 'shortnames'), arg(args, kw, 3, 'filter'));
      return listOf(r.map(([n, k, d]) => tupleOf([vm.newStr(n), vm.newInt(k), vm.newInt(d)])));
    },
    show_growth: (args, kw) => {
      const r = growth(lim(arg(args, kw, 0, 'limit'), 10), peakOf(arg(args, kw, 1, 'peak_stats') ?? vm.none),
        arg(args, kw, 2, 'shortnames'), arg(args, kw, 4, 'filter'));
      if (r.length) {
        const width = Math.max(...r.map(([n]) => n.length));
        const sgn = (d) => (d >= 0 ? `+${d}` : String(d));
        write(arg(args, kw, 3, 'file'), r.map(([n, k, d]) => `${n.padEnd(width)}${String(k).padStart(9)} ${sgn(d).padStart(9)}\n`).join(''));
      }
      return vm.incref(vm.none);
    },
    get_new_ids: (args, kw) => {
      const skipUpdate = vm.truth(arg(args, kw, 0, 'skip_update') ?? vm.false_);
      const limit = lim(arg(args, kw, 1, 'limit'), 10);
      const sortbyO = arg(args, kw, 2, 'sortby');
      const sortby = sortbyO === undefined ? 'deltas' : vm.text(sortbyO);
      const shortnames = arg(args, kw, 3, 'shortnames');
      const file = arg(args, kw, 4, 'file');
      const name = namer(shortnames === undefined || isNone(shortnames) ? vm.true_ : shortnames);
      collect();
      const now = new Map();
      const objs = getObjects();
      try { for (const o of objs) { const n = name(o); if (!now.has(n)) now.set(n, new Set()); now.get(n).add(o); } } finally { release(objs); }
      const rows = [];
      const newIds = new Map();
      for (const [n, ids] of now) {
        const old = newIdsState.get(n) ?? new Set();
        const added = new Set([...ids].filter((i) => !old.has(i)));
        newIds.set(n, added);
        rows.push([n, old.size, ids.size, added.size, ids.size - old.size]);
      }
      for (const [n, old] of newIdsState) if (!now.has(n)) { newIds.set(n, new Set()); rows.push([n, old.size, 0, 0, -old.size]); }
      const col = { old: 1, current: 2, new: 3, deltas: 4 }[sortby] ?? 4;
      rows.sort((a, b) => b[col] - a[col]);
      const shown = rows.filter((r) => r[3] || r[4]).slice(0, limit || undefined);
      if (shown.length) {
        const width = Math.max(...shown.map((r) => r[0].length));
        const rule = `${'='.repeat(width + 52)}\n`;
        const sg = (d) => (d >= 0 ? `+${d}` : String(d));
        let out = rule + `${'Type'.padEnd(width)}${'Old_ids'.padStart(13)}${'Current_ids'.padStart(13)}${'New_ids'.padStart(13)}${'Count_Deltas'.padStart(13)}\n` + rule;
        for (const [n, o, cur, nw, d] of shown) out += `${n.padEnd(width)}${String(o).padStart(13)}${String(cur).padStart(13)}${sg(nw).padStart(13)}${sg(d).padStart(13)}\n`;
        write(file, out + rule);
      }
      if (!skipUpdate) { newIdsState.clear(); for (const [n, ids] of now) newIdsState.set(n, ids); }
      const d = vm.check(raw.dict_new(h));
      for (const [n, ids] of newIds) {
        const items = [...ids].map((i) => vm.newInt(i));
        const p = raw.obj_scratch(h);
        raw.writeU32s(p, items);
        const s = vm.check(raw.set_new(h, p, items.length, 0));
        release(items);
        raw.dict_setitem(h, d, vm.str(n), s);
        vm.decref(s);
      }
      return d;
    },
    get_leaking_objects: (args, kw) => {
      const objects = arg(args, kw, 0, 'objects');
      if (objects === undefined || isNone(objects)) collect();
      const objs = objectsArg(objects);
      try {
        const ids = new Set(objs);
        for (const o of objs) for (const r of fromList(referents(o))) { ids.delete(r); vm.decref(r); }
        return listOf(objs.filter((o) => ids.has(o)).map((o) => vm.incref(o)));
      } finally { release(objs); }
    },
    by_type: (args, kw) => {
      const typename = vm.text(arg(args, kw, 0, 'typename'));
      const name = typename.includes('.') ? longName : shortName;
      const objs = objectsArg(arg(args, kw, 1, 'objects'));
      try { return listOf(objs.filter((o) => name(o) === typename).map((o) => vm.incref(o))); } finally { release(objs); }
    },
    find_ref_chain: (args, kw) => listOf(findChain(arg(args, kw, 0, 'obj'), arg(args, kw, 1, 'predicate'), referents,
      lim(arg(args, kw, 2, 'max_depth'), 20), idsOfSeq(arg(args, kw, 3, 'extra_ignore'))).reverse()),
    find_backref_chain: (args, kw) => listOf(findChain(arg(args, kw, 0, 'obj'), arg(args, kw, 1, 'predicate'), referrers,
      lim(arg(args, kw, 2, 'max_depth'), 20), idsOfSeq(arg(args, kw, 3, 'extra_ignore')))),
    show_refs: (args, kw) => showGraph(args, kw, referents, true, null),
    show_backrefs: (args, kw) => showGraph(args, kw, referrers, false, isProperModule),
    show_chain: (args, kw) => {
      const npos = args.length - kw.length;
      const chains = args.slice(0, npos).map(itemsOf).filter((ch) => ch.length);
      const kwd = Object.fromEntries(kw.map((k, i) => [k, args[npos + i]]));
      const backrefs = kwd.backrefs === undefined || vm.truth(kwd.backrefs);
      const inChains = new Set(chains.flat());
      const maxDepth = Math.max(...chains.map((ch) => ch.length)) - 1;
      const ends = chains.map((ch) => (backrefs ? ch[ch.length - 1] : ch[0]));
      const objs = vm.list(ends);
      const restKw = kw.filter((k) => k !== 'backrefs');
      const md = vm.newInt(maxDepth);
      const filt = vm.lib.makeFn((a) => vm.bool(inChains.has(a[0])));
      try {
        const names = ['max_depth', 'filter', ...restKw];
        const values = [md, filt, ...restKw.map((k) => kwd[k])];
        const fake = [objs, ...values];
        return showGraph(fake, names, backrefs ? referrers : referents, !backrefs, backrefs ? isProperModule : null);
      } finally {
        vm.decref(objs); vm.decref(md); vm.decref(filt);
        for (const ch of chains) release(ch);
      }
    },
    is_proper_module: (args) => vm.bool(isProperModule(args[0])),
  };

  // __main__ as a module object whose __dict__ is the program's globals (as
  // sys.modules['__main__'] in CPython): reference chains end at a module
  if (!vm.modules.has('__main__')) {
    const main = vm.lib.module('__main__', {});
    vm.checkStatus(raw.vm_setattr(h, main, vm.str('__dict__'), vm.globals));
  }
  const made = libraryModule(vm, { name: 'objgraph', filename: FILENAME, source: MODULE_SOURCE, privateName: '_og', fns: {}, exports });
  isProperModuleFn = c.attr(made.mod, 'is_proper_module');
  vm.decref(isProperModuleFn);   // borrowed: the module holds it
  return made.mod;
}
