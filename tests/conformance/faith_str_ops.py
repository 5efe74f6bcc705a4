print("ab" * 3, 3 * "-", "x" * 0, "ab" * -1 == "")
print("=" * 20)
line = "-" * 5 + "+" + "-" * 5
print(line, len(line))
print("abc" + "def", "abc"[1], "a" in "abc", "abc".upper().lower())
print(str(12) + "3", int("12") + 3, "%s%s" % ("a", 1))
print(ord("A"), chr(97), [ord(c) for c in "hi"])
print("Hello, World".lower().count("o"), "  x ".strip() == "x")
print("x".join("abc"), "".join(sorted("cba")))
