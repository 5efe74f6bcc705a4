/* setobject.c — set and frozenset (CPython 3.12 Objects/setobject.c).
 *
 * Observable and therefore exact: the 200-byte object with its 8-slot
 * smalltable, the separate 16-bytes-per-slot table (PyMem_Malloc) and the
 * resize rule (after adding to a fresh slot, fill*5 >= mask*3 resizes to the
 * smallest power of two strictly greater than used*4, or used*2 above 50,000
 * elements), the probe sequence (9 linear probes, then perturb >> 5 and
 * i = 5i + 1 + perturb on 64-bit hashes), dummies on discard/pop and their
 * reuse, set_insert_clean on rebuilds, the merge shortcuts of set_merge, and
 * therefore the iteration (and printing) order; the frozenset hash; the
 * release order on dealloc/clear (table order).
 */
#include "setobject.h"
#include "dictobject.h"

_Static_assert(sizeof(pm_setentry) <= PM_SET_ENTRY_SIZE, "set entry larger than the model's 16 bytes");
_Static_assert(sizeof(pm_setobject) <= PM_SET_OBJECT_SIZE, "set object larger than the model's 200 bytes");

#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5
#define DISCARD_NOTFOUND 0
#define DISCARD_FOUND 1

/* The dummy: an immutable object used only for its address. */
static const pm_object dummy_struct = { PM_IMMORTAL_REFCNT, NULL };
#define dummy ((pm_object *)&dummy_struct)

pm_object *pm_set_dummy(void) { return dummy; }

static void set_dealloc(pm_heap *h, pm_object *op);
static int set_update_internal(pm_heap *h, pm_setobject *so, pm_object *other);

static inline pm_type *set_type(pm_heap *h) { return pm_builtin_type(h, PM_T_SET); }
static inline pm_type *frozenset_type(pm_heap *h) { return pm_builtin_type(h, PM_T_FROZENSET); }
static inline int anyset_check(pm_heap *h, pm_object *o) { return pm_anyset_check(h, o); }
static inline int64_t set_size(pm_object *o) { return ((pm_setobject *)o)->used; }

static pm_object *not_implemented(pm_heap *h) { return pm_newref(h->os->notimplemented); }

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

static int unsupported_iterable(pm_heap *h, pm_object *other) {
    pm_err_set(h, PM_EXC_TypeError, "'%s' iterables are not supported by the model's set operations",
               PM_TYPE(other)->tp_name);
    return -1;
}

/* ---- Probing --------------------------------------------------------------- */

/* set_lookkey: the entry holding key, or the first never-used entry on its
 * probe path (key == NULL); NULL with an exception if a comparison failed.
 * Restarts if a comparison changed the table. */
