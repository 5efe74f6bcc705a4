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

/** A read-only view over a heap handle another owner (the interpreter's session) holds; dispose() only forgets it. */
export function viewHeap(module: PyheapModule, handle: number): Heap;

/** PMW_VERSION this library expects of the wasm module. */
export const WASM_API_VERSION: number;

/** The CPython version whose memory behaviour the model reproduces (its 64-bit build). */
export const PYTHON_VERSION: '3.12';

// ---- the interpreter (web/lib/program.js) -------------------------------------------------

/** What run() and createSession() share. */
export interface ProgramOptions extends LoadOptions {
  /** Shown in tracebacks and syntax errors. Default '<string>'. */
  filename?: string;
  /** Stop a runaway program after this many instructions (status 1, a "pyheap: stopped after N instructions" message). */
  maxInstructions?: number;
}

export interface RunOptions extends ProgramOptions {
  /** Called with each piece of stdout text as it is printed. */
  stdout?: (text: string) => void;
  /** Called with each piece of stderr text (tracebacks) as it is written. */
  stderr?: (text: string) => void;
}

/** What `python3.12 FILE` would have printed, and its exit status. */
export interface RunResult {
  stdout: string;
  stderr: string;
  /** 0; 1 for an uncaught exception (traceback in stderr); 2 for a construct the subset does not support; SystemExit's code. */
  status: number;
}

/** Run a Python program (the supported subset) on a fresh heap of the model. */
export function run(source: string, options?: RunOptions): Promise<RunResult>;

export interface SessionOptions extends ProgramOptions {
  /** New stdout text, each piece once (also across back() and replays). */
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
}

/** A frame of the paused program, innermost last. */
export interface SessionFrame {
  /** '<module>', or the function's / class body's name */
  name: string;
  line: number | null;
  /** local (or global) names bound to objects: name -> object id */
  names: Record<string, number>;
}

export interface SessionState {
  /** The program finished (status set) */
  done: boolean;
  /** The line about to run (null when done) */
  line: number | null;
  frames: SessionFrame[];
  /** Exit status once done, else null */
  status: number | null;
}

/** A name of a frame, as the heap graph's roots. */
export interface SessionName {
  /** a global's name, or `function.local` */
  name: string;
  id: number;
  /** the frame's name */
  frame: string;
}

export interface SessionSnapshot extends Snapshot {
  names: SessionName[];
}

export interface SliceOptions {
  /** Instructions per slice (default 1,000,000) */
  slice?: number;
  maxInstructions?: number;
}

/**
 * A program stepped line by line ('line' events as sys.settrace counts
 * them). Every move replays the program from the start on a fresh heap
 * (it is deterministic), so back() is exact and costs a replay.
 */
