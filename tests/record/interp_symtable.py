"""Record CPython 3.12's symbol tables (the _symtable entries behind the
symtable module) for the programs of the scope, parse and seed corpora.

Record: PYENV_VERSION=3.12.1 python3.12 tests/record/interp_symtable.py
Input:  tests/interp/cases/{scopes,parse,seeds,programs}.txt (programs separated by '===')
Output: tests/fixtures/interp_symtable.json — per program either
        {"src", "table"} where a table is {type, name, lineno, nested,
        varnames, symbols: [[name, raw flags incl. scope bits], ...] in
        ste_symbols order, children: [...]}, or {"src", "error": {msg, lineno,
        offset, end_offset}} for a SyntaxError.
"""
import json, os, sys, symtable

assert sys.version_info[:2] == (3, 12), sys.version
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def conv(t):
    raw = t._table
    return {
        'type': t.get_type(), 'name': raw.name, 'lineno': raw.lineno, 'nested': t.is_nested(),
        'varnames': list(raw.varnames),
        'symbols': [[k, v] for k, v in raw.symbols.items()],
        'children': [conv(c) for c in t.get_children()],
    }


def main():
    out = []
    for name in ['scopes', 'parse', 'seeds', 'programs']:
        cases = open(os.path.join(ROOT, f'tests/interp/cases/{name}.txt')).read()
        for src in [p.strip('\n') + '\n' for p in cases.split('\n===\n')]:
            try:
                out.append({'src': src, 'table': conv(symtable.symtable(src, 'prog.py', 'exec'))})
            except SyntaxError as e:
                out.append({'src': src, 'error': {'msg': e.msg, 'lineno': e.lineno, 'offset': e.offset,
                                                  'end_offset': e.end_offset}})
    json.dump(out, open(os.path.join(ROOT, 'tests/fixtures/interp_symtable.json'), 'w'))
    print(len(out), 'programs')


if __name__ == '__main__':
    main()
