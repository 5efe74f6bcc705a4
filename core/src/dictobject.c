/* dictobject.c — dict objects (CPython 3.12 Objects/dictobject.c).
 *
 * What is modelled exactly, because it is observable:
 *   - sizes: the dict object (48 + GC 16), every keys object allocation
 *     (32 + index table + usable entries of 16 or 24 bytes), the growth rule
 *     (GROWTH_RATE = used * 3 through calculate_log2_keysize, including its
 *     3.12 quirk: any request below 8 with bit 3 clear rounds to 16), the
 *     presizing of displays and merges, and that deleting never shrinks;
 *   - the order of allocations and frees (new table before the old one is
 *     released; the keys free list of 8-slot unicode tables; the dict free
 *     list of 80 objects, bypassed by dict() which uses tp_alloc);
 *   - insertion order, the entry-by-entry release order on clear/dealloc
 *     (key then value), and which key object survives a value replacement;
 *   - GC tracking (MAINTAIN_TRACKING: untracked until a key or value that
 *     may be tracked is stored);
 *   - CPython's open addressing (perturb >> 5, i = 5i + perturb + 1), with
 *     64-bit hash arithmetic on every host.
 *   - split tables (dictobject.h): shared class keys, per-instance values
 *     blocks with their insertion-order prefix, conversion to a combined
 *     table by dictresize, release by entry index.
 */
#include "dictobject.h"
#include "tracemalloc.h"
#include "listobject.h"
#include "unicodeobject.h"
#include "typeobject.h"
#include "setobject.h"

/* ---- Host structs must fit in the model sizes ------------------------- */
_Static_assert(sizeof(pm_dictobject) <= PM_DICT_OBJECT_SIZE, "dict object larger than the model's 48 bytes");
_Static_assert(sizeof(pm_dictkeys) == PM_DICT_KEYS_HEADER_SIZE, "keys header must be the model's 32 bytes");
_Static_assert(sizeof(pm_dictkeyentry) <= PM_DICT_GENERAL_ENTRY_SIZE, "general entry larger than 24 bytes");
_Static_assert(sizeof(pm_dictunicodeentry) <= PM_DICT_UNICODE_ENTRY_SIZE, "unicode entry larger than 16 bytes");
_Static_assert(PM_DICT_KEYS_MAXFREELIST <= PM_DICT_MAXFREELIST, "keys free list must fit os->keys_free");

#define PERTURB_SHIFT 5
#define DKIX_EMPTY PM_DKIX_EMPTY
#define DKIX_DUMMY PM_DKIX_DUMMY
#define DKIX_ERROR (-3)
#define DKIX_KEY_CHANGED (-4)

#define USABLE_FRACTION(n) (((n) << 1) / 3)
#define GROWTH_RATE(d) ((d)->ma_used * 3)
#define DK_SIZE(dk) ((int64_t)1 << (dk)->dk_log2_size)
#define DK_MASK(dk) ((uint64_t)DK_SIZE(dk) - 1)
#define DK_IS_UNICODE(dk) ((dk)->dk_kind != PM_DICT_KEYS_GENERAL)
#define DK_ENTRIES(dk) ((pm_dictkeyentry *)pm_dictkeys_entries(dk))
#define DK_UNICODE_ENTRIES(dk) ((pm_dictunicodeentry *)pm_dictkeys_entries(dk))
#define DV(v) pm_dictvalues_array(v)

/* Py_EMPTY_KEYS: immutable, shared by every heap (it is only ever read:
 * dictkeys_incref/decref skip immortal counts, and every writer checks for
 * it first). log2 size 0 with one byte of index, DICT_KEYS_UNICODE. */
static const struct {
    pm_dictkeys k;
    int8_t indices[8];
} empty_keys_struct = {
    { PM_IMMORTAL_REFCNT, 0, 0, PM_DICT_KEYS_UNICODE, 0, 1, 0, 0 },
    { DKIX_EMPTY, DKIX_EMPTY, DKIX_EMPTY, DKIX_EMPTY, DKIX_EMPTY, DKIX_EMPTY, DKIX_EMPTY, DKIX_EMPTY },
};
#define Py_EMPTY_KEYS ((pm_dictkeys *)&empty_keys_struct.k)

const pm_dictkeys *pm_dict_empty_keys(void) { return &empty_keys_struct.k; }

static void dict_dealloc(pm_heap *h, pm_object *op);

/* ---- Small helpers ---------------------------------------------------- */

static inline pm_type *dict_type(pm_heap *h) { return pm_builtin_type(h, PM_T_DICT); }
static inline int unicode_check_exact(pm_heap *h, pm_object *o) { return PM_TYPE(o) == pm_builtin_type(h, PM_T_STR); }

/* unicode_get_hash: the str caches its hash, so asking the type is cheap
 * and cannot fail. */
static inline int64_t unicode_get_hash(pm_heap *h, pm_object *o) { return pm_object_hash(h, o); }

/* The hash CPython computes before a lookup: a str's cached hash or
 * PyObject_Hash. -1 + exception if unhashable. */
static inline int64_t dict_key_hash(pm_heap *h, pm_object *key) { return pm_object_hash(h, key); }

static int bit_length64(uint64_t x) {
    int n = 0;
    while (x) { n++; x >>= 1; }
    return n;
}

/* calculate_log2_keysize (3.12, 64-bit): (minsize | 8) - 1, then the bit
 * length of that | 7. Not quite "the smallest power of two >= minsize":
 * minsize 1..7 gives 16 and 16 gives 32. */
static uint8_t calculate_log2_keysize(int64_t minsize) {
    uint64_t m = ((uint64_t)minsize | PM_DICT_MINSIZE) - 1;
    return (uint8_t)bit_length64(m | (PM_DICT_MINSIZE - 1));
}

/* estimate_log2_keysize: room for n entries without resizing. */
static uint8_t estimate_log2_keysize(int64_t n) { return calculate_log2_keysize((n * 3 + 1) / 2); }

#define MAINTAIN_TRACKING(h, mp, key, value) do {                                  \
        if (!pm_gc_is_tracked((pm_object *)(mp)) &&                               \
            (pm_object_may_be_tracked((h), (key)) || pm_object_may_be_tracked((h), (value)))) \
            pm_gc_track((h), (pm_object *)(mp));                                   \
    } while (0)

static void set_key_error(pm_heap *h, pm_object *key) {
    pm_strbuf sb;
    _pm_strbuf_init(&sb, h);
    if (pm_object_repr(h, key, &sb) < 0 || sb.failed) {
        _pm_strbuf_free(&sb);
        if (pm_err_occurred(h) == PM_EXC_MemoryError) return;
        pm_err_set(h, PM_EXC_KeyError, "<unrepresentable key>");
        return;
    }
    pm_err_set(h, PM_EXC_KeyError, "%s", sb.buf ? sb.buf : "");
    _pm_strbuf_free(&sb);
}

/* ---- Index table ---------------------------------------------------------- */

static inline int64_t dictkeys_get_index(const pm_dictkeys *dk, uint64_t i) {
    int log2size = dk->dk_log2_size;
    const void *ix = pm_dictkeys_indices(dk);
    if (log2size < 8) return ((const int8_t *)ix)[i];
    if (log2size < 16) return ((const int16_t *)ix)[i];
    if (log2size >= 32) return ((const int64_t *)ix)[i];
    return ((const int32_t *)ix)[i];
}

static inline void dictkeys_set_index(pm_dictkeys *dk, uint64_t i, int64_t ix) {
    int log2size = dk->dk_log2_size;
    void *p = pm_dictkeys_indices(dk);
    if (log2size < 8) ((int8_t *)p)[i] = (int8_t)ix;
    else if (log2size < 16) ((int16_t *)p)[i] = (int16_t)ix;
    else if (log2size >= 32) ((int64_t *)p)[i] = ix;
    else ((int32_t *)p)[i] = (int32_t)ix;
}

static size_t entry_model_size(int unicode) {
    return unicode ? PM_DICT_UNICODE_ENTRY_SIZE : PM_DICT_GENERAL_ENTRY_SIZE;
}
static size_t entry_host_size(int unicode) {
    return unicode ? sizeof(pm_dictunicodeentry) : sizeof(pm_dictkeyentry);
}

size_t pm_dictkeys_model_size(const pm_dictkeys *dk) {
    size_t es = entry_model_size(DK_IS_UNICODE(dk));
    return PM_DICT_KEYS_HEADER_SIZE + ((size_t)1 << dk->dk_log2_index_bytes) + (size_t)USABLE_FRACTION(DK_SIZE(dk)) * es;
}

/* Host bytes of a keys object actually in use (header, indices, entries). */
static size_t dictkeys_host_size(const pm_dictkeys *dk) {
    return sizeof(pm_dictkeys) + ((size_t)1 << dk->dk_log2_index_bytes)
         + (size_t)USABLE_FRACTION(DK_SIZE(dk)) * entry_host_size(DK_IS_UNICODE(dk));
}

/* ---- Keys objects ----------------------------------------------------------- */

