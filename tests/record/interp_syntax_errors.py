"""Record how CPython 3.12 reports syntax errors for small bad programs.

Record: PYENV_VERSION=3.12.1 python3.12 tests/record/interp_syntax_errors.py
Input:  tests/interp/cases/syntax_errors.txt (programs separated by lines '===')
Output: tests/fixtures/interp_syntax_errors.json — for each program, the stderr
        of `python3.12 prog.py` (run in a scratch directory, so the file name
        printed is "prog.py") and the exit status.
"""
import json, os, subprocess, sys, tempfile

assert sys.version_info[:2] == (3, 12), sys.version
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
cases = open(os.path.join(ROOT, 'tests/interp/cases/syntax_errors.txt')).read()
progs = [p.strip('\n') + '\n' for p in cases.split('\n===\n')]
out = []
with tempfile.TemporaryDirectory() as d:
    for src in progs:
        with open(os.path.join(d, 'prog.py'), 'w') as f:
            f.write(src)
        # compile only: run nothing, so only compile-time errors show
        r = subprocess.run([sys.executable, '-c',
                            'import sys; src = open("prog.py").read(); compile(src, "prog.py", "exec")'],
                           cwd=d, capture_output=True, text=True)
        err = r.stderr
        # keep the SyntaxError block (drop the traceback frames of the -c driver)
        i = err.find('  File "prog.py"')
        out.append({'src': src, 'error': err[i:] if i >= 0 else '', 'status': r.returncode})
json.dump(out, open(os.path.join(ROOT, 'tests/fixtures/interp_syntax_errors.json'), 'w'), indent=1)
print(len(out), 'programs recorded')
