// errors.js — PyheapError and the single funnel that turns core statuses into it.
//
// Every failure the library reports is a PyheapError. `code` is the core's
// pm_status name ('ENOMEM', 'EBADPTR', ...) or one of the loader's own codes
// ('ELOAD', 'EVERSION'); `kind` groups codes the way callers usually branch
// (tree-sitter's QueryError carries a kind the same way).

/** pm_status values (core/include/pm.h), by name. */
export const Status = Object.freeze({
  OK: 0,
  ENOMEM: -1,
  EINVAL: -2,
  EBUSY: -3,
  EBADPTR: -4,
  EFREED: -5,
  EDOMAIN: -6,
  ECORRUPT: -7,
  EDEAD: -8,
  EPYTHON: -9,
});

const CODE_OF_STATUS = new Map(Object.entries(Status).map(([k, v]) => [v, k]));

/** What each code means, phrased for a message. */
const DESCRIPTION = {
  ENOMEM: 'out of memory',
  EINVAL: 'invalid argument',
  EBUSY: 'heap is busy (re-entrant call)',
  EBADPTR: 'not a block this heap handed out (foreign, interior or misaligned pointer)',
  EFREED: 'block is not allocated (double free or stale pointer)',
  EDOMAIN: 'block belongs to an allocator this domain cannot release',
  ECORRUPT: 'heap invariant violated',
  EDEAD: 'heap is dead',
  EPYTHON: 'a Python exception was raised',
  ESTALE: 'stale object handle (released, or of a disposed or another heap)',
  ELOAD: 'cannot load the pyheap WebAssembly module',
  EVERSION: 'JavaScript library and WebAssembly module versions differ',
  EUNKNOWN: 'unknown core status',
};

const KIND = {
  ENOMEM: 'memory',
  EINVAL: 'argument',
  EBADPTR: 'pointer',
  EFREED: 'pointer',
  EDOMAIN: 'pointer',
  EBUSY: 'state',
  EDEAD: 'state',
  ESTALE: 'state',
  EPYTHON: 'python',
  ECORRUPT: 'invariant',
  ELOAD: 'load',
  EVERSION: 'load',
  EUNKNOWN: 'internal',
};

/**
 * The one error class of the library.
 *
 * Fields: `code` (see above), `kind` ('memory' | 'argument' | 'pointer' |
 * 'state' | 'invariant' | 'load' | 'internal'), `status` (the numeric
 * pm_status, or undefined for JS-side errors), `op` (the operation, e.g.
 * 'obj.free'), `ptr` (the pointer involved, if any) and `detail` (the core's
 * own message, if any).
 */
export class PyheapError extends Error {
  constructor(code, message, { status, op, ptr, detail, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'PyheapError';
    this.code = code;
    this.kind = KIND[code] ?? 'internal';
    if (status !== undefined) this.status = status;
    if (op !== undefined) this.op = op;
    if (ptr !== undefined) this.ptr = ptr;
    if (detail) this.detail = detail;
  }
}

/** Name of a pm_status value ('EFREED'), or 'EUNKNOWN'. */
export function statusName(status) {
  return CODE_OF_STATUS.get(status) ?? 'EUNKNOWN';
}

/** A pointer as 0x-prefixed, 8-digit hex (pointers are u32 offsets). */
export function hex(p) {
  return '0x' + (p >>> 0).toString(16).padStart(8, '0');
}

/** 1234567 -> "1,234,567" (the way _debugmallocstats prints numbers). */
export function commas(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Build the error for a failing status. `ctx` says what was being done:
 *   { call: 'obj.free(0x00012340)', op: 'obj.free', ptr, detail, hint }
 * `detail` is the core's message (pm_heap_error), `hint` extra JS-side text
 * (e.g. the heap limit for ENOMEM).
 */
export function errorFor(status, ctx = {}) {
  const code = typeof status === 'string' ? status : statusName(status);
  // The core's message says it best; it may start with its own "free(0x…): "
  // which the JS-side call text (with the domain) replaces.
  const detail = ctx.detail?.replace(/^[A-Za-z_]\w*\([^()]*\):\s*/, '');
  const parts = [detail || DESCRIPTION[code] || DESCRIPTION.EUNKNOWN];
  if (code === 'EUNKNOWN') parts[0] += ` ${status}`;
  if (ctx.hint) parts.push(ctx.hint);
  const where = ctx.call ?? ctx.op;
  const message = `${where ? where + ': ' : ''}${parts.join(': ')} (${code})`;
  return new PyheapError(code, message, {
    status: typeof status === 'number' ? status : Status[code],
    op: ctx.op,
    ptr: ctx.ptr,
    detail: ctx.detail,
    cause: ctx.cause,
  });
}

/**
 * The single funnel: returns `status` when it is OK or a non-negative count,
 * otherwise throws the matching PyheapError. `ctx` is an object as for
 * errorFor, or a function returning one (evaluated only on failure, so hot
 * paths build no context).
 */
export function check(status, ctx) {
  if (status >= 0) return status;
  throw errorFor(status, typeof ctx === 'function' ? ctx() : ctx);
}
