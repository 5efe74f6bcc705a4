vals = [0, 7, -42, 1234567, 2 ** 70, True]
specs = ["", "5", "<6", "^7", "*>8", "+", " ", "05", "010,", ",", "_", "_x", "x", "#x", "X", "#X", "o", "#o", "b", "#b", "08b", "+05d", "=+8", "e", ".2e", "f", ".1%", "g", "n", "c"]
for v in vals[:-1]:
    print(v, [format(v, s) for s in specs if not (s == "c" and (v < 0 or v > 1000))])
print([format(True, s) for s in ["", "d", ">5", "x"]])
fl = [0.0, -0.0, 0.5, 1.5, 2.5, 0.125, 3.14159, -2.71828, 1e-7, 123456789.123, 1e16, 1e300, float("inf"), float("nan"), 2.675, 0.015]
fs = ["", "f", ".0f", ".1f", ".2f", ".3f", "10.2f", "<10.1f", "^12.3f", "+.2f", "e", ".0e", ".3E", "g", ".3g", ".10g", "G", "%", ".0%", ",.2f", "_.1f", "010.2f", ".2", "#.0f", "#g", "z.1f", ".15g", ".17g", "n"]
for x in fl:
    print(repr(x), [format(x, s) for s in fs])
ss = ["", "10", "<10", ">10", "^10", "*^11", ".2", "10.3", "05", "s"]
print([format("héllo", s) for s in ss])
for bad in [("abc", "d"), (1, ".2d"), ("s", "+"), (1.5, "d"), (3, ",x"), ("a", "=5"), (1, "q"), (2, "..3")]:
    try:
        format(*bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(f"{3.0:}", f"{[1, 2]!r:>10}", f"{'x'!r:^7}", f"{None!s:>6}")
try:
    f"{[1]:>5}"
except TypeError as e:
    print(e)
class Money:
    def __init__(self, v):
        self.v = v
    def __format__(self, spec):
        return f"${self.v:{spec or '.2f'}}"
print(f"{Money(3.5)} {Money(2):.1f}", format(Money(1)), "{:>8}".format(Money(7)))
