#!/usr/bin/env python3
"""Records str/bytes facts from real CPython 3.12 for tests/core/test_unicode.c
and tests/core/test_bytes.c.

    PYENV_VERSION=3.12.1 python3.12 tests/record/sizes_strings.py > tests/fixtures/sizes_strings.txt

Every line is `case value` (value = the rest of the line, possibly with
spaces). Objects are named by a code point spec, never by their text:

    spec   := 'empty' | run ('_' run)*
    run    := HEX 'x' COUNT            e.g. 61x3_e9x1 is 'aaaé'
    list   := '-' (no items) | spec (',' spec)*
    idx    := an integer, or 'n' for None (slices)

bytes use the same spec with values < 0x100. Hashes are taken with
PYTHONHASHSEED=0 (the script re-executes itself to get it) and, for the
`hashseed.*` lines, in child processes with other seeds.
"""
import collections
import os
import random
import subprocess
import sys

assert sys.version_info[:2] == (3, 12), "record with CPython 3.12 (PYENV_VERSION=3.12.1 python3.12)"
if os.environ.get("PYTHONHASHSEED") != "0":
    env = dict(os.environ, PYTHONHASHSEED="0")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

out = []


def emit(case, value):
    assert " " not in case and "\n" not in str(value), case
    out.append("%s %s" % (case, value))


def spec(cps):
    if len(cps) == 0:
        return "empty"
    runs = []
    for cp in cps:
        if runs and runs[-1][0] == cp:
            runs[-1][1] += 1
        else:
            runs.append([cp, 1])
    return "_".join("%xx%d" % (cp, n) for cp, n in runs)


def sspec(s):
    return spec([ord(c) for c in s])


def bspec(b):
    return spec(list(b))


def lspec(items, f):
    return "-" if not items else ",".join(f(x) for x in items)


def fresh(cps):
    """A str built at run time with exact allocation and no UTF-8 cache
    (length-1 latin-1 results are the singletons, as in the model)."""
    return "".join(map(chr, cps))


def idx(v):
    return "n" if v is None else str(v)


EMPTY_STR = "".join([])
EMPTY_BYTES = bytes()


def is_single_str(r):
    if len(r) == 0:
        return r is EMPTY_STR
    return len(r) == 1 and ord(r) < 256 and r is chr(ord(r))


ALLBYTES = bytes(range(256))


def is_single_bytes(r):
    if len(r) == 0:
        return r is EMPTY_BYTES
    return len(r) == 1 and r is ALLBYTES[r[0]:r[0] + 1]


# ---- basics -------------------------------------------------------------------
emit("basicsize.str", str.__basicsize__)
emit("itemsize.str", str.__itemsize__)
emit("basicsize.bytes", bytes.__basicsize__)
emit("itemsize.bytes", bytes.__itemsize__)
emit("refcnt.latin1", sys.getrefcount(chr(97)))
s = fresh([0x61, 0x62, 0x63, 0x64, 0x31])
emit("refcnt.fresh_plus_arg", sys.getrefcount(s))
s = sys.intern(s)
emit("refcnt.interned", sys.getrefcount(s))

# ---- sizes --------------------------------------------------------------------
CHARS = [0x61, 0x7F, 0x80, 0xE9, 0xFF, 0x100, 0x20AC, 0xD800, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF]
LENGTHS = list(range(0, 21)) + [50, 100, 255, 256, 257, 1000, 4096]
for c in range(256):
    emit("size.str.%s" % spec([c]), sys.getsizeof(chr(c)))
for c in CHARS:
    for n in LENGTHS:
        emit("size.str.%s" % spec([c] * n), sys.getsizeof(fresh([c] * n)))
for c in CHARS:
    for k in range(0, 11):
        emit("size.str.%s" % spec([0x61] * k + [c]), sys.getsizeof(fresh([0x61] * k + [c])))
        emit("size.str.%s" % spec([c] + [0x61] * k), sys.getsizeof(fresh([c] + [0x61] * k)))
emit("utf8cached.latin1", ",".join("%x" % c for c in range(128, 256) if sys.getsizeof(chr(c)) != 58))

