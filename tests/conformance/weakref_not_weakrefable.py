# ints and lists cannot be weakly referenced
import weakref
try:
    weakref.ref(1)
except TypeError as e:
    print(e)
try:
    weakref.ref([])
except TypeError as e:
    print(e)