export class ProgramSession {
  private constructor();
  readonly source: string;
  /** Line events passed; 0 before the first step. */
  readonly position: number;
  readonly state: SessionState;
  /** stdout / stderr text printed up to the current position. */
  readonly stdout: string;
  readonly stderr: string;
  onStdout: ((text: string) => void) | null;
  onStderr: ((text: string) => void) | null;
  step(): SessionState;
  back(): SessionState;
  /** To line event n (0: back to the start). */
  goTo(n: number): SessionState;
  /** To the end, or maxSteps line events on. */
  run(options?: { maxSteps?: number; maxInstructions?: number }): SessionState;
  /** run() in slices, yielding to the event loop between them. */
  runSliced(options?: SliceOptions): Promise<SessionState>;
  /** Back to the start: no heap, no output. */
  reset(): SessionState;
  /**
   * The heap at the current position (null before the first step): every
   * reading method works (stats, arenas, snapshot, gc.getCount, ...). It is
   * a view of the session's heap: it throws EDEAD after the next move, and
   * dispose() on it only forgets it.
   */
  readonly heap: Heap | null;
  /** The object graph at this position with the frames' names as roots. */
  snapshot(): SessionSnapshot;
  /** Free the heap; the session is unusable afterwards. Idempotent. */
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Start a steppable run of a program (loads the module first if needed). */
export function createSession(source: string, options?: SessionOptions): Promise<ProgramSession>;

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
export interface SnapshotObject {
  /** id(obj): its address */
  id: number;
  /** type(obj).__name__ */
  type: string;
  /** address of the type object (stable key per type) */
  typeId: number;
  /** low 32 bits of ob_refcnt (4294967295 for immortals) */
  refcount: number;
  /** sys.getsizeof */
  size: number;
  /** generation, 'permanent' after gc.freeze(), null if not tracked */
  gen: 0 | 1 | 2 | 'permanent' | null;
  immortal: boolean;
  finalized: boolean;
  /** the type is a GC type (has a GC head), tracked or not */
  gcType: boolean;
  root: boolean;
  reachable: boolean;
  /** ids of the referenced objects, in traversal order */
  refs: number[];
  /** a live weakref's or proxy's referent (a weak reference: not in refs, not counted for reachable); absent otherwise */
  weakRefs?: number[];
}
export interface Snapshot { objects: SnapshotObject[] }
export interface SnapshotOptions {
  /**
   * An earlier snapshot of this heap: each object that reads the same now
   * (every field) is returned as the same SnapshotObject (read-only), so
   * successive snapshots share what did not change.
   */
  previous?: Snapshot | null;
}

export interface FreeListInfo { count: number; limit: number }
export interface FreeLists {
  float: FreeListInfo;
  list: FreeListInfo;
  dict: FreeListInfo;
  /** 8-slot str-keyed keys tables (3.12 keeps those only) */
  dictKeys: FreeListInfo;
  /** index 0 is length 1 ... index 19 is length 20 */
  tuple: Array<FreeListInfo & { length: number }>;
}
export interface HostHooks {
  finalize?: (obj: PyObject) => void;
  call?: (callable: PyObject, args: PyTuple) => void;
  error?: (error: unknown, kind: 'finalize' | 'call') => void;
}

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
  /**
   * The object graph from roots plus all tracked objects (read-only). Roots
   * are handles of this heap or object ids (a SnapshotObject's `id`; the
   * core checks each is a live object: EFREED / EINVAL otherwise).
   */
  snapshot(roots?: Iterable<PyObject | number>, options?: SnapshotOptions): Snapshot;
  /** The 3.12 object free lists: length and limit of each. */
  freeLists(): FreeLists;
  /**
   * Functions the core calls where CPython runs Python code: finalize(obj)
   * for __del__, call(callable, args) for weakref callbacks and gc.callbacks.
   * Handles are valid during the call only (dup() to keep). Exceptions go to
   * error(e, kind). Returns the previous hooks.
   */
  setHostHooks(hooks?: HostHooks): HostHooks;

  /** Bytes of page memory the heap may hold; 0 = no limit. */
  readonly limit: number;
  /** Throws EINVAL if below the current footprint; 0 removes the limit. */
  setLimit(bytes: number): void;
  /** Bytes of page memory held now. */
  readonly footprint: number;

  // ---- Python objects ----------------------------------------------------
  // Each of these returns a NEW handle owning one reference to the object
  // (like a Python name bound to it). Items, keys and values may be handles
  // of this heap or JS values (converted as by from(); a converted value is a
  // temporary that is released after the call, as a Python temporary is).

  /** int(v): from a JS integer (not 1.5), a BigInt or a string in Python's int() syntax (base 10). */
  int(v: number | bigint | string): PyInt;
  /** A float object. */
  float(v: number): PyFloat;
  /** A str with the text of s (decoded from UTF-8 by the core). EINVAL for lone surrogates. */
  str(s: string): PyStr;
  /** bytes from a Uint8Array (or any ArrayBufferView), an ArrayBuffer or an array of byte values. */
  bytes(data: ArrayBufferView | ArrayBuffer | readonly number[]): PyBytes;
  /** True or False (immortal). */
  bool(v: boolean): PyBool;
  /** (a, b, ...): BUILD_TUPLE of the items; () is the immortal empty tuple. */
  tuple(items?: Iterable<PyValue>): PyTuple;
  /** [a, b, ...]: BUILD_LIST of the items. */
  list(items?: Iterable<PyValue>): PyList;
  /** {} then d[k] = v for each entry. */
  dict(entries?: Map<PyValue, PyValue> | Iterable<readonly [PyValue, PyValue]> | Record<string, PyValue>): PyDict;
  /** {a, b, ...}: BUILD_SET (set() when empty). */
  set(items?: Iterable<PyValue>): PySet;
  /** frozenset of the items. */
  frozenset(items?: Iterable<PyValue>): PyFrozenSet;
  /** None (immortal). Each access returns a new handle. */
  readonly none: PyNone;
  /** True (immortal). Each access returns a new handle. */
  readonly true: PyBool;
  /** False (immortal). Each access returns a new handle. */
  readonly false: PyBool;
  /**
   * A new handle for a JS value: null/undefined -> None, boolean -> bool,
   * integral number -> int, other number -> float, bigint -> int, string ->
   * str, Uint8Array/ArrayBuffer -> bytes, array -> list, Map -> dict, Set ->
   * set, plain object -> dict with str keys, a handle of this heap -> dup().
   */
  from(value: PyValue): PyObject;

  // ---- classes, callables, weak references -------------------------------------

