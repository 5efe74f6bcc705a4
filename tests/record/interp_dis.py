"""Record the instructions python3.12 compiles each conformance program to.

Writes tests/fixtures/interp_dis.json: { program: [ { qualname, firstlineno,
instrs: [[opname, arg], ...] } for every code object, depth first ] }, with
CACHE entries left out and jump arguments replaced by None (the model keeps
compile.c's block order, CPython's flowgraph reorders blocks, so jump offsets
cannot be compared). tests/interp/codegen.test.js compares web/interp/codegen.js
with it.

Record: PYENV_VERSION=3.12.1 python3.12 tests/record/interp_dis.py
"""
import dis
import json
import os
import sys
import types

assert sys.version_info[:2] == (3, 12), sys.version
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIR = os.path.join(ROOT, "tests", "conformance")


def code_objects(co):
    yield co
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            yield from code_objects(c)


def dump(co):
    out = []
    for ins in dis.get_instructions(co):
        if ins.opname == "CACHE":
            continue
        arg = None if ins.opcode in dis.hasjrel or ins.opcode in dis.hasjabs else ins.arg
        out.append([ins.opname, arg])
    return {"qualname": co.co_qualname, "firstlineno": co.co_firstlineno, "stacksize": co.co_stacksize, "instrs": out}


result = {}
for name in sorted(os.listdir(DIR)):
    if not name.endswith(".py"):
        continue
    with open(os.path.join(DIR, name), encoding="utf-8") as f:
        src = f.read()
    co = compile(src, name, "exec")
    result[name[:-3]] = [dump(c) for c in code_objects(co)]

with open(os.path.join(ROOT, "tests", "fixtures", "interp_dis.json"), "w", encoding="utf-8") as f:
    json.dump(result, f, indent=0, sort_keys=True)
    f.write("\n")
print("recorded", len(result), "programs")
