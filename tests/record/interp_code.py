"""Record the code objects CPython 3.12 compiles for the programs of the
front-end corpora: for every code object (recursively through co_consts),
co_consts, co_names, co_varnames, co_cellvars, co_freevars, argument
counts, co_flags, co_nlocals and co_firstlineno.

Record: PYENV_VERSION=3.12.1 python3.12 tests/record/interp_code.py
Input:  tests/interp/cases/{consts,scopes,parse,seeds,programs}.txt (programs separated by '===')
Output: tests/fixtures/interp_code.json — per program {"src", "code"} or
        {"src", "error": {type, msg, lineno, offset, end_lineno, end_offset}}.
        A constant is [type name, value] like interp_ast.json; a nested code
        object is ["code", {...}] with the same fields.
"""
import json, os, sys

assert sys.version_info[:2] == (3, 12), sys.version
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CodeType = type(compile('', '', 'exec'))


def const(v):
    if v is None: return ['none']
    if v is Ellipsis: return ['ellipsis']
    if isinstance(v, bool): return ['bool', v]
    if isinstance(v, int): return ['int', str(v)]
    if isinstance(v, float): return ['float', repr(v)]
    if isinstance(v, str): return ['str', v]
    if isinstance(v, bytes): return ['bytes', list(v)]
    if isinstance(v, tuple): return ['tuple', [const(x) for x in v]]
    if isinstance(v, frozenset): return ['frozenset', sorted([const(x) for x in v], key=json.dumps)]
    if isinstance(v, CodeType): return ['code', code(v)]
    raise TypeError(type(v))


def code(c):
    return {
        'name': c.co_name, 'qualname': c.co_qualname, 'firstlineno': c.co_firstlineno,
        'argcount': c.co_argcount, 'posonlyargcount': c.co_posonlyargcount,
        'kwonlyargcount': c.co_kwonlyargcount, 'flags': c.co_flags, 'nlocals': c.co_nlocals,
        'consts': [const(x) for x in c.co_consts], 'names': list(c.co_names),
        'varnames': list(c.co_varnames), 'cellvars': list(c.co_cellvars),
        'freevars': list(c.co_freevars),
    }


def main():
    out = []
    for name in ['consts', 'scopes', 'parse', 'seeds', 'programs']:
        cases = open(os.path.join(ROOT, f'tests/interp/cases/{name}.txt')).read()
        for src in [p.strip('\n') + '\n' for p in cases.split('\n===\n')]:
            try:
                out.append({'src': src, 'code': code(compile(src, 'prog.py', 'exec', dont_inherit=True))})
            except SyntaxError as e:
                out.append({'src': src, 'error': {'type': type(e).__name__, 'msg': e.msg, 'lineno': e.lineno,
                                                  'offset': e.offset, 'end_lineno': e.end_lineno,
                                                  'end_offset': e.end_offset}})
    json.dump(out, open(os.path.join(ROOT, 'tests/fixtures/interp_code.json'), 'w'))
    print(len(out), 'programs')


if __name__ == '__main__':
    main()
