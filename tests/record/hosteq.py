#!/usr/bin/env python3
"""Records how CPython 3.12 runs a class's own __hash__ / __eq__ inside
container operations, for tests/core/test_hosteq.c (whose fake host plays
the classes below).

    PYENV_VERSION=3.12.1 python3.12 tests/record/hosteq.py > tests/fixtures/hosteq.txt

Never edit the output by hand; rerun this script. Lines are "<case> <value>".

  hash.<name>      hash(H(v)) where H.__hash__ returns v (slot_tp_hash: an
                   int that fits in 64 bits is kept, a bigger one reduced as
                   hash(int) does, -1 becomes -2), or "<Type>: <message>"
  probe.<name>     the __eq__ calls an operation made, in order, as
                   "self:other" names separated by spaces ("-" for none)
  result.<name>    what the operation returned (repr), or "<Type>: <message>"

The instances: P(n, v) compares v with another P (NotImplemented for
anything else); Q is a subclass of P that inherits its __eq__; every P
hashes to 0 unless given a hash (collisions make the probe order
visible). N(n) returns NotImplemented always. R(n, r) returns r itself
from __eq__; T(b) has __bool__ returning b. E(n) raises ValueError(n).
C(n, d) clears the dict d and returns True.
"""
import sys

assert sys.version_info[:2] == (3, 12), sys.version

log = []


class P:
    def __init__(self, n, v=0, h=0):
        self.n, self.v, self.h = n, v, h

    def __eq__(self, other):
        log.append(f"{self.n}:{other.n}")
        if not isinstance(other, P):
            return NotImplemented
        return self.v == other.v

    def __hash__(self):
        return self.h


class Q(P):
    pass


class N:
    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        log.append(f"{self.n}:{other.n}")
        return NotImplemented

    def __hash__(self):
        return 0


class T:
    def __init__(self, b):
        self.b = b

    def __bool__(self):
        return self.b


class R:
    def __init__(self, n, r):
        self.n, self.r = n, r

    def __eq__(self, other):
        log.append(f"{self.n}:{other.n}")
        return self.r

    def __hash__(self):
        return 0


class E:
    def __init__(self, n):
        self.n = n

    def __eq__(self, other):
        log.append(f"{self.n}:{other.n}")
        raise ValueError(self.n)

    def __hash__(self):
        return 0


class C:
    def __init__(self, n, d):
        self.n, self.d = n, d

    def __eq__(self, other):
        log.append(f"{self.n}:{other.n}")
        self.d.clear()
        return True

    def __hash__(self):
        return 0


class H:
    def __init__(self, v):
        self.v = v

    def __hash__(self):
        return self.v


def out(key, value):
    print(f"{key} {value}")


def case(name, fn):
    log.clear()
    try:
        r = repr(fn())
    except Exception as e:
        r = f"{type(e).__name__}: {e}"
    out(f"probe.{name}", " ".join(log) if log else "-")
    out(f"result.{name}", r)


def main():
    print("# hosteq.txt: recorded from CPython %s by tests/record/hosteq.py; do not edit" % sys.version.split()[0])
    for name, v in [("small", 5), ("minus1", -1), ("minus2", -2), ("big62", 2**62), ("max64", 2**63 - 1),
                    ("over64", 2**63), ("big64", 2**64 + 7), ("min64", -2**63), ("under64", -2**63 - 1),
                    ("big100", 2**100), ("negbig100", -2**100), ("true", True), ("float", 1.5), ("str", "x")]:
        try:
            r = str(hash(H(v)))
        except Exception as e:
            r = f"{type(e).__name__}: {e}"
        out(f"hash.{name}", r)

    lst = [P("a", 1), P("b", 2), P("c", 3), P("d", 2)]
    case("index", lambda: lst.index(P("x", 2)))
    case("count", lambda: lst.count(P("x", 2)))
    case("contains", lambda: P("x", 9) in lst)
    case("remove", lambda: lst.remove(P("x", 3)))
    case("after_remove", lambda: [p.n for p in lst])
    case("notimpl", lambda: N("x") in [N("a")])
    case("notimpl_mixed", lambda: P("x", 1) in [N("a")])
    case("subclass_first", lambda: [P("a", 1)].count(Q("q", 1)))
    case("same_class_both", lambda: [N("a")].count(N("b")))
    s = {P("a", 1), P("b", 2), P("c", 3)}
    case("set_contains", lambda: P("x", 3) in s)
    case("set_add", lambda: s.add(P("y", 2)))
    case("set_len", lambda: len(s))
    d = {P("a", 1): 10, P("b", 2): 20, P("c", 3): 30}
    case("dict_get", lambda: d[P("x", 2)])
    case("dict_missing", lambda: d.get(P("x", 7), "none"))
    case("dict_set", lambda: d.__setitem__(P("y", 3), 33))
    case("dict_values", lambda: sorted(d.values()))
    case("dict_eq", lambda: {P("a", 1): P("va", 10)} == {P("b", 1): P("vb", 10)})
    case("dict_ne_value", lambda: {P("a", 1): P("va", 10)} == {P("b", 1): P("vb", 11)})
    case("list_eq", lambda: [P("a", 1), P("b", 2)] == [P("c", 1), P("d", 3)])
    case("tuple_eq", lambda: (P("a", 1), P("b", 2)) == (P("c", 1), P("d", 2)))
    case("truth_int", lambda: [R("a", 1), R("b", 0), R("c", 7)].count(R("x", None)))
    case("truth_none", lambda: R("a", None) in [R("b", None)])
    case("truth_obj", lambda: [R("a", T(True)), R("b", T(False))].count(R("x", None)))
    case("truth_str", lambda: [R("a", ""), R("b", "y")].count(R("x", None)))
    case("raise", lambda: E("x") in [P("a", 1), E("b")])
    case("raise_set", lambda: E("x") in {E("a")})
    d2 = {}
    d2[C("k", d2)] = 1
    case("clear_dict", lambda: d2.get(C("x", d2), "missing"))
    case("clear_dict_len", lambda: len(d2))


main()
