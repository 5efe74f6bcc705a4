# Exception classes: the built-in ones are types with a __mro__ down to object;
# subclasses may define __str__ / __repr__ (used by print and tracebacks);
# built-in exceptions cannot be weakly referenced, subclass instances can.
class E(Exception):
    def __str__(self):
        return 'custom'
    def __repr__(self):
        return 'E!'
print(E(), repr(E()), [E()])
print(ValueError.__name__, E.__mro__, ValueError.__mro__)
print(type(ValueError('x')), ValueError)
try:
    raise E()
except Exception as e:
    print(type(e).__name__, e.args)
import weakref
try:
    weakref.ref(ValueError())
except TypeError as x:
    print(x)
r = weakref.ref(E())
print(r() is None)
raise E('z')