static pm_dictkeys *new_keys_object(pm_heap *h, uint8_t log2_size, int unicode) {
    pm_objstate *os = h->os;
    int64_t usable = USABLE_FRACTION((int64_t)1 << log2_size);
    int log2_bytes;
    if (log2_size < 8) log2_bytes = log2_size;
    else if (log2_size < 16) log2_bytes = log2_size + 1;
    else if (log2_size >= 32) log2_bytes = log2_size + 3;
    else log2_bytes = log2_size + 2;

    pm_dictkeys *dk;
    if (log2_size == PM_DICT_LOG_MINSIZE && unicode && os->keys_nfree > 0) {
        dk = os->keys_free[--os->keys_nfree];
    } else {
        uint64_t bytes = (uint64_t)PM_DICT_KEYS_HEADER_SIZE + ((uint64_t)1 << log2_bytes)
                       + (uint64_t)entry_model_size(unicode) * (uint64_t)usable;
        if (log2_bytes >= 48 || bytes > (uint64_t)SIZE_MAX) {
            _pm_set_status(h, PM_ENOMEM, "dict keys table of 2**%d slots is too large", log2_size);
            pm_err_nomem(h);
            return NULL;
        }
        dk = pm_malloc(h, PM_DOMAIN_OBJ, (size_t)bytes);
        if (!dk) { pm_err_nomem(h); return NULL; }
    }
    dk->dk_refcnt = 1;
    dk->dk_log2_size = log2_size;
    dk->dk_log2_index_bytes = (uint8_t)log2_bytes;
    dk->dk_kind = unicode ? PM_DICT_KEYS_UNICODE : PM_DICT_KEYS_GENERAL;
    dk->_pad = 0;
    dk->dk_nentries = 0;
    dk->dk_usable = usable;
    dk->dk_version = 0;
    memset(pm_dictkeys_indices(dk), 0xff, (size_t)1 << log2_bytes);
    memset(pm_dictkeys_entries(dk), 0, entry_host_size(unicode) * (size_t)usable);
    return dk;
}

/* Puts a keys object whose entries are already released (or moved) on the
 * keys free list, or frees it. */
static void keys_object_release_block(pm_heap *h, pm_dictkeys *keys) {
    pm_objstate *os = h->os;
    if (keys->dk_log2_size == PM_DICT_LOG_MINSIZE && DK_IS_UNICODE(keys)
        && os->keys_nfree < PM_DICT_KEYS_MAXFREELIST) {
        os->keys_free[os->keys_nfree++] = keys;
        return;
    }
    pm_free(h, PM_DOMAIN_OBJ, keys);
}

static void free_keys_object(pm_heap *h, pm_dictkeys *keys) {
    int64_t n = keys->dk_nentries;
    if (DK_IS_UNICODE(keys)) {
        pm_dictunicodeentry *entries = DK_UNICODE_ENTRIES(keys);
        for (int64_t i = 0; i < n; i++) {
            pm_xdecref(h, entries[i].me_key);
            pm_xdecref(h, entries[i].me_value);
        }
    } else {
        pm_dictkeyentry *entries = DK_ENTRIES(keys);
        for (int64_t i = 0; i < n; i++) {
            pm_xdecref(h, entries[i].me_key);
            pm_xdecref(h, entries[i].me_value);
        }
    }
    keys_object_release_block(h, keys);
}

static inline void dictkeys_decref(pm_heap *h, pm_dictkeys *dk) {
    if (dk->dk_refcnt == (int64_t)PM_IMMORTAL_REFCNT) return;
    if (--dk->dk_refcnt == 0) free_keys_object(h, dk);
}

void _pm_dictkeys_decref(pm_heap *h, pm_dictkeys *dk) { dictkeys_decref(h, dk); }

/* ---- Values blocks of split tables ---------------------------------------------
 * new_values: one PyMem_Malloc of round_up(n + 2, 8) + 8n bytes; the host
 * keeps its (4- or 8-byte) pointers in the 8-byte model slots' room. */
_Static_assert(sizeof(pm_object *) <= 8, "a value pointer must fit its 8-byte model slot");

static pm_dictvalues *new_values(pm_heap *h, int64_t n) {
    size_t prefix = (((size_t)n + 2) + 7) & ~(size_t)7;
    uint8_t *mem = pm_malloc(h, PM_DOMAIN_MEM, pm_dictvalues_model_size(n));
    if (!mem) { pm_err_nomem(h); return NULL; }
    memset(mem, 0, prefix);
    mem[prefix - 1] = (uint8_t)prefix;
    pm_dictvalues *v = (pm_dictvalues *)(void *)(mem + prefix);
    memset(DV(v), 0, (size_t)n * sizeof(pm_object *));
    return v;
}

static void free_values(pm_heap *h, pm_dictvalues *v) {
    uint8_t prefix = ((uint8_t *)v)[-1];
    pm_free(h, PM_DOMAIN_MEM, (uint8_t *)v - prefix);
}

/* _PyDictValues_AddToInsertionOrder */
static void values_add_order(pm_dictvalues *v, int64_t ix) {
    uint8_t *size_ptr = (uint8_t *)v - 2;
    int size = *size_ptr + 1;
    size_ptr[-size] = (uint8_t)ix;
    *size_ptr = (uint8_t)size;
}

/* delete_index_from_values: drops ix from the order, closing the gap. */
static void values_delete_order(pm_dictvalues *v, int64_t ix) {
    uint8_t *size_ptr = (uint8_t *)v - 2;
    int size = *size_ptr, i = 1;
    while (i <= size && size_ptr[-i] != (uint8_t)ix) i++;
    for (; i < size; i++) size_ptr[-i] = size_ptr[-i - 1];
    *size_ptr = (uint8_t)(size - 1);
}

/* Releases the values by entry index (Py_CLEAR each), then the block. */
static void release_values(pm_heap *h, pm_dictkeys *keys, pm_dictvalues *values) {
    pm_object **vv = DV(values);
    for (int64_t i = 0; i < keys->dk_nentries; i++) PM_CLEAR(h, vv[i]);
    free_values(h, values);
}

/* clone_combined_dict_keys: one PyObject_Malloc of the whole keys size
 * (never the keys free list), a byte copy, and a reference for every live
 * key and value. */
static pm_dictkeys *clone_combined_dict_keys(pm_heap *h, pm_dictobject *orig) {
    pm_dictkeys *ok = orig->ma_keys;
    pm_dictkeys *keys = pm_malloc(h, PM_DOMAIN_OBJ, pm_dictkeys_model_size(ok));
    if (!keys) { pm_err_nomem(h); return NULL; }
    memcpy(keys, ok, dictkeys_host_size(ok));
    int64_t n = keys->dk_nentries;
    if (DK_IS_UNICODE(keys)) {
        pm_dictunicodeentry *ep = DK_UNICODE_ENTRIES(keys);
        for (int64_t i = 0; i < n; i++)
            if (ep[i].me_value) { pm_incref(ep[i].me_value); pm_incref(ep[i].me_key); }
    } else {
        pm_dictkeyentry *ep = DK_ENTRIES(keys);
        for (int64_t i = 0; i < n; i++)
            if (ep[i].me_value) { pm_incref(ep[i].me_value); pm_incref(ep[i].me_key); }
    }
    return keys;
}

/* ---- Dict objects ------------------------------------------------------------- */

/* new_dict: consumes the reference to keys, and takes over values (split
 * tables; on failure they are freed only if free_values_on_failure). */
static pm_object *new_dict(pm_heap *h, pm_dictkeys *keys, pm_dictvalues *values, int64_t used,
                           int free_values_on_failure) {
    pm_dictobject *mp;
    if (h->freelists.dicts) {
        mp = (pm_dictobject *)h->os->dict_free[--h->freelists.dicts];
        mp->ob_base.ob_refcnt = 1;                 /* _Py_NewReference */
        pm_tracemalloc_new_reference(h, (pm_object *)mp);
    } else {
        mp = (pm_dictobject *)pm_object_alloc(h, dict_type(h), 0);
        if (!mp) {
            dictkeys_decref(h, keys);
            if (values && free_values_on_failure) free_values(h, values);
            return NULL;
        }
    }
    mp->ma_keys = keys;
    mp->ma_values = values;
    mp->ma_used = used;
    mp->ma_version_tag = 0;
    mp->ma_flags = 0;
    return (pm_object *)mp;
}

pm_object *pm_dict_new(pm_heap *h) { return new_dict(h, Py_EMPTY_KEYS, NULL, 0, 0); }

/* dict_new with type == dict: tp_alloc (_PyType_AllocNoTrack), zeroed,
 * not tracked, never the free list. */
static pm_object *dict_type_new(pm_heap *h) {
    pm_dictobject *d = (pm_dictobject *)pm_object_alloc(h, dict_type(h), 0);
    if (!d) return NULL;
    d->ma_used = 0;
    d->ma_version_tag = 0;
    d->ma_flags = 0;
    d->ma_keys = Py_EMPTY_KEYS;
    d->ma_values = NULL;
    return (pm_object *)d;
}

