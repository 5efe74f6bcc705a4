/* objapi.c — the wasm boundary for Python objects: allocate, link, delete.
 *
 * JavaScript creates objects, links them into containers and drops its
 * references through these pmw_obj_* / pmw_<type>_* exports. The JS wrapper
 * (web/lib/objects.js) gives every object handle one strong reference; the
 * functions here do exactly what the CPython operation does with references
 * (list.append increfs the item, d[k] = v increfs the value and a new key,
 * getters return new references, ...), so sys.getrefcount comes out as in
 * CPython 3.12 when each JS handle stands for one Python name.
 *
 * Validation (ARCHITECTURE decision 8). Every export checks the heap handle
 * (pmw_live_heap) and then every object handle with obj_valid(), an O(1)
 * test described at its definition. A bad handle comes back as PM_EBADPTR
 * (or PM_EFREED when it points at a freed block) with a message, never as a
 * read through a wild pointer. An argument of the wrong type is PM_EINVAL.
 *
 * Status conventions (as api.c):
 *   - functions returning an object return a NEW reference, or 0 with the
 *     reason in pmw_last_status(h);
 *   - functions returning int32 return a status (< 0) or a count / boolean;
 *   - a Python exception raised by the core is status PM_EPYTHON (-9), or
 *     PM_ENOMEM for MemoryError; its kind and message are read with
 *     pmw_exc_kind / pmw_exc_msg until the next call on the heap. Each export
 *     clears any pending exception on entry.
 *
 * Strings and item arrays cross the boundary in a transfer buffer: the
 * heap's scratch area (pmw_obj_scratch, PM_SCRATCH_BYTES), or for larger
 * inputs a host buffer from pmw_buf_alloc (libc malloc: memory of the
 * process, not of any model heap, so it never shows in the heap's
 * statistics or limit). Text results (repr, str contents, int digits) are
 * written to the scratch area when they fit, else to a host buffer owned by
 * this file that lives until the next text result; either way the address
 * is returned and the length is pmw_obj_text_len().
 *
 * Wide values: wasm32 exports pass i64 awkwardly without BigInt
 * integration, so indices and slice bounds travel as doubles (NaN = None,
 * see slice_arg) and 64-bit results (hash) are written to the scratch area.
 */
#include "pm.h"
#include "../snapshot.h"
#include "../internal.h"
#include "../object.h"
#include "../longobject.h"
#include "../floatobject.h"
#include "../unicodeobject.h"
#include "../bytesobject.h"
#include "../tupleobject.h"
#include "../listobject.h"
#include "../dictobject.h"
#include "../setobject.h"
#include "../rangeobject.h"
#include "../codeobject.h"
#include "../genobject.h"
#include "api.h"
#include <stdlib.h>
#include <math.h>

/* Object handles and item arrays are u32 addresses: this file is wasm32 only. */
#ifdef __wasm__
_Static_assert(sizeof(pm_object *) == sizeof(uint32_t), "object handles are 32-bit addresses");
#endif

/* ---- Process-level state of this glue file ----------------------------------
 * Like api.c's heap registry, this is the instance's state, not a heap's:
 * the live transfer buffers handed out by pmw_buf_alloc (so a (pointer,
 * length) argument can be validated) and the last large text result. */
#define PMW_MAX_BUFS 16

static struct { uint8_t *p; size_t n; } g_bufs[PMW_MAX_BUFS];
static char *g_result;          /* large text result (malloc), freed by the next one */
static uint32_t g_result_len;   /* length of the last text result, wherever it is */

/* ---- Heap entry ---------------------------------------------------------------- */

/* The live heap behind hp, with no exception pending, or NULL. */
static pm_heap *enter(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    if (h && h->os) pm_err_clear(h);
    return h && h->os ? h : NULL;
}

/* Finishing a call: a status (< 0 from the core's exception or allocator) or
 * a non-negative result. Success resets the heap's status; the debug build
 * then runs the invariant checker if the heap asks for it. */
static int32_t finish(pm_heap *h, int64_t rc, int mutated) {
    if (rc < 0) {
        pm_status st = pm_heap_last_status(h);
        if (st >= 0) {
            st = PM_EINVAL;
            _pm_set_status(h, st, "the operation failed without saying why");
        }
        return st;
    }
    _pm_set_status(h, PM_OK, NULL);
    if (mutated) _pm_debug_check(h);
    return rc > INT32_MAX ? INT32_MAX : (int32_t)rc;
}

/* The same for functions returning a new reference. */
static uint32_t finish_obj(pm_heap *h, pm_object *o) {
    if (!o) {
        if (pm_heap_last_status(h) >= 0) _pm_set_status(h, PM_EINVAL, "the operation failed without saying why");
        return 0;
    }
    _pm_set_status(h, PM_OK, NULL);
    _pm_debug_check(h);
    return (uint32_t)(uintptr_t)o;
}

/* ---- Object validation ----------------------------------------------------------
 *
 * obj_valid(h, p) decides in O(1) whether p is a live object of heap h. An
 * object is either
 *
 *   static   immortal, in the heap's own block: the built-in type objects
 *            (h->os->types[]), None, NotImplemented, Ellipsis, True, False,
 *            the small ints, '' and the one-character strs (and the
 *            one-character identifier strs interned at start-up), b'' and
 *            the one-byte bytes, and (); or
 *   in a block  of the OBJ domain: p - pre is the start of a live pymalloc
 *            or raw block, pre being the type's pre-header (0, GC head 16,
 *            or 32 with a managed dict/weakref pre-header).
 *
 * For the second kind all of these must hold:
 *   1. p - pre classifies as a live block (pm_ptr_classify, bounded: the
 *      arena map, then at most one pool's free list; raw blocks through the
 *      raw allocator's live set), and the block holds pre + a header;
 *   2. ob_type is one of h->os->types[] (exact element) and
 *      pm_type_preheader(ob_type) == pre;
 *   3. the low 32 bits of ob_refcnt are nonzero (objects parked on a free
 *      list or waiting in the trashcan chain have refcount 0; free-list
 *      floats do not even have a type);
 *   4. the type can have instances in a block (None, bool, type and the
 *      other singleton types cannot);
 *   5. the object fits its block: a fixed-size type fills exactly the size
 *      class of pre + basicsize; a variable-size one (int, str, bytes, tuple)
 *      needs no more than the block according to its own header.
 * At most one pre can pass 1: blocks do not overlap and 1 requires the
 * block to reach past p + 16. Checks 4 and 5 are what make a pointer into
 * some other live block (a list's item array, say) unlikely to pass; an
 * exact answer needs a per-block "is an object" mark kept by the allocator,
 * which it does not have yet. JavaScript handles hold strong references, so
 * they never meet a freed object in the first place.
 *
 * Static objects are checked by identity where the heap keeps a pointer to
 * them, and otherwise (the interned identifier strs) by their header. */