static pm_setentry *set_lookkey(pm_heap *h, pm_setobject *so, pm_object *key, int64_t hash) {
restart:;
    pm_setentry *entry;
    uint64_t perturb = (uint64_t)hash;
    uint64_t mask = (uint64_t)so->mask;
    uint64_t i = (uint64_t)hash & mask;
    for (;;) {
        entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL) return entry;
            if (entry->hash == hash) {
                pm_object *startkey = entry->key;
                if (startkey == key) return entry;
                pm_setentry *table = so->table;
                pm_incref(startkey);
                int cmp = pm_object_eq(h, startkey, key);
                pm_decref(h, startkey);
                if (cmp < 0) return NULL;
                if (table != so->table || entry->key != startkey) goto restart;
                if (cmp > 0) return entry;
                mask = (uint64_t)so->mask;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static int set_table_resize(pm_heap *h, pm_setobject *so, int64_t minused);

/* set_add_entry: takes its own reference to key. A dummy met on the probe
 * path is remembered (the last one seen) and reused if the key is absent;
 * otherwise the key goes to the never-used slot that ended the search. */
static int set_add_entry(pm_heap *h, pm_setobject *so, pm_object *key, int64_t hash) {
    pm_setentry *freeslot, *entry;
    uint64_t perturb, mask, i;
    pm_incref(key);     /* the comparison below may run code that drops it */
restart:
    mask = (uint64_t)so->mask;
    i = (uint64_t)hash & mask;
    freeslot = NULL;
    perturb = (uint64_t)hash;
    for (;;) {
        entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL) goto found_unused_or_dummy;
            if (entry->hash == hash) {
                pm_object *startkey = entry->key;
                if (startkey == key) goto found_active;
                pm_setentry *table = so->table;
                pm_incref(startkey);
                int cmp = pm_object_eq(h, startkey, key);
                pm_decref(h, startkey);
                if (cmp > 0) goto found_active;
                if (cmp < 0) goto comparison_error;
                if (table != so->table || entry->key != startkey) goto restart;
                mask = (uint64_t)so->mask;
            } else if (entry->hash == -1) {
                freeslot = entry;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }

found_unused_or_dummy:
    if (freeslot == NULL) goto found_unused;
    so->used++;
    freeslot->key = key;
    freeslot->hash = hash;
    return 0;

found_unused:
    so->fill++;
    so->used++;
    entry->key = key;
    entry->hash = hash;
    if ((uint64_t)so->fill * 5 < mask * 3) return 0;
    return set_table_resize(h, so, so->used > 50000 ? so->used * 2 : so->used * 4);

found_active:
    pm_decref(h, key);
    return 0;

comparison_error:
    pm_decref(h, key);
    return -1;
}

/* set_insert_clean: key known absent, table without dummies. */
static void set_insert_clean(pm_setentry *table, uint64_t mask, pm_object *key, int64_t hash) {
    pm_setentry *entry;
    uint64_t perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        entry = &table[i];
        if (entry->key == NULL) goto found_null;
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                entry++;
                if (entry->key == NULL) goto found_null;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found_null:
    entry->key = key;
    entry->hash = hash;
}

/* set_table_resize: the smallest power of two > minused (at least 8); the
 * smalltable when that is 8 (rebuilt in place to drop dummies), else a new
 * MEM block; entries re-inserted in old table order; old block freed last. */
static int set_table_resize(pm_heap *h, pm_setobject *so, int64_t minused) {
    pm_setentry *oldtable, *newtable, *entry;
    int64_t oldmask = so->mask;
    pm_setentry small_copy[PM_SET_MINSIZE];

    uint64_t newsize = PM_SET_MINSIZE;
    while (newsize <= (uint64_t)minused) newsize <<= 1;

    oldtable = so->table;
    int is_oldtable_malloced = oldtable != so->smalltable;

    if (newsize == PM_SET_MINSIZE) {
        newtable = so->smalltable;
        if (newtable == oldtable) {
            if (so->fill == so->used) return 0;    /* no dummies: nothing to do */
            memcpy(small_copy, oldtable, sizeof small_copy);
            oldtable = small_copy;
        }
    } else {
        uint64_t bytes = newsize * PM_SET_ENTRY_SIZE;
        if (newsize > ((uint64_t)1 << 40) || bytes > (uint64_t)SIZE_MAX) {
            _pm_set_status(h, PM_ENOMEM, "set table too large");
            pm_err_nomem(h);
            return -1;
        }
        newtable = pm_malloc(h, PM_DOMAIN_MEM, (size_t)bytes);   /* PyMem_NEW(setentry, newsize) */
        if (!newtable) { pm_err_nomem(h); return -1; }
    }

    memset(newtable, 0, sizeof(pm_setentry) * (size_t)newsize);
    so->mask = (int64_t)newsize - 1;
    so->table = newtable;

    uint64_t newmask = (uint64_t)so->mask;
    if (so->fill == so->used) {
        for (entry = oldtable; entry <= oldtable + oldmask; entry++)
            if (entry->key != NULL) set_insert_clean(newtable, newmask, entry->key, entry->hash);
    } else {
        so->fill = so->used;
        for (entry = oldtable; entry <= oldtable + oldmask; entry++)
            if (entry->key != NULL && entry->key != dummy)
                set_insert_clean(newtable, newmask, entry->key, entry->hash);
    }
    if (is_oldtable_malloced) pm_free(h, PM_DOMAIN_MEM, oldtable);
    return 0;
}

static int set_contains_entry(pm_heap *h, pm_setobject *so, pm_object *key, int64_t hash) {
    pm_setentry *entry = set_lookkey(h, so, key, hash);
    if (entry != NULL) return entry->key != NULL;
    return -1;
}

static int set_discard_entry(pm_heap *h, pm_setobject *so, pm_object *key, int64_t hash) {
    pm_setentry *entry = set_lookkey(h, so, key, hash);
    if (entry == NULL) return -1;
    if (entry->key == NULL) return DISCARD_NOTFOUND;
    pm_object *old_key = entry->key;
    entry->key = dummy;
    entry->hash = -1;
    so->used--;
    pm_decref(h, old_key);
    return DISCARD_FOUND;
}

static int set_add_key(pm_heap *h, pm_setobject *so, pm_object *key) {
    int64_t hash = pm_object_hash(h, key);
    if (hash == -1) return -1;
    return set_add_entry(h, so, key, hash);
}

static int set_contains_key(pm_heap *h, pm_setobject *so, pm_object *key) {
    int64_t hash = pm_object_hash(h, key);
    if (hash == -1) return -1;
    return set_contains_entry(h, so, key, hash);
}

static int set_discard_key(pm_heap *h, pm_setobject *so, pm_object *key) {
    int64_t hash = pm_object_hash(h, key);
    if (hash == -1) return -1;
    return set_discard_entry(h, so, key, hash);
}

static void set_empty_to_minsize(pm_setobject *so) {
    memset(so->smalltable, 0, sizeof so->smalltable);
    so->fill = 0;
    so->used = 0;
    so->mask = PM_SET_MINSIZE - 1;
    so->table = so->smalltable;
    so->hash = -1;
}

/* set_clear_internal: the set is emptied first (a small table is copied
 * aside), then the old entries are released in table order. */
static int set_clear_internal(pm_heap *h, pm_object *op) {
    pm_setobject *so = (pm_setobject *)op;
    pm_setentry *entry, *table = so->table;
    int64_t fill = so->fill, used = so->used;
    int table_is_malloced = table != so->smalltable;
    pm_setentry small_copy[PM_SET_MINSIZE];

    if (table_is_malloced) {
        set_empty_to_minsize(so);
    } else if (fill > 0) {
        memcpy(small_copy, table, sizeof small_copy);
        table = small_copy;
        set_empty_to_minsize(so);
    }
    for (entry = table; used > 0; entry++) {
        if (entry->key && entry->key != dummy) {
            used--;
            pm_decref(h, entry->key);
        }
    }
    if (table_is_malloced) pm_free(h, PM_DOMAIN_MEM, table);
    return 0;
}

/* set_next: the next active entry at or after *pos_ptr in table order. */
static int set_next(pm_setobject *so, int64_t *pos_ptr, pm_setentry **entry_ptr) {
    int64_t i = *pos_ptr, mask = so->mask;
    pm_setentry *entry = &so->table[i];
    while (i <= mask && (entry->key == NULL || entry->key == dummy)) {
        i++;
        entry++;
    }
    *pos_ptr = i + 1;
    if (i > mask) return 0;
    *entry_ptr = entry;
    return 1;
}

int pm_set_next(pm_heap *h, pm_object *s, int64_t *pos, pm_object **key, int64_t *hash) {
    (void)h;
    pm_setentry *entry;
    if (*pos < 0) return 0;
    if (!set_next((pm_setobject *)s, pos, &entry)) return 0;
    if (key) *key = entry->key;
    if (hash) *hash = entry->hash;
    return 1;
}

/* ---- Merging --------------------------------------------------------------------- */

static int set_merge(pm_heap *h, pm_setobject *so, pm_setobject *other) {
    pm_object *key;
    pm_setentry *so_entry, *other_entry;
    if (other == so || other->used == 0) return 0;
    /* one big resize up front */
    if ((so->fill + other->used) * 5 >= so->mask * 3) {
        if (set_table_resize(h, so, (so->used + other->used) * 2) != 0) return -1;
    }
    so_entry = so->table;
    other_entry = other->table;

    /* empty target of the same size, source without dummies: copy slots */
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        for (int64_t i = 0; i <= other->mask; i++, so_entry++, other_entry++) {
            key = other_entry->key;
            if (key != NULL) {
                so_entry->key = pm_newref(key);
                so_entry->hash = other_entry->hash;
            }
        }
        so->fill = other->fill;
        so->used = other->used;
        return 0;
    }
    /* empty target: clean inserts */
    if (so->fill == 0) {
        pm_setentry *newtable = so->table;
        uint64_t newmask = (uint64_t)so->mask;
        so->fill = other->used;
        so->used = other->used;
        for (int64_t i = other->mask + 1; i > 0; i--, other_entry++) {
            key = other_entry->key;
            if (key != NULL && key != dummy) set_insert_clean(newtable, newmask, pm_newref(key), other_entry->hash);
        }
        return 0;
    }
    /* general case: ordinary insertions */
    for (int64_t i = 0; i <= other->mask; i++) {
        other_entry = &other->table[i];
        key = other_entry->key;
        if (key != NULL && key != dummy) {
            if (set_add_entry(h, so, key, other_entry->hash)) return -1;
        }
    }
    return 0;
}

/* set_update_internal: from a set/frozenset (set_merge) or a dict (its keys,
 * with the dict's stored hashes, after one presizing resize). */
static int set_update_internal(pm_heap *h, pm_setobject *so, pm_object *other) {
    if (anyset_check(h, other)) return set_merge(h, so, (pm_setobject *)other);
    if (pm_dict_check_exact(h, other)) {
        int64_t pos = 0, hash, dictsize = pm_dict_len(h, other);
        pm_object *key, *value;
        if ((so->fill + dictsize) * 5 >= so->mask * 3) {
            if (set_table_resize(h, so, (so->used + dictsize) * 2) != 0) return -1;
        }
        while (pm_dict_next_hash(h, other, &pos, &key, &value, &hash)) {
            if (set_add_entry(h, so, key, hash)) return -1;
        }
        return 0;
    }
    return unsupported_iterable(h, other);
}

int pm_set_update_iter(pm_heap *h, pm_object *so, pm_iternext_fn next, void *ctx) {
    pm_object *key;
    while ((key = next(h, ctx)) != NULL) {
        if (set_add_key(h, (pm_setobject *)so, key)) {
            pm_decref(h, key);
            return -1;
        }
        pm_decref(h, key);
    }
    return pm_err_occurred(h) ? -1 : 0;
}

/* ---- Construction ------------------------------------------------------------------ */

/* make_new_set: PyType_GenericAlloc (zeroed, tracked at once), then an
 * optional update from `iterable`. */
static pm_object *make_new_set(pm_heap *h, pm_type *type, pm_object *iterable) {
    pm_setobject *so = (pm_setobject *)pm_object_alloc(h, type, 0);
    if (!so) return NULL;
    memset((char *)so + sizeof(pm_object), 0, sizeof(pm_setobject) - sizeof(pm_object));
    so->fill = 0;
    so->used = 0;
    so->mask = PM_SET_MINSIZE - 1;
    so->table = so->smalltable;
    so->hash = -1;
    so->finger = 0;
    so->weakreflist = NULL;
    pm_gc_track(h, (pm_object *)so);
    if (iterable != NULL) {
        if (set_update_internal(h, so, iterable)) {
            pm_decref(h, (pm_object *)so);
            return NULL;
        }
    }
    return (pm_object *)so;
}

/* make_new_set_basetype: results of operations are plain set/frozenset. */
static pm_object *make_new_set_basetype(pm_heap *h, pm_type *type, pm_object *iterable) {
    if (type != set_type(h) && type != frozenset_type(h)) type = set_type(h);   /* no subclasses yet */
    return make_new_set(h, type, iterable);
}

pm_object *pm_set_new(pm_heap *h, pm_object *iterable) { return make_new_set(h, set_type(h), iterable); }
pm_object *pm_frozenset_new(pm_heap *h, pm_object *iterable) { return make_new_set(h, frozenset_type(h), iterable); }

/* make_new_frozenset: frozenset(f) is f for an exact frozenset. */
pm_object *pm_frozenset_call(pm_heap *h, pm_object *iterable) {
    if (iterable != NULL && pm_frozenset_check_exact(h, iterable)) return pm_newref(iterable);
    return make_new_set(h, frozenset_type(h), iterable);
}

static pm_object *set_copy(pm_heap *h, pm_setobject *so) {
    return make_new_set_basetype(h, PM_TYPE(so), (pm_object *)so);
}

pm_object *pm_set_copy(pm_heap *h, pm_object *so) {
    if (pm_frozenset_check_exact(h, so)) return pm_newref(so);   /* frozenset_copy */
    return set_copy(h, (pm_setobject *)so);
}

/* ---- Single elements -------------------------------------------------------------------- */

int pm_set_add(pm_heap *h, pm_object *s, pm_object *key) { return set_add_key(h, (pm_setobject *)s, key); }

/* Runs op(so, key); when key is a set (unhashable), CPython retries with
 * frozenset(key) (set_contains / set_discard). */
static int with_frozenset_retry(pm_heap *h, pm_setobject *so, pm_object *key,
                                int (*op)(pm_heap *, pm_setobject *, pm_object *)) {
    int rv = op(h, so, key);
    if (rv >= 0 || !pm_set_check_exact(h, key) || pm_err_occurred(h) != PM_EXC_TypeError) return rv;
    pm_err_clear(h);
    pm_object *tmpkey = make_new_set(h, frozenset_type(h), key);
    if (!tmpkey) return -1;
    rv = op(h, so, tmpkey);
    pm_decref(h, tmpkey);
    return rv;
}

int pm_set_contains(pm_heap *h, pm_object *s, pm_object *key) {
    return with_frozenset_retry(h, (pm_setobject *)s, key, set_contains_key);
}

int pm_set_discard(pm_heap *h, pm_object *s, pm_object *key) {
    return with_frozenset_retry(h, (pm_setobject *)s, key, set_discard_key);
}

int pm_set_remove(pm_heap *h, pm_object *s, pm_object *key) {
    int rv = pm_set_discard(h, s, key);
    if (rv < 0) return -1;
    if (rv == DISCARD_NOTFOUND) {
        set_key_error(h, key);
        return -1;
    }
    return 0;
}

int64_t pm_set_len(pm_heap *h, pm_object *s) {
    (void)h;
    return ((pm_setobject *)s)->used;
}

/* set_pop: from the finger on, wrapping around; leaves a dummy. */
pm_object *pm_set_pop(pm_heap *h, pm_object *s) {
    pm_setobject *so = (pm_setobject *)s;
    pm_setentry *entry = so->table + ((int64_t)so->finger & so->mask);
    pm_setentry *limit = so->table + so->mask;
    if (so->used == 0) {
        pm_err_set(h, PM_EXC_KeyError, "'pop from an empty set'");
        return NULL;
    }
    while (entry->key == NULL || entry->key == dummy) {
        entry++;
        if (entry > limit) entry = so->table;
    }
    pm_object *key = entry->key;
    entry->key = dummy;
    entry->hash = -1;
    so->used--;
    so->finger = (uint32_t)(entry - so->table + 1);
    return key;
}

int pm_set_clear(pm_heap *h, pm_object *s) { return set_clear_internal(h, s); }

/* ---- Set algebra ---------------------------------------------------------------------------- */

static pm_object *set_intersection(pm_heap *h, pm_setobject *so, pm_object *other) {
    pm_object *key;
    int64_t hash;
    int rv;
    if ((pm_object *)so == other) return set_copy(h, so);
    pm_setobject *result = (pm_setobject *)make_new_set_basetype(h, PM_TYPE(so), NULL);
    if (!result) return NULL;

    if (anyset_check(h, other)) {
        int64_t pos = 0;
        pm_setentry *entry;
        if (set_size(other) > set_size((pm_object *)so)) {   /* iterate the smaller one */
            pm_object *tmp = (pm_object *)so;
            so = (pm_setobject *)other;
            other = tmp;
        }
        while (set_next((pm_setobject *)other, &pos, &entry)) {
            key = entry->key;
            hash = entry->hash;
            pm_incref(key);
            rv = set_contains_entry(h, so, key, hash);
            if (rv < 0) goto fail_key;
            if (rv && set_add_entry(h, result, key, hash)) goto fail_key;
            pm_decref(h, key);
        }
        return (pm_object *)result;
    }
    if (pm_dict_check_exact(h, other)) {            /* iterating a dict: its keys in order */
        int64_t pos = 0;
        while (pm_dict_next(h, other, &pos, &key, NULL)) {
            pm_incref(key);
            hash = pm_object_hash(h, key);
            if (hash == -1) goto fail_key;
            rv = set_contains_entry(h, so, key, hash);
            if (rv < 0) goto fail_key;
            if (rv) {
                if (set_add_entry(h, result, key, hash)) goto fail_key;
                if (set_size((pm_object *)result) >= set_size((pm_object *)so)) {
                    pm_decref(h, key);
                    break;
                }
            }
            pm_decref(h, key);
        }
        return (pm_object *)result;
    }
    pm_decref(h, (pm_object *)result);
    unsupported_iterable(h, other);
    return NULL;

fail_key:
    pm_decref(h, (pm_object *)result);
    pm_decref(h, key);
    return NULL;
}

/* set_swap_bodies: exchanges the contents of two sets (smalltables copied). */
static void set_swap_bodies(pm_heap *h, pm_setobject *a, pm_setobject *b) {
    int64_t t;
    pm_setentry *u;
    pm_setentry tab[PM_SET_MINSIZE];
    int64_t hv;

    t = a->fill; a->fill = b->fill; b->fill = t;
    t = a->used; a->used = b->used; b->used = t;
    t = a->mask; a->mask = b->mask; b->mask = t;

    u = a->table;
    if (a->table == a->smalltable) u = b->smalltable;
    a->table = b->table;
    if (b->table == b->smalltable) a->table = a->smalltable;
    b->table = u;

    if (a->table == a->smalltable || b->table == b->smalltable) {
        memcpy(tab, a->smalltable, sizeof tab);
        memcpy(a->smalltable, b->smalltable, sizeof tab);
        memcpy(b->smalltable, tab, sizeof tab);
    }
    if (pm_frozenset_check_exact(h, (pm_object *)a) && pm_frozenset_check_exact(h, (pm_object *)b)) {
        hv = a->hash; a->hash = b->hash; b->hash = hv;
    } else {
        a->hash = -1;
        b->hash = -1;
    }
}

static int set_difference_update_internal(pm_heap *h, pm_setobject *so, pm_object *other) {
    if ((pm_object *)so == other) return set_clear_internal(h, (pm_object *)so);
    if (anyset_check(h, other)) {
        pm_setentry *entry;
        int64_t pos = 0;
        /* other more than 8 times larger: discard only the common part */
        if ((set_size(other) >> 3) > set_size((pm_object *)so)) {
            other = set_intersection(h, so, other);
            if (!other) return -1;
        } else {
            pm_incref(other);
        }
        while (set_next((pm_setobject *)other, &pos, &entry)) {
            pm_object *key = entry->key;
            pm_incref(key);
            if (set_discard_entry(h, so, key, entry->hash) < 0) {
                pm_decref(h, other);
                pm_decref(h, key);
                return -1;
            }
            pm_decref(h, key);
        }
        pm_decref(h, other);
    } else if (pm_dict_check_exact(h, other)) {
        int64_t pos = 0;
        pm_object *key;
        while (pm_dict_next(h, other, &pos, &key, NULL)) {
            pm_incref(key);
            if (set_discard_key(h, so, key) < 0) {
                pm_decref(h, key);
                return -1;
            }
            pm_decref(h, key);
        }
    } else {
        return unsupported_iterable(h, other);
    }
    /* more than a quarter dummies: rebuild */
    if ((uint64_t)(so->fill - so->used) <= (uint64_t)so->mask / 4) return 0;
    return set_table_resize(h, so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

static pm_object *set_copy_and_difference(pm_heap *h, pm_setobject *so, pm_object *other) {
    pm_object *result = set_copy(h, so);
    if (!result) return NULL;
    if (set_difference_update_internal(h, (pm_setobject *)result, other) == 0) return result;
    pm_decref(h, result);
    return NULL;
}

static pm_object *set_difference(pm_heap *h, pm_setobject *so, pm_object *other) {
    pm_object *result, *key;
    int64_t hash, pos = 0, other_size;
    pm_setentry *entry;
    int rv;
    if (anyset_check(h, other)) other_size = set_size(other);
    else if (pm_dict_check_exact(h, other)) other_size = pm_dict_len(h, other);
    else return set_copy_and_difference(h, so, other);

    /* so much larger than other: copy so, then remove other's elements */
    if ((set_size((pm_object *)so) >> 2) > other_size) return set_copy_and_difference(h, so, other);

    result = make_new_set_basetype(h, PM_TYPE(so), NULL);
    if (!result) return NULL;
    int is_dict = pm_dict_check_exact(h, other);
    while (set_next(so, &pos, &entry)) {
        key = entry->key;
        hash = entry->hash;
        pm_incref(key);
        if (is_dict) {
            rv = pm_dict_contains_known_hash(h, other, key, hash);
        } else {
            rv = set_contains_entry(h, (pm_setobject *)other, key, hash);
        }
        if (rv < 0 || (!rv && set_add_entry(h, (pm_setobject *)result, key, hash))) {
            pm_decref(h, result);
            pm_decref(h, key);
            return NULL;
        }
        pm_decref(h, key);
    }
    return result;
}

static int set_symmetric_difference_update(pm_heap *h, pm_setobject *so, pm_object *other) {
    pm_setobject *otherset;
    pm_object *key;
    int64_t pos = 0, hash;
    pm_setentry *entry;
    int rv;
    if ((pm_object *)so == other) return set_clear_internal(h, (pm_object *)so);
    if (pm_dict_check_exact(h, other)) {
        pm_object *value;
        while (pm_dict_next_hash(h, other, &pos, &key, &value, &hash)) {
            pm_incref(key);
            rv = set_discard_entry(h, so, key, hash);
            if (rv < 0 || (rv == DISCARD_NOTFOUND && set_add_entry(h, so, key, hash))) {
                pm_decref(h, key);
                return -1;
            }
            pm_decref(h, key);
        }
        return 0;
    }
    if (!anyset_check(h, other)) return unsupported_iterable(h, other);
    otherset = (pm_setobject *)pm_newref(other);
    while (set_next(otherset, &pos, &entry)) {
        key = entry->key;
        hash = entry->hash;
        pm_incref(key);
        rv = set_discard_entry(h, so, key, hash);
        if (rv < 0 || (rv == DISCARD_NOTFOUND && set_add_entry(h, so, key, hash))) {
            pm_decref(h, (pm_object *)otherset);
            pm_decref(h, key);
            return -1;
        }
        pm_decref(h, key);
    }
    pm_decref(h, (pm_object *)otherset);
    return 0;
}

/* set_symmetric_difference: a copy of OTHER (with so's type), updated
 * with so — the result's order comes from other's table. */
static pm_object *set_symmetric_difference(pm_heap *h, pm_setobject *so, pm_object *other) {
    if (!anyset_check(h, other) && !pm_dict_check_exact(h, other)) {
        unsupported_iterable(h, other);
        return NULL;
    }
    pm_setobject *otherset = (pm_setobject *)make_new_set_basetype(h, PM_TYPE(so), other);
    if (!otherset) return NULL;
    if (set_symmetric_difference_update(h, otherset, (pm_object *)so) < 0) {
        pm_decref(h, (pm_object *)otherset);
        return NULL;
    }
    return (pm_object *)otherset;
}

static int set_issubset(pm_heap *h, pm_setobject *so, pm_object *other) {
    pm_setentry *entry;
    int64_t pos = 0;
    if (!anyset_check(h, other)) {
        pm_object *tmp = set_intersection(h, so, other);
        if (!tmp) return -1;
        int result = set_size(tmp) == set_size((pm_object *)so);
        pm_decref(h, tmp);
        return result;
    }
    if (set_size((pm_object *)so) > set_size(other)) return 0;
    while (set_next(so, &pos, &entry)) {
        pm_object *key = entry->key;
        pm_incref(key);
        int rv = set_contains_entry(h, (pm_setobject *)other, key, entry->hash);
        pm_decref(h, key);
        if (rv < 0) return -1;
        if (!rv) return 0;
    }
    return 1;
}

static int set_issuperset(pm_heap *h, pm_setobject *so, pm_object *other) {
    if (anyset_check(h, other)) return set_issubset(h, (pm_setobject *)other, (pm_object *)so);
    if (pm_dict_check_exact(h, other)) {
        int64_t pos = 0;
        pm_object *key;
        while (pm_dict_next(h, other, &pos, &key, NULL)) {
            pm_incref(key);
            int rv = set_contains_key(h, so, key);
            pm_decref(h, key);
            if (rv <= 0) return rv;
        }
        return 1;
    }
    return unsupported_iterable(h, other);
}

static int set_isdisjoint(pm_heap *h, pm_setobject *so, pm_object *other) {
    if ((pm_object *)so == other) return set_size((pm_object *)so) == 0;
    if (anyset_check(h, other)) {
        int64_t pos = 0;
        pm_setentry *entry;
        if (set_size(other) > set_size((pm_object *)so)) {
            pm_object *tmp = (pm_object *)so;
            so = (pm_setobject *)other;
            other = tmp;
        }
        while (set_next((pm_setobject *)other, &pos, &entry)) {
            pm_object *key = entry->key;
            pm_incref(key);
            int rv = set_contains_entry(h, so, key, entry->hash);
            pm_decref(h, key);
            if (rv < 0) return -1;
            if (rv) return 0;
        }
        return 1;
    }
    if (pm_dict_check_exact(h, other)) {
        int64_t pos = 0;
        pm_object *key;
        while (pm_dict_next(h, other, &pos, &key, NULL)) {
            pm_incref(key);
            int rv = set_contains_key(h, so, key);
            pm_decref(h, key);
            if (rv < 0) return -1;
            if (rv) return 0;
        }
        return 1;
    }
    return unsupported_iterable(h, other);
}

/* set_richcompare(Py_EQ) */
int pm_set_eq(pm_heap *h, pm_object *a, pm_object *b) {
    pm_setobject *v = (pm_setobject *)a, *w = (pm_setobject *)b;
    if (v->used != w->used) return 0;
    if (v->hash != -1 && w->hash != -1 && v->hash != w->hash) return 0;
    return set_issubset(h, v, b);
}

static int set_tp_eq(pm_heap *h, pm_object *a, pm_object *b) {
    if (!anyset_check(h, b) || !anyset_check(h, a)) return PM_NOTIMPL;
    return pm_set_eq(h, a, b);
}

/* ---- Public method / operator forms ---------------------------------------------------------- */

pm_object *pm_set_union(pm_heap *h, pm_object *so, pm_object *other) {
    pm_object *result = set_copy(h, (pm_setobject *)so);
    if (!result) return NULL;
    if (so == other) return result;
    if (set_update_internal(h, (pm_setobject *)result, other)) {
        pm_decref(h, result);
        return NULL;
    }
    return result;
}

pm_object *pm_set_intersection(pm_heap *h, pm_object *so, pm_object *other) {
    return set_intersection(h, (pm_setobject *)so, other);
}

pm_object *pm_set_difference(pm_heap *h, pm_object *so, pm_object *other) {
    return set_difference(h, (pm_setobject *)so, other);
}

pm_object *pm_set_symmetric_difference(pm_heap *h, pm_object *so, pm_object *other) {
    return set_symmetric_difference(h, (pm_setobject *)so, other);
}

int pm_set_update(pm_heap *h, pm_object *so, pm_object *other) {
    return set_update_internal(h, (pm_setobject *)so, other);
}

int pm_set_intersection_update(pm_heap *h, pm_object *so, pm_object *other) {
    pm_object *tmp = set_intersection(h, (pm_setobject *)so, other);
    if (!tmp) return -1;
    set_swap_bodies(h, (pm_setobject *)so, (pm_setobject *)tmp);
    pm_decref(h, tmp);
    return 0;
}

int pm_set_difference_update(pm_heap *h, pm_object *so, pm_object *other) {
    return set_difference_update_internal(h, (pm_setobject *)so, other);
}

int pm_set_symmetric_difference_update(pm_heap *h, pm_object *so, pm_object *other) {
    return set_symmetric_difference_update(h, (pm_setobject *)so, other);
}

int pm_set_issubset(pm_heap *h, pm_object *so, pm_object *other) { return set_issubset(h, (pm_setobject *)so, other); }
int pm_set_issuperset(pm_heap *h, pm_object *so, pm_object *other) {
    return set_issuperset(h, (pm_setobject *)so, other);
}
int pm_set_isdisjoint(pm_heap *h, pm_object *so, pm_object *other) {
    return set_isdisjoint(h, (pm_setobject *)so, other);
}

pm_object *pm_set_or(pm_heap *h, pm_object *a, pm_object *b) {
    if (!anyset_check(h, a) || !anyset_check(h, b)) return not_implemented(h);
    pm_object *result = set_copy(h, (pm_setobject *)a);
    if (!result) return NULL;
    if (a == b) return result;
    if (set_update_internal(h, (pm_setobject *)result, b)) {
        pm_decref(h, result);
        return NULL;
    }
    return result;
}

pm_object *pm_set_and(pm_heap *h, pm_object *a, pm_object *b) {
    if (!anyset_check(h, a) || !anyset_check(h, b)) return not_implemented(h);
    return set_intersection(h, (pm_setobject *)a, b);
}

pm_object *pm_set_sub(pm_heap *h, pm_object *a, pm_object *b) {
    if (!anyset_check(h, a) || !anyset_check(h, b)) return not_implemented(h);
    return set_difference(h, (pm_setobject *)a, b);
}

pm_object *pm_set_xor(pm_heap *h, pm_object *a, pm_object *b) {
    if (!anyset_check(h, a) || !anyset_check(h, b)) return not_implemented(h);
    return set_symmetric_difference(h, (pm_setobject *)a, b);
}

/* ---- Type slots -------------------------------------------------------------------------------- */

static void set_dealloc(pm_heap *h, pm_object *op) {
    pm_setobject *so = (pm_setobject *)op;
    pm_setentry *entry;
    int64_t used = so->used;
    pm_gc_untrack(h, op);
    int tok = pm_trashcan_begin(h, op, set_dealloc);
    if (tok == PM_TRASH_DEFERRED) return;
    if (so->weakreflist) _pm_weakref_clear_refs(h, op);
    for (entry = so->table; used > 0; entry++) {
        if (entry->key && entry->key != dummy) {
            used--;
            pm_decref(h, entry->key);
        }
    }
    if (so->table != so->smalltable) pm_free(h, PM_DOMAIN_MEM, so->table);
    pm_object_free(h, op);
    pm_trashcan_end(h, tok);
}

static int set_traverse(pm_heap *h, pm_object *op, pm_visitproc visit, void *arg) {
    (void)h;
    int64_t pos = 0;
    pm_setentry *entry;
    while (set_next((pm_setobject *)op, &pos, &entry)) {
        int r = visit(entry->key, arg);
        if (r) return r;
    }
    return 0;
}

static size_t set_sizeof(pm_heap *h, pm_object *op) {
    (void)h;
    pm_setobject *so = (pm_setobject *)op;
    size_t res = PM_SET_OBJECT_SIZE;
    if (so->table != so->smalltable) res += (size_t)(so->mask + 1) * PM_SET_ENTRY_SIZE;
    return res;
}

static uint64_t shuffle_bits(uint64_t h) {
    return ((h ^ 89869747ull) ^ (h << 16)) * 3644798167ull;
}

/* frozenset_hash: xor of the shuffled hashes of every slot (unused and
 * dummy slots cancelled out afterwards), mixed with the size; cached. */
static int64_t frozenset_hash(pm_heap *h, pm_object *self) {
    (void)h;
    pm_setobject *so = (pm_setobject *)self;
    uint64_t hash = 0;
    if (so->hash != -1) return so->hash;
    for (pm_setentry *entry = so->table; entry <= &so->table[so->mask]; entry++)
        hash ^= shuffle_bits((uint64_t)entry->hash);
    if ((so->mask + 1 - so->fill) & 1) hash ^= shuffle_bits(0);                /* odd number of unused */
    if ((so->fill - so->used) & 1) hash ^= shuffle_bits((uint64_t)(int64_t)-1);  /* odd number of dummies */
    hash ^= ((uint64_t)so->used + 1) * 1927868237ull;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069u + 907133923ull;
    if (hash == (uint64_t)-1) hash = 590923713ull;
    so->hash = (int64_t)hash;
    return so->hash;
}

/* set_repr: "set()", "{a, b}", "frozenset({a, b})"; "set(...)" when the
 * set is already being printed. CPython lists the keys first
 * (PySequence_List) and prints that list; the snapshot here plays its
 * part, so a repr that mutates the set cannot disturb the walk. */
static int set_repr(pm_heap *h, pm_object *op, pm_strbuf *sb) {
    pm_setobject *so = (pm_setobject *)op;
    const char *name = PM_TYPE(op)->tp_name;
    int exact_set = pm_set_check_exact(h, op);
    if (so->flags & PM_SET_FLAG_REPR) {
        _pm_strbuf_printf(sb, "%s(...)", name);
        goto out;
    }
    if (!so->used) {
        _pm_strbuf_printf(sb, "%s()", name);
        goto out;
    }
    so->flags |= PM_SET_FLAG_REPR;
    int64_t n = so->used, k = 0, pos = 0;
    pm_object **keys = _pm_raw_malloc(h, (size_t)n * sizeof *keys);
    if (!keys) {
        so->flags &= ~PM_SET_FLAG_REPR;
        pm_err_nomem(h);
        return -1;
    }
    pm_setentry *entry;
    while (k < n && set_next(so, &pos, &entry)) keys[k++] = pm_newref(entry->key);
    if (!exact_set) _pm_strbuf_printf(sb, "%s(", name);
    _pm_strbuf_puts(sb, "{");
    int r = 0;
    for (int64_t i = 0; i < k && r == 0; i++) {
        if (i) _pm_strbuf_puts(sb, ", ");
        r = pm_object_repr(h, keys[i], sb);
    }
    _pm_strbuf_puts(sb, exact_set ? "}" : "})");
    for (int64_t i = 0; i < k; i++) pm_decref(h, keys[i]);
    _pm_raw_free(h, keys);
    so->flags &= ~PM_SET_FLAG_REPR;
    if (r < 0) return -1;
out:
    if (sb->failed) { pm_err_nomem(h); return -1; }
    return 0;
}

static void init_set_type(pm_heap *h, pm_type_id id, const char *name) {
    pm_type *t = pm_builtin_type(h, id);
    memset(t, 0, sizeof *t);
    t->ob_base.ob_base.ob_refcnt = PM_IMMORTAL_REFCNT;
    t->ob_base.ob_base.ob_type = pm_builtin_type(h, PM_T_TYPE);
    t->tp_name = name;
    t->tp_basicsize = PM_SET_OBJECT_SIZE;
    t->tp_itemsize = 0;
    t->tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_IMMUTABLETYPE;
    t->type_id = (uint32_t)id;
    t->tp_base = pm_builtin_type(h, PM_T_OBJECT);
    t->tp_dealloc = set_dealloc;
    t->tp_traverse = set_traverse;
    t->tp_clear = set_clear_internal;
    t->tp_sizeof = set_sizeof;
    t->tp_eq = set_tp_eq;
    t->tp_repr = set_repr;
}

pm_status _pm_set_init(pm_heap *h) {
    init_set_type(h, PM_T_SET, "set");
    init_set_type(h, PM_T_FROZENSET, "frozenset");
    pm_builtin_type(h, PM_T_SET)->tp_weaklistoffset = (int32_t)offsetof(pm_setobject, weakreflist);
    pm_builtin_type(h, PM_T_FROZENSET)->tp_weaklistoffset = (int32_t)offsetof(pm_setobject, weakreflist);
    pm_builtin_type(h, PM_T_SET)->tp_hash = NULL;                 /* unhashable */
    pm_builtin_type(h, PM_T_FROZENSET)->tp_hash = frozenset_hash;
    return PM_OK;
}
