/* dictobject.h — dict objects and their keys tables (CPython 3.12,
 * Objects/dictobject.c, Include/internal/pycore_dict.h).
 *
 * Layout (64-bit model sizes; the host structs fit inside, see the static
 * asserts in dictobject.c):
 *
 *   dict object    [GC head 16][PyDictObject 48]               from pm_object_alloc, or the dict free list
 *   keys object    [header 32][indices 2^k * 1|2|4|8][entries usable * 16|24]
 *                  one PyObject_Malloc (OBJ domain) block of exactly that size,
 *                  or the free list of 8-slot "unicode" keys objects
 *
 * An empty dict points at a shared, immutable, immortal empty keys object
 * (CPython's Py_EMPTY_KEYS): it belongs to no heap, is never freed and is not
 * counted by __sizeof__, so sys.getsizeof({}) == 64.
 *
 * Keys kinds: a "unicode" table (every key an exact str) stores 16-byte
 * (key, value) entries and takes the hash from the str; a "general" table
 * stores 24-byte (hash, key, value) entries. Inserting a non-str key into a
 * unicode table rebuilds it as a general one (insertdict -> dictresize).
 *
 * SPLIT tables (reference §2.8): the keys object of a class (3.12's
 * ht_cached_keys, _PyDict_NewKeysForClass: 64 slots, dk_usable 30) holds
 * the attribute names of all its instances in unicode entries whose values
 * stay NULL. Each instance owns a "values" block (PyMem_Malloc, MEM domain):
 *
 *     [insertion-order prefix: round_up(n + 2, 8) bytes][n value pointers, 8 model bytes each]
 *                                                       ^ pm_dictvalues * points here
 *
 * with prefix[-1] = prefix size, prefix[-2] = number of values present and
 * prefix[-3 - i] = the entry index of the i-th value in insertion order.
 * n = dk_nentries + dk_usable of the shared keys when the block is made.
 * A split dict (ma_values != NULL) is a dict object sharing those keys
 * (dk_refcnt counts the class and every such dict) and pointing at an
 * instance's values. Iteration follows the insertion-order prefix; release
 * (clear, dealloc, the instance's own dealloc) goes by entry index, as 3.12
 * does. Anything the shared table cannot take (a non-str key, a 31st name,
 * popitem) converts the dict to a combined table (dictresize).
 *
 * Reference conventions are CPython's: "new" results are owned by the
 * caller, "borrowed" ones are not; failures return NULL / -1 with an
 * exception set in the heap (pm_err_*).
 */
#ifndef PM_DICTOBJECT_H
#define PM_DICTOBJECT_H

#include "object.h"
#include "tupleobject.h"   /* pm_iternext_fn */

/* ---- Model constants ---------------------------------------------------- */
#define PM_DICT_LOG_MINSIZE      3
#define PM_DICT_MINSIZE          8
#define PM_DICT_OBJECT_SIZE      48      /* sizeof(PyDictObject), 64-bit */
#define PM_DICT_KEYS_HEADER_SIZE 32      /* sizeof(PyDictKeysObject), 64-bit */
#define PM_DICT_GENERAL_ENTRY_SIZE 24    /* sizeof(PyDictKeyEntry) */
#define PM_DICT_UNICODE_ENTRY_SIZE 16    /* sizeof(PyDictUnicodeEntry) */
#define PM_DICT_KEYS_MAXFREELIST 80      /* PyDict_MAXFREELIST, for keys objects */

/* dk_indices values besides an entry index */
#define PM_DKIX_EMPTY   (-1)
#define PM_DKIX_DUMMY   (-2)

typedef enum pm_dictkeys_kind {
    PM_DICT_KEYS_GENERAL = 0,
    PM_DICT_KEYS_UNICODE = 1,
    PM_DICT_KEYS_SPLIT = 2            /* shared instance keys (a class's ht_cached_keys) */
} pm_dictkeys_kind;

/* PyDictKeysObject header. The index table follows the header directly
 * (1 << dk_log2_index_bytes bytes), then the entries array. All fields
 * have fixed widths, so the host header is the model's 32 bytes. */
typedef struct pm_dictkeys {
    int64_t dk_refcnt;                /* PM_IMMORTAL_REFCNT for the shared empty keys */
    uint8_t dk_log2_size;             /* table size 1 << dk_log2_size */
    uint8_t dk_log2_index_bytes;      /* index table bytes 1 << this */
    uint8_t dk_kind;                  /* pm_dictkeys_kind */
    uint8_t _pad;
    uint32_t dk_version;              /* CPython's keys version (specialisation); kept at 0 */
    int64_t dk_usable;                /* entries that can still be appended */
    int64_t dk_nentries;              /* entries used, including deleted (NULL) ones */
} pm_dictkeys;

