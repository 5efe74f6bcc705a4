"""Record int/bool/float facts from real CPython 3.12 for the native tests.

    PYENV_VERSION=3.12.1 PYTHONHASHSEED=0 python3.12 tests/record/sizes_numbers.py \
        > tests/fixtures/sizes_numbers.txt

The output is read by tests/core/test_long.c and tests/core/test_float.c,
which build the same values through the C API and compare. Never edit the
fixture by hand: change this script and re-record.

One case per line, space-separated; the first token is the kind:

    size   <operand> <getsizeof>
    parse  <base> <utf8-hex> = <result>          int(s, base)
    str    <operand> = <result>                  str(int) (text or raise)
    format <base> <operand> <text>               bin/oct/hex
    op     <name> <a> <b> = <result>             a <name> b; b is '-' for unary ops
    pow3   <a> <b> <m> = <result>                pow(a, b, m)
    hash   <operand> <hash>
    repr   <float-hex> <repr>
    fparse <utf8-hex> = <result>                 float(s)

Operands: i:<hex(int)>  f:<float.hex()>  b:1 | b:0
Results:  int <hex> <getsizeof> <alloc> <same>
              <hex> longer than 160 characters is written as #<FNV-1a 64 of
              the hex text>, to keep the file small
              alloc: bytes tracemalloc sees the statement allocate net (the
              result's requested block size; 0 for cached small ints,
              returned operands)
              same: 'a' / 'b' if the result is that operand object, else '-'
          float <float.hex()>
          bool True|False
          text <string>
          raise <ExceptionName> <message...>
"""
import math
import random
import struct
import sys
import tracemalloc
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)   # ~True is deprecated in 3.12, still computed
assert sys.version_info[:2] == (3, 12), "record with CPython 3.12"

out = []
emit = out.append

tracemalloc.start()
_gtm = tracemalloc.get_traced_memory


def measure(f, *args):
    """Net bytes allocated by f(*args) while its result is alive."""
    r = f(*args)
    del r
    before = _gtm()[0]
    r = f(*args)
    after = _gtm()[0]
    return after - before, r


BASELINE, _ = measure(lambda a, b: a, 1, 2)   # the int holding `before`


def alloc_of(f, *args):
    d, _ = measure(f, *args)
    return d - BASELINE


def enc(x):
    if type(x) is bool:
        return "b:1" if x else "b:0"
    if type(x) is int:
        return "i:" + hex(x)
    if type(x) is float:
        return "f:" + x.hex()
    raise TypeError(type(x))


def hexbytes(s):
    return s.encode("utf-8").hex() or "-"