  /**
   * The class statement `class name(base): <dict>`: type(name, (base,), ns)
   * with the namespace the compiler builds (__module__, __qualname__, the
   * body's names, __slots__). Putting any object under '__del__' (in dict,
   * or later with cls.setattr) makes instances finalizable: the core calls
   * the finalize host hook for them.
   */
  class(name: string, options?: ClassOptions): PyType;
  /** A code object (PyUnstable_Code_New without bytecode). */
  code(options?: CodeOptions): PyCode;
  /**
   * MAKE_FUNCTION: a function of `code` in `globals` (a dict handle or a JS
   * object made into a dict). __name__ and __qualname__ come from the code
   * object; the builtins from options.builtins or globals['__builtins__']
   * (EPYTHON TypeError when neither is there: no frame runs).
   */
  function(code: PyCode, globals: PyValue, options?: FunctionOptions): PyFunction;
  /** types.CellType(v): a cell holding v (empty for undefined). */
  cell(v?: PyValue): PyCell;
  /** weakref.ref(obj, callback): EPYTHON TypeError for objects that cannot be weakly referenced. The callback is called through the call hook. */
  weakref(obj: PyObject, callback?: PyObject | null): PyWeakref;
  /** iter(obj) for list, tuple, str, bytes, range, dict, set, frozenset (or an iterator: itself); EPYTHON TypeError otherwise. */
  iter(obj: PyObject): PyIterator;
  /** weakref.proxy(obj, callback) (a CallableProxyType for functions, methods, classes and instances with __call__). */
  proxy(obj: PyObject, callback?: PyObject | null): PyProxy;
  /** weakref.getweakrefcount(obj) */
  getWeakrefCount(obj: PyObject): number;
  /** weakref.getweakrefs(obj): handles to its weak references and proxies. */
  getWeakrefs(obj: PyObject): PyObject[];
  /** The gc module of this heap. */
  readonly gc: GC;
  /** tracemalloc on this heap (made on first use). */
  readonly tracemalloc: Tracemalloc;
  /** The frame stack (for an interpreter; generators come from frames.returnGenerator). */
  readonly frames: Frames;

  /** True after dispose() or an invariant failure. */
  readonly disposed: boolean;
  /** Free the heap. Idempotent. */
  dispose(): void;
  [Symbol.dispose](): void;
}

export type PyheapErrorCode =
  | 'ENOMEM' | 'EINVAL' | 'EBUSY' | 'EBADPTR' | 'EFREED' | 'EDOMAIN' | 'ECORRUPT' | 'EDEAD'
  | 'EPYTHON'   // a Python exception raised by the core: see pyType / pyMessage
  | 'ESTALE'    // a released object handle, or one of a disposed or another heap
  | 'ELOAD' | 'EVERSION' | 'EUNKNOWN';

export type PyheapErrorKind =
  | 'memory' | 'argument' | 'pointer' | 'state' | 'invariant' | 'python' | 'load' | 'internal';

/** Exception types the core raises (pyType of an 'EPYTHON' / 'ENOMEM' error). */
export type PyExceptionType =
  | 'MemoryError' | 'TypeError' | 'ValueError' | 'KeyError' | 'IndexError' | 'OverflowError'
  | 'ZeroDivisionError' | 'AttributeError' | 'RuntimeError' | 'RecursionError'
  | 'UnicodeDecodeError' | 'UnicodeEncodeError' | 'ReferenceError';

/** What object methods accept as an argument: a handle of the same heap, or a JS value (see Heap.from). */
export type PyValue =
  | PyObject | null | undefined | boolean | number | bigint | string
  | ArrayBuffer | Uint8Array | readonly PyValue[] | Map<PyValue, PyValue> | Set<PyValue>
  | { readonly [key: string]: PyValue };

/** What toJS() returns. */
export type JSValue =
  | null | boolean | number | bigint | string | Uint8Array | JSValue[] | Map<JSValue, JSValue> | Set<JSValue>;

/**
 * A handle to one Python object in a heap. It owns one strong reference
 * (like a Python name) until release() or [Symbol.dispose](); a
 * FinalizationRegistry releases handles that are garbage-collected without
 * it (the debug build then warns with the type and id). Using a released
 * handle, one whose heap was disposed, or one of another heap throws
 * PyheapError code 'ESTALE'. Python exceptions throw code 'EPYTHON'.
 */
