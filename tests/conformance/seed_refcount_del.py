# seed: getrefcount before and after binding and deleting a second name
import sys

a = []

# 2 (one reference from 'a' and one from getrefcount)
print(sys.getrefcount(a))  # Reference count of 'a'

b = a
print(sys.getrefcount(a))  # Reference count of 'a' after assignment

del b
print(sys.getrefcount(a))  # Reference count of 'a' after deleting 'b'