def fnv1a64(text):
    x = 0xcbf29ce484222325
    for c in text.encode("ascii"):
        x ^= c
        x = (x * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return x


def hex_or_digest(v):
    hx = hex(v)
    return hx if len(hx) <= 160 else "#%016x" % fnv1a64(hx)


def result(f, args, ops):
    """Evaluate f(*args) and describe the result."""
    try:
        r = f(*args)
    except Exception as e:     # noqa: BLE001 - the exception is the recorded result
        return "raise %s %s" % (type(e).__name__, e)
    if type(r) is bool:
        return "bool %s" % r
    if type(r) is int:
        same = "-"
        if len(ops) > 0 and r is ops[0]:
            same = "a"
        elif len(ops) > 1 and r is ops[1]:
            same = "b"
        return "int %s %d %d %s" % (hex_or_digest(r), sys.getsizeof(r), alloc_of(f, *args), same)
    if type(r) is float:
        return "float " + r.hex()
    if type(r) is str:
        return "text " + r
    if type(r) is complex:
        return None
    raise TypeError(type(r))


# ---- operand sets -------------------------------------------------------------------------

rng = random.Random(20240612)


def rand_int(ndigits):
    """A random int with exactly ndigits 30-bit digits (top digit nonzero)."""
    if ndigits == 0:
        return 0
    v = rng.getrandbits(30 * (ndigits - 1))
    return v | (rng.randrange(1, 2**30) << (30 * (ndigits - 1)))


SMALL = [0, 1, -1, 2, -2, 5, -5, -6, 7, 255, 256, 257, -4,
         2**30 - 1, -(2**30 - 1), 2**30, -(2**30), 2**30 + 1,
         2**31, 2**32 - 1, 2**53 + 1, 2**60 - 1, 2**60, -(2**60),
         2**63 - 1, 2**63, -(2**63), 2**64, 2**90, -(2**90) + 12345,
         10**20, -(10**20), 10**30, 3**100, 2**100 - 1, -(2**127)]

BIG = [rand_int(n) for n in (3, 5, 9, 17, 40, 71, 75, 90, 150)]
BIG += [-rand_int(n) for n in (4, 72, 141)]
BIG_PAIRS = [(BIG[0], BIG[1]), (BIG[3], BIG[9]), (BIG[2], -BIG[0]), (BIG[6], BIG[5]), (BIG[11], BIG[7]),
             (BIG[4], BIG[10]), (BIG[8], BIG[2]),
             (rand_int(80), rand_int(200)), (-rand_int(200), rand_int(75)), (rand_int(145), rand_int(145)),
             (rand_int(71), rand_int(142)), (rand_int(300), rand_int(100))]
SQUARES = [rand_int(141), rand_int(145), -rand_int(160), rand_int(71)]

FLOATS = [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, -2.5, 3.0, 7.0, -7.0, 1e16, 2.0**53, 1e300, -1e300,
          1e-300, 5e-324, 1.7976931348623157e308, math.inf, -math.inf, math.nan, 123456.789]
MIXED_INTS = [0, 1, -3, 7, 2**53, 2**53 + 1, 2**60 + 1, -(2**70), 10**300, 10**308, 10**400,
              int(1e300), int(1e300) + 1, int(1e300) - 1, 2**1023, 2**1024, True, False]

BINOPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "truediv": lambda a, b: a / b,
    "floordiv": lambda a, b: a // b,
    "mod": lambda a, b: a % b,
    "divmod0": lambda a, b: divmod(a, b)[0],
    "divmod1": lambda a, b: divmod(a, b)[1],
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "xor": lambda a, b: a ^ b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}
POW = lambda a, b: a ** b            # noqa: E731
LSHIFT = lambda a, b: a << b         # noqa: E731
RSHIFT = lambda a, b: a >> b         # noqa: E731
UNARY = {
    "neg": lambda a: -a,
    "pos": lambda a: +a,
    "abs": lambda a: abs(a),
    "invert": lambda a: ~a,
    "float": lambda a: float(a),
    "int": lambda a: int(a),
    "bool": lambda a: bool(a),
}


def op_line(name, f, a, b=None):
    args = (a,) if b is None else (a, b)
    r = result(f, args, args)
    if r is None:          # complex result: not modelled
        return
    emit("op %s %s %s = %s" % (name, enc(a), "-" if b is None else enc(b), r))


# ---- sizes ------------------------------------------------------------------------------------

for v in SMALL + BIG + [2**30 * k for k in (1, 2**29, 2**30, 2**60)] + [10**k for k in (0, 9, 10, 18, 19, 50, 100, 300)]:
    emit("size %s %d" % (enc(v), sys.getsizeof(v)))
for v in (True, False):
    emit("size %s %d" % (enc(v), sys.getsizeof(v)))
for v in FLOATS[:8]:
    emit("size %s %d" % (enc(v), sys.getsizeof(v)))

# ---- parsing ----------------------------------------------------------------------------------

PARSE = [
    (10, "0"), (10, "-0"), (10, "00"), (10, "7"), (10, "-5"), (10, "-6"), (10, "256"), (10, "257"),
    (10, "1000"), (10, "1073741823"), (10, "1073741824"), (10, "-1073741824"),
    (10, "100000000000000000000"), (10, "1_000_000"), (10, "  42  "), (10, "+17"), (10, " \x0b12\x0c "),
    (10, "9" * 100), (10, "-" + "9" * 640), (10, "1" * 641), (10, "9" * 4300), (10, "1" * 4301),
    (10, "0" * 5000), (10, "1_" * 10 + "1"),
    (10, "abc"), (10, "1_"), (10, "_1"), (10, "1__2"), (10, "1 2"), (10, "-"), (10, ""), (10, "\t\n"),
    (10, "x" * 300), (10, "1\x002"), (10, "it's"), (10, 'a"b\'c'), (10, "\x01"), (10, "\x7f"), (10, "\xe9"),
    (0, "0"), (0, "00"), (0, "0_0"), (0, "010"), (0, "0x"), (0, "0x_f"), (0, "0x__f"), (0, "0b_"),
    (0, "+0o17"), (0, "-0B101"), (0, "0b102"), (0, "0o8"), (0, "0x1F"), (0, "123"), (0, ""),
    (0, "0b" + "0" * 100 + "1"), (0, "0x" + "f" * 40), (0, "-0x" + "1" + "0" * 30),
    (16, "0x1f"), (16, "1f"), (16, "0b1"), (16, "FFFFFFFF"), (16, "f" * 5000),
    (2, "1" * 64), (2, "0b101"), (2, "-0b_1"), (8, "777"), (8, "0o777"), (8, "8"),
    (36, "z"), (36, "Z9"), (36, "zzzzzzzzzzzzzzzzzzzz"), (7, "6543210"), (3, "2" * 100),
    (32, "vvvv"), (4, "3210"), (1, "1"), (37, "1"), (-1, "1"),
]
for base, s in PARSE:
    emit("parse %d %s = %s" % (base, hexbytes(s), result(lambda s, base: int(s, base), (s, base), ())))