export class PyObject {
  /** Handles come from Heap methods and from other handles. */
  protected constructor();
  /** The heap the object lives in. */
  readonly heap: Heap;
  /** True once release() ran or the heap was disposed. */
  readonly released: boolean;
  /** id(obj): the object's address. */
  readonly id: Pointer;
  /** type(obj).__name__ */
  readonly typeName: string;
  /** The low 32 bits of ob_refcnt, as CPython 3.12's sys.getrefcount sees the header; 4294967295 for immortals. */
  readonly refcount: number;
  /** sys.getsizeof(obj) */
  readonly sizeof: number;
  /** repr(obj) */
  repr(): string;
  /** hash(obj); EPYTHON TypeError if unhashable. */
  hash(): bigint;
  /** obj == other */
  equals(other: PyValue): boolean;
  /** obj is other (false for a non-handle or a handle of another heap). */
  is(other: unknown): boolean;
  /** len(obj); EPYTHON TypeError for objects without a length. */
  len(): number;
  /**
   * The object as a JS value: None -> null, bool -> boolean, int -> number
   * (bigint beyond Number.MAX_SAFE_INTEGER), float -> number, str -> string,
   * bytes -> Uint8Array (a copy), tuple/list -> array, dict -> Map,
   * set/frozenset -> Set, items converted recursively. EINVAL for other
   * objects and for a container that contains itself.
   */
  toJS(): JSValue;
  /** getattr(obj, name): a new handle; EPYTHON AttributeError with CPython's message when missing. */
  getattr(name: string | PyStr): PyObject;
  /** setattr(obj, name, value) (on a class: '__del__' turns finalization of its instances on or off). */
  setattr(name: string | PyStr, value: PyValue): void;
  /** delattr(obj, name) */
  delattr(name: string | PyStr): void;
  /** hasattr(obj, name): false on AttributeError. */
  hasattr(name: string | PyStr): boolean;
  /** A new handle to the same object (one more reference). */
  dup(): this;
  /** Drop the handle's reference: true; false if the heap is already disposed. ESTALE when already released. */
  release(): boolean;
  /** release(), doing nothing when already released or the heap is gone. */
  [Symbol.dispose](): void;
}

export class PyNone extends PyObject { toJS(): null; }
export class PyInt extends PyObject { toJS(): number | bigint; }
/** bool: Python's bool is an int subclass, but the handle classes keep them apart (toJS() types differ). */
export class PyBool extends PyObject { toJS(): boolean; }
export class PyFloat extends PyObject { toJS(): number; }
export class PyStr extends PyObject {
  /** len(s), in code points. */
  readonly length: number;
  toJS(): string;
}
export class PyBytes extends PyObject {
  readonly length: number;
  toJS(): Uint8Array;
}

export class PyTuple extends PyObject {
  readonly length: number;
  /** t[i] (negative from the end): a new handle; EPYTHON IndexError. */
  get(i: number): PyObject;
  /** A new handle for every item. */
  toArray(): PyObject[];
  /** New handles for the items. */
  [Symbol.iterator](): Iterator<PyObject>;
  toJS(): JSValue[];
}

export class PyList extends PyObject {
  readonly length: number;
  /** l.append(v) (the list takes its own reference). */
  append(v: PyValue): void;
  /** l.insert(i, v) */
  insert(i: number, v: PyValue): void;
  /** l[i] = v */
  set(i: number, v: PyValue): void;
  /** l[i]: a new handle; EPYTHON IndexError. */
  get(i: number): PyObject;
  /** l.pop(i): the removed item as a handle (default: the last). */
  pop(i?: number): PyObject;
  /** del l[i] */
  delete(i: number): void;
  /** l[start:stop:step]; null/undefined for an omitted part. */
  slice(start?: number | null, stop?: number | null, step?: number | null): PyList;
  /** del l[start:stop:step] */
  deleteSlice(start?: number | null, stop?: number | null, step?: number | null): void;
  /** l.extend(seq): a list or tuple handle (itself included), or a JS iterable (a temporary list). */
  extend(seq: PyList | PyTuple | Iterable<PyValue>): void;
  /** A new handle for every item. */
  toArray(): PyObject[];
  /** New handles for the items, up to the current length at each step. */
  [Symbol.iterator](): Iterator<PyObject>;
  toJS(): JSValue[];
}

export class PyDict extends PyObject {
  readonly length: number;
  /** d[k] = v */
  set(k: PyValue, v: PyValue): void;
  /** d[k]: a new handle; EPYTHON KeyError. */
  get(k: PyValue): PyObject;
  /** del d[k]; EPYTHON KeyError. */
  delete(k: PyValue): void;
  /** k in d */
  has(k: PyValue): boolean;
  /** New handles for the keys (insertion order); RuntimeError if the size changes meanwhile. */
  keys(): IterableIterator<PyObject>;
  values(): IterableIterator<PyObject>;
  items(): IterableIterator<[PyObject, PyObject]>;
  [Symbol.iterator](): IterableIterator<PyObject>;
  toJS(): Map<JSValue, JSValue>;
}