static int type_index(pm_heap *h, const void *t) {
    uintptr_t base = (uintptr_t)h->os->types, p = (uintptr_t)t;
    if (p < base || p >= base + sizeof h->os->types) return -1;
    if ((p - base) % sizeof(pm_type)) return -1;
    return (int)((p - base) / sizeof(pm_type));
}

static int only_static_instances(int tid) {
    return tid == PM_T_TYPE || tid == PM_T_NONE || tid == PM_T_NOTIMPLEMENTED || tid == PM_T_ELLIPSIS
        || tid == PM_T_BOOL;
}

static size_t class_of(size_t n) { return (n + 15) & ~(size_t)15; }

/* 1 if p is one of the heap's static objects, 0 if it is not, -1 if it is
 * inside the static area but no object (the caller reports EBADPTR). */
static int static_object(pm_heap *h, uintptr_t p) {
    pm_objstate *os = h->os;
    uintptr_t lo = (uintptr_t)h->statics, hi = lo + h->statics_used;
    if (p < lo || p >= hi) return 0;
    if (type_index(h, (const void *)p) >= 0) return 1;
    /* every static object starts 16-aligned after the pm_objstate; reads
     * below stay within the first 64 bytes, inside the static area */
    if (((p - lo) & 15) || p < lo + sizeof(pm_objstate) || p + 64 > lo + PM_STATIC_BYTES) return -1;
    pm_object *o = (pm_object *)p;
    if (!pm_is_immortal(o)) return -1;
    switch (type_index(h, o->ob_type)) {
    case PM_T_NONE: return o == os->none ? 1 : -1;
    case PM_T_NOTIMPLEMENTED: return o == os->notimplemented ? 1 : -1;
    case PM_T_ELLIPSIS: return o == os->ellipsis ? 1 : -1;
    case PM_T_BOOL: return o == os->true_ || o == os->false_ ? 1 : -1;
    case PM_T_TUPLE: return o == os->empty_tuple ? 1 : -1;
    case PM_T_INT: {
        if (!pm_long_is_compact(o)) return -1;
        int64_t v = pm_long_sign(o) * (int64_t)((pm_long *)o)->ob_digit[0];
        if (v < -PM_NSMALLNEGINTS || v >= PM_NSMALLPOSINTS) return -1;
        return os->small_ints[v + PM_NSMALLNEGINTS] == o ? 1 : -1;
    }
    case PM_T_BYTES: {
        int64_t n = PM_SIZE(o);
        if (n == 0) return o == os->empty_bytes ? 1 : -1;
        if (n != 1) return -1;
        return os->bytes1[(uint8_t)PM_BYTES_AS_STRING(o)[0]] == o ? 1 : -1;
    }
    case PM_T_STR: {
        pm_asciiobject *a = (pm_asciiobject *)o;
        if (a->length == 0) return o == os->empty_str ? 1 : -1;
        if (a->length != 1 || a->state.kind != 1 || !a->state.compact) return -1;
        uint8_t c = *(uint8_t *)PM_UNICODE_DATA(o);
        if (os->latin1[c] == o) return 1;
        /* an identifier str interned at start-up (unicodeobject.c) */
        return a->state.statically_allocated && a->state.ascii && a->state.interned && c && strchr("_abcdenprsx", c)
            ? 1 : -1;
    }
    default: return -1;
    }
}

/* Check 5 above: does the object at o (type index tid) fit its block of bs
 * bytes (pre already subtracted)? Reads only header fields inside the block. */
static int fits_block(pm_heap *h, pm_object *o, int tid, size_t room, int pymalloc_block, size_t pre) {
    pm_type *t = &h->os->types[tid];
    switch (tid) {
    case PM_T_INT: {
        if (room < PM_LONG_BASICSIZE + PM_LONG_ITEMSIZE) return 0;
        uint64_t tag = ((pm_long *)o)->lv_tag;
        uint64_t sign = tag & PM_LONG_SIGN_MASK, nd = tag >> PM_LONG_NON_SIZE_BITS;
        if (sign == 3 || (tag & 4) || (nd == 0) != (sign == PM_LONG_SIGN_ZERO)) return 0;
        return nd <= (room - PM_LONG_BASICSIZE) / PM_LONG_ITEMSIZE;
    }
    case PM_T_STR: {
        if (room < PM_UNICODE_ASCII_HEADER + 1) return 0;
        pm_asciiobject *a = (pm_asciiobject *)o;
        unsigned kind = a->state.kind;
        if (!a->state.compact || (kind != 1 && kind != 2 && kind != 4) || (a->state.ascii && kind != 1)) return 0;
        size_t header = a->state.ascii ? PM_UNICODE_ASCII_HEADER : PM_UNICODE_COMPACT_HEADER;
        if (a->length < 0 || room < header) return 0;
        return (uint64_t)a->length + 1 <= (room - header) / kind;
    }
    case PM_T_BYTES: {
        if (room < PM_BYTES_HEADER) return 0;
        int64_t n = PM_SIZE(o);
        return n >= 0 && (uint64_t)n <= room - PM_BYTES_HEADER;
    }
    case PM_T_TUPLE: {
        if (room < PM_TUPLE_BASICSIZE + PM_TUPLE_ITEMSIZE) return 0;
        int64_t n = PM_SIZE(o);
        return n > 0 && (uint64_t)n <= (room - PM_TUPLE_BASICSIZE) / PM_TUPLE_ITEMSIZE;
    }
    case PM_T_CODE: return pm_code_fits(o, room);
    case PM_T_GENERATOR: return pm_gen_fits(o, room);
    default:
        if (t->tp_itemsize) return 0;      /* no other var-sized built-in has instances yet */
        /* fixed size: exactly its size class (all fixed built-ins are small) */
        return pymalloc_block && class_of(pre + t->tp_basicsize) == room + pre;
    }
}

/* A live block starting at b (bounded check, no raw-segment walk), its
 * size in *bs; 0 if none. *freed is set when b is a freed pymalloc block. */
