# assorted builtins
print(abs(-3), max([1, 5, 2]), min(4, 2, 8), sum(range(5)))
print(sorted("banana"), list(reversed("abc")))
print(list(enumerate("ab")), list(zip([1, 2], "xy")))
print(any([0, 0, 1]), all([1, 1, 0]), len({"a": 1}))
print(isinstance(True, int), isinstance(1.0, (int, float)), type(None).__name__)
print(chr(65), ord("a"), hash(1), callable(len), callable(1))
print(divmod(-7, 2), round(7.5), round(-0.5), int(True))