# ---- decimal and power-of-two formatting ---------------------------------------------------

for v in SMALL + BIG[:6] + [10**4299, -(10**4299), 10**4300, 10**4300 - 1, 2**14300, -(2**14000), 2**14400, -(2**15000)]:
    emit("str %s = %s" % (enc(v), result(lambda a: str(a), (v,), ())))
for v in SMALL + BIG[:4]:
    for base, f in ((2, bin), (8, oct), (16, hex)):
        emit("format %d %s %s" % (base, enc(v), f(v)))

# ---- int arithmetic -----------------------------------------------------------------------------

PAIR_INTS = [0, 1, -1, 2, -6, 7, 256, 257, 2**30 - 1, -(2**30 - 1), 2**30, -(2**30), 2**60, -(2**63),
             2**64 + 1, -(2**90) + 12345, 3**100]
for a in PAIR_INTS:
    for b in PAIR_INTS:
        for name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "and", "or", "xor", "lt", "eq"):
            op_line(name, BINOPS[name], a, b)
DIV_INTS = [0, 1, -1, 7, -6, 2**30 - 1, -(2**30), 2**31, -(2**60), 2**64 + 1, 10**20, -(3**100)]
for a in DIV_INTS:
    for b in DIV_INTS:
        op_line("divmod0", BINOPS["divmod0"], a, b)
        op_line("divmod1", BINOPS["divmod1"], a, b)
CMP_INTS = [0, 1, -1, 256, -(2**30), 2**30, 2**64, -(2**64), 2**64 + 1, 10**20]
for a in CMP_INTS:
    for b in CMP_INTS:
        for name in ("le", "ne", "gt", "ge"):
            op_line(name, BINOPS[name], a, b)
for a, b in BIG_PAIRS:
    for name in ("add", "sub", "mul", "floordiv", "mod", "xor"):
        op_line(name, BINOPS[name], a, b)
    if max(abs(a), abs(b)).bit_length() < 2800:
        for name in ("divmod1", "and", "or", "truediv", "lt"):
            op_line(name, BINOPS[name], a, b)
for a in SQUARES:
    op_line("mul", BINOPS["mul"], a, a)
for a in [0, 1, -7, 2**30, -(2**64), 10**20, BIG[2], BIG[5], BIG[-1]]:
    for b in (2**1100, -(2**1100) + 1, 3**600, 10**400 + 7):
        op_line("truediv", BINOPS["truediv"], a, b)
        op_line("truediv", BINOPS["truediv"], b, a if a else 1)
for a, b in [(1, 2**1074), (1, 2**1075), (3, 2**1075), (1, 2**1076), (2**1024 - 2**970, 1),
             (2**1024 - 2**971, 1), (2**1024, 2), (2**53 + 1, 1), (2**54 + 3, 2), (10**400, 10**399),
             (-(2**53 + 1), 3), (2**1000 + 1, 2**1000), (7 * 2**1200 + 5, 3 * 2**1199)]:
    op_line("truediv", BINOPS["truediv"], a, b)

POW_BASES = [0, 1, -1, 2, -2, 3, 10, 255, 2**30 - 1, 2**30, -(2**31), 10**20, 3**50, True, False]
POW_EXPS = [0, 1, 2, 3, 4, 5, 7, 10, 31, 33, 64, 100, 127, 200, -1, -2]
for a in POW_BASES:
    for b in POW_EXPS:
        if b > 0 and abs(a) > 1 and abs(a).bit_length() * b > 20000:
            continue
        op_line("pow", POW, a, b)
for a, b in [(0, 2**61), (1, 2**70), (-1, 2**64 + 1), (-1, 2**64), (-1, 2**30 + 5), (1, 2**30 * 3),
             (0, 2**31), (3, 1000), (7, 129), (-3, 77), (2**40 + 1, 37), (rand_int(5), 45)]:
    op_line("pow", POW, a, b)

