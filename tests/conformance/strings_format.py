# f-string formatting
pi = 3.14159
n = 42
s = "hi"
print(f"{pi:.3f} {n:05d} {s!r} {n:>6} {s:<4}| {n:x} {n:b}")
print(f"{pi:10.2f}|{-n:+d}|{1234567:,}")
print("{} and {}".format(1, "two"))
print(str(3.0), str(2.5e-7), str(1e100), repr(-0.0))