static int live_block(pm_heap *h, uintptr_t b, size_t *bs, int *pymalloc_block, int *freed) {
    if (_pm_arena_of(h, b)) {
        pm_ptr_kind k = pm_ptr_classify(h, (void *)b);
        if (k == PM_PTR_BLOCK_FREE) *freed = 1;
        if (k != PM_PTR_BLOCK_LIVE) return 0;
        *bs = pm_block_size(h, (void *)b);
        *pymalloc_block = 1;
        return 1;
    }
    if (!_pm_raw_is_live(h, (void *)b)) return 0;
    *bs = _pm_raw_requested((void *)b);
    *pymalloc_block = 0;
    return 1;
}

/* 1 if p is a live object of h; else 0 with PM_EBADPTR / PM_EFREED set. */
static int obj_valid(pm_heap *h, uint32_t p) {
    if (!p || (p & 7)) {
        _pm_set_status(h, PM_EBADPTR, "%p is not an object of this heap (%s)", (void *)(uintptr_t)p,
                       p ? "misaligned" : "null");
        return 0;
    }
    int st = static_object(h, p);
    if (st > 0) return 1;
    int freed = 0;
    if (st == 0) {
        static const size_t pres[] = { 0, PM_GC_HEAD_SIZE, PM_GC_HEAD_SIZE + PM_PREHEADER_SIZE };
        for (size_t i = 0; i < sizeof pres / sizeof pres[0]; i++) {
            size_t pre = pres[i], bs;
            int pym;
            if (p < pre) break;
            if (!live_block(h, p - pre, &bs, &pym, &freed)) continue;
            if (bs < pre + sizeof(pm_object)) continue;
            pm_object *o = (pm_object *)(uintptr_t)p;
            int tid = type_index(h, o->ob_type);
            if (tid < 0 || tid == PM_T_TYPE) {
                /* user classes and their instances: classapi.c checks them */
                if (_pmw_class_obj_ok(h, o, pre, bs - pre, pym)) return 1;
                continue;
            }
            if (only_static_instances(tid)) continue;
            if (pm_type_preheader(&h->os->types[tid]) != pre) continue;
            if ((uint32_t)o->ob_refcnt == 0) continue;
            if (!fits_block(h, o, tid, bs - pre, pym, pre)) continue;
            return 1;
        }
        if (!freed) {
            /* error path only: the slow classification tells a freed raw block */
            for (size_t pre = 0; pre <= 32 && pre <= p; pre += 16) {
                pm_ptr_kind k = pm_ptr_classify(h, (void *)(uintptr_t)(p - pre));
                if (k == PM_PTR_BLOCK_FREE || k == PM_PTR_RAW_FREE) freed = 1;
            }
        }
    }
    if (freed)
        _pm_set_status(h, PM_EFREED, "%p is not a live object: its memory was freed (stale handle)",
                       (void *)(uintptr_t)p);
    else
        _pm_set_status(h, PM_EBADPTR, "%p is not an object of this heap", (void *)(uintptr_t)p);
    return 0;
}

/* The object behind handle p, or NULL (status set). */
static pm_object *obj(pm_heap *h, uint32_t p) {
    return obj_valid(h, p) ? (pm_object *)(uintptr_t)p : NULL;
}

static const char *type_name_of(pm_heap *h, int tid) { return h->os->types[tid].tp_name; }

/* The object behind p if it is exactly of type tid (or of tid2 when tid2 >= 0),
 * else NULL with PM_EINVAL naming the operation. */
static pm_object *obj_of(pm_heap *h, uint32_t p, int tid, int tid2, const char *op) {
    pm_object *o = obj(h, p);
    if (!o) return NULL;
    int t = type_index(h, o->ob_type);
    if (t == tid || (tid2 >= 0 && t == tid2)) return o;
    if (tid2 >= 0)
        _pm_set_status(h, PM_EINVAL, "%s: expected a %s or %s object, got '%s'", op, type_name_of(h, tid),
                       type_name_of(h, tid2), PM_TYPE(o)->tp_name);
    else
        _pm_set_status(h, PM_EINVAL, "%s: expected a %s object, got '%s'", op, type_name_of(h, tid),
                       PM_TYPE(o)->tp_name);
    return NULL;
}

/* ---- Transfer buffers -------------------------------------------------------------- */

/* Address of the heap's transfer buffer (PM_SCRATCH_BYTES bytes), 0 if dead. */
EXPORT uint32_t pmw_obj_scratch(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    return h ? (uint32_t)(uintptr_t)h->scratch : 0;
}

/* A host buffer of n bytes for inputs larger than the transfer buffer
 * (process memory, outside every heap); 0 if malloc failed or too many are
 * live. Release it with pmw_buf_free. */
EXPORT uint32_t pmw_buf_alloc(uint32_t n) {
    for (int i = 0; i < PMW_MAX_BUFS; i++) {
        if (g_bufs[i].p) continue;
        uint8_t *p = malloc(n ? n : 1);
        if (!p) return 0;
        g_bufs[i].p = p;
        g_bufs[i].n = n;
        return (uint32_t)(uintptr_t)p;
    }
    return 0;
}

EXPORT int32_t pmw_buf_free(uint32_t p) {
    for (int i = 0; i < PMW_MAX_BUFS; i++) {
        if (g_bufs[i].p && (uint32_t)(uintptr_t)g_bufs[i].p == p) {
            free(g_bufs[i].p);
            g_bufs[i].p = NULL;
            g_bufs[i].n = 0;
            return PM_OK;
        }
    }
    return PM_EBADPTR;
}

/* The input at (p, n) if it lies inside the heap's transfer buffer or a
 * live pmw_buf_alloc buffer; NULL with PM_EINVAL otherwise. */
static const uint8_t *input(pm_heap *h, uint32_t p, uint32_t n, const char *op) {
    uintptr_t a = p, s = (uintptr_t)h->scratch;
    if (a >= s && a <= s + PM_SCRATCH_BYTES && n <= s + PM_SCRATCH_BYTES - a) return (const uint8_t *)a;
    for (int i = 0; i < PMW_MAX_BUFS; i++) {
        uintptr_t b = (uintptr_t)g_bufs[i].p;
        if (b && a >= b && a <= b + g_bufs[i].n && n <= b + g_bufs[i].n - a) return (const uint8_t *)a;
    }
    _pm_set_status(h, PM_EINVAL, "%s: the input (%p, %u bytes) is not inside a transfer buffer", op,
                   (void *)a, (unsigned)n);
    return NULL;
}