# sizes after PyUnicode_AsUTF8AndSize caches (compile() of a str source)
# and after str.encode() (which must not cache)
for c in CHARS:
    if c == 0xD800:
        continue
    for n in [1, 2, 3, 5, 10, 100, 300, 1000]:
        s = fresh([c] * n)
        try:
            compile(s, "<s>", "eval")
        except Exception:
            pass
        emit("size.str_utf8.%s" % spec([c] * n), sys.getsizeof(s))
        s = fresh([c] * n)
        b = s.encode()
        emit("size.str_encode.%s" % spec([c] * n), sys.getsizeof(s))
        emit("encode.%s" % spec([c] * n), "%d %d" % (sys.getsizeof(b), int(is_single_bytes(b))))
for n in list(range(0, 21)) + [100, 1000, 4096]:
    b = bytes([i % 256 for i in range(n)])
    emit("size.bytes.%s" % bspec(b), sys.getsizeof(b))

# ---- hashes (PYTHONHASHSEED=0) ----------------------------------------------------
HCHARS = [0x61, 0x0, 0xE9, 0xFF, 0x20AC, 0xD800, 0x1F600, 0x10FFFF]
for c in HCHARS:
    for n in list(range(0, 21)) + [100, 1000]:
        emit("hash.str.%s" % spec([c] * n), hash(fresh([c] * n)))
rng = random.Random(12)
for _ in range(60):
    n = rng.randrange(1, 40)
    pool = rng.choice([[0x61, 0x7A], [0x20, 0xFF], [0x20, 0x2FFF], [0x20, 0x10FFFF]])
    cps = [rng.randint(*pool) for _ in range(n)]
    emit("hash.str.%s" % spec(cps), hash(fresh(cps)))
for n in list(range(0, 21)) + [100, 1000]:
    b = bytes([(i * 37 + 11) % 256 for i in range(n)])
    emit("hash.bytes.%s" % bspec(b), hash(b))
for s in ["abc", "hello world", "a" * 20]:
    emit("hash.bytes.%s" % bspec(s.encode()), hash(s.encode()))

SEED_STRS = ["abc", "\xe9", "\u20ac", "\U0001F600", "a" * 20, "", "hello world"]
for seed in [1, 2, 12345, 4294967295]:
    code = ("import sys\nfor s in %r:\n    print(hash(s), hash(s.encode('utf-8', 'surrogatepass')))\n" % SEED_STRS)
    res = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONHASHSEED=str(seed)),
                         capture_output=True, text=True, check=True).stdout.split("\n")
    for s, line in zip(SEED_STRS, res):
        hs, hb = line.split()
        emit("hashseed.%d.str.%s" % (seed, sspec(s)), hs)
        emit("hashseed.%d.bytes.%s" % (seed, bspec(s.encode("utf-8", "surrogatepass"))), hb)

# ---- repr -----------------------------------------------------------------------------
for c in range(256):
    emit("repr.str.%s" % spec([c]), repr(chr(c)))
    emit("repr.bytes.%s" % spec([c]), repr(bytes([c])))
QUOTES = ["", "'", '"', "'\"", "a'b", 'a"b', "it's \"x\"", "\\", "\\'", "'\\\"'", "''\"", "tab\there\n\r",
          "h\xe9llo w\xf6rld", "\u65e5\u672c\u8a9e", "\U0001F600 ok", "a\x00b\x7f\x80\xa0\xad\xff",
          "\u2028\u2029\u200b\ufeff\ud800\udfff\ue000\U000e0001\U0010ffff", "x" * 30 + "'"]
for s in QUOTES:
    emit("repr.str.%s" % sspec(s), repr(s))
    emit("reprsize.str.%s" % sspec(s), sys.getsizeof(repr(fresh([ord(c) for c in s]))))
    b = s.encode("utf-8", "surrogatepass")
    emit("repr.bytes.%s" % bspec(b), repr(b))
    emit("reprsize.bytes.%s" % bspec(b), sys.getsizeof(repr(b)))
