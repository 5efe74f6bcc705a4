# a caught exception is referenced by the name and exc_info
import sys
try:
    raise ValueError("x")
except ValueError as e:
    print(sys.getrefcount(e))