static pm_object *dict_new_presized(pm_heap *h, int64_t minused, int unicode) {
    const uint8_t log2_max_presize = 17;
    const int64_t max_presize = (int64_t)1 << log2_max_presize;
    if (minused <= USABLE_FRACTION(PM_DICT_MINSIZE)) return pm_dict_new(h);
    uint8_t log2_newsize = minused > USABLE_FRACTION(max_presize) ? log2_max_presize
                                                                   : estimate_log2_keysize(minused);
    pm_dictkeys *keys = new_keys_object(h, log2_newsize, unicode);
    if (!keys) return NULL;
    return new_dict(h, keys, NULL, 0, 0);
}

/* ---- Lookup ---------------------------------------------------------------------- */

/* lookdict_index: the slot holding entry index `index`. */
static int64_t lookdict_index(pm_dictkeys *k, int64_t hash, int64_t index) {
    uint64_t mask = DK_MASK(k), perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        int64_t ix = dictkeys_get_index(k, i);
        if (ix == index) return (int64_t)i;
        if (ix == DKIX_EMPTY) return DKIX_EMPTY;
        perturb >>= PERTURB_SHIFT;
        i = mask & (i * 5 + perturb + 1);
    }
}

/* A str key in a unicode table: identity or (same hash and equal text). */
static int64_t unicodekeys_lookup_unicode(pm_heap *h, pm_dictkeys *dk, pm_object *key, int64_t hash) {
    pm_dictunicodeentry *ep0 = DK_UNICODE_ENTRIES(dk);
    uint64_t mask = DK_MASK(dk), perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        int64_t ix = dictkeys_get_index(dk, i);
        if (ix >= 0) {
            pm_dictunicodeentry *ep = &ep0[ix];
            if (ep->me_key == key) return ix;
            if (unicode_get_hash(h, ep->me_key) == hash) {
                int eq = pm_object_eq(h, ep->me_key, key);   /* str == str cannot run user code */
                if (eq < 0) return DKIX_ERROR;
                if (eq) return ix;
            }
        } else if (ix == DKIX_EMPTY) {
            return DKIX_EMPTY;
        }
        perturb >>= PERTURB_SHIFT;
        i = mask & (i * 5 + perturb + 1);
    }
}

/* A non-str key in a unicode table, or any key in a general table. The
 * comparison may run arbitrary code; if it changed the table, restart. */
static int64_t dictkeys_lookup_generic(pm_heap *h, pm_dictobject *mp, pm_dictkeys *dk, pm_object *key,
                                       int64_t hash) {
    int unicode = DK_IS_UNICODE(dk);
    uint64_t mask = DK_MASK(dk), perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        int64_t ix = dictkeys_get_index(dk, i);
        if (ix >= 0) {
            pm_object *startkey;
            int64_t ephash;
            if (unicode) {
                startkey = DK_UNICODE_ENTRIES(dk)[ix].me_key;
                if (startkey == key) return ix;
                ephash = unicode_get_hash(h, startkey);
            } else {
                startkey = DK_ENTRIES(dk)[ix].me_key;
                if (startkey == key) return ix;
                ephash = DK_ENTRIES(dk)[ix].me_hash;
            }
            if (ephash == hash) {
                pm_incref(startkey);
                int cmp = pm_object_eq(h, startkey, key);
                pm_decref(h, startkey);
                if (cmp < 0) return DKIX_ERROR;
                /* dk itself may have been freed by a resize: compare it first */
                if (dk == mp->ma_keys
                    && (unicode ? DK_UNICODE_ENTRIES(dk)[ix].me_key : DK_ENTRIES(dk)[ix].me_key) == startkey) {
                    if (cmp > 0) return ix;
                } else {
                    return DKIX_KEY_CHANGED;    /* the dict was mutated */
                }
            }
        } else if (ix == DKIX_EMPTY) {
            return DKIX_EMPTY;
        }
        perturb >>= PERTURB_SHIFT;
        i = mask & (i * 5 + perturb + 1);
    }
}

/* _Py_dict_lookup: the entry index of key (value in *value_addr), or
 * DKIX_EMPTY (*value_addr = NULL), or DKIX_ERROR with an exception set. */
static int64_t dict_lookup(pm_heap *h, pm_dictobject *mp, pm_object *key, int64_t hash, pm_object **value_addr) {
    for (;;) {
        pm_dictkeys *dk = mp->ma_keys;
        int64_t ix;
        if (DK_IS_UNICODE(dk) && unicode_check_exact(h, key)) {
            ix = unicodekeys_lookup_unicode(h, dk, key, hash);
        } else {
            ix = dictkeys_lookup_generic(h, mp, dk, key, hash);
            if (ix == DKIX_KEY_CHANGED) continue;
        }
        if (ix >= 0) {
            if (mp->ma_values) *value_addr = DV(mp->ma_values)[ix];
            else *value_addr = DK_IS_UNICODE(dk) ? DK_UNICODE_ENTRIES(dk)[ix].me_value : DK_ENTRIES(dk)[ix].me_value;
        } else {
            *value_addr = NULL;
        }
        return ix;
    }
}

/* find_empty_slot: first slot on the probe path that holds no entry index
 * (empty or dummy); the key is known to be absent. */
static uint64_t find_empty_slot(pm_dictkeys *keys, int64_t hash) {
    uint64_t mask = DK_MASK(keys), i = (uint64_t)hash & mask, perturb = (uint64_t)hash;
    int64_t ix = dictkeys_get_index(keys, i);
    while (ix >= 0) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
        ix = dictkeys_get_index(keys, i);
    }
    return i;
}

/* ---- Resizing -------------------------------------------------------------------- */

static void build_indices_generic(pm_dictkeys *keys, pm_dictkeyentry *ep, int64_t n) {
    uint64_t mask = DK_MASK(keys);
    for (int64_t ix = 0; ix != n; ix++, ep++) {
        uint64_t hash = (uint64_t)ep->me_hash, i = hash & mask;
        for (uint64_t perturb = hash; dictkeys_get_index(keys, i) != DKIX_EMPTY;) {
            perturb >>= PERTURB_SHIFT;
            i = mask & (i * 5 + perturb + 1);
        }
        dictkeys_set_index(keys, i, ix);
    }
}

static void build_indices_unicode(pm_heap *h, pm_dictkeys *keys, pm_dictunicodeentry *ep, int64_t n) {
    uint64_t mask = DK_MASK(keys);
    for (int64_t ix = 0; ix != n; ix++, ep++) {
        uint64_t hash = (uint64_t)unicode_get_hash(h, ep->me_key), i = hash & mask;
        for (uint64_t perturb = hash; dictkeys_get_index(keys, i) != DKIX_EMPTY;) {
            perturb >>= PERTURB_SHIFT;
            i = mask & (i * 5 + perturb + 1);
        }
        dictkeys_set_index(keys, i, ix);
    }
}

/* dictresize: a new table of 2**log2_newsize slots (unicode only if the old
 * one was), the live entries moved over compactly in order, then the old
 * block released (free list or free) — new before old, as in CPython. */
