# strings built in a loop
import sys
s = ""
for i in range(5):
    s = s + "ab"
    print(len(s), sys.getsizeof(s))