/* An array of n object handles at p, each validated. */
static pm_object **handles(pm_heap *h, uint32_t p, uint32_t n, const char *op) {
    if (n > UINT32_MAX / sizeof(uint32_t) || (p & 3)) {
        _pm_set_status(h, PM_EINVAL, "%s: bad item array (%p, %u items)", op, (void *)(uintptr_t)p, (unsigned)n);
        return NULL;
    }
    pm_object **items = (pm_object **)(uintptr_t)input(h, p, n * (uint32_t)sizeof(uint32_t), op);
    if (!items) return NULL;
    for (uint32_t i = 0; i < n; i++)
        if (!obj(h, (uint32_t)(uintptr_t)items[i])) return NULL;
    return items;
}

/* Publishes text: copies sb into the transfer buffer when it fits, else
 * into the host result buffer. Frees sb. Returns the address or 0. */
static uint32_t text_result(pm_heap *h, pm_strbuf *sb) {
    if (sb->failed) {
        _pm_strbuf_free(sb);
        pm_err_nomem(h);
        return 0;
    }
    size_t n = sb->len;
    char *dst = _pm_scratch(h, n + 1);
    if (!dst) {
        free(g_result);
        g_result = malloc(n + 1);
        dst = g_result;
        if (!dst) {
            _pm_strbuf_free(sb);
            _pm_set_status(h, PM_ENOMEM, "no host memory for a %zu-byte result", n);
            return 0;
        }
    }
    if (n) memcpy(dst, sb->buf, n);
    dst[n] = '\0';
    _pm_strbuf_free(sb);
    g_result_len = (uint32_t)n;
    _pm_set_status(h, PM_OK, NULL);
    return (uint32_t)(uintptr_t)dst;
}

/* Length in bytes of the last text result (repr, str contents, int digits, bytes). */
EXPORT uint32_t pmw_obj_text_len(void) { return g_result_len; }

/* ---- Exceptions ----------------------------------------------------------------------- */

/* pm_exc_kind of the pending exception (0: none), or PM_EDEAD. */
EXPORT int32_t pmw_exc_kind(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    return h && h->os ? (int32_t)pm_err_occurred(h) : PM_EDEAD;
}

/* Message of the pending exception (NUL-terminated, "" if none), 0 if dead. */
EXPORT uint32_t pmw_exc_msg(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    return h && h->os ? (uint32_t)(uintptr_t)h->os->exc_msg : 0;
}

/* ---- Generic object protocol ------------------------------------------------------------- */

/* 1 if o is a live object of the heap, 0 if not (status and message say
 * why), PM_EDEAD if the heap is not live. */
EXPORT int32_t pmw_obj_valid(uint32_t hp, uint32_t o) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    if (!obj_valid(h, o)) return 0;
    _pm_set_status(h, PM_OK, NULL);
    return 1;
}

/* Py_INCREF (a no-op on immortals). */
EXPORT int32_t pmw_obj_incref(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *o = obj(h, op);
    if (!o) return pm_heap_last_status(h);
    pm_incref(o);
    return finish(h, 0, 0);
}

/* Py_DECREF: may deallocate o and everything only it kept alive. */
EXPORT int32_t pmw_obj_decref(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *o = obj(h, op);
    if (!o) return pm_heap_last_status(h);
    pm_decref(h, o);
    return finish(h, 0, 1);
}

/* The low 32 bits of ob_refcnt (4294967295 for immortals, as 3.12's
 * sys.getrefcount shows them); 0 if o is not a live object. */
EXPORT uint32_t pmw_obj_refcnt(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *o = obj(h, op);
    if (!o) return 0;
    _pm_set_status(h, PM_OK, NULL);
    return (uint32_t)o->ob_refcnt;
}

/* sys.getsizeof(o); 0 if o is not a live object. */
EXPORT uint32_t pmw_obj_sizeof(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *o = obj(h, op);
    if (!o) return 0;
    _pm_set_status(h, PM_OK, NULL);
    return (uint32_t)pm_object_getsizeof(h, o);
}

/* Built-in type id of o (pm_type_id; PM_T__COUNT for an instance of a
 * user class, PM_T_TYPE for the class itself), or a status. */
EXPORT int32_t pmw_obj_type_id(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *o = obj(h, op);
    if (!o) return pm_heap_last_status(h);
    int tid = type_index(h, o->ob_type);
    return finish(h, tid < 0 ? PM_T__COUNT : tid, 0);   /* PM_T__COUNT: an instance of a user class */
}

/* type(o).__name__ (NUL-terminated), 0 on error. */
EXPORT uint32_t pmw_obj_type_name(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *o = obj(h, op);
    if (!o) return 0;
    _pm_set_status(h, PM_OK, NULL);
    return (uint32_t)(uintptr_t)PM_TYPE(o)->tp_name;
}

/* repr(o) as UTF-8: a text result. */
EXPORT uint32_t pmw_obj_repr(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *o = obj(h, op);
    if (!o) return 0;
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    if (pm_object_repr(h, o, &sb) < 0) {
        _pm_strbuf_free(&sb);
        return 0;
    }
    return text_result(h, &sb);
}

/* hash(o): the address of an int64 in the transfer buffer, 0 on error
 * (TypeError for unhashable objects). */
EXPORT uint32_t pmw_obj_hash(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *o = obj(h, op);
    if (!o) return 0;
    int64_t v = pm_object_hash(h, o);
    if (v == -1 && pm_err_occurred(h)) return 0;
    int64_t *out = _pm_scratch(h, sizeof *out);
    *out = v;
    _pm_set_status(h, PM_OK, NULL);
    return (uint32_t)(uintptr_t)out;
}

/* a == b: 1 or 0, or a status. */
EXPORT int32_t pmw_obj_eq(uint32_t hp, uint32_t ap, uint32_t bp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *a = obj(h, ap), *b = a ? obj(h, bp) : NULL;
    if (!b) return pm_heap_last_status(h);
    return finish(h, pm_object_eq(h, a, b), 0);
}

/* len(o) for str, bytes, tuple, list, dict, set, frozenset and range, as a
 * double (a range can be longer than 2**31); a negative value is a status
 * (TypeError "object of type 'int' has no len()"). */
