// load.js — find, compile and instantiate the standalone pyheap wasm module.
//
// The module is built with `emcc --no-entry -sSTANDALONE_WASM`: there is no
// emscripten JS glue, so this file is the whole loader (ecosystem.md §2.3,
// variant E). It imports at most `env.emscripten_notify_memory_growth`, the
// host calls `pyheap.finalize` / `pyheap.call` / `pyheap.slot` (routed to the
// Heap or interpreter that owns the heap handle) and a few WASI functions; anything else is refused
// with a clear error.
//
// load() is memoized per source and safe to call any number of times, also
// concurrently (esbuild#1266): every caller for the same source gets the same
// promise. A failed load is forgotten, so a later call can retry.

import { PMW_VERSION, EXPORTS, RawModule, WasmExit } from './raw.js';
import { PyheapError } from './errors.js';

// Written out literally so bundlers (Vite, webpack 5, esbuild with a plugin)
// see `new URL('…', import.meta.url)` and ship the files as assets.
const defaultURL = (debug) => debug
  ? new URL('../gen/pyheap.debug.wasm', import.meta.url)
  : new URL('../gen/pyheap.wasm', import.meta.url);

const isNode = typeof globalThis.process?.versions?.node === 'string';
// A non-literal specifier keeps browser bundlers from trying to resolve it.
const NODE_FS = 'node:fs/promises';
const NODE_URL = 'node:url';

/** @type {Map<string, Promise<RawModule>>} sources named by URL/path */
const byName = new Map();
/** @type {WeakMap<object, Promise<RawModule>>} sources handed in as objects */
const byObject = new WeakMap();

function loadError(message, cause) {
  return new PyheapError('ELOAD', `pyheap: ${message}`, { cause });
}

/**
 * Load (once) the pyheap WebAssembly module.
 *
 * @param {object} [options]
 * @param {string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module | Response} [options.wasm]
 *   where the module comes from; default: web/gen/pyheap.wasm next to this
 *   library (pyheap.debug.wasm with `debug`)
 * @param {boolean} [options.debug] use the debug build (only used to choose
 *   the default file, and recorded on the result)
 * @returns {Promise<RawModule>} the loaded module (opaque to users)
 */
export function load({ wasm, debug = false } = {}) {
  debug = !!debug;
  const src = wasm ?? defaultURL(debug);
  const isObject = typeof src === 'object' && src !== null && !(src instanceof URL);
  const key = isObject ? src : `${debug ? 'debug' : 'release'} ${String(src)}`;
  const memo = isObject ? byObject : byName;
  let p = memo.get(key);
  if (!p) {
    p = instantiate(src, debug);
    memo.set(key, p);
    p.catch(() => { if (memo.get(key) === p) memo.delete(key); });
  }
  return p;
}

async function instantiate(src, debug) {
  const { module, source } = await compile(src);
  const raw = { current: null };
  const imports = buildImports(module, raw, source);
  let instance;
  try {
    instance = await WebAssembly.instantiate(module, imports);
  } catch (e) {
    throw loadError(`cannot instantiate ${source}: ${e.message}`, e);
  }
  const e = instance.exports;
  if (!(e.memory instanceof WebAssembly.Memory)) {
    throw loadError(`${source} does not export its memory; is it a pyheap build?`);
  }
  // Emscripten's reactor constructor (static initialisers), once.
  if (typeof e._initialize === 'function') {
    try {
      e._initialize();
    } catch (err) {
      throw loadError(`${source}: the module's initialisation (_initialize) failed: ${err.message}`, err);
    }
  }
  if (typeof e.pmw_version !== 'function') {
    throw loadError(`${source} has no pmw_version export; it is not a pyheap module`);
  }
  const version = e.pmw_version() >>> 0;
  if (version !== PMW_VERSION) {
    throw new PyheapError('EVERSION',
      `pyheap: version mismatch: ${source} is module version ${version}, ` +
      `but this JavaScript library needs version ${PMW_VERSION}; ` +
      'rebuild the wasm (./build.sh wasm) or load the pyheap.wasm that ships with this library');
  }
  const missing = Object.keys(EXPORTS).filter((n) => typeof e[n] !== 'function');
  if (missing.length) {
    throw loadError(`${source} lacks the exports ${missing.join(', ')}`);
  }
  raw.current = new RawModule(instance, { debug, source });
  return raw.current;
}

// ---- getting a WebAssembly.Module -------------------------------------------

async function compile(src) {
  if (src instanceof WebAssembly.Module) return { module: src, source: 'a WebAssembly.Module' };
  if (src instanceof ArrayBuffer) return compileBytes(new Uint8Array(src), `${src.byteLength} bytes`);
  if (ArrayBuffer.isView(src)) {
    const bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
    return compileBytes(bytes, `${bytes.length} bytes`);
  }
  if (typeof Response !== 'undefined' && src instanceof Response) {
    return compileResponse(src, src.url || 'a Response');
  }
  if (typeof src === 'string' || src instanceof URL) return compileURL(src);
  throw loadError(`options.wasm must be a URL, a string, an ArrayBuffer, a Uint8Array, ` +
    `a Response or a WebAssembly.Module, not ${describe(src)}`);
}

function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'object') return v.constructor?.name ?? 'an object';
  return typeof v;
}

