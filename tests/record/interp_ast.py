"""Record CPython 3.12's AST (ast.parse) for the programs of the parse corpus.

Record: PYENV_VERSION=3.12.1 python3.12 tests/record/interp_ast.py
Input:  tests/interp/cases/{parse,seeds,programs}.txt (programs separated by lines '===')
Output: tests/fixtures/interp_ast.json — per program, the tree as JSON:
        a node is {"_": class name, field: value, ..., "@": [lineno, col_offset,
        end_lineno, end_col_offset]} (positions only on nodes that have them);
        a constant is [type name, value] (str as text, bytes as a list of
        byte values, int as decimal text, float as repr text).
"""
import ast, json, os, sys

assert sys.version_info[:2] == (3, 12), sys.version
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def const(v):
    if v is None: return ['none']
    if v is Ellipsis: return ['ellipsis']
    if isinstance(v, bool): return ['bool', v]
    if isinstance(v, int): return ['int', str(v)]
    if isinstance(v, float): return ['float', repr(v)]
    if isinstance(v, str): return ['str', v]
    if isinstance(v, bytes): return ['bytes', list(v)]
    if isinstance(v, tuple): return ['tuple', [const(x) for x in v]]
    if isinstance(v, frozenset): return ['frozenset', sorted([const(x) for x in v], key=repr)]
    raise TypeError(type(v))


def conv(n):
    if isinstance(n, list): return [conv(x) for x in n]
    if isinstance(n, (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)):
        return type(n).__name__
    if isinstance(n, ast.AST):
        d = {'_': type(n).__name__}
        for f in n._fields:
            v = getattr(n, f, None)
            if type(n).__name__ == 'Constant' and f == 'value':
                d[f] = const(v)
            else:
                d[f] = conv(v)
        if hasattr(n, 'lineno'):
            d['@'] = [n.lineno, n.col_offset, n.end_lineno, n.end_col_offset]
        return d
    return n


def main(name):
    cases = open(os.path.join(ROOT, f'tests/interp/cases/{name}.txt')).read()
    progs = [p.strip('\n') + '\n' for p in cases.split('\n===\n')]
    out = []
    for src in progs:
        try:
            out.append({'src': src, 'ast': conv(ast.parse(src))})
        except SyntaxError as e:
            out.append({'src': src, 'error': f'{type(e).__name__}: {e.msg}'})
    json.dump(out, open(os.path.join(ROOT, f'tests/fixtures/interp_ast_{name}.json'), 'w'), indent=None)
    print(name, len(out), 'programs')


if __name__ == '__main__':
    main('parse')
    main('seeds')
    main('programs')
