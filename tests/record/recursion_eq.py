#!/usr/bin/env python3
"""Records where CPython 3.12 gives up comparing deeply nested containers,
for tests/core/test_eq_recursion.c.

    PYENV_VERSION=3.12.1 python3.12 tests/record/recursion_eq.py > tests/fixtures/recursion_eq.txt

Never edit the output by hand; rerun this script. Lines are "<case> <value>".

PyObject_RichCompare enters the C recursion guard (" in comparison"), the
same counter repr uses (Py_C_RECURSION_LIMIT). Comparing two equal chains
of nested 1-element lists x = [[[...None...]]] of depth d nests d
comparisons (the innermost None == None is an identity shortcut). Measured
at module level, as the playground's top-level statements run.

  eq.max_ok       largest depth d for which nest(d) == nest(d) is True
  eq.first_fail   smallest depth that raises
  eq.error        "<type>: <message>" of that failure
  eq.cycle_error  the same for a = [a]; b = [b]; a == b
"""
import sys

assert sys.version_info[:2] == (3, 12), sys.version


def nest(d):
    x = None
    for _ in range(d):
        x = [x]
    return x


def ok(d):
    try:
        return nest(d) == nest(d)
    except RecursionError:
        return False


max_ok = 1
while ok(max_ok * 2):
    max_ok *= 2
lo, hi = max_ok, max_ok * 2            # ok(lo), not ok(hi)
while hi - lo > 1:
    mid = (lo + hi) // 2
    if ok(mid):
        lo = mid
    else:
        hi = mid
try:
    nest(hi) == nest(hi)
    err = 'none'
except RecursionError as e:
    err = '%s: %s' % (type(e).__name__, e)
a = []
a.append(a)
b = []
b.append(b)
try:
    a == b
    cyc = 'none'
except RecursionError as e:
    cyc = '%s: %s' % (type(e).__name__, e)

print('# recursion_eq.txt: recorded from CPython %s by tests/record/recursion_eq.py; do not edit'
      % sys.version.split()[0])
print('eq.max_ok', lo)
print('eq.first_fail', hi)
print('eq.error', err)
print('eq.cycle_error', cyc)