EXPORT double pmw_obj_len(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *o = obj(h, op);
    if (!o) return pm_heap_last_status(h);
    int64_t n;
    switch (type_index(h, o->ob_type)) {
    case PM_T_STR: n = pm_unicode_length(h, o); break;
    case PM_T_BYTES: n = pm_bytes_size(h, o); break;
    case PM_T_TUPLE: case PM_T_LIST: n = PM_SIZE(o); break;
    case PM_T_DICT: n = pm_dict_len(h, o); break;
    case PM_T_SET: case PM_T_FROZENSET: n = pm_set_len(h, o); break;
    case PM_T_RANGE: n = pm_range_length(h, o); break;
    default:
        pm_err_set(h, PM_EXC_TypeError, "object of type '%s' has no len()", PM_TYPE(o)->tp_name);
        n = -1;
    }
    if (n < 0) return finish(h, -1, 0);
    _pm_set_status(h, PM_OK, NULL);
    return (double)n;
}

/* The singletons (immortal; a "new reference" costs nothing):
 * 0 None, 1 True, 2 False, 3 NotImplemented, 4 Ellipsis. */
EXPORT uint32_t pmw_obj_singleton(uint32_t hp, int32_t which) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_objstate *os = h->os;
    pm_object *o = which == 0 ? os->none : which == 1 ? os->true_ : which == 2 ? os->false_
                 : which == 3 ? os->notimplemented : which == 4 ? os->ellipsis : NULL;
    if (!o) {
        _pm_set_status(h, PM_EINVAL, "no singleton number %d", (int)which);
        return 0;
    }
    _pm_set_status(h, PM_OK, NULL);
    return (uint32_t)(uintptr_t)o;
}

/* ---- int, float ------------------------------------------------------------------------------ */

/* int(d) for an integral double (the small-int cache for -5..256). */
EXPORT uint32_t pmw_int_from_double(uint32_t hp, double d) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    if (d != d || isinf(d) || d != trunc(d)) {
        _pm_set_status(h, PM_EINVAL, "int: not an integral number");
        return 0;
    }
    return finish_obj(h, pm_long_from_double(h, d));
}

/* int(s) for n bytes of text at p (base 10 with Python's syntax: sign,
 * surrounding whitespace, underscores; base prefixes when base is 0). */
EXPORT uint32_t pmw_int_from_text(uint32_t hp, uint32_t p, uint32_t n, int32_t base) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    const uint8_t *s = input(h, p, n, "int");
    if (!s) return 0;
    return finish_obj(h, pm_long_from_string(h, (const char *)s, n, base));
}

/* The value of an int (or bool) in hexadecimal ("0x1f", "-0x1f"): a text result. */
EXPORT uint32_t pmw_int_to_text(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *o = obj(h, op);
    if (!o) return 0;
    if (!pm_long_check(h, o)) {
        _pm_set_status(h, PM_EINVAL, "int value: expected an int object, got '%s'", PM_TYPE(o)->tp_name);
        return 0;
    }
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    if (pm_long_format(h, o, 16, &sb) < 0) {
        _pm_strbuf_free(&sb);
        return 0;
    }
    return text_result(h, &sb);
}

EXPORT uint32_t pmw_float_new(uint32_t hp, double d) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    return finish_obj(h, pm_float_from_double(h, d));
}

/* The value of a float (NaN with a status when o is no float: check the
 * status whenever the result is NaN). */
EXPORT double pmw_float_value(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return NAN;
    pm_object *o = obj_of(h, op, PM_T_FLOAT, -1, "float value");
    if (!o) return NAN;
    _pm_set_status(h, PM_OK, NULL);
    return pm_float_value(o);
}

/* ---- str, bytes ---------------------------------------------------------------------------------- */

/* str from n bytes of UTF-8 at p (strict: UnicodeDecodeError). */
EXPORT uint32_t pmw_str_new(uint32_t hp, uint32_t p, uint32_t n) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    const uint8_t *s = input(h, p, n, "str");
    if (!s) return 0;
    return finish_obj(h, pm_unicode_from_utf8(h, (const char *)s, n));
}

/* sys.intern(s): a new reference to the canonical interned str equal to s
 * (s itself, made interned and immortal, when there is none yet). */
EXPORT uint32_t pmw_str_intern(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *s = obj_of(h, op, PM_T_STR, -1, "intern");
    if (!s) return 0;
    pm_incref(s);
    pm_unicode_intern(h, &s);
    return finish_obj(h, s);
}

/* The contents of a str as UTF-8: a text result (UnicodeEncodeError for a
 * lone surrogate). */
EXPORT uint32_t pmw_str_utf8(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *o = obj_of(h, op, PM_T_STR, -1, "str value");
    if (!o) return 0;
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    if (pm_unicode_write_utf8(h, o, &sb) < 0) {
        _pm_strbuf_free(&sb);
        return 0;
    }
    return text_result(h, &sb);
}

EXPORT uint32_t pmw_bytes_new(uint32_t hp, uint32_t p, uint32_t n) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    const uint8_t *s = input(h, p, n, "bytes");
    if (!s) return 0;
    return finish_obj(h, pm_bytes_from_buffer(h, s, n));
}

/* The contents of a bytes object, in place: the address of its data; the
 * length is pmw_obj_text_len(). Copy it before the next call. */
EXPORT uint32_t pmw_bytes_data(uint32_t hp, uint32_t op) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *o = obj_of(h, op, PM_T_BYTES, -1, "bytes value");
    if (!o) return 0;
    g_result_len = (uint32_t)pm_bytes_size(h, o);
    _pm_set_status(h, PM_OK, NULL);
    return (uint32_t)(uintptr_t)pm_bytes_data(h, o);
}

/* ---- tuple ----------------------------------------------------------------------------------- */

/* Index and slice arguments travel as doubles: NaN is None (slices only),
 * values beyond int64 clamp, as _PyEval_SliceIndex clamps to Py_ssize_t. */
static int64_t index_arg(double d) {
    if (d != d) return PM_SLICE_NONE;
    if (d >= 9223372036854775807.0) return INT64_MAX;
    if (d <= -9223372036854775807.0) return -INT64_MAX;
    return (int64_t)d;
}

/* (items[0], ..., items[n-1]): BUILD_TUPLE of n names (new references to the items). */
EXPORT uint32_t pmw_tuple_new(uint32_t hp, uint32_t items, uint32_t n) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object **v = handles(h, items, n, "tuple");
    if (!v) return 0;
    return finish_obj(h, pm_tuple_from_array(h, v, n));
}

/* t[i] (negative i from the end): a new reference, or IndexError. */
EXPORT uint32_t pmw_tuple_getitem(uint32_t hp, uint32_t tp, double i) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *t = obj_of(h, tp, PM_T_TUPLE, -1, "tuple getitem");
    if (!t) return 0;
    return finish_obj(h, pm_tuple_getitem(h, t, index_arg(i)));
}

