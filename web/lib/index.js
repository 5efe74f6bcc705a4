// index.js — the public surface of the pyheap package.
//
//   import { createHeap } from 'pyheap';
//   const heap = await createHeap({ limit: 64 << 20 });
//   const p = heap.malloc(24);          // PyObject_Malloc(24): a 32-byte pymalloc block
//   heap.free(p);
//   const l = heap.list([1, 2]);        // a list in the heap; the handle owns one reference
//   l.append('three');                  // JS values become temporary objects
//   console.log(l.repr(), l.refcount);  // [1, 2, 'three'] 1
//   l.release();                        // the list is freed with its last reference
//   console.log(heap.debugmallocstats());
//   heap.dispose();
//
//   import { run, createSession } from 'pyheap';
//   const { stdout, stderr, status } = await run('print(1 + 1)\n');   // '2\n', '', 0
//   const s = await createSession(source);   // s.step(), s.back(), s.snapshot(), s.heap
//
// Everything is documented in index.d.ts (and docs/API.md).

export { load } from './load.js';
export { Heap, createHeap, createHeapSync, viewHeap } from './heap.js';
export { PyheapError } from './errors.js';
export { run, createSession, ProgramSession } from './program.js';
export {
  PyObject, PyNone, PyInt, PyBool, PyFloat, PyStr, PyBytes, PyTuple, PyList, PyDict, PySet, PyFrozenSet,
  PyType, PyInstance, PyCode, PyFunction, PyCell, PyMethod, PyGenerator, PyWeakref, PyProxy, PyIterator,
} from './objects.js';
export { PMW_VERSION as WASM_API_VERSION } from './raw.js';
export {
  Snapshot, Statistic, StatisticDiff, Trace, Traces, Traceback, Frame, Filter, DomainFilter, formatSize, snapshotOf,
} from './tracemalloc.js';

/** The CPython version whose memory behaviour the model reproduces (64-bit build). */
export const PYTHON_VERSION = '3.12';
