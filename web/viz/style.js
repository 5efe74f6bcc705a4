// style.js — colours and sizes the views share (one legend for every view).
import { schemeTableau10 } from 'd3-scale-chromatic';
import { genClass } from './model.js';

const [blue, orange, , , green, , purple, , brown, grey] = schemeTableau10;

/** Fill per genClass(): generations by colour, neutral for objects the collector does not track. */
export const GEN_COLORS = Object.freeze({
  gen0: blue,
  gen1: orange,
  gen2: green,
  permanent: brown,
  untracked: purple,   // a GC type the collector stopped tracking (atomic tuple/dict)
  nogc: grey,          // int, str, float...: no GC head at all
  immortal: '#c9ced6',
});

export const GEN_LABELS = Object.freeze({
  gen0: 'generation 0',
  gen1: 'generation 1',
  gen2: 'generation 2',
  permanent: 'permanent (gc.freeze)',
  untracked: 'GC type, untracked',
  nogc: 'not a GC object',
  immortal: 'immortal',
});

/** The colour key of an object: genClass, with 'nogc' split off 'untracked'. */
export function colorKey(o) {
  const c = genClass(o);
  return c === 'untracked' && !o.gcType ? 'nogc' : c;
}

export const UNREACHABLE = '#d62728';
export const NAME_FILL = '#1d2b3a';
export const EDGE = '#8a94a3';
export const HIGHLIGHT = '#e8590c';

/** Node radius in graph units from sys.getsizeof. */
export function radiusOf(o) {
  if (o.immortal) return 3.5;
  return Math.min(16, 4 + 2.2 * Math.sqrt(o.size / 16));
}

/** The size class (0..31) colours of the allocator map: a cyclic scheme so neighbours differ. */
export function classColor(szidx) {
  return `hsl(${(szidx * 47) % 360} 62% 50%)`;
}

const EN = new Intl.NumberFormat('en');
/** A count with thousands separators, as n.toLocaleString('en') writes it (one formatter made once:
 * toLocaleString makes one per call, ~20 µs each, and the panels write a dozen counts a step). */
export const count = (n) => EN.format(n);

/** 1234567 -> "1.2 MiB" */
export function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KiB`;
  return `${(n / 1048576).toFixed(n < 10485760 ? 2 : 1)} MiB`;
}

export const hex = (id) => `0x${id.toString(16)}`;

/** Add viz.css to the page once (resolved next to this module, bundled or not). */
export function ensureStyles(doc = globalThis.document) {
  if (!doc || doc.querySelector('link[data-pyheap-viz]')) return;
  const link = doc.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL('../viz/viz.css', import.meta.url).href;
  link.dataset.pyheapViz = '';
  doc.head.append(link);
}
