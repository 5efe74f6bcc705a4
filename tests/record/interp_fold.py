"""Record CPython 3.12's constant folding on random constant expressions.

Record: PYENV_VERSION=3.12.1 python3.12 tests/record/interp_fold.py
Output: tests/fixtures/interp_fold.json — [{"src": "x = <expr>\\n", "consts": [...]}],
        the module's co_consts (constants as in interp_code.json). The
        expressions come from a seeded generator (seed 3120), so re-recording
        gives the same programs.
"""
import json, os, random, sys, warnings

assert sys.version_info[:2] == (3, 12), sys.version
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interp_code import const  # noqa: E402  (same constant encoding)

rnd = random.Random(3120)
ATOMS = ['0', '1', '2', '3', '7', '-5', '10', '255', '2**62', '10**20', '1.5', '0.0', '-0.0', '2.5e-3',
         '1e300', '3.0', "'ab'", "''", "'x'", "b'q'", '(1, 2)', '()', '(1,)', 'True', 'False', 'None',
         '64', '100', '4096', '2049', '0.5', '-2', "'é'"]
BIN = ['+', '-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^']
UN = ['-', '+', '~', 'not ']


def gen(depth):
    r = rnd.random()
    if depth == 0 or r < 0.3:
        return rnd.choice(ATOMS)
    if r < 0.45:
        return f'({rnd.choice(UN)}({gen(depth - 1)}))'
    if r < 0.52:
        return f'({gen(depth - 1)})[{rnd.choice(["0", "1", "-1", "5"])}]'
    return f'({gen(depth - 1)} {rnd.choice(BIN)} {gen(depth - 1)})'


out = []
seen = set()
while len(out) < 600:
    src = f'x = {gen(3)}\n'
    if src in seen:
        continue
    seen.add(src)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        code = compile(src, 'prog.py', 'exec', dont_inherit=True)
    out.append({'src': src, 'consts': [const(c) for c in code.co_consts]})
json.dump(out, open(os.path.join(ROOT, 'tests/fixtures/interp_fold.json'), 'w'))
print(len(out), 'expressions')