/* ---- list ------------------------------------------------------------------------------------- */

/* [items[0], ..., items[n-1]]: BUILD_LIST of n names. */
EXPORT uint32_t pmw_list_new(uint32_t hp, uint32_t items, uint32_t n) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object **v = handles(h, items, n, "list");
    if (!v) return 0;
    /* the display pushes a new reference per name, BUILD_LIST steals them */
    for (uint32_t i = 0; i < n; i++) pm_incref(v[i]);
    return finish_obj(h, pm_list_from_array_steal(h, v, n));
}

EXPORT int32_t pmw_list_append(uint32_t hp, uint32_t lp, uint32_t vp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *l = obj_of(h, lp, PM_T_LIST, -1, "list.append"), *v = l ? obj(h, vp) : NULL;
    if (!v) return pm_heap_last_status(h);
    return finish(h, pm_list_append(h, l, v), 1);
}

EXPORT int32_t pmw_list_insert(uint32_t hp, uint32_t lp, double i, uint32_t vp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *l = obj_of(h, lp, PM_T_LIST, -1, "list.insert"), *v = l ? obj(h, vp) : NULL;
    if (!v) return pm_heap_last_status(h);
    return finish(h, pm_list_insert(h, l, index_arg(i), v), 1);
}

/* l[i] = v */
EXPORT int32_t pmw_list_setitem(uint32_t hp, uint32_t lp, double i, uint32_t vp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *l = obj_of(h, lp, PM_T_LIST, -1, "list setitem"), *v = l ? obj(h, vp) : NULL;
    if (!v) return pm_heap_last_status(h);
    return finish(h, pm_list_setitem(h, l, index_arg(i), v), 1);
}

/* l[i]: a new reference. */
EXPORT uint32_t pmw_list_getitem(uint32_t hp, uint32_t lp, double i) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *l = obj_of(h, lp, PM_T_LIST, -1, "list getitem");
    if (!l) return 0;
    return finish_obj(h, pm_list_getitem(h, l, index_arg(i)));
}

/* l.pop(i): a new reference (l.pop() is i = -1). */
EXPORT uint32_t pmw_list_pop(uint32_t hp, uint32_t lp, double i) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *l = obj_of(h, lp, PM_T_LIST, -1, "list.pop");
    if (!l) return 0;
    return finish_obj(h, pm_list_pop(h, l, index_arg(i)));
}

/* del l[i] */
EXPORT int32_t pmw_list_delitem(uint32_t hp, uint32_t lp, double i) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *l = obj_of(h, lp, PM_T_LIST, -1, "list delitem");
    if (!l) return pm_heap_last_status(h);
    return finish(h, pm_list_delitem(h, l, index_arg(i)), 1);
}

/* l[start:stop:step] (NaN for an omitted part): a new list. */
EXPORT uint32_t pmw_list_getslice(uint32_t hp, uint32_t lp, double start, double stop, double step) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *l = obj_of(h, lp, PM_T_LIST, -1, "list slice");
    if (!l) return 0;
    return finish_obj(h, pm_list_getslice(h, l, index_arg(start), index_arg(stop), index_arg(step)));
}

/* del l[start:stop:step] */
EXPORT int32_t pmw_list_delslice(uint32_t hp, uint32_t lp, double start, double stop, double step) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *l = obj_of(h, lp, PM_T_LIST, -1, "list delslice");
    if (!l) return pm_heap_last_status(h);
    return finish(h, pm_list_delslice(h, l, index_arg(start), index_arg(stop), index_arg(step)), 1);
}

/* l[start:stop:step] = v for a list or tuple v (list_ass_subscript; NaN for an omitted part) */
EXPORT int32_t pmw_list_setslice(uint32_t hp, uint32_t lp, double start, double stop, double step, uint32_t vp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *l = obj_of(h, lp, PM_T_LIST, -1, "list setslice");
    if (!l) return pm_heap_last_status(h);
    pm_object *v = obj_of(h, vp, PM_T_LIST, PM_T_TUPLE, "list setslice value");
    if (!v) return pm_heap_last_status(h);
    return finish(h, pm_list_setslice(h, l, index_arg(start), index_arg(stop), index_arg(step), v), 1);
}

/* l.extend(seq) for a list or tuple seq (l itself included). */
EXPORT int32_t pmw_list_extend(uint32_t hp, uint32_t lp, uint32_t sp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *l = obj_of(h, lp, PM_T_LIST, -1, "list.extend");
    pm_object *s = l ? obj_of(h, sp, PM_T_LIST, PM_T_TUPLE, "list.extend") : NULL;
    if (!s) return pm_heap_last_status(h);
    return finish(h, pm_list_extend(h, l, s), 1);
}

/* ---- dict -------------------------------------------------------------------------------------- */

/* {} */
EXPORT uint32_t pmw_dict_new(uint32_t hp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    return finish_obj(h, pm_dict_new(h));
}

/* dict(): a fresh dict (dict_new through tp_alloc), never the free list, so it
 * counts as a gen-0 allocation where `{}` may not. */
EXPORT uint32_t pmw_dict_call(uint32_t hp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    return finish_obj(h, pm_dict_call(h, NULL));
}

/* dict.fromkeys(src, value) for an exact dict, set or frozenset src (presized,
 * pm_dict_fromkeys); other sources are iterated by the VM. */
EXPORT uint32_t pmw_dict_fromkeys(uint32_t hp, uint32_t sp, uint32_t vp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *src = obj(h, sp), *v = src ? obj(h, vp) : NULL;
    if (!v) return 0;
    return finish_obj(h, pm_dict_fromkeys(h, src, v));
}

/* d[k] = v */
EXPORT int32_t pmw_dict_setitem(uint32_t hp, uint32_t dp, uint32_t kp, uint32_t vp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *d = obj_of(h, dp, PM_T_DICT, -1, "dict setitem");
    pm_object *k = d ? obj(h, kp) : NULL, *v = k ? obj(h, vp) : NULL;
    if (!v) return pm_heap_last_status(h);
    return finish(h, pm_dict_setitem(h, d, k, v), 1);
}

/* d[k]: a new reference, or KeyError. */
EXPORT uint32_t pmw_dict_getitem(uint32_t hp, uint32_t dp, uint32_t kp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *d = obj_of(h, dp, PM_T_DICT, -1, "dict getitem"), *k = d ? obj(h, kp) : NULL;
    if (!k) return 0;
    return finish_obj(h, pm_dict_subscript(h, d, k));
}

