# What a class's __hash__ returns: kept when it fits in 64 bits, reduced as
# hash(int) does when bigger, -1 becomes -2, non-ints are refused.
class H:
    def __init__(self, v):
        self.v = v

    def __hash__(self):
        return self.v

    def __eq__(self, other):
        return isinstance(other, H) and self.v == other.v


for v in (0, 5, -1, -2, 2**61 - 1, 2**61, 2**62, 2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64, 2**100, -2**100, True, False):
    print(v, hash(H(v)))
for v in (1.5, "x", None, (1,)):
    try:
        hash(H(v))
    except TypeError as e:
        print(type(v).__name__, "TypeError", e)
    try:
        {H(v)}
    except TypeError as e:
        print(type(v).__name__, "in a set: TypeError", e)
    try:
        {H(v): 1}
    except TypeError as e:
        print(type(v).__name__, "as a key: TypeError", e)
# -1 and -2 collide, 2**64 and 1 hash alike: equality still decides
s = {H(-1), H(-2), H(2**64), H(1)}
print(len(s), H(-1) in s, H(2**64) in s, H(3) in s)
d = {H(2**100): "big"}
print(d[H(2**100)], hash(H(2**100)) == hash(2**100))