static int dictresize(pm_heap *h, pm_dictobject *mp, uint8_t log2_newsize, int unicode) {
    if (log2_newsize >= 64) {
        _pm_set_status(h, PM_ENOMEM, "dict too large");
        pm_err_nomem(h);
        return -1;
    }
    pm_dictkeys *oldkeys = mp->ma_keys;
    if (!DK_IS_UNICODE(oldkeys)) unicode = 0;

    pm_dictkeys *newkeys = new_keys_object(h, log2_newsize, unicode);
    if (!newkeys) return -1;
    mp->ma_keys = newkeys;
    int64_t numentries = mp->ma_used;

    if (mp->ma_values) {
        /* split -> combined: the keys are increfed (they stay in the shared
         * table), the values move, in this dict's insertion order */
        pm_dictvalues *oldvalues = mp->ma_values;
        pm_dictunicodeentry *oldentries = DK_UNICODE_ENTRIES(oldkeys);
        for (int64_t i = 0; i < numentries; i++) {
            int index = pm_dictvalues_order(oldvalues, (int)i);
            pm_object *key = pm_newref(oldentries[index].me_key), *value = DV(oldvalues)[index];
            if (unicode) {
                DK_UNICODE_ENTRIES(newkeys)[i].me_key = key;
                DK_UNICODE_ENTRIES(newkeys)[i].me_value = value;
            } else {
                DK_ENTRIES(newkeys)[i].me_key = key;
                DK_ENTRIES(newkeys)[i].me_hash = unicode_get_hash(h, key);
                DK_ENTRIES(newkeys)[i].me_value = value;
            }
        }
        if (unicode) build_indices_unicode(h, newkeys, DK_UNICODE_ENTRIES(newkeys), numentries);
        else build_indices_generic(newkeys, DK_ENTRIES(newkeys), numentries);
        dictkeys_decref(h, oldkeys);
        mp->ma_values = NULL;
        free_values(h, oldvalues);
    } else if (oldkeys->dk_kind == PM_DICT_KEYS_GENERAL) {
        pm_dictkeyentry *oldentries = DK_ENTRIES(oldkeys), *newentries = DK_ENTRIES(newkeys);
        if (oldkeys->dk_nentries == numentries) {
            memcpy(newentries, oldentries, (size_t)numentries * sizeof(pm_dictkeyentry));
        } else {
            pm_dictkeyentry *ep = oldentries;
            for (int64_t i = 0; i < numentries; i++) {
                while (ep->me_value == NULL) ep++;
                newentries[i] = *ep++;
            }
        }
        build_indices_generic(newkeys, newentries, numentries);
    } else {
        pm_dictunicodeentry *oldentries = DK_UNICODE_ENTRIES(oldkeys);
        if (unicode) {
            pm_dictunicodeentry *newentries = DK_UNICODE_ENTRIES(newkeys);
            if (oldkeys->dk_nentries == numentries) {
                memcpy(newentries, oldentries, (size_t)numentries * sizeof(pm_dictunicodeentry));
            } else {
                pm_dictunicodeentry *ep = oldentries;
                for (int64_t i = 0; i < numentries; i++) {
                    while (ep->me_value == NULL) ep++;
                    newentries[i] = *ep++;
                }
            }
            build_indices_unicode(h, newkeys, newentries, numentries);
        } else {
            /* unicode -> general: the hashes come from the str keys */
            pm_dictkeyentry *newentries = DK_ENTRIES(newkeys);
            pm_dictunicodeentry *ep = oldentries;
            for (int64_t i = 0; i < numentries; i++) {
                while (ep->me_value == NULL) ep++;
                newentries[i].me_key = ep->me_key;
                newentries[i].me_hash = unicode_get_hash(h, ep->me_key);
                newentries[i].me_value = ep->me_value;
                ep++;
            }
            build_indices_generic(newkeys, newentries, numentries);
        }
    }
    /* the references moved; only the block goes */
    if (oldkeys != Py_EMPTY_KEYS && oldkeys->dk_kind != PM_DICT_KEYS_SPLIT) keys_object_release_block(h, oldkeys);

    newkeys->dk_usable -= numentries;
    newkeys->dk_nentries = numentries;
    return 0;
}

static int insertion_resize(pm_heap *h, pm_dictobject *mp, int unicode) {
    return dictresize(h, mp, calculate_log2_keysize(GROWTH_RATE(mp)), unicode);
}

/* ---- Insertion ---------------------------------------------------------------------- */

/* Stores a new entry at the end of the entries array (the key is absent and
 * dk_usable > 0). Consumes key and value. */
static void append_entry(pm_heap *h, pm_dictobject *mp, pm_object *key, int64_t hash, pm_object *value) {
    pm_dictkeys *dk = mp->ma_keys;
    uint64_t hashpos = find_empty_slot(dk, hash);
    dictkeys_set_index(dk, hashpos, dk->dk_nentries);
    if (mp->ma_values) {
        /* a new name in the shared keys; the value goes to this dict's block */
        DK_UNICODE_ENTRIES(dk)[dk->dk_nentries].me_key = key;
        DV(mp->ma_values)[dk->dk_nentries] = value;
        values_add_order(mp->ma_values, dk->dk_nentries);
    } else if (DK_IS_UNICODE(dk)) {
        pm_dictunicodeentry *ep = &DK_UNICODE_ENTRIES(dk)[dk->dk_nentries];
        ep->me_key = key;
        ep->me_value = value;
    } else {
        pm_dictkeyentry *ep = &DK_ENTRIES(dk)[dk->dk_nentries];
        ep->me_key = key;
        ep->me_hash = hash;
        ep->me_value = value;
    }
    (void)h;
    mp->ma_used++;
    mp->ma_version_tag++;
    dk->dk_usable--;
    dk->dk_nentries++;
}

/* insertdict: consumes key and value. */
static int insertdict(pm_heap *h, pm_dictobject *mp, pm_object *key, int64_t hash, pm_object *value) {
    pm_object *old_value;
    if (DK_IS_UNICODE(mp->ma_keys) && !unicode_check_exact(h, key)) {
        if (insertion_resize(h, mp, 0) < 0) goto Fail;
    }
    int64_t ix = dict_lookup(h, mp, key, hash, &old_value);
    if (ix == DKIX_ERROR) goto Fail;

    MAINTAIN_TRACKING(h, mp, key, value);

    if (ix == DKIX_EMPTY) {
        if (mp->ma_keys->dk_usable <= 0) {
            if (insertion_resize(h, mp, 1) < 0) goto Fail;
        }
        append_entry(h, mp, key, hash, value);
        return 0;
    }
    if (old_value != value) {
        if (mp->ma_values) {
            DV(mp->ma_values)[ix] = value;
            if (!old_value) {           /* a shared name this dict had no value for */
                values_add_order(mp->ma_values, ix);
                mp->ma_used++;
            }
        } else if (DK_IS_UNICODE(mp->ma_keys)) {
            DK_UNICODE_ENTRIES(mp->ma_keys)[ix].me_value = value;
        } else {
            DK_ENTRIES(mp->ma_keys)[ix].me_value = value;
        }
        mp->ma_version_tag++;
    }
    pm_xdecref(h, old_value);      /* may re-enter */
    pm_decref(h, key);             /* the dict keeps its original key object */
    return 0;

Fail:
    pm_decref(h, value);
    pm_decref(h, key);
    return -1;
}

/* insert_to_emptydict: the first item of a dict on the shared empty keys.
 * Consumes key and value. */
static int insert_to_emptydict(pm_heap *h, pm_dictobject *mp, pm_object *key, int64_t hash, pm_object *value) {
    int unicode = unicode_check_exact(h, key);
    pm_dictkeys *newkeys = new_keys_object(h, PM_DICT_LOG_MINSIZE, unicode);
    if (!newkeys) {
        pm_decref(h, key);
        pm_decref(h, value);
        return -1;
    }
    mp->ma_keys = newkeys;          /* the empty keys are immortal: no decref */
    mp->ma_values = NULL;
    MAINTAIN_TRACKING(h, mp, key, value);
    uint64_t hashpos = (uint64_t)hash & (PM_DICT_MINSIZE - 1);
    dictkeys_set_index(newkeys, hashpos, 0);
    if (unicode) {
        pm_dictunicodeentry *ep = DK_UNICODE_ENTRIES(newkeys);
        ep->me_key = key;
        ep->me_value = value;
    } else {
        pm_dictkeyentry *ep = DK_ENTRIES(newkeys);
        ep->me_key = key;
        ep->me_hash = hash;
        ep->me_value = value;
    }
    mp->ma_used++;
    mp->ma_version_tag++;
    newkeys->dk_usable--;
    newkeys->dk_nentries++;
    return 0;
}

/* _PyDict_SetItem_Take2: consumes key and value. */
static int dict_setitem_take2(pm_heap *h, pm_dictobject *mp, pm_object *key, pm_object *value) {
    int64_t hash = dict_key_hash(h, key);
    if (hash == -1) {
        pm_decref(h, key);
        pm_decref(h, value);
        return -1;
    }
    if (mp->ma_keys == Py_EMPTY_KEYS) return insert_to_emptydict(h, mp, key, hash, value);
    return insertdict(h, mp, key, hash, value);
}

int pm_dict_setitem(pm_heap *h, pm_object *d, pm_object *key, pm_object *value) {
    return dict_setitem_take2(h, (pm_dictobject *)d, pm_newref(key), pm_newref(value));
}

pm_object *pm_dict_from_items(pm_heap *h, pm_object *const *keys, pm_object *const *values, int64_t n) {
    int unicode = 1;
    for (int64_t i = 0; i < n; i++) {
        if (!unicode_check_exact(h, keys[i])) { unicode = 0; break; }
    }
    pm_object *d = dict_new_presized(h, n, unicode);
    if (!d) return NULL;
    for (int64_t i = 0; i < n; i++) {
        if (pm_dict_setitem(h, d, keys[i], values[i]) < 0) {
            pm_decref(h, d);
            return NULL;
        }
    }
    return d;
}

/* ---- Reading ------------------------------------------------------------------------ */

pm_object *pm_dict_getitem(pm_heap *h, pm_object *d, pm_object *key) {
    int64_t hash = dict_key_hash(h, key);
    if (hash == -1) return NULL;
    pm_object *value;
    dict_lookup(h, (pm_dictobject *)d, key, hash, &value);
    return value;
}

pm_object *pm_dict_subscript(pm_heap *h, pm_object *d, pm_object *key) {
    int64_t hash = dict_key_hash(h, key);
    if (hash == -1) return NULL;
    pm_object *value;
    int64_t ix = dict_lookup(h, (pm_dictobject *)d, key, hash, &value);
    if (ix == DKIX_ERROR) return NULL;
    if (ix == DKIX_EMPTY || value == NULL) {
        set_key_error(h, key);
        return NULL;
    }
    return pm_newref(value);
}