# code points around the edges of the non-printable ranges, and a random sample
edges = []
start = None
for cp in range(0x110000):
    np = not chr(cp).isprintable()
    if np and start is None:
        start = cp
    elif not np and start is not None:
        edges.append((start, cp - 1))
        start = None
if start is not None:
    edges.append((start, 0x10FFFF))
pts = []
for i, (a, b) in enumerate(edges):
    if i % 3 == 0:
        pts += [p for p in (a - 1, a, b, b + 1) if 0x100 <= p <= 0x10FFFF]
rng = random.Random(7)
pts += [rng.randrange(0x100, 0x110000) for _ in range(400)]
for i in range(0, len(pts), 4):
    cps = pts[i:i + 4]
    emit("repr.str.%s" % spec(cps), repr(fresh(cps)))
    emit("reprsize.str.%s" % spec(cps), sys.getsizeof(repr(fresh(cps))))

# ---- interning ------------------------------------------------------------------------
emit("intern.distinct", ",".join("%x" % c for c in range(256) if sys.intern(chr(c)) is not chr(c)))
emit("intern.empty_is_singleton", int(sys.intern(fresh([])) is EMPTY_STR))
# string constants the compiler interns (immortal in 3.12): identifier-like ones
for lit in ["hello", "hello world", "abc_123", "_", "__init__", "a-b", "caf\xe9", "x1", "1x", "a.b", "ab ",
            "\u20ac\u20ac", "ABC", "tab\t"]:
    ns = {}
    exec("x = %r" % lit, ns)
    emit("literal_immortal.%s" % sspec(lit), int(sys.getrefcount(ns["x"]) == 4294967295))

# ---- operations: identity and sizes ------------------------------------------------------
SRC = ["abc", "hello world", "\xe9\u20acx", "a\xe9", "\u20ac" * 4, "a\U0001F600b\U0001F600", "", "x",
       "\xe9", "\u20ac", "ab\xff"]
# operands are built at run time: a literal such as 'x' would be the
# interned static identifier, not the latin-1 singleton the model returns
SRC = [fresh([ord(c) for c in x]) for x in SRC]
IDX = [None, -100, -2, -1, 0, 1, 2, 3, 100]
STEP = [None, 1, 2, -1, -2, 5, -5]
rng = random.Random(3)
for s in SRC:
    combos = [(a, b, c) for a in IDX for b in IDX for c in STEP]
    for a, b, c in rng.sample(combos, 45):
        r = s[a:b:c]
        emit("slice.str.%s.%s.%s.%s" % (sspec(s), idx(a), idx(b), idx(c)),
             "%d %d %d %s" % (sys.getsizeof(r), is_single_str(r), int(r is s), repr(r)))
    for i in [-100, -2, -1, 0, 1, 2, 5]:
        try:
            r = s[i]
            emit("getitem.str.%s.%d" % (sspec(s), i), "%d %d %s" % (sys.getsizeof(r), is_single_str(r), repr(r)))
        except IndexError as e:
            emit("getitem.str.%s.%d" % (sspec(s), i), "IndexError %s" % e)
    for n in [-1, 0, 1, 2, 3, 10]:
        r = s * n
        emit("repeat.str.%s.%d" % (sspec(s), n), "%d %d %d" % (sys.getsizeof(r), is_single_str(r), int(r is s)))
for a in SRC:
    for b in SRC:
        r = a + b
        emit("concat.str.%s.%s" % (sspec(a), sspec(b)),
             "%d %d %d %d" % (sys.getsizeof(r), is_single_str(r), int(r is a), int(r is b)))
SEPS = ["", ",", "\xe9", "\u20ac", "ab"]
SEPS = [fresh([ord(c) for c in x]) for x in SEPS]
LISTS = [[], ["a"], ["\xe9"], ["", "a"], ["\xe9", ""], ["a", "b"], ["\xe9", "\u20ac", "\U0001F600"], ["", ""],
         ["x", "x", "x"], ["hello", "world"]]
for sep in SEPS:
    for items in LISTS:
        items = [fresh([ord(c) for c in x]) for x in items]
        r = sep.join(items)
        emit("join.str.%s.%s" % (sspec(sep), lspec(items, sspec)),
             "%d %d %d" % (sys.getsizeof(r), is_single_str(r), int(bool(items) and r is items[0])))