async function compileURL(src) {
  let url = null;
  if (src instanceof URL) url = src;
  else {
    try {
      url = new URL(src);
      // 'C:\\x\\pyheap.wasm' parses as a URL with protocol 'c:'
      if (isNode && /^[a-z]:$/i.test(url.protocol)) url = null;
    } catch {
      url = null;
    }
  }
  if (isNode && (url === null || url.protocol === 'file:')) {
    const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_FS);
    let path = src;
    if (url) {
      const { fileURLToPath } = await import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_URL);
      path = fileURLToPath(url);
    }
    let bytes;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw loadError(`cannot read ${path}: ${e.code === 'ENOENT'
        ? 'no such file (build it with ./build.sh wasm, or pass options.wasm)'
        : e.message}`, e);
    }
    return compileBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
  }
  if (url === null) {
    const base = globalThis.document?.baseURI ?? globalThis.location?.href;
    try {
      url = new URL(src, base);
    } catch (e) {
      throw loadError(`cannot resolve the wasm URL ${JSON.stringify(src)}`, e);
    }
  }
  if (url.protocol === 'file:') {
    throw loadError(`cannot load ${url.href} outside Node: file: URLs cannot be fetched; ` +
      'serve the file over http(s) or pass its bytes as options.wasm');
  }
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw loadError(`cannot fetch ${url.href}: ${e.message}`, e);
  }
  return compileResponse(response, url.href);
}

async function compileResponse(response, source) {
  if (!response.ok) {
    throw loadError(`cannot fetch ${source}: HTTP ${response.status} ${response.statusText}`.trim());
  }
  // Streaming compilation needs the application/wasm MIME type; a server
  // without it (or one answering with an HTML page) falls back to bytes.
  const type = response.headers.get('content-type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    try {
      return { module: await WebAssembly.compileStreaming(response.clone()), source };
    } catch {
      // fall through: the bytes path gives the precise error
    }
  }
  return compileBytes(new Uint8Array(await response.arrayBuffer()), source);
}

async function compileBytes(bytes, source) {
  const magic = [0x00, 0x61, 0x73, 0x6d];
  if (bytes.length < 8 || magic.some((b, i) => bytes[i] !== b)) {
    const head = new TextDecoder().decode(bytes.subarray(0, 24)).replace(/\s+/g, ' ');
    throw loadError(`${source} is not a WebAssembly binary (it starts with ${JSON.stringify(head)}` +
      (head.trimStart().startsWith('<') ? '; the server returned HTML instead of the .wasm file' : '') + ')');
  }
  try {
    return { module: await WebAssembly.compile(bytes), source };
  } catch (e) {
    throw loadError(`cannot compile ${source}: ${e.message}`, e);
  }
}

// ---- imports -------------------------------------------------------------------

const WASI_ESPIPE = 70;

function buildImports(module, raw, source) {
  const mem = () => raw.current;
  const pending = { 1: '', 2: '' };
  const flush = (fd, text) => {
    pending[fd] += text;
    let nl;
    while ((nl = pending[fd].indexOf('\n')) >= 0) {
      const line = pending[fd].slice(0, nl);
      pending[fd] = pending[fd].slice(nl + 1);
      (fd === 1 ? console.log : console.error)(line);
    }
  };
  const zeroPair = (a, b) => {
    const dv = mem().dv;
    dv.setUint32(a, 0, true);
    dv.setUint32(b, 0, true);
    return 0;
  };
  /** Known imports: module -> name -> implementation. */
  const known = {
    env: {
      // Memory grew: the old ArrayBuffer is detached; rebuild views lazily.
      emscripten_notify_memory_growth: () => { mem()?.invalidate(); },
      emscripten_memcpy_big: (dest, src, num) => {
        const u8 = mem().u8;
        u8.copyWithin(dest >>> 0, src >>> 0, (src >>> 0) + (num >>> 0));
        return dest;
      },
    },
    // Python code the core asks the host to run (core/src/wasm/api.c)
    pyheap: {
      finalize: (h, obj) => mem().hostCall('finalize', h, obj),
      call: (h, callable, args) => mem().hostCall('call', h, callable, args),
      // a slot whose result the core needs (api.c host_slot): an object, 0
      // (the Python code raised; the host keeps the exception) or 1 (no handler)
      slot: (h, kind, a, b) => mem().hostCall('slot', h, kind, a, b, 1) >>> 0,
    },
    wasi_snapshot_preview1: {
      proc_exit: (code) => { throw new WasmExit(code); },
      fd_write: (fd, iovs, iovsLen, nwrittenPtr) => {
        const m = mem();
        let total = 0;
        let text = '';
        const decoder = new TextDecoder();
        for (let i = 0; i < iovsLen; i++) {
          const dv = m.dv;
          const ptr = dv.getUint32(iovs + 8 * i, true);
          const len = dv.getUint32(iovs + 8 * i + 4, true);
          text += decoder.decode(m.u8.subarray(ptr, ptr + len), { stream: true });
          total += len;
        }
        if (fd === 1 || fd === 2) flush(fd, text);
        m.dv.setUint32(nwrittenPtr, total, true);
        return 0;
      },
      fd_close: () => 0,
      fd_seek: () => WASI_ESPIPE,
      environ_sizes_get: zeroPair,
      environ_get: () => 0,
      args_sizes_get: zeroPair,
      args_get: () => 0,
    },
  };
  const imports = {};
  const unknown = [];
  for (const imp of WebAssembly.Module.imports(module)) {
    const fn = imp.kind === 'function' ? known[imp.module]?.[imp.name] : undefined;
    if (!fn) {
      unknown.push(`${imp.module}.${imp.name} (${imp.kind})`);
      continue;
    }
    (imports[imp.module] ??= {})[imp.name] = fn;
  }
  if (unknown.length) {
    throw loadError(`${source} needs imports this loader does not provide: ${unknown.join(', ')}; ` +
      'the core must build as a standalone module (emcc --no-entry -sSTANDALONE_WASM) ' +
      'without emscripten JS library functions');
  }
  return imports;
}