int pm_dict_contains(pm_heap *h, pm_object *d, pm_object *key) {
    int64_t hash = dict_key_hash(h, key);
    if (hash == -1) return -1;
    pm_object *value;
    int64_t ix = dict_lookup(h, (pm_dictobject *)d, key, hash, &value);
    if (ix == DKIX_ERROR) return -1;
    return ix != DKIX_EMPTY && value != NULL;
}

/* _PyDict_Contains_KnownHash */
static int dict_contains_known_hash(pm_heap *h, pm_dictobject *mp, pm_object *key, int64_t hash) {
    pm_object *value;
    int64_t ix = dict_lookup(h, mp, key, hash, &value);
    if (ix == DKIX_ERROR) return -1;
    return ix != DKIX_EMPTY && value != NULL;
}

int pm_dict_contains_known_hash(pm_heap *h, pm_object *d, pm_object *key, int64_t hash) {
    return dict_contains_known_hash(h, (pm_dictobject *)d, key, hash);
}

int64_t pm_dict_len(pm_heap *h, pm_object *d) {
    (void)h;
    return ((pm_dictobject *)d)->ma_used;
}

pm_object *pm_dict_get(pm_heap *h, pm_object *d, pm_object *key, pm_object *deflt) {
    int64_t hash = dict_key_hash(h, key);
    if (hash == -1) return NULL;
    pm_object *val;
    int64_t ix = dict_lookup(h, (pm_dictobject *)d, key, hash, &val);
    if (ix == DKIX_ERROR) return NULL;
    if (ix == DKIX_EMPTY || val == NULL) val = deflt ? deflt : PM_NONE(h);
    return pm_newref(val);
}

int pm_dict_next_hash(pm_heap *h, pm_object *d, int64_t *ppos, pm_object **pkey, pm_object **pvalue,
                      int64_t *phash) {
    pm_dictobject *mp = (pm_dictobject *)d;
    int64_t i = *ppos, n = mp->ma_keys->dk_nentries;
    pm_object *key, *value;
    int64_t hash;
    if (mp->ma_values) {
        /* split: position i is the i-th value in this dict's insertion order */
        if (i < 0 || i >= mp->ma_used) return 0;
        int index = pm_dictvalues_order(mp->ma_values, (int)i);
        key = DK_UNICODE_ENTRIES(mp->ma_keys)[index].me_key;
        value = DV(mp->ma_values)[index];
        hash = phash ? unicode_get_hash(h, key) : 0;
    } else if (i < 0 || i >= n) {
        return 0;
    } else if (DK_IS_UNICODE(mp->ma_keys)) {
        pm_dictunicodeentry *ep = &DK_UNICODE_ENTRIES(mp->ma_keys)[i];
        while (i < n && ep->me_value == NULL) { ep++; i++; }
        if (i >= n) return 0;
        key = ep->me_key;
        hash = phash ? unicode_get_hash(h, key) : 0;
        value = ep->me_value;
    } else {
        pm_dictkeyentry *ep = &DK_ENTRIES(mp->ma_keys)[i];
        while (i < n && ep->me_value == NULL) { ep++; i++; }
        if (i >= n) return 0;
        key = ep->me_key;
        hash = ep->me_hash;
        value = ep->me_value;
    }
    *ppos = i + 1;
    if (pkey) *pkey = key;
    if (pvalue) *pvalue = value;
    if (phash) *phash = hash;
    return 1;
}

int pm_dict_next(pm_heap *h, pm_object *d, int64_t *pos, pm_object **key, pm_object **value) {
    return pm_dict_next_hash(h, d, pos, key, value, NULL);
}

int64_t pm_dict_last_pos(pm_object *d) {
    pm_dictobject *mp = (pm_dictobject *)d;
    return mp->ma_values ? mp->ma_used - 1 : mp->ma_keys->dk_nentries - 1;
}

/* dictreviter_iternext's walk down the entries. A position past the end
 * (the table was rebuilt at the same size) starts from the last entry. */
int pm_dict_prev(pm_heap *h, pm_object *d, int64_t *ppos, pm_object **pkey, pm_object **pvalue) {
    (void)h;
    pm_dictobject *mp = (pm_dictobject *)d;
    int64_t i = *ppos;
    pm_object *key, *value;
    if (i > pm_dict_last_pos(d)) i = pm_dict_last_pos(d);
    if (i < 0) return 0;
    if (mp->ma_values) {
        int index = pm_dictvalues_order(mp->ma_values, (int)i);
        key = DK_UNICODE_ENTRIES(mp->ma_keys)[index].me_key;
        value = DV(mp->ma_values)[index];
    } else if (DK_IS_UNICODE(mp->ma_keys)) {
        pm_dictunicodeentry *ep = &DK_UNICODE_ENTRIES(mp->ma_keys)[i];
        for (; ep->me_value == NULL; ep--)
            if (--i < 0) return 0;
        key = ep->me_key;
        value = ep->me_value;
    } else {
        pm_dictkeyentry *ep = &DK_ENTRIES(mp->ma_keys)[i];
        for (; ep->me_value == NULL; ep--)
            if (--i < 0) return 0;
        key = ep->me_key;
        value = ep->me_value;
    }
    *ppos = i - 1;
    if (pkey) *pkey = key;
    if (pvalue) *pvalue = value;
    return 1;
}

/* ---- Deletion ------------------------------------------------------------------------ */

/* delitem_common: the slot becomes a dummy, the entry is emptied, then the
 * key and the value are released (in that order). Deleting never gives
 * back dk_usable: only a resize does. */
static void delitem_common(pm_heap *h, pm_dictobject *mp, int64_t hash, int64_t ix, pm_object *old_value) {
    pm_dictkeys *dk = mp->ma_keys;
    int64_t hashpos = lookdict_index(dk, hash, ix);
    pm_object *old_key;
    mp->ma_used--;
    mp->ma_version_tag++;
    if (mp->ma_values) {
        /* the name stays in the shared keys */
        DV(mp->ma_values)[ix] = NULL;
        values_delete_order(mp->ma_values, ix);
        pm_decref(h, old_value);
        return;
    }
    dictkeys_set_index(dk, (uint64_t)hashpos, DKIX_DUMMY);
    if (DK_IS_UNICODE(dk)) {
        pm_dictunicodeentry *ep = &DK_UNICODE_ENTRIES(dk)[ix];
        old_key = ep->me_key;
        ep->me_key = NULL;
        ep->me_value = NULL;
    } else {
        pm_dictkeyentry *ep = &DK_ENTRIES(dk)[ix];
        old_key = ep->me_key;
        ep->me_key = NULL;
        ep->me_value = NULL;
        ep->me_hash = 0;
    }
    pm_decref(h, old_key);
    pm_decref(h, old_value);
}

int pm_dict_delitem(pm_heap *h, pm_object *d, pm_object *key) {
    pm_dictobject *mp = (pm_dictobject *)d;
    int64_t hash = dict_key_hash(h, key);
    if (hash == -1) return -1;
    pm_object *old_value;
    int64_t ix = dict_lookup(h, mp, key, hash, &old_value);
    if (ix == DKIX_ERROR) return -1;
    if (ix == DKIX_EMPTY || old_value == NULL) {
        set_key_error(h, key);
        return -1;
    }
    delitem_common(h, mp, hash, ix, old_value);
    return 0;
}

pm_object *pm_dict_pop(pm_heap *h, pm_object *d, pm_object *key, pm_object *deflt) {
    pm_dictobject *mp = (pm_dictobject *)d;
    if (mp->ma_used == 0) {
        if (deflt) return pm_newref(deflt);
        set_key_error(h, key);
        return NULL;
    }
    int64_t hash = dict_key_hash(h, key);
    if (hash == -1) return NULL;
    pm_object *old_value;
    int64_t ix = dict_lookup(h, mp, key, hash, &old_value);
    if (ix == DKIX_ERROR) return NULL;
    if (ix == DKIX_EMPTY || old_value == NULL) {
        if (deflt) return pm_newref(deflt);
        set_key_error(h, key);
        return NULL;
    }
    delitem_common(h, mp, hash, ix, pm_newref(old_value));
    return old_value;
}

int pm_dict_popitem(pm_heap *h, pm_object *d, pm_object **pkey, pm_object **pvalue) {
    pm_dictobject *mp = (pm_dictobject *)d;
    if (mp->ma_used == 0) {
        pm_err_set(h, PM_EXC_KeyError, "'popitem(): dictionary is empty'");
        return -1;
    }
    if (mp->ma_values && dictresize(h, mp, mp->ma_keys->dk_log2_size, 1) < 0) return -1;   /* split -> combined */
    pm_dictkeys *dk = mp->ma_keys;
    pm_object *key, *value;
    int64_t hash, i = dk->dk_nentries - 1;
    if (DK_IS_UNICODE(dk)) {
        pm_dictunicodeentry *ep0 = DK_UNICODE_ENTRIES(dk);
        while (i >= 0 && ep0[i].me_value == NULL) i--;
        key = ep0[i].me_key;
        hash = unicode_get_hash(h, key);
        value = ep0[i].me_value;
        ep0[i].me_key = NULL;
        ep0[i].me_value = NULL;
    } else {
        pm_dictkeyentry *ep0 = DK_ENTRIES(dk);
        while (i >= 0 && ep0[i].me_value == NULL) i--;
        key = ep0[i].me_key;
        hash = ep0[i].me_hash;
        value = ep0[i].me_value;
        ep0[i].me_key = NULL;
        ep0[i].me_hash = -1;
        ep0[i].me_value = NULL;
    }
    int64_t j = lookdict_index(dk, hash, i);
    dictkeys_set_index(dk, (uint64_t)j, DKIX_DUMMY);
    /* dk_usable stays: the slot is a dummy now */
    dk->dk_nentries = i;
    mp->ma_used--;
    mp->ma_version_tag++;
    *pkey = key;
    *pvalue = value;
    return 0;
}

