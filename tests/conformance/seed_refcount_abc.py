# seed: "Example 1: Reference Counting" — three names for one list
import sys

a = [1, 2, 3]
b = a  # Another reference to the same object
c = a  # Another reference again

print(sys.getrefcount(a))  # Shows number of references
