"""Record how CPython 3.12 reaches each name: for every name instruction of
every code object (LOAD/STORE/DELETE _FAST, _DEREF, _GLOBAL, _NAME), the
name, source line and kind, for the programs of the access corpus.

Record: PYENV_VERSION=3.12.1 python3.12 tests/record/interp_access.py
Input:  tests/interp/cases/{access,programs,scopes}.txt (programs separated by '===')
Output: tests/fixtures/interp_access.json — [{"src", "uses": {"name@line": [kinds]}}]
        with kinds among fast, deref, global, name.
"""
import dis, json, os, sys

assert sys.version_info[:2] == (3, 12), sys.version
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CodeType = type(compile('', '', 'exec'))
KIND = {}
for k in ('FAST', 'DEREF', 'GLOBAL', 'NAME'):
    for op in ('LOAD', 'STORE', 'DELETE'):
        KIND[f'{op}_{k}'] = k.lower()
KIND['LOAD_FAST_CHECK'] = 'fast'
KIND['LOAD_FROM_DICT_OR_DEREF'] = 'deref'


def walk(code, uses):
    for ins in dis.get_instructions(code):
        kind = KIND.get(ins.opname)
        if kind and ins.positions and ins.positions.lineno:
            name = ins.argval[1] if isinstance(ins.argval, tuple) else ins.argval
            uses.setdefault(f'{name}@{ins.positions.lineno}', set()).add(kind)
    for c in code.co_consts:
        if isinstance(c, CodeType):
            walk(c, uses)


out = []
for name in ['access', 'programs', 'scopes']:
    cases = open(os.path.join(ROOT, f'tests/interp/cases/{name}.txt')).read()
    for src in [p.strip('\n') + '\n' for p in cases.split('\n===\n')]:
        try:
            code = compile(src, 'prog.py', 'exec', dont_inherit=True)
        except SyntaxError:
            continue
        uses = {}
        walk(code, uses)
        out.append({'src': src, 'uses': {k: sorted(v) for k, v in uses.items()}})
json.dump(out, open(os.path.join(ROOT, 'tests/fixtures/interp_access.json'), 'w'))
print(len(out), 'programs')