/** What set and frozenset handles share (not a runtime export). */
declare abstract class PyAnySet extends PyObject {
  readonly length: number;
  /** k in s */
  has(k: PyValue): boolean;
  /** A new handle for every element. */
  toArray(): PyObject[];
  /** New handles for the elements (table order); RuntimeError if the size changes meanwhile. */
  [Symbol.iterator](): Iterator<PyObject>;
  toJS(): Set<JSValue>;
}

export class PySet extends PyAnySet {
  /** s.add(k) */
  add(k: PyValue): void;
  /** s.discard(k): whether k was there. */
  discard(k: PyValue): boolean;
}

export class PyFrozenSet extends PyAnySet {}

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
  /** For code 'EPYTHON' (and 'ENOMEM' from an object operation): the exception type. */
  readonly pyType?: PyExceptionType;
  /** For code 'EPYTHON': str(exception) as CPython prints it (KeyError: the key's repr). */
  readonly pyMessage?: string;
}

// ---- classes, callables, weak references, the collector --------------------------

export interface ClassOptions {
  /** The base class (a user class); object by default. */
  base?: PyType | null;
  /** The class body's names: a Map, [name, value] pairs, a plain object or a dict handle. */
  dict?: Map<PyValue, PyValue> | Iterable<readonly [PyValue, PyValue]> | Record<string, PyValue> | PyDict | null;
  /** __qualname__; default: the name. */
  qualname?: string;
  /** __module__; default: '__main__'. */
  module?: string;
  /** __slots__ */
  slots?: string | string[];
}

export interface CodeOptions {
  /** co_name; default '<lambda>' */
  name?: string;
  /** co_qualname; default: name */
  qualname?: string;
  /** co_filename; default '<pyheap>' */
  filename?: string;
  /** co_consts (arrays become tuples); default [None] */
  consts?: PyValue[] | PyTuple;
  /** co_names */
  names?: PyValue[] | PyTuple;
  /** co_localsplusnames: locals, then cells, then free variables */
  localsplusnames?: PyValue[] | PyTuple;
  /** co_localspluskinds (CO_FAST_* bytes); default CO_FAST_LOCAL (0x20) for each name */
  localspluskinds?: Uint8Array | readonly number[] | PyBytes;
  argcount?: number;
  posonlyargcount?: number;
  kwonlyargcount?: number;
  /** default 1 */
  stacksize?: number;
  /** default 1 */
  firstlineno?: number;
  /** co_flags; default CO_OPTIMIZED | CO_NEWLOCALS (3); CO_GENERATOR is 0x20 */
  flags?: number;
  /** code units CPython would emit (sets sys.getsizeof); default 1 */
  ncodeunits?: number;
  /** the interpreter's key to the body */
  bodyId?: number;
}

export interface FunctionOptions {
  /** The builtins dict (else globals['__builtins__']). */
  builtins?: PyValue;
  /** __defaults__ (arrays become tuples) */
  defaults?: PyValue[] | PyTuple | null;
  /** __kwdefaults__ */
  kwdefaults?: PyValue;
  /** __annotations__ */
  annotations?: PyValue;
  /** __closure__: a tuple of cells (arrays become tuples) */
  closure?: PyCell[] | PyTuple | null;
}

/** type: a class. Methods other than getattr & co. need a user class (EINVAL for built-in types). */
export class PyType extends PyObject {
  /** object.__new__(cls): a new instance (no __init__: there is no interpreter here). */
  'new'(): PyInstance;
  /** _PyType_Lookup(cls, name): what the MRO's dicts hold, or null. */
  lookup(name: string | PyStr): PyObject | null;
  /** cls.__mro__ */
  readonly mro: PyTuple;
  /** The class's own dict (what cls.__dict__ wraps). */
  readonly dict: PyDict;
  /** cls.__name__ */
  readonly name: string;
}

/** An instance of a user class (pmw_obj_type_id: USER_TYPE_ID). */
export class PyInstance extends PyObject {
  /** obj.__dict__ (materialised on first use). */
  readonly dict: PyDict;
  /** type(obj) */
  readonly class: PyType;
}