for a, b, c in [(2, 10, 1000), (3, 200, 10**20 + 39), (-7, 13, 1000), (7, 13, -1000), (2**100, 2**90 + 1, 3**60),
                (3, -1, 7), (3, -5, 2**61 - 1), (6, -1, 9), (5, 3, 1), (5, 3, -1), (5, 3, 0), (0, 0, 7),
                (rand_int(12), rand_int(3), rand_int(10)), (-rand_int(4), rand_int(2), -rand_int(3)),
                (12345, 2**64 + 1, 2**127 - 1), (True, 5, 3), (2, 3.0, 5), (2.0, 3, 5)]:
    emit("pow3 %s %s %s = %s" % (enc(a), enc(b), enc(c), result(lambda a, b, c: pow(a, b, c), (a, b, c), (a, b, c))))

SHIFT_INTS = [0, 1, -1, 5, -6, 256, 2**30 - 1, -(2**30), 2**31, -(2**60), 2**64, 10**20, -(2**127), BIG[0], -BIG[1]]
SHIFTS = [0, 1, 2, 29, 30, 31, 59, 60, 61, 63, 64, 100]
for a in SHIFT_INTS:
    for b in SHIFTS:
        op_line("lshift", LSHIFT, a, b)
        op_line("rshift", RSHIFT, a, b)
    op_line("lshift", LSHIFT, a, -1)
    op_line("rshift", RSHIFT, a, -1)
for a in (1, -5, 2**100 + 3):
    op_line("lshift", LSHIFT, a, 1000)
    op_line("rshift", RSHIFT, a << 1000, 999)
for a in (1, -1, 2**100, -(2**100), 0):
    op_line("rshift", RSHIFT, a, 2**70)
    op_line("rshift", RSHIFT, a, 2**64 + 3)
for a in (1, -(2**100)):
    op_line("lshift", LSHIFT, a, 2**70)

for a in SMALL + BIG + [True, False]:
    for name in ("neg", "pos", "abs", "invert", "float", "bool"):
        op_line(name, UNARY[name], a)

# bool arithmetic
for a in (True, False):
    for b in (True, False, 1, 0, -1, 2**40):
        for name in ("add", "sub", "mul", "and", "or", "xor", "floordiv", "mod", "eq", "lt"):
            op_line(name, BINOPS[name], a, b)
        op_line("pow", POW, a, b if type(b) is bool or b >= 0 else 2)
    op_line("lshift", LSHIFT, a, 3)
    op_line("rshift", RSHIFT, a, 1)
    op_line("rshift", RSHIFT, a, 0)

# identity-returning paths
A, B = 10**20, 10**30
for a, b in [(A, B), (-A, B), (A, -B), (-A, -B), (5, B), (-(2**100), 1)]:
    op_line("mod", BINOPS["mod"], a, b)
    op_line("divmod1", BINOPS["divmod1"], a, b)
    op_line("floordiv", BINOPS["floordiv"], a, b)
for a in (-(2**100), 2**100):
    op_line("rshift", RSHIFT, a, 0)
    op_line("lshift", LSHIFT, a, 0)
    op_line("pos", UNARY["pos"], a)
    op_line("abs", UNARY["abs"], a)

# ---- floats and mixed operands ----------------------------------------------------------------

FLOAT_BINOPS = ["add", "sub", "mul", "truediv", "floordiv", "mod", "divmod0", "divmod1", "lt", "eq", "ge"]
PAIR_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.1, 1.5, -2.5, 7.0, 2.0**53, 1e300, 5e-324, math.inf, -math.inf, math.nan]
for a in PAIR_FLOATS:
    for b in PAIR_FLOATS:
        for name in FLOAT_BINOPS:
            op_line(name, BINOPS[name], a, b)
        op_line("pow", POW, a, b)
MIXED_FLOATS = [0.0, -0.0, 1.0, -2.5, 0.1, 7.0, 2.0**53, 1e300, 5e-324, math.inf, -math.inf, math.nan]
for a in MIXED_FLOATS:
    for b in [0, 1, -3, 2**53 + 1, -(2**70), 2**1024, True]:
        for name in FLOAT_BINOPS:
            op_line(name, BINOPS[name], a, b)
            op_line(name, BINOPS[name], b, a)
        op_line("pow", POW, a, b if type(b) is bool or abs(b) < 2**60 else 3)
        op_line("pow", POW, b, a)
for a in MIXED_INTS:
    for b in (2.0**53, 1e300, 1.7976931348623157e308, -1e19, 1e19 + 2048.0, 2.0**1023, 0.5):
        for name in ("lt", "eq", "ge"):
            op_line(name, BINOPS[name], a, b)
