# seed: putting an object into containers raises its count
import sys
obj = object()
print(sys.getrefcount(obj))
lst = [obj]
print(sys.getrefcount(obj))
dct = {"key": obj}
print(sys.getrefcount(obj))
tpl = (obj,)
print(sys.getrefcount(obj))
del lst, dct, tpl
print(sys.getrefcount(obj))