BSRC = [b"abc", b"hello world", b"", b"x", b"\x00\xff", b"ab"]
BSRC = [ALLBYTES[x[0]:x[0] + 1] if len(x) == 1 else bytes(bytearray(x)) for x in BSRC]   # fresh, or the singleton
for s in BSRC:
    combos = [(a, b, c) for a in IDX for b in IDX for c in STEP]
    for a, b, c in rng.sample(combos, 40):
        r = s[a:b:c]
        emit("slice.bytes.%s.%s.%s.%s" % (bspec(s), idx(a), idx(b), idx(c)),
             "%d %d %d %s" % (sys.getsizeof(r), is_single_bytes(r), int(r is s), repr(r)))
    for i in [-100, -2, -1, 0, 1, 2, 5]:
        try:
            emit("getitem.bytes.%s.%d" % (bspec(s), i), "%d" % s[i])
        except IndexError as e:
            emit("getitem.bytes.%s.%d" % (bspec(s), i), "IndexError %s" % e)
    for n in [-1, 0, 1, 2, 3, 10]:
        r = s * n
        emit("repeat.bytes.%s.%d" % (bspec(s), n), "%d %d %d" % (sys.getsizeof(r), is_single_bytes(r), int(r is s)))
for a in BSRC:
    for b in BSRC:
        r = a + b
        emit("concat.bytes.%s.%s" % (bspec(a), bspec(b)),
             "%d %d %d %d" % (sys.getsizeof(r), is_single_bytes(r), int(r is a), int(r is b)))

# ---- UTF-8 decoding: sizes, the size class of the block, errors ----------------------------


def block_size(make):
    """The allocator block size of the objects `make` returns: the most
    common distance between consecutively allocated objects."""
    objs = [make() for _ in range(3000)]
    ids = [id(o) for o in objs]
    return collections.Counter(b - a for a, b in zip(ids, ids[1:])).most_common(1)[0][0]


DECODE = ["ab", "abc", "x" * 20, "\xe9" * 2, "\xe9" * 5, "\xe9" * 8, "a\xe9", "a\xe9\u20ac", "a\U0001F600",
          "\U0001F600" * 3, "\xe9\u20ac\U0001F600", "abc\xe9", "\u20ac" * 10, "\xe9", "\u20ac", "h\xe9llo",
          "x" * 30 + "\u20ac", "\u20ac" + "x" * 30, "\xff" * 40]
for s in DECODE:
    b = s.encode()
    r = b.decode()
    blk = 0 if is_single_str(r) else block_size(lambda: b.decode())
    emit("decode.%s" % bspec(b), "%d %d %d" % (sys.getsizeof(r), is_single_str(r), blk))
BAD = [b"\xff", b"\xc3", b"\xc3(", b"\xe0\x80\x80", b"\xed\xa0\x80", b"\xe2\x82", b"\xe2(\xa1", b"\xf0\x9f\x98",
       b"\xf0(\x8c\xbc", b"\xf0\x90(\xbc", b"\xf0\x90\x8c(", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\x80",
       b"ab\xc3", b"ab\xffcd", b"\xc0\xaf", b"a\xe2\x82\xacb\xff", b"\xf8\x88\x80\x80\x80", b"\xe0\xa0",
       b"\xf0\x90", b"\xf0\x90\x80", b"\xed\x9f\xbf\xed\xa0"]
for b in BAD:
    try:
        b.decode()
        raise AssertionError(b)
    except UnicodeDecodeError as e:
        emit("decode_error.%s" % bspec(b), str(e))
for s in ["\ud800", "a\ud800b", "\ud800\udc00", "ab\udfff\ud800c\ud800", "\xe9\udbff"]:
    try:
        s.encode()
        raise AssertionError(s)
    except UnicodeEncodeError as e:
        emit("encode_error.%s" % sspec(s), str(e))

sys.stdout.write("# sizes_strings.txt: recorded from CPython %s by tests/record/sizes_strings.py; do not edit\n"
                 % sys.version.split()[0])
sys.stdout.write("\n".join(out) + "\n")
