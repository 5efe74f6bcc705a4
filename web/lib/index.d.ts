// index.d.ts — hand-written typings for the public surface of pyheap.
// (emscripten 3.1.6 cannot emit TypeScript definitions; keep this file in
// step with web/lib/*.js.)

/** An address in the module's linear memory (a u32 byte offset). */
export type Pointer = number;

/** Where the WebAssembly module comes from. */
export type WasmSource =
  | string            // URL, or (in Node) a file path
  | URL
  | ArrayBuffer
  | ArrayBufferView   // e.g. a Uint8Array of the .wasm bytes
  | Response
  | WebAssembly.Module;

export interface LoadOptions {
  /** Default: `web/gen/pyheap.wasm` next to this library (`pyheap.debug.wasm` with `debug`). */
  wasm?: WasmSource;
  /** Use the debug build (invariant checks available, fills with 0xCD/0xDD). */
  debug?: boolean;
}

/** A loaded module (one WebAssembly instance). Opaque apart from these fields. */
export interface PyheapModule {
  /** The module's API version (PMW_VERSION); equals WASM_API_VERSION. */
  readonly version: number;
  /** Whether this is the debug build. */
  readonly debug: boolean;
  /** Where the module was loaded from, for messages. */
  readonly source: string;
}

/**
 * Load the module once. Memoized per source: concurrent and repeated calls
 * share one promise; a failed load is forgotten so it can be retried.
 * Rejects with PyheapError code 'ELOAD' (file missing, not wasm, an import
 * the loader does not provide, exports missing) or 'EVERSION'.
 */
export function load(options?: LoadOptions): Promise<PyheapModule>;

export interface HeapOptions {
  /** Bytes of page memory (arenas and raw segments) the heap may hold; 0, null or Infinity: no limit. */
  limit?: number | null;
  /** Run the core's invariant checker after every mutating call. Default: `debug`. */
  debugChecks?: boolean;
}

export interface CreateHeapOptions extends HeapOptions, LoadOptions {}

/** Create a heap, loading the module first if needed. */
export function createHeap(options?: CreateHeapOptions): Promise<Heap>;

/** Create a heap on a module already returned by load(). */
export function createHeapSync(module: PyheapModule, options?: HeapOptions): Heap;

/** PMW_VERSION this library expects of the wasm module. */
export const WASM_API_VERSION: number;

/** One of CPython's allocator domains (PyMem_Raw*, PyMem_*, PyObject_*). */
export interface Allocator {
  readonly domain: 'raw' | 'mem' | 'obj';
  /** A block of at least n bytes (malloc(0) is legal and returns a pointer). Throws ENOMEM. */
  malloc(n: number): Pointer;
  /** A zeroed block of nelem*elsize bytes. Throws ENOMEM (also on overflow). */
  calloc(nelem: number, elsize: number): Pointer;
  /**
   * CPython's realloc: p == 0 acts as malloc; a pymalloc block is kept when
   * shrinking by less than 25%, else moved; raw blocks stay raw. On failure
   * p is still valid.
   */
  realloc(p: Pointer, n: number): Pointer;
  /** Release p; free(0) does nothing. Throws EBADPTR / EFREED / EDOMAIN for a bad pointer. */
  free(p: Pointer): void;
}

export type PointerKind =
  | 'null'
  | 'foreign'         // not inside anything this heap owns
  | 'block_live'      // start of an allocated pymalloc block
  | 'block_free'      // start of a pymalloc block that is not allocated
  | 'block_interior'  // inside an arena but not the start of a carved block
  | 'raw_live'        // start of a live raw-allocator block
  | 'raw_free'        // inside raw-allocator memory that is free (a freed raw block)
  | 'raw_interior';   // inside a live raw block or bookkeeping, not at a block start

/** pm_class_stats, one per size class. */
export interface ClassStats {
  /** Size class index 0..31. */
  index: number;
  /** Block size, (index + 1) * 16. */
  size: number;
  /** Used + full pools (the "num pools" column of _debugmallocstats). */
  numPools: number;
  poolsUsed: number;
  poolsFull: number;
  /** Empty pools still tagged with this class. */
  poolsEmpty: number;
  blocksInUse: number;
  /** capacity - count over used and full pools, never-carved blocks included. */
  availBlocks: number;
}

