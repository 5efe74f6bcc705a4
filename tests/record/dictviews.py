"""Records facts about CPython 3.12's dict views (dict_keys, dict_values,
dict_items) and the reverse dict iterators for the native tests of
core/src/dictviewobject.c (tests/core/test_dictview.c).

    PYENV_VERSION=3.12.1 python3.12 tests/record/dictviews.py > tests/fixtures/dictviews.txt

Output: one fact per line, "<case> <value>". Never edit the output by hand;
rerun this script. Dicts have int keys (their hashes, hence set orders, do
not depend on the str hash seed).

Sections
  name.<kind>        type(view).__name__ (kind: keys, values, items)
  size.<kind>        sys.getsizeof(view)
  tracked.<kind>     gc.is_tracked(view) (1/0)
  refs.<kind>        sys.getrefcount(d) - sys.getrefcount(d) before the view existed
  hashable.<kind>    1 when hash(view) works, else the TypeError message
  repr.<kind>        repr of a view of D = {1: 10, 2: 20, 3: 30}
  repr_live.<kind>   the repr after D2[4] = 40 (the view was made before)
  len.<kind>         len(view)
  in.<case>          x in view (1/0)
  eq.<case>          a == b (1/0), cmp.<case> for the orderings
  op.<case>          repr of the result of a set operation (a set)
  disjoint.<case>    view.isdisjoint(x) (1/0)
  rev.<kind>         type name and list(reversed(view))
  err.<case>         "Type: message" of the error
  recursive.<case>   repr of a view that contains itself
  gc.<case>          gc.collect() of a cycle through a view
"""
import gc
import sys


def out(k, v):
    print(f'{k} {v}')


def make():
    return {1: 10, 2: 20, 3: 30}


def views(d):
    return [('keys', d.keys()), ('values', d.values()), ('items', d.items())]


def main():
    print(f'# recorded by tests/record/dictviews.py with Python {sys.version.split()[0]}')
    D = make()
    for kind, _ in views(D):
        d = make()
        before = sys.getrefcount(d)
        v = getattr(d, kind)()
        out(f'name.{kind}', type(v).__name__)
        out(f'size.{kind}', sys.getsizeof(v))
        out(f'tracked.{kind}', int(gc.is_tracked(v)))
        out(f'refs.{kind}', sys.getrefcount(d) - before)
        try:
            hash(v)
            out(f'hashable.{kind}', 1)
        except TypeError as e:
            out(f'hashable.{kind}', e)
        out(f'repr.{kind}', repr(v))
        d[4] = 40
        out(f'repr_live.{kind}', repr(v))
        out(f'len.{kind}', len(v))
        del v
        out(f'refs_after_del.{kind}', sys.getrefcount(d) - before)
    d = make()
    k, vals, it = d.keys(), d.values(), d.items()
    out('in.keys_1', int(1 in k))
    out('in.keys_10', int(10 in k))
    out('in.values_20', int(20 in vals))
    out('in.values_2', int(2 in vals))
    out('in.items_pair', int((2, 20) in it))
    out('in.items_wrong_value', int((2, 21) in it))
    out('in.items_list', int([2, 20] in it))
    out('in.items_3tuple', int((2, 20, 0) in it))
    out('eq.keys_set', int(k == {1, 2, 3}))
    out('eq.set_keys', int({3, 2, 1} == k))
    out('eq.keys_keys', int(k == make().keys()))
    out('eq.keys_list', int(k == [1, 2, 3]))
    out('eq.keys_smaller', int(k == {1, 2}))
    out('eq.items_set', int(it == {(1, 10), (2, 20), (3, 30)}))
    out('eq.items_items_other', int(it == {1: 10, 2: 20, 3: 31}.items()))
    out('eq.values_values', int(vals == make().values()))
    out('eq.values_self', int(vals == vals))
    out('ne.keys_set', int(k != {1, 2}))
    out('cmp.keys_lt', int(k < {1, 2, 3, 4}))
    out('cmp.keys_le', int(k <= {1, 2, 3}))
    out('cmp.keys_gt', int(k > {1, 2}))
    out('cmp.keys_ge_no', int(k >= {1, 5}))
    other = {2: 0, 3: 30, 4: 40}
    out('op.keys_and_set', repr(k & {2, 3, 7}))
    out('op.set_and_keys', repr({2, 3, 7} & k))
    out('op.keys_and_keys', repr(k & other.keys()))
    out('op.keys_and_list', repr(k & [3, 1, 9]))
    out('op.keys_or_set', repr(k | {5, 0}))
    out('op.set_or_keys', repr({5, 0} | k))
    out('op.keys_sub_set', repr(k - {2}))
    out('op.set_sub_keys', repr({1, 9} - k))
    out('op.keys_xor_set', repr(k ^ {3, 4}))
    out('op.items_and_items', repr(it & other.items()))
    out('op.items_or_set', repr(it | {(9, 9)}))
    out('op.items_sub_items', repr(it - other.items()))
    out('op.items_xor_items', repr(it ^ other.items()))
    out('op.keys_xor_keys', repr(k ^ other.keys()))
    out('disjoint.keys_set', int(k.isdisjoint({4, 5})))
    out('disjoint.keys_list', int(k.isdisjoint([5, 3])))
    out('disjoint.items_items', int(it.isdisjoint(other.items())))
    out('disjoint.self_empty', int({}.keys().isdisjoint({}.keys())))
    for kind, v in views(d):
        r = reversed(v)
        out(f'rev.{kind}', f'{type(r).__name__} {list(r)}')
        out(f'revsize.{kind}', sys.getsizeof(reversed(v)))
    r = reversed(d)
    out('rev.dict', f'{type(r).__name__} {list(r)}')
    dd = make()
    del dd[2]
    out('rev.deleted', list(reversed(dd.items())))
    try:
        for x in d.keys():
            d[x + 100] = 0
    except RuntimeError as e:
        out('err.size_change', f'{type(e).__name__}: {e}')
    d = make()
    try:
        for x in reversed(d.values()):
            d.pop(1)
    except RuntimeError as e:
        out('err.size_change_rev', f'{type(e).__name__}: {e}')
    try:
        make().values() & {1}
    except TypeError as e:
        out('err.values_and', f'{type(e).__name__}: {e}')
    try:
        make().keys() < [1]
    except TypeError as e:
        out('err.keys_lt_list', f'{type(e).__name__}: {e}')
    d = {}
    d[1] = d.keys()
    out('recursive.keys', repr(d.keys()))
    d = {}
    d[1] = d.values()
    out('recursive.values', repr(d.values()))
    d = {}
    d[1] = d.items()
    out('recursive.items', repr(d.items()))
    del d
    gc.collect()
    d = {}
    d[1] = d.keys()
    del d
    out('gc.self_keys', gc.collect())
    d = {}
    d[1] = d.items()
    d[2] = d.values()
    del d
    out('gc.two_views', gc.collect())
    out('referents.keys_is_dict', int(gc.get_referents(D.keys()) == [D]))


main()
