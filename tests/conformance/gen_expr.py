# generator expressions
import sys
squares = (i * i for i in range(5))
print(type(squares).__name__)
print(list(squares))
print(sum(x for x in range(101)))
print(max(len(w) for w in ["a", "abc", "ab"]))
