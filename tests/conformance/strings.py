# string operations
s = "Hello"
print(s + " world", s * 2, len(s), s[1], s[-1], s[1:3])
print(s.upper(), s.lower(), "a,b,c".split(","), "-".join(["x", "y"]))
print(f"{s}!", f"{3 + 4}", f"{2.5:.2f}", f"{7:5d}|", f"{'ab':>4}")
print(repr("it's"), repr('say "hi"'), "x" in "xyz", "q" not in "xyz")
print(str(1.0), str(1e16), str(1e-5), str(0.1), repr(None), str(True))
