# bytes sizes
import sys
print(sys.getsizeof(b""), sys.getsizeof(b"a"), sys.getsizeof(b"hello"), sys.getsizeof(b"x" * 100))
