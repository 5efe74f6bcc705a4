fruits = ["apple", "banana", "cherry"]
for i, f in enumerate(fruits, start=1):
    print(i, f)
print(list(enumerate("ab", 10)))
print(list(zip([1, 2, 3], "abc")))
print(list(zip([1, 2, 3], "ab")))
print(dict(zip("xyz", range(3))))
print(list(zip(*[(1, "a"), (2, "b")])))
