"""Record CPython 3.12's AST, symbol tables and code objects for every module
of python3.12's own standard library (test packages excepted) — a large differential
check of the front end that is run by hand (the sources are not copied into
the repository, so the output goes to the git-ignored build/ directory).

Record: PYENV_VERSION=3.12.1 python3.12 tests/record/interp_stdlib.py
Check:  node tests/interp/stdlib-check.mjs
Output: build/interp_stdlib.json — [{fn, src, ast, table, code}] in the
        encodings of interp_ast.py, interp_symtable.py and interp_code.py.
"""
import ast, json, os, symtable, sys, sysconfig, warnings

assert sys.version_info[:2] == (3, 12), sys.version
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from interp_ast import conv as ast_json          # noqa: E402
from interp_code import code as code_json        # noqa: E402
from interp_symtable import conv as table_json   # noqa: E402

lib = sysconfig.get_paths()['stdlib']
files = []
for d, dirs, fns in os.walk(lib):
    dirs[:] = sorted(x for x in dirs if x not in ('site-packages', '__pycache__', 'test', 'tests', 'idle_test'))
    files += [os.path.relpath(os.path.join(d, f), lib) for f in sorted(fns) if f.endswith('.py')]
out = []
for fn in files:
    try:
        src = open(os.path.join(lib, fn), encoding='utf-8').read()
    except (UnicodeDecodeError, OSError):
        continue
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            c = code_json(compile(src, fn, 'exec', dont_inherit=True))
        except (SyntaxError, TypeError):  # TypeError: a complex constant (outside the subset)
            continue
        out.append({'fn': fn, 'src': src, 'ast': ast_json(ast.parse(src)),
                    'table': table_json(symtable.symtable(src, fn, 'exec')), 'code': c})
os.makedirs(os.path.join(ROOT, 'build'), exist_ok=True)
json.dump(out, open(os.path.join(ROOT, 'build/interp_stdlib.json'), 'w'))
print(len(out), 'modules')