pm_object *pm_dict_setdefault(pm_heap *h, pm_object *d, pm_object *key, pm_object *defaultobj) {
    pm_dictobject *mp = (pm_dictobject *)d;
    pm_object *value;
    if (!defaultobj) defaultobj = PM_NONE(h);
    int64_t hash = dict_key_hash(h, key);
    if (hash == -1) return NULL;
    if (mp->ma_keys == Py_EMPTY_KEYS) {
        if (insert_to_emptydict(h, mp, pm_newref(key), hash, pm_newref(defaultobj)) < 0) return NULL;
        return defaultobj;
    }
    if (!unicode_check_exact(h, key) && DK_IS_UNICODE(mp->ma_keys)) {
        if (insertion_resize(h, mp, 0) < 0) return NULL;
    }
    int64_t ix = dict_lookup(h, mp, key, hash, &value);
    if (ix == DKIX_ERROR) return NULL;
    if (ix == DKIX_EMPTY) {
        value = defaultobj;
        if (mp->ma_keys->dk_usable <= 0) {
            if (insertion_resize(h, mp, 1) < 0) return NULL;
        }
        MAINTAIN_TRACKING(h, mp, key, value);
        append_entry(h, mp, pm_newref(key), hash, pm_newref(value));
    } else if (value == NULL) {
        /* split table: the name is shared, this dict has no value for it */
        value = defaultobj;
        MAINTAIN_TRACKING(h, mp, key, value);
        DV(mp->ma_values)[ix] = pm_newref(value);
        values_add_order(mp->ma_values, ix);
        mp->ma_used++;
        mp->ma_version_tag++;
    }
    return value;
}

void pm_dict_clear(pm_heap *h, pm_object *op) {
    pm_dictobject *mp = (pm_dictobject *)op;
    pm_dictkeys *oldkeys = mp->ma_keys;
    pm_dictvalues *oldvalues = mp->ma_values;
    if (oldkeys == Py_EMPTY_KEYS) return;
    /* empty the dict first, then release the old entries: their
     * deallocation may look at (or refill) the dict */
    mp->ma_keys = Py_EMPTY_KEYS;
    mp->ma_values = NULL;
    mp->ma_used = 0;
    mp->ma_version_tag++;
    if (oldvalues) release_values(h, oldkeys, oldvalues);   /* by entry index */
    dictkeys_decref(h, oldkeys);
}

/* ---- Copy, merge, compare ------------------------------------------------------------------ */

static int dict_merge(pm_heap *h, pm_dictobject *mp, pm_dictobject *other, int override) {
    if (other == mp || other->ma_used == 0) return 0;   /* a.update(a), a.update({}) */
    if (mp->ma_used == 0) {
        override = 1;     /* nothing to collide with */
        pm_dictkeys *okeys = other->ma_keys;
        /* a compact source that is small or at least half full: clone it */
        if (other->ma_values == NULL && other->ma_used == okeys->dk_nentries
            && (okeys->dk_log2_size == PM_DICT_LOG_MINSIZE
                || USABLE_FRACTION(DK_SIZE(okeys) / 2) < other->ma_used)) {
            pm_dictkeys *keys = clone_combined_dict_keys(h, other);
            if (!keys) return -1;
            dictkeys_decref(h, mp->ma_keys);
            mp->ma_keys = keys;
            if (mp->ma_values) {          /* an empty split dict: its values block goes */
                free_values(h, mp->ma_values);
                mp->ma_values = NULL;
            }
            mp->ma_used = other->ma_used;
            mp->ma_version_tag++;
            if (pm_gc_is_tracked((pm_object *)other) && !pm_gc_is_tracked((pm_object *)mp))
                pm_gc_track(h, (pm_object *)mp);
            return 0;
        }
    }
    /* one big resize up front rather than several while inserting */
    if (USABLE_FRACTION(DK_SIZE(mp->ma_keys)) < other->ma_used) {
        int unicode = DK_IS_UNICODE(other->ma_keys);
        if (dictresize(h, mp, estimate_log2_keysize(mp->ma_used + other->ma_used), unicode)) return -1;
    }
    int64_t orig_size = other->ma_keys->dk_nentries, pos = 0, hash;
    pm_object *key, *value;
    while (pm_dict_next_hash(h, (pm_object *)other, &pos, &key, &value, &hash)) {
        int err = 0;
        pm_incref(key);
        pm_incref(value);
        if (override == 1) {
            err = insertdict(h, mp, pm_newref(key), hash, pm_newref(value));
        } else {
            err = dict_contains_known_hash(h, mp, key, hash);
            if (err == 0) {
                err = insertdict(h, mp, pm_newref(key), hash, pm_newref(value));
            } else if (err > 0) {
                if (override != 0) {
                    set_key_error(h, key);
                    pm_decref(h, value);
                    pm_decref(h, key);
                    return -1;
                }
                err = 0;
            }
        }
        pm_decref(h, value);
        pm_decref(h, key);
        if (err != 0) return -1;
        if (orig_size != other->ma_keys->dk_nentries) {
            pm_err_set(h, PM_EXC_RuntimeError, "dict mutated during update");
            return -1;
        }
    }
    return 0;
}

int pm_dict_merge(pm_heap *h, pm_object *a, pm_object *b, int override) {
    if (!pm_dict_check(h, b)) {
        pm_err_set(h, PM_EXC_TypeError, "'%s' object is not a mapping supported by the model", PM_TYPE(b)->tp_name);
        return -1;
    }
    return dict_merge(h, (pm_dictobject *)a, (pm_dictobject *)b, override);
}

int _pm_fast_items(pm_heap *h, pm_object *o, pm_object *const **items, int64_t *n) {
    if (PM_TUPLE_CHECK(h, o)) *items = PM_TUPLE_ITEMS(o);
    else if (PM_LIST_CHECK(h, o)) *items = PM_LIST_ITEMS(o);
    else return 0;
    *n = PM_SIZE(o);
    return 1;
}

int pm_dict_merge_from_seq2(pm_heap *h, pm_object *d, pm_iternext_fn next, void *ctx, int override) {
    pm_object *item;
    for (int64_t i = 0;; i++) {
        item = next(h, ctx);
        if (!item) return pm_err_occurred(h) ? -1 : 0;
        pm_object *const *items;
        int64_t n;
        if (!_pm_fast_items(h, item, &items, &n)) {
            pm_err_set(h, PM_EXC_TypeError, "cannot convert dictionary update sequence element #%lld to a sequence",
                       (long long)i);
            pm_decref(h, item);
            return -1;
        }
        if (n != 2) {
            pm_err_set(h, PM_EXC_ValueError, "dictionary update sequence element #%lld has length %lld; 2 is required",
                       (long long)i, (long long)n);
            pm_decref(h, item);
            return -1;
        }
        pm_object *key = pm_newref(items[0]), *value = pm_newref(items[1]);
        int err = override ? pm_dict_setitem(h, d, key, value) : (pm_dict_setdefault(h, d, key, value) ? 0 : -1);
        pm_decref(h, key);
        pm_decref(h, value);
        pm_decref(h, item);
        if (err < 0) return -1;
    }
}

pm_object *pm_dict_call(pm_heap *h, pm_object *arg) {
    if (arg && !pm_dict_check(h, arg)) {
        pm_err_set(h, PM_EXC_TypeError, "dict(): '%s' arguments are not supported by the model", PM_TYPE(arg)->tp_name);
        return NULL;
    }
    pm_object *self = dict_type_new(h);
    if (!self) return NULL;
    if (arg && dict_merge(h, (pm_dictobject *)self, (pm_dictobject *)arg, 1) < 0) {
        pm_decref(h, self);
        return NULL;
    }
    return self;
}

/* dict.fromkeys with an exact dict, set or frozenset source (_PyDict_FromKeys's
 * fast paths): dict() -- a fresh dict, never the free list --, one resize to
 * room for the source's size (a dict source keeps its keys' kind, a set gives
 * the general kind), then each key inserted with its stored hash, in the
 * source's order, all with the same value. Note the resize happens even for an
 * empty source, so dict.fromkeys(set()) has a table where dict() has none. */