/** code */
export class PyCode extends PyObject {
  readonly flags: number;
  readonly argcount: number;
  readonly posonlyargcount: number;
  readonly kwonlyargcount: number;
  readonly stacksize: number;
  readonly firstlineno: number;
  readonly nlocalsplus: number;
  readonly framesize: number;
  readonly nlocals: number;
  readonly ncellvars: number;
  readonly nfreevars: number;
  readonly bodyId: number;
  /** The code units (what getsizeof counts). */
  readonly codeUnits: number;
  readonly consts: PyTuple;
  readonly names: PyTuple;
  readonly localsplusnames: PyTuple;
  readonly localspluskinds: PyBytes;
  readonly filename: PyStr;
  readonly name: PyStr;
  readonly qualname: PyStr;
  /** co_varnames / co_cellvars / co_freevars (built and cached on first use, as in 3.12). */
  readonly varnames: PyTuple;
  readonly cellvars: PyTuple;
  readonly freevars: PyTuple;
}

/** function. Every field is a new handle (None when unset). */
export class PyFunction extends PyObject {
  /** function.__get__(obj): a bound method; the function itself for null / undefined. */
  bind(obj?: PyValue): PyMethod | PyFunction;
  readonly code: PyCode;
  readonly globals: PyDict;
  readonly builtins: PyDict;
  readonly name: PyStr;
  readonly qualname: PyStr;
  get defaults(): PyObject;
  /** Set to an array (made a tuple), a tuple handle, or null to clear. */
  set defaults(v: PyValue[] | PyTuple | null);
  get kwdefaults(): PyObject;
  /** Set to a dict, or null to clear. */
  set kwdefaults(v: PyValue);
  readonly closure: PyObject;
  get doc(): PyObject;
  /** Set to any object, or null to clear. */
  set doc(v: PyValue);
  /** __dict__ (created on first use) */
  readonly dict: PyDict;
  readonly module: PyObject;
  get annotations(): PyObject;
  /** Set to a dict or tuple, or null to clear. */
  set annotations(v: PyValue);
}

/** cell */
export class PyCell extends PyObject {
  /** cell_contents; EPYTHON ValueError "Cell is empty". */
  get(): PyObject;
  /** cell_contents = v; undefined empties the cell. */
  set(v: PyValue): void;
}

/** method: a function bound to an object. */
export class PyMethod extends PyObject {
  /** __func__ */
  readonly func: PyObject;
  /** __self__ */
  readonly self: PyObject;
}

export type GeneratorState = 'created' | 'suspended' | 'executing' | 'completed' | 'cleared';

/** generator (made by an interpreter through the frame exports; readable here). */
export class PyGenerator extends PyObject {
  readonly state: GeneratorState;
  /** The frame's address while gi_frame is not None, else null. */
  readonly frame: Pointer | null;
  readonly name: PyStr;
  readonly qualname: PyStr;
  readonly code: PyCode;
  /** gen.send(v) / next(gen) (v undefined): the frame becomes current ('running') or the generator is 'exhausted'. */
  send(v?: PyValue): 'running' | 'exhausted';
  /** Resume without pushing a value. */
  resume(): 'running' | 'exhausted';
  /** YIELD_VALUE: the frame leaves the stack. */
  suspend(): void;
  /** The body returned or raised. */
  finish(): void;
  /** gen.close() with no Python code to run. */
  close(): void;
}

export interface FrameInfo {
  nlocalsplus: number;
  /** Values on the value stack. */
  stackSize: number;
  owner: 'thread' | 'generator';
  /** The host's position in the body. */
  instr: number;
  /** The previous frame's address, or null. */
  previous: Pointer | null;
}

/**
 * heap.frames: the frame stack as an interpreter drives it. A frame is its
 * address; the core accepts frames linked in the current chain and frames
 * of live unfinished generators (EBADPTR otherwise).
 */
export interface Frames {
  /** A frame for fn (a function) on top of the stack, every local unbound. */
  push(fn: PyFunction): Pointer;
  /** Pop the current frame, releasing its slots. */
  pop(frame: Pointer): void;
  readonly current: Pointer | null;
  readonly depth: number;
  info(frame: Pointer): FrameInfo;
  setInstr(frame: Pointer, instr: number): void;
  /** f_code, the function, f_globals, f_builtins, f_locals (None when unset). */
  get(frame: Pointer, field: 'code' | 'func' | 'globals' | 'builtins' | 'locals'): PyObject;
  /** f_locals = v (null clears). */
  setLocals(frame: Pointer, v: PyValue): void;
  /** LOAD_FAST: null while unbound. */
  local(frame: Pointer, i: number): PyObject | null;
  /** STORE_FAST; undefined: DELETE_FAST. */
  setLocal(frame: Pointer, i: number, v: PyValue): void;
  pushValue(frame: Pointer, v: PyValue): void;
  popValue(frame: Pointer): PyObject;
  peek(frame: Pointer, depth?: number): PyObject;
  makeCell(frame: Pointer, i: number): void;
  copyFreeVars(frame: Pointer): void;
  /** RETURN_GENERATOR on the current frame. */
  returnGenerator(frame: Pointer): PyGenerator;
}