/* Entry layouts (host). Deleted entries have key == value == NULL. */
typedef struct pm_dictkeyentry {
    int64_t me_hash;
    pm_object *me_key;
    pm_object *me_value;
} pm_dictkeyentry;                    /* model: 24 bytes */

typedef struct pm_dictunicodeentry {
    pm_object *me_key;                /* exact str; hash cached in the str */
    pm_object *me_value;
} pm_dictunicodeentry;                /* model: 16 bytes */

/* PyDictObject. CPython's ma_version_tag is 64-bit; it is not observable
 * from Python, so the host keeps 32 bits of it and uses the other 32 for
 * model-only flags (the repr recursion guard, CPython's Py_ReprEnter). */
typedef struct pm_dictobject {
    pm_object ob_base;
    int64_t ma_used;                  /* number of items */
    uint32_t ma_version_tag;
    uint32_t ma_flags;                /* PM_DICT_FLAG_* */
    pm_dictkeys *ma_keys;
    struct pm_dictvalues *ma_values;  /* split tables only: the values block, else NULL */
} pm_dictobject;

#define PM_DICT_FLAG_REPR 1u          /* repr() of this dict is in progress */

/* ---- Keys-object accessors (read-only views for tests, gc, snapshots) ---- */
static inline int64_t pm_dictkeys_size(const pm_dictkeys *dk) { return (int64_t)1 << dk->dk_log2_size; }
static inline void *pm_dictkeys_indices(const pm_dictkeys *dk) { return (char *)(dk + 1); }
static inline void *pm_dictkeys_entries(const pm_dictkeys *dk) {
    return (char *)(dk + 1) + ((size_t)1 << dk->dk_log2_index_bytes);
}
/* _PyDict_KeysSize: the model byte count of a combined keys object. */
size_t pm_dictkeys_model_size(const pm_dictkeys *dk);
/* The shared empty keys object (Py_EMPTY_KEYS). */
const pm_dictkeys *pm_dict_empty_keys(void);

/* ---- Split tables: shared keys and instance values ----------------------- */
#define PM_SHARED_KEYS_MAX_SIZE        30   /* SHARED_KEYS_MAX_SIZE */
#define PM_NEXT_LOG2_SHARED_KEYS_SIZE   6   /* NEXT_LOG2_SHARED_KEYS_MAX_SIZE */

/* An instance's values: an opaque handle on the value pointers (host
 * pointers in 8-byte model slots), preceded by the insertion-order prefix. */
typedef struct pm_dictvalues pm_dictvalues;
static inline pm_object **pm_dictvalues_array(pm_dictvalues *v) { return (pm_object **)(void *)v; }
/* shared_keys_usable_size: value slots a new values block gets. */
static inline int64_t pm_dictkeys_shared_usable(const pm_dictkeys *dk) { return dk->dk_nentries + dk->dk_usable; }
/* Model bytes of a values block with n slots (new_values): round_up(n + 2, 8) + 8n. */
static inline size_t pm_dictvalues_model_size(int64_t n) { return (((size_t)n + 2 + 7) & ~(size_t)7) + 8 * (size_t)n; }
/* Number of values present (the insertion-order count byte). */
static inline int pm_dictvalues_count(pm_dictvalues *v) { return ((uint8_t *)v)[-2]; }
/* Entry index of the i-th value in insertion order. */
static inline int pm_dictvalues_order(pm_dictvalues *v, int i) { return ((uint8_t *)v)[-3 - i]; }

/* The pre-header's dict-or-values word (PM_PREHEADER_DICT): a values block
 * tagged with bit 0, or a dict object (or 0). */
static inline int pm_dorv_is_values(uintptr_t w) { return (int)(w & 1u); }
static inline pm_dictvalues *pm_dorv_values(uintptr_t w) { return (pm_dictvalues *)(w & ~(uintptr_t)1); }
static inline uintptr_t pm_dorv_from_values(pm_dictvalues *v) { return (uintptr_t)v | 1u; }

/* _PyDict_NewKeysForClass: a new shared keys object (refcount 1), or NULL
 * + MemoryError. */
pm_dictkeys *_pm_dict_new_keys_for_class(pm_heap *h);
/* dictkeys_decref (frees the keys and releases their key strs at 0). */
void _pm_dictkeys_decref(pm_heap *h, pm_dictkeys *dk);
/* init_inline_values: the values block of a new instance; decrements the
 * shared keys' dk_usable while it is > 1, then sizes the block for
 * nentries + usable. NULL + MemoryError. */
pm_dictvalues *_pm_dict_new_instance_values(pm_heap *h, pm_dictkeys *keys);
/* _PyObject_GetInstanceAttribute: borrowed value of name (an exact str) in
 * the values, or NULL when absent (no exception). */