pm_object *pm_dict_fromkeys(pm_heap *h, pm_object *src, pm_object *value) {
    int from_dict = pm_dict_check_exact(h, src);
    if (!from_dict && !pm_anyset_check(h, src)) {
        pm_err_set(h, PM_EXC_TypeError, "dict.fromkeys: the core presizes only from an exact dict, set or frozenset");
        return NULL;
    }
    pm_dictobject *mp = (pm_dictobject *)dict_type_new(h);
    if (!mp) return NULL;
    int64_t n = from_dict ? ((pm_dictobject *)src)->ma_used : ((pm_setobject *)src)->used;
    int unicode = from_dict && DK_IS_UNICODE(((pm_dictobject *)src)->ma_keys);
    if (dictresize(h, mp, estimate_log2_keysize(n), unicode) < 0) goto fail;
    int64_t pos = 0, hash;
    pm_object *key;
    while (from_dict ? pm_dict_next_hash(h, src, &pos, &key, NULL, &hash) : pm_set_next(h, src, &pos, &key, &hash)) {
        pm_incref(key);
        pm_incref(value);
        if (insertdict(h, mp, key, hash, value) < 0) goto fail;
    }
    return (pm_object *)mp;
fail:
    pm_decref(h, (pm_object *)mp);
    return NULL;
}

pm_object *pm_dict_copy(pm_heap *h, pm_object *o) {
    pm_dictobject *mp = (pm_dictobject *)o;
    if (mp->ma_used == 0) return pm_dict_new(h);
    if (mp->ma_values) {
        /* split: a new values block of the current usable size with the
         * same order prefix, sharing the keys; PyObject_GC_New, never the
         * free list */
        int64_t size = pm_dictkeys_shared_usable(mp->ma_keys);
        pm_dictvalues *nv = new_values(h, size);
        if (!nv) return NULL;
        pm_dictobject *copy = (pm_dictobject *)pm_object_alloc(h, dict_type(h), 0);
        if (!copy) { free_values(h, nv); return NULL; }
        uint8_t prefix = ((uint8_t *)nv)[-1];
        memcpy((uint8_t *)nv - prefix, (uint8_t *)mp->ma_values - prefix, (size_t)prefix - 1);
        for (int64_t i = 0; i < size; i++) DV(nv)[i] = DV(mp->ma_values)[i] ? pm_newref(DV(mp->ma_values)[i]) : NULL;
        copy->ma_values = nv;
        copy->ma_keys = mp->ma_keys;
        copy->ma_keys->dk_refcnt++;
        copy->ma_used = mp->ma_used;
        copy->ma_version_tag = 0;
        copy->ma_flags = 0;
        if (pm_gc_is_tracked(o)) pm_gc_track(h, (pm_object *)copy);
        return (pm_object *)copy;
    }
    /* fast copy of a combined table with at most 1/3 deleted entries */
    if (mp->ma_values == NULL && mp->ma_used >= (mp->ma_keys->dk_nentries * 2) / 3) {
        pm_dictkeys *keys = clone_combined_dict_keys(h, mp);
        if (!keys) return NULL;
        pm_dictobject *copy = (pm_dictobject *)new_dict(h, keys, NULL, 0, 0);
        if (!copy) return NULL;
        copy->ma_used = mp->ma_used;
        if (pm_gc_is_tracked(o)) pm_gc_track(h, (pm_object *)copy);
        return (pm_object *)copy;
    }
    pm_object *copy = pm_dict_new(h);
    if (!copy) return NULL;
    if (dict_merge(h, (pm_dictobject *)copy, mp, 1) == 0) return copy;
    pm_decref(h, copy);
    return NULL;
}

/* dict_equal */
int pm_dict_eq(pm_heap *h, pm_object *av, pm_object *bv) {
    pm_dictobject *a = (pm_dictobject *)av, *b = (pm_dictobject *)bv;
    if (a->ma_used != b->ma_used) return 0;
    for (int64_t i = 0; i < a->ma_keys->dk_nentries; i++) {
        pm_object *key, *aval;
        int64_t hash;
        if (DK_IS_UNICODE(a->ma_keys)) {
            pm_dictunicodeentry *ep = &DK_UNICODE_ENTRIES(a->ma_keys)[i];
            key = ep->me_key;
            if (key == NULL) continue;
            hash = unicode_get_hash(h, key);
            aval = a->ma_values ? DV(a->ma_values)[i] : ep->me_value;
        } else {
            pm_dictkeyentry *ep = &DK_ENTRIES(a->ma_keys)[i];
            key = ep->me_key;
            aval = ep->me_value;
            hash = ep->me_hash;
        }
        if (aval == NULL) continue;
        pm_object *bval;
        pm_incref(aval);
        pm_incref(key);
        int64_t ix = dict_lookup(h, b, key, hash, &bval);
        if (bval == NULL) {
            pm_decref(h, key);
            pm_decref(h, aval);
            return ix == DKIX_ERROR ? -1 : 0;
        }
        pm_incref(bval);
        int cmp = pm_object_eq(h, aval, bval);
        pm_decref(h, key);
        pm_decref(h, aval);
        pm_decref(h, bval);
        if (cmp <= 0) return cmp;
    }
    return 1;
}

static int dict_tp_eq(pm_heap *h, pm_object *a, pm_object *b) {
    if (!pm_dict_check(h, a) || !pm_dict_check(h, b)) return PM_NOTIMPL;
    return pm_dict_eq(h, a, b);
}

void pm_dict_maybe_untrack(pm_heap *h, pm_object *op) {
    if (!pm_dict_check_exact(h, op) || !pm_gc_is_tracked(op)) return;
    pm_dictobject *mp = (pm_dictobject *)op;
    int64_t n = mp->ma_keys->dk_nentries;
    if (mp->ma_values) {
        for (int64_t i = 0; i < n; i++) {
            pm_object *v = DV(mp->ma_values)[i];
            if (v && pm_object_may_be_tracked(h, v)) return;
        }
    } else if (DK_IS_UNICODE(mp->ma_keys)) {
        pm_dictunicodeentry *ep0 = DK_UNICODE_ENTRIES(mp->ma_keys);
        for (int64_t i = 0; i < n; i++)
            if (ep0[i].me_value && pm_object_may_be_tracked(h, ep0[i].me_value)) return;
    } else {
        pm_dictkeyentry *ep0 = DK_ENTRIES(mp->ma_keys);
        for (int64_t i = 0; i < n; i++) {
            if (!ep0[i].me_value) continue;
            if (pm_object_may_be_tracked(h, ep0[i].me_value) || pm_object_may_be_tracked(h, ep0[i].me_key)) return;
        }
    }
    pm_gc_untrack(h, op);
}

/* ---- Instance attributes in split tables (3.12 dictobject.c, second half) --------------------- */

pm_dictkeys *_pm_dict_new_keys_for_class(pm_heap *h) {
    pm_dictkeys *keys = new_keys_object(h, PM_NEXT_LOG2_SHARED_KEYS_SIZE, 1);
    if (!keys) return NULL;
    keys->dk_kind = PM_DICT_KEYS_SPLIT;
    keys->dk_usable = PM_SHARED_KEYS_MAX_SIZE;
    return keys;
}

pm_dictvalues *_pm_dict_new_instance_values(pm_heap *h, pm_dictkeys *keys) {
    if (keys->dk_usable > 1) keys->dk_usable--;
    return new_values(h, pm_dictkeys_shared_usable(keys));
}

/* _PyDictKeys_StringLookup: entry index of an exact str, or DKIX_EMPTY. */
static int64_t shared_keys_lookup(pm_heap *h, pm_dictkeys *keys, pm_object *name) {
    return unicodekeys_lookup_unicode(h, keys, name, unicode_get_hash(h, name));
}

pm_object *_pm_dict_instance_get(pm_heap *h, pm_dictkeys *keys, pm_dictvalues *values, pm_object *name) {
    int64_t ix = shared_keys_lookup(h, keys, name);
    return ix >= 0 ? DV(values)[ix] : NULL;
}

/* insert_into_dictkeys: the entry index of name in the shared keys, adding
 * it while the table has room; DKIX_EMPTY when it is full. */
static int64_t insert_into_dictkeys(pm_heap *h, pm_dictkeys *keys, pm_object *name) {
    int64_t hash = unicode_get_hash(h, name);
    int64_t ix = unicodekeys_lookup_unicode(h, keys, name, hash);
    if (ix == DKIX_EMPTY) {
        if (keys->dk_usable <= 0) return DKIX_EMPTY;
        uint64_t hashpos = find_empty_slot(keys, hash);
        ix = keys->dk_nentries;
        DK_UNICODE_ENTRIES(keys)[ix].me_key = pm_newref(name);
        dictkeys_set_index(keys, hashpos, ix);
        keys->dk_usable--;
        keys->dk_nentries++;
    }
    return ix;
}

pm_object *_pm_dict_from_instance_values(pm_heap *h, pm_dictkeys *keys, pm_dictvalues *values) {
    int64_t used = 0, track = 0, size = pm_dictkeys_shared_usable(keys);
    for (int64_t i = 0; i < size; i++) {
        pm_object *v = DV(values)[i];
        if (v) {
            used++;
            track += pm_object_may_be_tracked(h, v);
        }
    }
    keys->dk_refcnt++;                             /* dictkeys_incref */
    pm_object *d = new_dict(h, keys, values, used, 0);
    if (d && track) pm_gc_track(h, d);
    return d;
}

