// alloc.js — the allocator page: drives a Heap from the buttons and redraws
// the allocator map (web/viz/arenas.js: arenas, pools, fragmentation figures,
// _debugmallocstats on demand) after every action. Bundled to web/gen/alloc.js.
import { createHeap } from '../lib/index.js';
import { ArenaMap } from '../viz/arenas.js';

const $ = (id) => document.getElementById(id);
let heap = await createHeap();
const map = new ArenaMap($('arenas'), { debugText: () => heap.debugmallocstats() });
let live = [];
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);   // seeded: same clicks, same picture

function act(fn) {
  $('status').textContent = '';
  try { fn(); } catch (e) { $('status').textContent = `${e.code ?? 'error'}: ${e.message}`; }
  draw();
}

$('alloc').onclick = () => act(() => {
  const n = Number($('size').value), count = Number($('count').value);
  for (let i = 0; i < count; i++) live.push(heap.malloc(n));
});
$('freehalf').onclick = () => act(() => {
  const keep = [];
  for (const p of live) (rand() < 0.5 ? heap.free(p) : keep.push(p));
  live = keep;
});
$('freeall').onclick = () => act(() => { for (const p of live) heap.free(p); live = []; });
$('reset').onclick = async () => { heap.dispose(); heap = await createHeap(); live = []; seed = 12345; draw(); };

function draw() {
  const s = heap.stats();
  const cells = [
    ['live blocks', live.length],
    ['arenas mapped', s.narenasCurrentlyAllocated ?? s.narenas_currently_allocated],
    ['bytes in allocated blocks', s.bytesInAllocatedBlocks ?? s.bytes_in_allocated_blocks],
    ['footprint', heap.footprint],
  ];
  $('summary').replaceChildren(...cells.map(([k, v]) => {
    const d = document.createElement('div');
    const b = document.createElement('b'); b.textContent = Number(v).toLocaleString('en');
    d.append(b, k); return d;
  }));
  map.update(heap.arenas(), s);
  document.body.dataset.ready = '1';
}
// Start with a small mixed workload (request sizes in the proportions W1
// measured from CPython 3.12: mostly 24-72 bytes), then free a third of it,
// so the first view shows used, full and partly freed pools.
for (const [size, count] of [[32, 1300], [48, 1800], [56, 1100], [24, 400], [72, 390], [64, 360], [200, 100], [600, 5]]) {
  for (let i = 0; i < count; i++) live.push(heap.malloc(size));
}
live = live.filter((p) => (rand() < 1 / 3 ? (heap.free(p), false) : true));
draw();