pm_object *_pm_dict_instance_get(pm_heap *h, pm_dictkeys *keys, pm_dictvalues *values, pm_object *name);
/* _PyObject_StoreInstanceAttribute: obj.name = value (value NULL: del) for
 * an object whose pre-header holds `values`. Adds the name to the shared
 * keys if it can; otherwise converts the values into a dict stored in the
 * pre-header and does the operation there (KeyError when deleting a
 * missing name from it). Deleting a missing name from the values is
 * AttributeError "'T' object has no attribute 'name'". 0 or -1. */
int _pm_dict_instance_store(pm_heap *h, pm_object *obj, pm_dictkeys *keys, pm_dictvalues *values,
                            pm_object *name, pm_object *value);
/* make_dict_from_instance_attributes: a split dict taking over `values`
 * (no copy), tracked when a value may be tracked. NULL + MemoryError
 * (values stay with the caller then). */
pm_object *_pm_dict_from_instance_values(pm_heap *h, pm_dictkeys *keys, pm_dictvalues *values);
/* new_dict_with_shared_keys: an empty split dict with a fresh values block. */
pm_object *_pm_dict_new_with_shared_keys(pm_heap *h, pm_dictkeys *keys);
/* Releases the values present, by entry index (slot by slot, clearing each
 * first), then frees the block (_PyObject_FreeInstanceAttributes,
 * _PyObject_ClearManagedDict). */
void _pm_dict_free_instance_values(pm_heap *h, pm_dictkeys *keys, pm_dictvalues *values);
/* Visits the values present, by entry index. */
int _pm_dict_visit_instance_values(pm_dictkeys *keys, pm_dictvalues *values, pm_visitproc visit, void *arg);

/* PySequence_Fast for what the model needs: the items of a tuple or list
 * as they are (borrowed). 1, or 0 for any other type. */
int _pm_fast_items(pm_heap *h, pm_object *o, pm_object *const **items, int64_t *n);

/* ---- Type checks ------------------------------------------------------ */
static inline int pm_dict_check_exact(pm_heap *h, pm_object *o) {
    return PM_TYPE(o) == pm_builtin_type(h, PM_T_DICT);
}
#define pm_dict_check pm_dict_check_exact   /* no dict subclasses yet */

/* ---- Construction ------------------------------------------------------- */

/* PyDict_New / `{}`: takes a dict from the free list when it has one
 * (no allocation, no gen-0 count), else allocates 64 bytes. Untracked. */
pm_object *pm_dict_new(pm_heap *h);

/* `dict()` and `dict(mapping)` (dict_vectorcall -> dict_new): always a
 * fresh allocation through tp_alloc (_PyType_AllocNoTrack), never the free
 * list; then, if arg is non-NULL, dict_update_arg(arg). Only dict arguments
 * are supported (keyword arguments: call pm_dict_setitem per name). */
pm_object *pm_dict_call(pm_heap *h, pm_object *arg);

/* _PyDict_FromItems: what BUILD_MAP n and BUILD_CONST_KEY_MAP n do. The
 * table is presized for n items (general layout unless every key is an
 * exact str), then the pairs are set in order. The 3.12 compiler emits this
 * only for displays of at most 15 key/value pairs; from 16 pairs on it
 * emits BUILD_MAP 0 followed by one MAP_ADD (pm_dict_setitem) per pair. */
pm_object *pm_dict_from_items(pm_heap *h, pm_object *const *keys, pm_object *const *values, int64_t n);

/* ---- Item access ---------------------------------------------------------- */

/* PyDict_SetItem: d[key] = value. Increfs value and, if the key is new,
 * the key; replacing a value keeps the dict's original key object. */
int pm_dict_setitem(pm_heap *h, pm_object *d, pm_object *key, pm_object *value);

/* PyDict_GetItemWithError: borrowed value; NULL without an exception when
 * the key is absent, NULL with one if hashing or comparing failed. */
pm_object *pm_dict_getitem(pm_heap *h, pm_object *d, pm_object *key);

/* d[key] (dict_subscript): new reference, or NULL + KeyError. */
pm_object *pm_dict_subscript(pm_heap *h, pm_object *d, pm_object *key);

/* del d[key] (PyDict_DelItem): 0, or -1 + KeyError. */
int pm_dict_delitem(pm_heap *h, pm_object *d, pm_object *key);

/* key in d: 1, 0, or -1 + exception. */
int pm_dict_contains(pm_heap *h, pm_object *d, pm_object *key);

/* _PyDict_Contains_KnownHash: hash is the key's hash, already computed. */
int pm_dict_contains_known_hash(pm_heap *h, pm_object *d, pm_object *key, int64_t hash);

/* len(d) */
int64_t pm_dict_len(pm_heap *h, pm_object *d);

