# seed: sizes of everyday objects on 64-bit CPython 3.12
import sys
values = [0, 1, 2 ** 40, 3.14, "", "a", "hello", [], [1], (), (1,), {}, {"a": 1}, set(), True, None]
for v in values:
    print(repr(v), sys.getsizeof(v))
