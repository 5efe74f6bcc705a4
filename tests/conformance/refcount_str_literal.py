# a str bound once from code is held by the code's constants too
import sys
s = "not interned text!"
t = s
print(sys.getrefcount(s) >= 3)
