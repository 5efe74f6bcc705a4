# more str methods
s = "  Memory Management  "
print(repr(s.strip()), s.strip().lower(), s.strip().upper())
print("a-b-c".split("-"), " x y ".split())
print("abc".startswith("ab"), "abc".endswith("bc"), "abc".replace("b", "B"))
print(", ".join(str(i) for i in range(4)))
print("x" * 3, len("hello" * 2), "ab" < "b", "abc"[::-1] if False else "cba")
