# sizes of str objects by kind and length
import sys

for s in ["", "a", "ab", "hello world", "é", "€", "😀", "x" * 100]:
    print(repr(s), sys.getsizeof(s))
print(sys.getsizeof("a" + "b"))
