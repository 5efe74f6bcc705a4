# toplines.py — what CPython 3.12's tracemalloc reports, line by line, for a
# program traced from its first line: the figures the playground's top-lines
# panel (web/viz/toplines.js) must show at the step about to run line LINE.
# Writes tests/fixtures/toplines.json: { case: { source, line, stats } },
# stats being str(Statistic) of snapshot.statistics('lineno') for the
# program's file (main.py), in order, at that point.
#
# Record with:  PYENV_VERSION=3.12.1 python3.12 tests/record/toplines.py
#
# How: tracemalloc.start() just before the program's first line (the
# playground's host trace starts there too, after the interpreter's own
# objects exist), and line LINE replaced, at its indentation, by a call
# that takes the snapshot before anything of that line runs. The program
# runs in a globals dict holding what pyheap's __main__ holds (__name__,
# __doc__, __builtins__), so the dict grows at the same names (CPython's
# real __main__ has six more entries and grows at other lines; that
# difference is the interpreter's, not the panel's). Likewise the list free
# list starts as a short script finds it (tests/fixtures/startup_freelists.txt,
# which pyheap's interpreter reproduces): untraced lists the program reuses.
# This process's own free list is emptied first (those lists stay alive until
# the snapshot is taken) and then refilled with exactly that many.
import builtins
import json
import os
import sys
import tracemalloc

assert sys.version_info[:2] == (3, 12), sys.version

CASES = {
    # a list-building loop, then a filtering list comprehension (no list is
    # freed: CPython's take_snapshot() would reuse a freed list's block, whose
    # trace then moves to tracemalloc's own line)
    'loop': ('''\
rows = []
for i in range(300):
    rows.append(str(i) * 12)
words = [s.upper() for s in rows if s.startswith('1')]
print(len(rows), len(words))
''', 5),
}


with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'startup_freelists.txt')) as f:
    STARTUP_LISTS = int(dict(line.split() for line in f)['list'])


class _Stop(Exception):
    pass


def record(source, line):
    lines = source.split('\n')
    target = lines[line - 1]
    lines[line - 1] = target[:len(target) - len(target.lstrip())] + '_toplines_report()'
    code = compile('\n'.join(lines), 'main.py', 'exec')
    taken = []

    def report():
        taken.append(tracemalloc.take_snapshot())
        raise _Stop

    builtins._toplines_report = report    # a builtin: the program's globals stay as they are
    g = {'__name__': '__main__', '__doc__': None, '__builtins__': builtins}
    hold = [[] for _ in range(100)]      # more than the free list holds (80)
    spare = tuple([] for _ in range(STARTUP_LISTS))
    del spare                            # its lists go back on the free list; the tuple to its own
    tracemalloc.start()
    try:
        exec(code, g)
    except _Stop:
        pass
    tracemalloc.stop()
    del builtins._toplines_report, hold
    mine = taken[0].filter_traces([tracemalloc.Filter(True, 'main.py')])
    return [str(s) for s in mine.statistics('lineno')]


out = {name: {'source': src, 'line': line, 'stats': record(src, line)} for name, (src, line) in CASES.items()}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'toplines.json')
with open(path, 'w') as f:
    json.dump(out, f, indent=1)
    f.write('\n')
print('recorded', os.path.normpath(path))
