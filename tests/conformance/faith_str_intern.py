# Identifier-like string literals are interned; computed strings are not
import sys
s1 = "hello"
s2 = "hello"
print(s1 is s2)
s3 = "".join(["hel", "lo"])
print(s3 == s1, s3 is s1)
s4 = sys.intern(s3)
print(s4 is s1)
a = "hello world!"
b = "hello world!"
print(a == b)
x = "a" * 3
print(x, x == "aaa")
print(len("naïve"), "abc" < "abd", "Z" < "a")
