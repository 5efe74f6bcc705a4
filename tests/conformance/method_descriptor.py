# Methods of built-in types taken from the type are method_descriptor objects,
# one per (type, name) as the type's dict holds them.
import sys
print(type(str.lower), sys.getsizeof(str.lower), str.lower, type(list.append).__name__, str.lower.__name__, str.lower.__qualname__, list.append.__objclass__)
print(str.lower is str.lower, sys.getrefcount(str.lower), sys.getrefcount(list.append))
f = str.lower
print(sys.getrefcount(f), f('AB'), f.__objclass__, repr(list.append), callable(f))
try: str.lower(5)
except TypeError as e: print(e)
try: str.lower()
except TypeError as e: print(e)
print(list(map(str.upper, ["a", "b"])), sorted(["b", "A", "c"], key=str.lower))
print(type(len).__name__, len.__name__, len.__qualname__, [].append.__qualname__, type([].append).__name__)
