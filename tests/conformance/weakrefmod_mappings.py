# WeakValueDictionary and WeakKeyDictionary: entries go when their referent dies
import gc
import weakref


class Obj:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return 'Obj(' + repr(self.name) + ')'


cache = weakref.WeakValueDictionary()
a, b, c = Obj('a'), Obj('b'), Obj('c')
cache['a'] = a
cache['b'] = b
cache[3] = c
print(len(cache), sorted([str(k) for k in cache.keys()]), cache['a'], 'b' in cache, 'z' in cache)
print(cache.get('a'), cache.get('z'), cache.get('z', 'dflt'))
del b
print(len(cache), 'b' in cache, sorted([str(k) for k in cache]))
print(sorted([str(k) for k, v in cache.items()]), sorted([v.name for v in cache.values()]))
try:
    cache['b']
except KeyError as e:
    print('KeyError:', e)
print(cache.pop(3), len(cache), cache.pop('zz', None))
cache['a2'] = a
del cache['a2']
print(len(cache), weakref.getweakrefcount(a))
print(cache.setdefault('a', None) is a, len(cache.valuerefs()))
del a
print(len(cache), list(cache.items()))
w2 = weakref.WeakValueDictionary({'x': c}, y=c)
print(sorted(w2.keys()), w2['x'] is c)

owner = weakref.WeakKeyDictionary()
k1, k2 = Obj('k1'), Obj('k2')
owner[k1] = 'one'
owner[k2] = 'two'
print(len(owner), owner[k1], k2 in owner, 5 in owner, sorted(owner.values()))
print(owner.get(k1), sorted([k.name for k in owner.keys()]), len(owner.keyrefs()))
del k1
print(len(owner), [k.name for k in owner])


class Cyc:
    def __init__(self):
        self.me = self


gc.collect()
x = Cyc()
owner[x] = 'cycle'
cache['cyc'] = x
print(len(owner), len(cache))
del x
print(len(owner), len(cache))
print(gc.collect())
print(len(owner), len(cache))
print(repr(cache).startswith('<WeakValueDictionary at 0x'), repr(owner).startswith('<WeakKeyDictionary at 0x'))
