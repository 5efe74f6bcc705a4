#!/usr/bin/env python3
"""gc_debug.py -- record the gc module's debug output (stderr) from real CPython 3.12.

Usage (from the repository root):

    PYENV_VERSION=3.12.1 python3.12 tests/record/gc_debug.py > tests/fixtures/gc_debug.txt

Never edit the fixture by hand: re-run this script. Each scenario runs in a
fresh interpreter (a child process) that first calls gc.collect() and
gc.freeze(), so the generation lists hold only the scenario's objects; the
permanent generation then holds the interpreter's start-up objects, whose
number is recorded as "<scenario>_permanent N" (the C test freezes that many
objects of its own to reproduce the same state). Each stderr line becomes
"<scenario> <line>", in order. Normalised, because they cannot be equal in
any other process: the elapsed-time figure (0.0000s) and object addresses
(0xADDR).
"""
import re
import subprocess
import sys

if sys.version_info[:2] != (3, 12):
    sys.exit("gc_debug.py: needs CPython 3.12, got %d.%d" % sys.version_info[:2])

PRELUDE = """
import gc, sys
gc.collect()
gc.freeze()
print(gc.get_freeze_count())
"""

SCENARIOS = {
    # DEBUG_STATS|DEBUG_COLLECTABLE: a 2-list cycle collected by collect(0),
    # then a self-referencing dict by a full collection
    "dbg_stats_collectable": """
gc.set_debug(gc.DEBUG_STATS | gc.DEBUG_COLLECTABLE)
a = []; b = [a]; a.append(b)
del a, b
gc.collect(0)
c = {}; c['c'] = c
del c
gc.collect()
gc.set_debug(0)
""",
    # DEBUG_STATS only, survivors in older generations
    "dbg_stats_gens": """
keep = [[] for _ in range(3)]
gc.collect(0)
more = [[], []]
gc.set_debug(gc.DEBUG_STATS)
gc.collect(1)
x = []; x.append(x); del x
gc.collect(2)
gc.set_debug(0)
""",
    # DEBUG_LEAK on a self-cycle: printed as collectable, saved in gc.garbage
    "dbg_leak": """
gc.set_debug(gc.DEBUG_LEAK)
l = []; l.append(l)
del l
n = gc.collect()
gc.set_debug(0)
sys.stderr.write("returned %d, garbage %d\\n" % (n, len(gc.garbage)))
gc.garbage.clear()
""",
}

for name, body in SCENARIOS.items():
    r = subprocess.run([sys.executable, "-c", PRELUDE + body], capture_output=True, text=True, check=True)
    print(name + "_permanent", r.stdout.strip())
    for line in r.stderr.splitlines():
        line = re.sub(r"\d+\.\d{4}s elapsed", "0.0000s elapsed", line)
        line = re.sub(r"0x[0-9a-f]+", "0xADDR", line)
        print(name, line)