pm_object *_pm_dict_new_with_shared_keys(pm_heap *h, pm_dictkeys *keys) {
    pm_dictvalues *values = new_values(h, pm_dictkeys_shared_usable(keys));
    if (!values) return NULL;
    keys->dk_refcnt++;
    return new_dict(h, keys, values, 0, 1);
}

int _pm_dict_instance_store(pm_heap *h, pm_object *obj, pm_dictkeys *keys, pm_dictvalues *values,
                            pm_object *name, pm_object *value) {
    int64_t ix = unicode_check_exact(h, name) ? insert_into_dictkeys(h, keys, name) : DKIX_EMPTY;
    if (ix == DKIX_EMPTY) {
        /* the shared table cannot take it: this instance gets a real dict */
        pm_object *dict = _pm_dict_from_instance_values(h, keys, values);
        if (!dict) return -1;
        *PM_PREHEADER_DICT(obj) = (uintptr_t)dict;
        return value ? pm_dict_setitem(h, dict, name, value) : pm_dict_delitem(h, dict, name);
    }
    pm_object *old_value = DV(values)[ix];
    DV(values)[ix] = value ? pm_newref(value) : NULL;
    if (!old_value) {
        if (!value) {
            _pm_err_no_attribute(h, PM_TYPE(obj)->tp_name, name);
            return -1;
        }
        values_add_order(values, ix);
    } else {
        if (!value) values_delete_order(values, ix);
        pm_decref(h, old_value);
    }
    return 0;
}

void _pm_dict_free_instance_values(pm_heap *h, pm_dictkeys *keys, pm_dictvalues *values) {
    release_values(h, keys, values);
}

int _pm_dict_visit_instance_values(pm_dictkeys *keys, pm_dictvalues *values, pm_visitproc visit, void *arg) {
    for (int64_t i = 0; i < keys->dk_nentries; i++) {
        pm_object *v = DV(values)[i];
        if (v) {
            int r = visit(v, arg);
            if (r) return r;
        }
    }
    return 0;
}

/* ---- Type slots ------------------------------------------------------------------------------ */

static void dict_dealloc(pm_heap *h, pm_object *op) {
    pm_dictobject *mp = (pm_dictobject *)op;
    pm_dictkeys *keys = mp->ma_keys;
    pm_gc_untrack(h, op);             /* before anything can run callbacks */
    int tok = pm_trashcan_begin(h, op, dict_dealloc);
    if (tok == PM_TRASH_DEFERRED) return;
    if (mp->ma_values) {
        release_values(h, keys, mp->ma_values);   /* values by entry index, then the block */
        mp->ma_values = NULL;
    }
    if (keys) dictkeys_decref(h, keys);   /* entries in insertion order: key, value */
    mp->ma_keys = Py_EMPTY_KEYS;
    mp->ma_used = 0;
    if (h->freelists.dicts < PM_DICT_MAXFREELIST && PM_TYPE(op) == dict_type(h)) {
        h->os->dict_free[h->freelists.dicts++] = op;
    } else {
        pm_object_free(h, op);
    }
    pm_trashcan_end(h, tok);
}

/* tp_refs: every reference the dict holds, key then value per entry in
 * insertion order. dict_traverse skips the keys of str-keyed tables (as
 * CPython's does: a str cannot be part of a cycle); a split dict holds only
 * its values (the class's shared keys object holds the keys). */
static int dict_refs(pm_heap *h, pm_object *op, pm_visitproc visit, void *arg) {
    pm_dictobject *mp = (pm_dictobject *)op;
    if (mp->ma_values) return _pm_dict_visit_instance_values(mp->ma_keys, mp->ma_values, visit, arg);
    int64_t pos = 0;
    pm_object *k, *v;
    while (pm_dict_next(h, op, &pos, &k, &v)) {
        int r = visit(k, arg);
        if (!r) r = visit(v, arg);
        if (r) return r;
    }
    return 0;
}

static int dict_traverse(pm_heap *h, pm_object *op, pm_visitproc visit, void *arg) {
    (void)h;
    pm_dictobject *mp = (pm_dictobject *)op;
    pm_dictkeys *keys = mp->ma_keys;
    int64_t n = keys->dk_nentries;
    if (mp->ma_values) return _pm_dict_visit_instance_values(keys, mp->ma_values, visit, arg);
    if (DK_IS_UNICODE(keys)) {
        pm_dictunicodeentry *entries = DK_UNICODE_ENTRIES(keys);
        for (int64_t i = 0; i < n; i++) {
            if (entries[i].me_value) {
                int r = visit(entries[i].me_value, arg);
                if (r) return r;
            }
        }
    } else {
        pm_dictkeyentry *entries = DK_ENTRIES(keys);
        for (int64_t i = 0; i < n; i++) {
            if (entries[i].me_value) {
                int r = visit(entries[i].me_value, arg);
                if (r) return r;
                r = visit(entries[i].me_key, arg);
                if (r) return r;
            }
        }
    }
    return 0;
}

static int dict_tp_clear(pm_heap *h, pm_object *op) {
    pm_dict_clear(h, op);
    return 0;
}

/* _PyDict_SizeOf: the object plus the keys when this dict owns them. */
static size_t dict_sizeof(pm_heap *h, pm_object *op) {
    (void)h;
    pm_dictobject *mp = (pm_dictobject *)op;
    size_t res = PM_DICT_OBJECT_SIZE;
    if (mp->ma_values) res += 8 * (size_t)pm_dictkeys_shared_usable(mp->ma_keys);
    if (mp->ma_keys->dk_refcnt == 1) res += pm_dictkeys_model_size(mp->ma_keys);
    return res;
}

static int dict_repr(pm_heap *h, pm_object *op, pm_strbuf *sb) {
    pm_dictobject *mp = (pm_dictobject *)op;
    if (mp->ma_flags & PM_DICT_FLAG_REPR) {       /* Py_ReprEnter found it */
        _pm_strbuf_puts(sb, "{...}");
        goto out;
    }
    if (mp->ma_used == 0) {
        _pm_strbuf_puts(sb, "{}");
        goto out;
    }
    mp->ma_flags |= PM_DICT_FLAG_REPR;
    _pm_strbuf_puts(sb, "{");
    int64_t i = 0;
    int first = 1;
    pm_object *key, *value;
    while (pm_dict_next(h, op, &i, &key, &value)) {
        pm_incref(key);        /* a repr may delete them from the dict */
        pm_incref(value);
        if (!first) _pm_strbuf_puts(sb, ", ");
        first = 0;
        int r = pm_object_repr(h, key, sb);
        if (r == 0) {
            _pm_strbuf_puts(sb, ": ");
            r = pm_object_repr(h, value, sb);
        }
        pm_decref(h, key);
        pm_decref(h, value);
        if (r < 0) {
            mp->ma_flags &= ~PM_DICT_FLAG_REPR;
            return -1;
        }
    }
    _pm_strbuf_puts(sb, "}");
    mp->ma_flags &= ~PM_DICT_FLAG_REPR;
out:
    if (sb->failed) { pm_err_nomem(h); return -1; }
    return 0;
}

uint32_t pm_dict_freelist_len(pm_heap *h) { return h->freelists.dicts; }
uint32_t pm_dict_keys_freelist_len(pm_heap *h) { return h->os->keys_nfree; }

/* _PyDict_ClearFreeList: dicts through PyObject_GC_Del, keys through
 * PyObject_Free, newest first. */
void _pm_dict_clear_freelist(pm_heap *h) {
    pm_objstate *os = h->os;
    while (h->freelists.dicts) {
        pm_object *op = os->dict_free[--h->freelists.dicts];
        pm_object_free(h, op);
    }
    while (os->keys_nfree) pm_free(h, PM_DOMAIN_OBJ, os->keys_free[--os->keys_nfree]);
}

pm_status _pm_dict_init(pm_heap *h) {
    pm_type *t = dict_type(h);
    memset(t, 0, sizeof *t);
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = pm_builtin_type(h, PM_T_TYPE);
    t->tp_name = "dict";
    t->tp_basicsize = PM_DICT_OBJECT_SIZE;
    t->tp_itemsize = 0;
    t->tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLETYPE;
    t->type_id = PM_T_DICT;
    t->tp_base = pm_builtin_type(h, PM_T_OBJECT);
    t->tp_dealloc = dict_dealloc;
    t->tp_traverse = dict_traverse;
    t->tp_clear = dict_tp_clear;
    t->tp_refs = dict_refs;
    t->tp_sizeof = dict_sizeof;
    t->tp_hash = NULL;                 /* unhashable */
    t->tp_eq = dict_tp_eq;
    t->tp_repr = dict_repr;
    h->freelists.dicts = 0;
    h->os->keys_nfree = 0;
    return PM_OK;
}