/** weakref.ref */
export class PyWeakref extends PyObject {
  /** r(): the referent, or None once it died. */
  call(): PyObject;
}

/** The core's iterator objects: list_iterator, tuple_iterator, range_iterator, str_ascii_iterator,
 *  dict_keyiterator, set_iterator, reversed, enumerate, zip, map, filter, ... */
export class PyIterator extends PyObject {
  /** next(it): the next item, or null once exhausted (EPYTHON RuntimeError when a dict/set changed
   *  size; EINVAL for map/filter, which run Python code). */
  next(): PyObject | null;
  /** __length_hint__(), or null for enumerate, zip, map and filter. */
  lengthHint(): number | null;
}

/** weakref.proxy (ProxyType / CallableProxyType) */
export class PyProxy extends PyObject {
  /** The referent; EPYTHON ReferenceError once it died. */
  referent(): PyObject;
}

export interface GCStats { collections: number; collected: number; uncollectable: number }

export interface GCTraceEntry {
  /** The object's address (freed objects' addresses no longer hold them). */
  id: Pointer;
  /** examined: gc_refs after subtract_refs (-1: immortal); weakrefCallbacks: 1 if the weakref died; cleared: 1 if saved (DEBUG_SAVEALL);
   * resurrected: gc_refs after the finalizers (> 0: referenced from outside again, 0: reached from another resurrected object) */
  value: number;
}

export interface GCTrace {
  /** The generation collected; null when no traced collection ran yet. */
  generation: number | null;
  phases: {
    examined: GCTraceEntry[];
    unreachable: GCTraceEntry[];
    weakrefCallbacks: GCTraceEntry[];
    finalized: GCTraceEntry[];
    resurrected: GCTraceEntry[];
    cleared: GCTraceEntry[];
    freed: GCTraceEntry[];
    /** the examined objects (immortals left out) with gc_refs after update_refs (their refcount) */
    copied: GCTraceEntry[];
    /** tuples (value 0) and dicts (value 1) the collection untracked */
    untracked: GCTraceEntry[];
    /** weakrefs handle_weakrefs cleared; value 0 no callback, 1 callback called, 2 the weakref is garbage itself */
    weakrefsCleared: GCTraceEntry[];
  };
  /** gc_collect_main's counts (gc.collect() returned their sum); null when no traced collection ran */
  collected: number | null;
  uncollectable: number | null;
}

/**
 * heap.gc: the gc module of one heap. Collections call the heap's host
 * hooks (finalize for __del__, call for weakref callbacks and gc.callbacks)
 * before they return.
 */
export interface GC {
  readonly DEBUG_STATS: 1;
  readonly DEBUG_COLLECTABLE: 2;
  readonly DEBUG_UNCOLLECTABLE: 4;
  readonly DEBUG_SAVEALL: 32;
  readonly DEBUG_LEAK: 38;
  /** gc.collect(generation = 2): unreachable objects found; EPYTHON ValueError for a bad generation. */
  collect(generation?: number): number;
  enable(): void;
  disable(): void;
  isEnabled(): boolean;
  /** gc.get_count() */
  getCount(): [number, number, number];
  /** gc.get_threshold() */
  getThreshold(): [number, number, number];
  /** gc.set_threshold(t0[, t1[, t2]]) */
  setThreshold(t0: number, t1?: number, t2?: number): void;
  getStats(): [GCStats, GCStats, GCStats];
  /** gc.get_objects(generation): handles to the tracked objects (all generations when omitted). */
  getObjects(generation?: number | null): PyObject[];
  getReferrers(...objs: PyObject[]): PyObject[];
  getReferents(...objs: PyObject[]): PyObject[];
  isTracked(obj: PyObject): boolean;
  isFinalized(obj: PyObject): boolean;
  freeze(): void;
  unfreeze(): void;
  getFreezeCount(): number;
  /** Objects in generation 0..2, or 3 for the permanent generation. */
  generationSize(generation: number): number;
  /** gc.garbage (a new handle to the heap's list) */
  readonly garbage: PyList;
  /** gc.callbacks (a new handle to the heap's list; items are called through the call hook with ('start' | 'stop', info)) */
  readonly callbacks: PyList;
  setDebug(flags: number): void;
  getDebug(): number;
  /** What the collector wrote to sys.stderr since the last call (DEBUG_STATS, DEBUG_COLLECTABLE, ...); clears it. */
  takeStderr(): string;
  /** Record the phases of every collection from now on (false: stop). */
  trace(on?: boolean): void;
  /** The phases of the last traced collection. */
  lastTrace(): GCTrace;
  /** The interpreter's eval-breaker point: runs a scheduled collection; what it collected. */
  evalBreaker(): number;
  /** Whether an allocation scheduled a collection. */
  isScheduled(): boolean;
}

