// index.js — the public surface of the pyheap package.
//
//   import { createHeap } from 'pyheap';
//   const heap = await createHeap({ limit: 64 << 20 });
//   const p = heap.malloc(24);          // PyObject_Malloc(24): a 32-byte pymalloc block
//   heap.free(p);
//   console.log(heap.debugmallocstats());
//   heap.dispose();
//
// Everything is documented in index.d.ts.

export { load } from './load.js';
export { Heap, createHeap, createHeapSync } from './heap.js';
export { PyheapError } from './errors.js';
export { PMW_VERSION as WASM_API_VERSION } from './raw.js';
