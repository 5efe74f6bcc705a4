# Built-in functions and modules are 72-byte GC objects in 3.12.
import gc
import sys

print(sys.getsizeof(print), sys.getsizeof(len), sys.getsizeof(sys), sys.getsizeof(gc))
print(gc.is_tracked(print), gc.is_tracked(sys))
print(type(print).__name__, type(sys).__name__)