// ---- tracemalloc (tracemalloc.js: Lib/tracemalloc.py of CPython 3.12) ----------

export class Frame {
  readonly filename: string;
  readonly lineno: number;
  equals(other: Frame): boolean;
  compare(other: Frame): number;
  /** `filename:lineno` */
  toString(): string;
  repr(): string;
}
export class Traceback {
  /** oldest frame first, as Python's Traceback sequence */
  readonly length: number;
  readonly totalNframe: number | null;
  at(i: number): Frame;
  slice(start?: number, stop?: number): Traceback;
  includes(frame: Frame): boolean;
  equals(other: Traceback): boolean;
  compare(other: Traceback): number;
  toString(): string;
  repr(): string;
  /** Traceback.format(limit, most_recent_first): lines as CPython prints them */
  format(limit?: number | null, mostRecentFirst?: boolean): string[];
}
export class Trace {
  readonly domain: number;
  readonly size: number;
  readonly traceback: Traceback;
  toString(): string;
  repr(): string;
}
export class Traces {
  readonly length: number;
  at(i: number): Trace;
  repr(): string;
}
export class Statistic {
  readonly traceback: Traceback;
  readonly size: number;
  readonly count: number;
  /** `file:line: size=..., count=..., average=...` */
  toString(): string;
  repr(): string;
  toJSON(): StatisticRow;
}
/** A Statistic as a plain object (Snapshot.top): the most recent frame first. */
export interface StatisticRow {
  filename: string;
  lineno: number;
  /** oldest first */
  frames: Array<[string, number]>;
  size: number;
  count: number;
  average: number;
  /** str(statistic) */
  text: string;
}
export interface StatisticDiffRow extends StatisticRow { sizeDiff: number; countDiff: number }
export class StatisticDiff {
  readonly traceback: Traceback;
  readonly size: number;
  readonly size_diff: number;
  readonly count: number;
  readonly count_diff: number;
  toString(): string;
  repr(): string;
  toJSON(): StatisticDiffRow;
}
export class Filter {
  constructor(inclusive: boolean, filenamePattern: string, lineno?: number | null, allFrames?: boolean, domain?: number | null);
}
export class DomainFilter {
  constructor(inclusive: boolean, domain: number);
}
export type StatisticKey = 'lineno' | 'filename' | 'traceback';
export class Snapshot {
  readonly traces: Traces;
  readonly traceback_limit: number;
  statistics(keyType: StatisticKey, cumulative?: boolean): Statistic[];
  compareTo(oldSnapshot: Snapshot, keyType: StatisticKey, cumulative?: boolean): StatisticDiff[];
  filterTraces(filters: Array<Filter | DomainFilter>): Snapshot;
  /** the `limit` largest statistics as plain objects, for panels */
  top(keyType?: StatisticKey, limit?: number, cumulative?: boolean): StatisticRow[];
  /** the `limit` largest changes since oldSnapshot as plain objects */
  topDiff(oldSnapshot: Snapshot, keyType?: StatisticKey, limit?: number, cumulative?: boolean): StatisticDiffRow[];
  /** JSON text (CPython pickles; the content is the same) */
  dump(): string;
  static load(text: string): Snapshot;
}
/**
 * take_snapshot() on the raw wasm module and a heap handle (an interpreter's
 * `vm.raw`, `vm.h`): null when that heap is not tracing.
 */
export function snapshotOf(raw: object, h: number): Snapshot | null;
/** tracemalloc's _format_size(size, sign) */
export function formatSize(size: number, sign?: boolean): string;

export interface Tracemalloc {
  /** ValueError (EPYTHON) unless 1 <= nframe <= 65535 */
  start(nframe?: number): void;
  stop(): void;
  isTracing(): boolean;
  clearTraces(): void;
  /** [current, peak] in bytes (the charged 64-bit sizes) */
  getTracedMemory(): [number, number];
  resetPeak(): void;
  getTracebackLimit(): number;
  getTracemallocMemory(): number;
  takeSnapshot(): Snapshot;
  /** where the object's block was allocated, or null if untraced */
  getObjectTraceback(obj: PyObject | number): Traceback | null;
  track(domain: number, ptr: number, size: number): void;
  untrack(domain: number, ptr: number): void;
  /** the current line of a frame (0: the current frame), for tracebacks */
  setLineno(frame: number, lineno: number): void;
}