/* del d[k] */
EXPORT int32_t pmw_dict_delitem(uint32_t hp, uint32_t dp, uint32_t kp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *d = obj_of(h, dp, PM_T_DICT, -1, "dict delitem"), *k = d ? obj(h, kp) : NULL;
    if (!k) return pm_heap_last_status(h);
    return finish(h, pm_dict_delitem(h, d, k), 1);
}

/* d.pop(k[, deflt]) and d.setdefault(k, deflt): one lookup each (a key's
 * own __eq__ runs as often as in CPython). New reference, or 0 with the
 * status (KeyError when k is absent and deflt is 0 for pop). */
EXPORT uint32_t pmw_dict_pop(uint32_t hp, uint32_t dp, uint32_t kp, uint32_t deflt) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *d = obj_of(h, dp, PM_T_DICT, -1, "dict pop"), *k = d ? obj(h, kp) : NULL;
    pm_object *dv = k && deflt ? obj(h, deflt) : NULL;
    if (!k || (deflt && !dv)) return 0;
    return finish_obj(h, pm_dict_pop(h, d, k, dv));
}
/* d.popitem() (dict_popitem_impl): the result tuple is made before the
 * size is checked, as 3.12 does; KeyError "popitem(): dictionary is empty". */
EXPORT uint32_t pmw_dict_popitem(uint32_t hp, uint32_t dp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *d = obj_of(h, dp, PM_T_DICT, -1, "dict popitem");
    if (!d) return 0;
    pm_object *res = pm_tuple_new(h, 2), *k, *v;
    if (!res) return finish_obj(h, NULL);
    if (pm_dict_popitem(h, d, &k, &v) < 0) {
        pm_decref(h, res);
        return finish_obj(h, NULL);
    }
    PM_TUPLE_SET(res, 0, k);
    PM_TUPLE_SET(res, 1, v);
    return finish_obj(h, res);
}
EXPORT uint32_t pmw_dict_setdefault(uint32_t hp, uint32_t dp, uint32_t kp, uint32_t deflt) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *d = obj_of(h, dp, PM_T_DICT, -1, "dict setdefault"), *k = d ? obj(h, kp) : NULL;
    pm_object *dv = k ? obj(h, deflt) : NULL;
    if (!dv) return 0;
    pm_object *v = pm_dict_setdefault(h, d, k, dv);
    return finish_obj(h, v ? pm_newref(v) : NULL);
}

/* d.copy() (PyDict_Copy), a.update(b) for a dict b (dict_merge), d.clear():
 * the core's whole-dict operations, so no key is looked up again (a key's
 * own __eq__ runs only where CPython runs it). */
EXPORT uint32_t pmw_dict_copy(uint32_t hp, uint32_t dp) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object *d = obj_of(h, dp, PM_T_DICT, -1, "dict copy");
    return d ? finish_obj(h, pm_dict_copy(h, d)) : 0;
}
EXPORT int32_t pmw_dict_update(uint32_t hp, uint32_t ap, uint32_t bp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *a = obj_of(h, ap, PM_T_DICT, -1, "dict update"), *b = a ? obj_of(h, bp, PM_T_DICT, -1, "dict update") : NULL;
    if (!b) return pm_heap_last_status(h);
    return finish(h, pm_dict_update(h, a, b), 1);
}
EXPORT int32_t pmw_dict_clear(uint32_t hp, uint32_t dp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *d = obj_of(h, dp, PM_T_DICT, -1, "dict clear");
    if (!d) return pm_heap_last_status(h);
    pm_dict_clear(h, d);
    return finish(h, 0, 1);
}

/* k in d: 1 or 0, or a status. */
EXPORT int32_t pmw_dict_contains(uint32_t hp, uint32_t dp, uint32_t kp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *d = obj_of(h, dp, PM_T_DICT, -1, "dict contains"), *k = d ? obj(h, kp) : NULL;
    if (!k) return pm_heap_last_status(h);
    return finish(h, pm_dict_contains(h, d, k), 0);
}

/* Iteration in insertion order (PyDict_Next): from entry position pos,
 * returns the position after the next item (> 0) and writes NEW references
 * to its key and value as two u32 at the start of the transfer buffer;
 * 0 at the end; a status on error. */
EXPORT int32_t pmw_dict_next(uint32_t hp, uint32_t dp, int32_t pos) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *d = obj_of(h, dp, PM_T_DICT, -1, "dict iteration");
    if (!d) return pm_heap_last_status(h);
    int64_t i = pos < 0 ? 0 : pos;
    pm_object *k, *v;
    if (!pm_dict_next(h, d, &i, &k, &v)) return finish(h, 0, 0);
    uint32_t *out = _pm_scratch(h, 2 * sizeof *out);
    out[0] = (uint32_t)(uintptr_t)pm_newref(k);
    out[1] = (uint32_t)(uintptr_t)pm_newref(v);
    return finish(h, i, 0);
}

/* ---- set, frozenset ------------------------------------------------------------------------------ */

/* {items...} (BUILD_SET: a new set, then add each) or, with frozen != 0,
 * frozenset(items) (a new frozenset, then add each). */
EXPORT uint32_t pmw_set_new(uint32_t hp, uint32_t items, uint32_t n, int32_t frozen) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object **v = handles(h, items, n, frozen ? "frozenset" : "set");
    if (!v) return 0;
    pm_object *s = frozen ? pm_frozenset_new(h, NULL) : pm_set_new(h, NULL);
    if (s && pmw_set_add_handles(h, s, (const uint32_t *)v, n) < 0) PM_CLEAR(h, s);
    return finish_obj(h, s);
}

int pmw_set_add_handles(pm_heap *h, pm_object *s, const uint32_t *items, uint32_t n) {
    uint32_t *a = malloc((size_t)n * sizeof *a + 1);   /* process memory, not the model heap's */
    if (!a) {
        pm_err_set(h, PM_EXC_MemoryError, "no host memory to copy %u set items", (unsigned)n);
        return -1;
    }
    memcpy(a, items, (size_t)n * sizeof *a);
    int rc = 0;
    for (uint32_t i = 0; i < n && rc == 0; i++) rc = pm_set_add(h, s, (pm_object *)(uintptr_t)a[i]);
    free(a);
    return rc;
}