for a in FLOATS + [0.9999, 2.5e15, -3.7, 1e19, -1e19, 4.5e18, 2.0**63, -2.0**63]:
    for name in ("neg", "pos", "abs", "int", "bool"):
        op_line(name, UNARY[name], a)
for a in MIXED_INTS:
    op_line("float", UNARY["float"], a)
# int -> float rounding (half to even) near ties, and overflow at 2**1024
TIES = [2**53 + 1, 2**53 + 3, 2**54 + 2, 2**54 + 6, (2**53 + 1) << 100, ((2**53 + 1) << 100) + 1,
        ((2**53 + 3) << 200) - 1, 2**1024 - 2**970, 2**1024 - 2**970 - 1, 2**1024 - 2**971, -(2**1023 + 2**970)]
TIES += [rand_int(rng.randrange(2, 36)) * rng.choice((1, -1)) for _ in range(40)]
for a in TIES:
    op_line("float", UNARY["float"], a)
# exact int/float comparison with more than 48 integer bits (fractional floats too)
for x in [2.0**49 + 0.5, 2.0**52 + 0.5, -(2.0**50 + 0.25), 1e15 + 0.5, 2.0**60, 1e300, -1e300, 2.0**1023]:
    i = int(x)
    for b in (i - 1, i, i + 1):
        for name in ("lt", "eq", "gt"):
            op_line(name, BINOPS[name], x, b)
            op_line(name, BINOPS[name], b, x)
for a in [2.0, -2.0, 0.5, 10.0, 1e10, 1.0000001]:
    for b in [0.5, 1.5, 2.0, 3.0, -3.0, 1e10, -1e10, 1023.0, 1024.0, 1e3, 0.1]:
        op_line("pow", POW, a, b)

# ---- hashes -----------------------------------------------------------------------------------------

for v in SMALL + BIG + [2**61 - 1, 2**61, -(2**61 - 1), 2**62 - 2, -1, -2, 2**122 - 1, True, False]:
    emit("hash %s %d" % (enc(v), hash(v)))
HASH_FLOATS = FLOATS + [1e100, -0.5, 2.0**61, 2.0**62, 1.1, -1.0, 2.0**-30, 3.14159, 1e-310]
HASH_FLOATS += [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(150)]
for v in HASH_FLOATS:
    if not math.isnan(v):
        emit("hash %s %d" % (enc(v), hash(v)))

# ---- float repr ---------------------------------------------------------------------------------

REPR = set()
REPR.update([0.0, -0.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1.0, -1.0, 1e16, 1e15, 1e17, 9999999999999998.0,
             1234567890123456.7, 123456789.0, 1e-4, 1e-5, 0.00012345, 1.5e-5, 5e-324, 2.2250738585072014e-308,
             2.225073858507201e-308, 1.7976931348623157e308, math.inf, -math.inf, math.nan, 1e22, 1e23,
             9007199254740993.0, 0.30000000000000004, 100.0, 1e100, 123.456, -42.0])
for e in range(-325, 309):
    REPR.add(10.0 ** e if e > -324 else 5e-324)
    REPR.add(float("1e%d" % e))
    REPR.add(float("9.999999999999999e%d" % e))
for e in range(-1074, 1024, 7):
    REPR.add(2.0 ** e)
    REPR.add(math.nextafter(2.0 ** e, 0.0))
    REPR.add(math.nextafter(2.0 ** e, math.inf))
for _ in range(600):
    bits = rng.getrandbits(64)
    REPR.add(struct.unpack("<d", struct.pack("<Q", bits))[0])
for _ in range(300):
    REPR.add(round(rng.uniform(-1000, 1000), rng.randrange(0, 8)))
    REPR.add(rng.random() * 10.0 ** rng.randrange(-20, 20))
for v in sorted(REPR, key=lambda x: (math.isnan(x), x.hex() if not math.isnan(x) else "")):
    emit("repr %s %s" % (v.hex(), repr(v)))

# ---- float(str) ---------------------------------------------------------------------------------

for s in ["1.5", " -2.25 ", "1e5", "1E+05", "1_000.5", "1__0", "_1", "1_", "1._5", ".5", "5.", ".", "e5",
          "inf", "-Infinity", "+nan", "nan", "iNF", "infinit", "1e", "1e+", "0x1p3", "12abc", "",
          "1e400", "-1e400", "4.9e-324", "1e-400", "0.1", "  3.14159265358979323846  ", "1_0e1_0", "it's"]:
    emit("fparse %s = %s" % (hexbytes(s), result(lambda s: float(s), (s,), ())))

sys.stdout.write("\n".join(out) + "\n")