/* d.get(key, deflt): new reference (deflt may be NULL: None). */
pm_object *pm_dict_get(pm_heap *h, pm_object *d, pm_object *key, pm_object *deflt);

/* d.pop(key[, deflt]): new reference; deflt NULL means "no default"
 * (KeyError when absent). */
pm_object *pm_dict_pop(pm_heap *h, pm_object *d, pm_object *key, pm_object *deflt);

/* PyDict_SetDefault: borrowed reference to the value now stored. */
pm_object *pm_dict_setdefault(pm_heap *h, pm_object *d, pm_object *key, pm_object *deflt);

/* d.popitem(): removes the last item and hands over both references
 * (*key, *value owned by the caller). CPython allocates the result 2-tuple
 * BEFORE looking at the dict, so the interpreter must create the tuple
 * first and then call this. 0, or -1 + KeyError when empty. */
int pm_dict_popitem(pm_heap *h, pm_object *d, pm_object **key, pm_object **value);

/* d.clear() (PyDict_Clear): back to the shared empty keys; the old keys
 * object releases its entries in insertion order (key, then value). */
void pm_dict_clear(pm_heap *h, pm_object *d);

/* ---- Iteration by entry index (PyDict_Next) ----------------------------
 *     int64_t pos = 0; pm_object *k, *v;
 *     while (pm_dict_next(h, d, &pos, &k, &v)) { ... borrowed k, v ... }
 * Insertion order; deleted entries are skipped. Mutating the dict (other
 * than replacing values of existing keys) invalidates pos. key/value may
 * be NULL. pm_dict_next_hash also returns the stored hash. */
int pm_dict_next(pm_heap *h, pm_object *d, int64_t *pos, pm_object **key, pm_object **value);
int pm_dict_next_hash(pm_heap *h, pm_object *d, int64_t *pos, pm_object **key, pm_object **value,
                      int64_t *hash);
/* Reverse iteration (dict_reverse*iterator, 3.12's dictreviter_iternext):
 * start at pos = pm_dict_last_pos(d); each call returns the live entry at
 * pos or the nearest one below it (split tables: the pos-th value in
 * insertion order) and sets pos below it. 0 when none is left. */
int64_t pm_dict_last_pos(pm_object *d);
int pm_dict_prev(pm_heap *h, pm_object *d, int64_t *pos, pm_object **key, pm_object **value);

/* ---- Whole-dict operations ---------------------------------------------- */

/* d.copy() (PyDict_Copy): clones a compact table in one block, else merges
 * into a fresh dict. Keeps the tracking state. */
pm_object *pm_dict_copy(pm_heap *h, pm_object *d);

/* dict.fromkeys(src, value) for an exact dict, set or frozenset src: a fresh
 * dict presized for len(src), the keys in src's order (_PyDict_FromKeys's fast
 * paths). Any other src: NULL + TypeError; the caller iterates it instead
 * (pm_dict_call(h, NULL), then pm_dict_setitem per key). */
pm_object *pm_dict_fromkeys(pm_heap *h, pm_object *src, pm_object *value);

/* dict_merge(a, b, override): b must be a dict. override 1 = update
 * (d.update(b), dict(b)), 0 = keep existing keys, 2 = KeyError on a
 * duplicate key (used for **kwargs). 0 or -1 + exception. */
int pm_dict_merge(pm_heap *h, pm_object *a, pm_object *b, int override);
static inline int pm_dict_update(pm_heap *h, pm_object *a, pm_object *b) { return pm_dict_merge(h, a, b, 1); }

/* PyDict_MergeFromSeq2: for each item `next` produces (new references,
 * NULL at the end or with an exception set), which must be a tuple or list
 * of length 2, d[item[0]] = item[1] (override != 0) or d.setdefault(...)
 * (override == 0). dict(iterable) is pm_dict_call(h, NULL) followed by the
 * iterator's creation and this. Errors as CPython: TypeError "cannot
 * convert dictionary update sequence element #i to a sequence", ValueError
 * "dictionary update sequence element #i has length n; 2 is required". */
int pm_dict_merge_from_seq2(pm_heap *h, pm_object *d, pm_iternext_fn next, void *ctx, int override);

/* a == b for two dicts (dict_equal): 1, 0, or -1 + exception. */
int pm_dict_eq(pm_heap *h, pm_object *a, pm_object *b);

/* _PyDict_MaybeUntrack: untracks a tracked exact dict none of whose keys or
 * values may be tracked (gc: full collections). */
void pm_dict_maybe_untrack(pm_heap *h, pm_object *d);


/* Number of dicts on the free list (h->freelists.dicts) and of keys
 * objects on the keys free list. */
uint32_t pm_dict_freelist_len(pm_heap *h);
uint32_t pm_dict_keys_freelist_len(pm_heap *h);

#endif /* PM_DICTOBJECT_H */