/** pm_heap_stats, decoded. */
export interface HeapStats {
  classes: ClassStats[];              // length 32
  ntimesArenaAllocated: number;       // "# arenas allocated total"
  narenasCurrentlyAllocated: number;  // "# arenas allocated current"
  narenasHighwater: number;           // "# arenas highwater mark"
  unusedPools: number;                // sum of nfreepools
  bytesInAllocatedBlocks: number;
  bytesInAvailableBlocks: number;
  bytesLostToPoolHeaders: number;
  bytesLostToQuantization: number;
  bytesLostToArenaAlignment: number;
  /** pymalloc requests forwarded to the raw allocator, alive. */
  rawAllocatedBlocks: number;
  /** Live raw blocks from any domain. */
  rawBlocks: number;
  /** Sum of the requested sizes of live raw blocks. */
  rawBytesRequested: number;
  /** Page-source bytes held. */
  footprint: number;
  arenaMapMidNodes: number;
  arenaMapBotNodes: number;
}

export type PoolState = 'unused' | 'empty' | 'used' | 'full';

export interface PoolInfo {
  /** Position from the arena's first pool. */
  index: number;
  address: Pointer;
  /** Size class, or null if the pool was never initialised. */
  szidx: number | null;
  /** Block size of szidx, 0 if none. */
  size: number;
  /** Blocks allocated. */
  count: number;
  /** Blocks per pool for szidx. */
  capacity: number;
  state: PoolState;
}

export interface ArenaInfo {
  /** Slot in the arenas vector. */
  index: number;
  address: Pointer;
  /** First 16 KiB-aligned pool. */
  firstPool: Pointer;
  nfreepools: number;
  ntotalpools: number;
  ncarved: number;
  /** Position in usable_arenas (0 = head), null if not there. */
  usableRank: number | null;
  pools: PoolInfo[];
}

/**
 * One heap of the core. Every method throws PyheapError code 'EDEAD' after
 * dispose() (or after the heap died of an invariant failure).
 */
export class Heap {
  private constructor();

  /** PyMem_RawMalloc & co. */
  readonly raw: Allocator;
  /** PyMem_Malloc & co. */
  readonly mem: Allocator;
  /** PyObject_Malloc & co.; also available directly on the heap. */
  readonly obj: Allocator;

  /** PyObject_Malloc. */
  malloc(n: number): Pointer;
  /** PyObject_Calloc. */
  calloc(nelem: number, elsize: number): Pointer;
  /** PyObject_Realloc. */
  realloc(p: Pointer, n: number): Pointer;
  /** PyObject_Free. */
  free(p: Pointer): void;

  classify(p: Pointer): PointerKind;
  /** Size class for pymalloc blocks, requested size for raw blocks, 0 otherwise. */
  blockSize(p: Pointer): number;
  /** Run the invariant checker: true, or throws ECORRUPT (the heap then dies). */
  check(): true;
  stats(): HeapStats;
  /** Mapped arenas with all their pools. */
  arenas(): ArenaInfo[];
  /** CPython 3.12's sys._debugmallocstats() report for this heap. */
  debugmallocstats(): string;

  /** Bytes of page memory the heap may hold; 0 = no limit. */
  readonly limit: number;
  /** Throws EINVAL if below the current footprint; 0 removes the limit. */
  setLimit(bytes: number): void;
  /** Bytes of page memory held now. */
  readonly footprint: number;

  /** True after dispose() or an invariant failure. */
  readonly disposed: boolean;
  /** Free the heap. Idempotent. */
  dispose(): void;
  [Symbol.dispose](): void;
}

export type PyheapErrorCode =
  | 'ENOMEM' | 'EINVAL' | 'EBUSY' | 'EBADPTR' | 'EFREED' | 'EDOMAIN' | 'ECORRUPT' | 'EDEAD'
  | 'ELOAD' | 'EVERSION' | 'EUNKNOWN';

export type PyheapErrorKind =
  | 'memory' | 'argument' | 'pointer' | 'state' | 'invariant' | 'load' | 'internal';

export class PyheapError extends Error {
  readonly name: 'PyheapError';
  readonly code: PyheapErrorCode;
  readonly kind: PyheapErrorKind;
  /** The core's pm_status, when the error came from the core. */
  readonly status?: number;
  /** The operation, e.g. 'obj.free'. */
  readonly op?: string;
  /** The pointer involved, if any. */
  readonly ptr?: Pointer;
  /** The core's own message, if any. */
  readonly detail?: string;
}