/* s.add(k) (set only: a frozenset has no add). */
EXPORT int32_t pmw_set_add(uint32_t hp, uint32_t sp, uint32_t kp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *s = obj_of(h, sp, PM_T_SET, -1, "set.add"), *k = s ? obj(h, kp) : NULL;
    if (!k) return pm_heap_last_status(h);
    return finish(h, pm_set_add(h, s, k), 1);
}

/* s.discard(k): 1 if k was there, 0 if not, or a status. */
EXPORT int32_t pmw_set_discard(uint32_t hp, uint32_t sp, uint32_t kp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *s = obj_of(h, sp, PM_T_SET, -1, "set.discard"), *k = s ? obj(h, kp) : NULL;
    if (!k) return pm_heap_last_status(h);
    return finish(h, pm_set_discard(h, s, k), 1);
}

/* k in s: 1 or 0, or a status. */
EXPORT int32_t pmw_set_contains(uint32_t hp, uint32_t sp, uint32_t kp) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *s = obj_of(h, sp, PM_T_SET, PM_T_FROZENSET, "set contains"), *k = s ? obj(h, kp) : NULL;
    if (!k) return pm_heap_last_status(h);
    return finish(h, pm_set_contains(h, s, k), 0);
}

/* Iteration in table order (_PySet_NextEntry): returns the position to
 * continue from (> 0) and writes a NEW reference to the key as a u32 at the
 * start of the transfer buffer; 0 at the end; a status on error. */
EXPORT int32_t pmw_set_next(uint32_t hp, uint32_t sp, int32_t pos) {
    pm_heap *h = enter(hp);
    if (!h) return PM_EDEAD;
    pm_object *s = obj_of(h, sp, PM_T_SET, PM_T_FROZENSET, "set iteration");
    if (!s) return pm_heap_last_status(h);
    int64_t i = pos < 0 ? 0 : pos;
    pm_object *k;
    int64_t hash;
    if (!pm_set_next(h, s, &i, &k, &hash)) return finish(h, 0, 0);
    uint32_t *out = _pm_scratch(h, sizeof *out);
    out[0] = (uint32_t)(uintptr_t)pm_newref(k);
    return finish(h, i, 0);
}

/* The object free lists (3.12) and their limits, for Heap.freeLists():
 * u32 pairs (count, limit): float, list, dict, dict keys, then tuple
 * lengths 1..20. Returns the address of the pairs in the transfer buffer. */
EXPORT uint32_t pmw_obj_freelists(uint32_t hp) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h || !h->os) return 0;
    uint32_t *out = (uint32_t *)_pm_scratch(h, 2 * (4 + PM_TUPLE_MAXSAVESIZE) * sizeof(uint32_t));
    uint32_t k = 0;
    out[k++] = h->freelists.floats;  out[k++] = PM_FLOAT_MAXFREELIST;
    out[k++] = h->freelists.lists;   out[k++] = PM_LIST_MAXFREELIST;
    out[k++] = h->freelists.dicts;   out[k++] = PM_DICT_MAXFREELIST;
    out[k++] = h->os->keys_nfree;    out[k++] = PM_DICT_MAXFREELIST;
    for (int i = 0; i < PM_TUPLE_MAXSAVESIZE; i++) {
        out[k++] = h->freelists.tuples[i];
        out[k++] = PM_TUPLE_MAXFREELIST;
    }
    return (uint32_t)(uintptr_t)out;
}

/* The visualizer's snapshot (core/src/snapshot.h) from the roots in the
 * handle array: returns the address of a pm_snapshot { u32 nobjs, u32 nrefs,
 * pm_snap_obj *objs (32-byte records: ..., u8 flags at 27, u32 weak referent
 * at 28), u32 *refs }, valid until the next snapshot, or 0 (status says
 * why). Reads only: no refcount changes. */
#ifdef __wasm__
_Static_assert(sizeof(pm_snap_obj) == 32 && offsetof(pm_snap_obj, weak) == 28, "snapshot records are 32 bytes in wasm32");
#endif
static uint32_t snapshot_of(uint32_t hp, uint32_t roots, uint32_t n, int traced) {
    pm_heap *h = enter(hp);
    if (!h) return 0;
    pm_object **v = n ? handles(h, roots, n, "snapshot") : NULL;
    if (n && !v) return 0;
    pm_status st = traced ? pm_snapshot_take_traced(h, v, n) : pm_snapshot_take(h, v, n);
    if (st != PM_OK) {
        _pm_set_status(h, st, "snapshot: out of bookkeeping memory");
        return 0;
    }
    _pm_set_status(h, PM_OK, NULL);
    return (uint32_t)(uintptr_t)pm_snapshot_last(h);
}

EXPORT uint32_t pmw_snapshot(uint32_t hp, uint32_t roots, uint32_t n) { return snapshot_of(hp, roots, n, 0); }

/* pmw_snapshot with each object's tracemalloc traceback (id + 1; 0: None) as of the snapshot, a u32
 * array at offset 16 of the answer (pm_snapshot.tracebacks): read during the walk that found each
 * object alive, so none is checked again (pmw_tm_snapshot_tracebacks checks each: a snapshot outlives
 * objects once the program runs on). The playground reads "allocated at" for every object it shows. */
EXPORT uint32_t pmw_snapshot_traced(uint32_t hp, uint32_t roots, uint32_t n) { return snapshot_of(hp, roots, n, 1); }
/* tp_name of built-in type `id` (pm_type_id), or 0 past the last one: lets
 * web/lib check its TYPE_IDS table against the core. */
EXPORT uint32_t pmw_builtin_type_name(uint32_t hp, uint32_t id) {
    pm_heap *h = pmw_live_heap(hp);
    if (!h || !h->os || id >= PM_T__COUNT) return 0;
    return (uint32_t)(uintptr_t)pm_builtin_type(h, (pm_type_id)id)->tp_name;
}

/* ---- For the other glue files (api.h) ---------------------------------------------------- */
pm_heap *pmw_enter(uint32_t hp) { return enter(hp); }
pm_object *pmw_obj(pm_heap *h, uint32_t p) { return obj(h, p); }
int32_t pmw_finish(pm_heap *h, int64_t rc, int mutated) { return finish(h, rc, mutated); }
uint32_t pmw_finish_obj(pm_heap *h, pm_object *o) { return finish_obj(h, o); }
pm_object *pmw_obj_of(pm_heap *h, uint32_t p, int tid, const char *op) { return obj_of(h, p, tid, -1, op); }
