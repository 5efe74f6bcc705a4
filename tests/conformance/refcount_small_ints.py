# small ints, None, True and False are immortal in 3.12
import sys
print(sys.getrefcount(0) == sys.getrefcount(1))
print(sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
print(sys.getrefcount(256))
