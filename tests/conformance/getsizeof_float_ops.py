# floats are 24 bytes whatever their value
import sys
for v in [0.0, 1.5, -2.25, 1e308, 3.0 * 7]:
    print(v, sys.getsizeof(v))
