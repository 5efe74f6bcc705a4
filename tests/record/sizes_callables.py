"""Records facts about functions, cells, code objects, bound methods and
generators (and the frames they own) from real CPython 3.12 for the native
tests of core/src/{codeobject,funcobject,cellobject,classobject,genobject,frame}.c.

    PYENV_VERSION=3.12.1 python3.12 tests/record/sizes_callables.py > tests/fixtures/sizes_callables.txt

Output: one fact per line, "<case> <value>": the case is one token without
spaces, the value is the rest of the line. Lines starting with '#' are
comments. Never edit the output by hand; rerun this script.

The co_* numbers the core takes as inputs (co_nlocalsplus, co_stacksize) are
read from the code objects; co_framesize is not exposed to Python, so it is
read from the PyCodeObject struct with ctypes at its 3.12 offset (the offset
is checked first: co_stacksize, two ints before it, must read back right).

Sections
  type.<name>           __basicsize__ __itemsize__ __weakrefoffset__ HAVE_GC(0/1)
  size.<what>           sys.getsizeof of one object
  code.<name>           ncodeunits nlocalsplus stacksize framesize getsizeof(code)
  gen.<name>            nlocalsplus stacksize framesize getsizeof(gen) traced_bytes
                        (traced_bytes: what tracemalloc sees while the generator
                        object is created: one block, GC head included)
  gen_state.<step>      gi_running gi_suspended gi_frame-is-None at that step
  refcnt.<what>         sys.getrefcount(...) (argument included, as printed)
  delta.<what>          difference of two getrefcounts (references one object adds)
  order.<what>          the order in which marker objects' __del__ ran
  hash.method_xor       1 if hash(bound method) == pointer_hash(self) ^ hash(func)
  eq.<what>             1/0 results of == on bound methods
  err.<what>            exception type and message
  tracked.<what>        gc.is_tracked(...)
  repr.<what>           repr() with every address written 0x?
"""
import ctypes
import gc
import sys
import tracemalloc
import types
import weakref

getsizeof = sys.getsizeof
getrefcount = sys.getrefcount
out = []
HAVE_GC = 1 << 14


def emit(case, *values):
    assert " " not in case, case
    out.append(f"{case} {' '.join(str(v) for v in values)}")


# ---- the co_* numbers --------------------------------------------------------

OFF_STACKSIZE, OFF_NLOCALSPLUS, OFF_FRAMESIZE = 64, 72, 76


def c_int_at(obj, off):
    return ctypes.c_int.from_address(id(obj) + off).value


def co_numbers(co):
    assert c_int_at(co, OFF_STACKSIZE) == co.co_stacksize, "PyCodeObject layout differs from 3.12"
    nlp = len(co.co_varnames) + len(co.co_cellvars) + len(co.co_freevars)
    # an argument that is also a cell is listed twice but has one slot
    nlp -= len(set(co.co_varnames) & set(co.co_cellvars))
    assert c_int_at(co, OFF_NLOCALSPLUS) == nlp, (co.co_name, nlp)
    return nlp, co.co_stacksize, c_int_at(co, OFF_FRAMESIZE)


# ---- types ------------------------------------------------------------------------


def plain():
    pass


def outer_for_cell():
    x = 1

    def inner():
        return x
    return inner


class C:
    def m(self):
        pass


def simple_gen():
    yield 1


CELL = outer_for_cell().__closure__[0]
TYPES = {
    "function": types.FunctionType, "code": types.CodeType, "cell": types.CellType,
    "method": types.MethodType, "generator": types.GeneratorType,
}
for name, t in TYPES.items():
    emit(f"type.{name}", t.__basicsize__, t.__itemsize__, t.__weakrefoffset__, 1 if t.__flags__ & HAVE_GC else 0)

# ---- sizes --------------------------------------------------------------------------

emit("size.function", getsizeof(plain))
emit("size.lambda", getsizeof(lambda: None))


def with_defaults(a=1, b=2, *, c=3):
    pass


emit("size.function_defaults", getsizeof(with_defaults))
emit("size.function_closure", getsizeof(outer_for_cell()))
plain.attr = 1
emit("size.function_with_dict", getsizeof(plain))
emit("size.cell", getsizeof(CELL))
emit("size.method", getsizeof(C().m))
emit("size.simple_gen", getsizeof(simple_gen()))
emit("tracked.function", int(gc.is_tracked(plain)))
emit("tracked.code", int(gc.is_tracked(plain.__code__)))
emit("tracked.cell", int(gc.is_tracked(CELL)))
emit("tracked.method", int(gc.is_tracked(C().m)))
emit("tracked.generator", int(gc.is_tracked(simple_gen())))

# ---- code objects -------------------------------------------------------------------

SOURCES = {
    "empty": "def f():\n    pass\n",
    "ret": "def f(a):\n    return a\n",
    "add3": "def f(a, b, c):\n    return a + b + c\n",
    "loop": "def f(n):\n    t = 0\n    for i in range(n):\n        t += i * i\n    return t\n",
    "calls": "def f(x):\n    print(x, x, x, len(x), max(x, key=len))\n    return [y for y in x]\n",
    "closure": "def f():\n    a = 1\n    b = 2\n    def g():\n        return a + b\n    return g\n",
}
for name, src in SOURCES.items():
    ns = {}
    exec(src, ns)
    co = ns["f"].__code__
    nlp, ss, fs = co_numbers(co)
    emit(f"code.{name}", len(co.co_code) // 2, nlp, ss, fs, getsizeof(co))

# ---- generators: getsizeof against the frame size -------------------------------

GENS = {
    "g0": "def g():\n    yield 1\n",
    "g_arg": "def g(a):\n    yield a\n",
    "g2": "def g(a, b):\n    c = a + b\n    yield c\n",
    "g5": "def g(a, b, c, d, e):\n    yield a + b + c + d + e\n",
    "g_locals8": "def g():\n    a = b = c = d = e = f = h = i = 0\n    yield a\n",
    "g_deep": "def g(x):\n    yield [x, [x, [x, [x, [x, (x, x, x, x, x)]]]]]\n",
    "g_loop": "def g(n):\n    for i in range(n):\n        yield i * i\n",
    "g_cell": "def g(a):\n    def h():\n        return a\n    yield h\n",
    "g_calls": "def g(x):\n    yield print(x, x, x, len(x), max(x, key=len))\n",
    "g_many": "def g():\n" + "".join(f"    v{i} = {i}\n" for i in range(30)) + "    yield v0\n",
}
for name, src in GENS.items():
    ns = {}
    exec(src, ns)
    fn = ns["g"]
    co = fn.__code__
    nlp, ss, fs = co_numbers(co)
    args = (1,) * co.co_argcount
    g = fn(*args)                              # warm-up: any lazily created state exists now
    del g
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    g = fn(*args)
    traced = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    emit(f"gen.{name}", nlp, ss, fs, getsizeof(g), traced)
    del g


def g_state():
    yield 1


g = g_state()
emit("gen_state.created", int(g.gi_running), int(g.gi_suspended), int(g.gi_frame is None))
next(g)
emit("gen_state.suspended", int(g.gi_running), int(g.gi_suspended), int(g.gi_frame is None))
for _ in g:
    pass
emit("gen_state.exhausted", int(g.gi_running), int(g.gi_suspended), int(g.gi_frame is None))
g = g_state()
g.close()
emit("gen_state.closed_created", int(g.gi_running), int(g.gi_suspended), int(g.gi_frame is None))


def g_running():
    yield gr.gi_running


gr = g_running()
emit("gen_state.running", int(next(gr)))
try:
    next(g)
except StopIteration as e:
    emit("err.exhausted_next", type(e).__name__)


def g_reenter():
    yield next(grr)


try:
    g_state().send(1)
except TypeError as e:
    emit("err.send_just_started", type(e).__name__, str(e))
grr = g_reenter()
try:
    next(grr)
except ValueError as e:
    emit("err.gen_reenter", type(e).__name__, str(e))

# ---- refcounts --------------------------------------------------------------------

# code: held by the function and by the module code's co_consts
MOD = """
import sys
def f():
    pass
r_code_1 = sys.getrefcount(f.__code__)
def make():
    def inner():
        pass
    return inner
fs = [make(), make(), make()]
r_inner_code_3 = sys.getrefcount(fs[0].__code__)
del fs
def gen():
    yield 1
r_gen_code_0 = sys.getrefcount(gen.__code__)
r_gen_func_0 = sys.getrefcount(gen)
gs = [gen(), gen()]
r_gen_code_2 = sys.getrefcount(gen.__code__)
r_gen_func_2 = sys.getrefcount(gen)
for g in gs:
    next(g)
r_gen_code_2s = sys.getrefcount(gen.__code__)
for g in gs:
    for _ in g:
        pass
r_gen_code_2x = sys.getrefcount(gen.__code__)
r_gen_func_2x = sys.getrefcount(gen)
del g, gs
r_glob_a = sys.getrefcount(globals())
r_bi_a = sys.getrefcount(__builtins__)
def f1():
    pass
r_glob_b = sys.getrefcount(globals())
r_bi_b = sys.getrefcount(__builtins__)
def f2():
    pass
r_glob_c = sys.getrefcount(globals())
r_bi_c = sys.getrefcount(__builtins__)
del f1, f2
r_glob_d = sys.getrefcount(globals())
"""
ns = {"__name__": "recmod"}
exec(MOD, ns)
emit("refcnt.code_one_function", ns["r_code_1"])
emit("refcnt.code_three_closures", ns["r_inner_code_3"])
emit("refcnt.gen_code_no_gens", ns["r_gen_code_0"])
emit("refcnt.gen_code_two_gens", ns["r_gen_code_2"])
emit("refcnt.gen_code_two_suspended", ns["r_gen_code_2s"])
emit("refcnt.gen_code_two_exhausted", ns["r_gen_code_2x"])
emit("refcnt.gen_func_no_gens", ns["r_gen_func_0"])
emit("refcnt.gen_func_two_gens", ns["r_gen_func_2"])
emit("refcnt.gen_func_two_exhausted", ns["r_gen_func_2x"])
emit("delta.globals_per_function", ns["r_glob_b"] - ns["r_glob_a"], ns["r_glob_c"] - ns["r_glob_b"])
emit("delta.builtins_per_function", ns["r_bi_b"] - ns["r_bi_a"], ns["r_bi_c"] - ns["r_bi_b"])
emit("delta.globals_after_del", ns["r_glob_d"] - ns["r_glob_a"])


class Obj:
    pass


# defaults: a run-time value in the defaults tuple
x = Obj()
before = getrefcount(x)


def fd(a=x):
    pass


emit("delta.default_value", getrefcount(x) - before)
emit("refcnt.defaults_tuple_runtime", getrefcount(fd.__defaults__))   # func only (+ argument)


def fc(a=1.5, b="s"):
    pass


emit("refcnt.defaults_tuple_const", getrefcount(fc.__defaults__))     # func + module co_consts
kw = Obj()
before = getrefcount(kw)


def fk(*, k=kw):
    pass


emit("delta.kwdefault_value", getrefcount(kw) - before)
emit("refcnt.kwdefaults_dict", getrefcount(fk.__kwdefaults__))

# cell contents: the cell holds one reference; the closure tuple holds the cell
val = Obj()


def mk_closure(v):
    def inner():
        return v
    return inner


before = getrefcount(val)
clo = mk_closure(val)
emit("delta.cell_contents", getrefcount(val) - before)
emit("refcnt.cell", getrefcount(clo.__closure__[0]))
emit("refcnt.closure_tuple", getrefcount(clo.__closure__))
c2 = mk_closure(val)
emit("delta.cell_contents_two_closures", getrefcount(val) - before)
del c2

# function while bound methods exist
inst = C()
func = C.__dict__["m"]
r0 = getrefcount(func)
s0 = getrefcount(inst)
m1 = inst.m
m2 = inst.m
emit("refcnt.func_in_class", r0)
emit("refcnt.func_two_methods", getrefcount(func))
emit("refcnt.self_two_methods", getrefcount(inst), s0)
emit("refcnt.method", getrefcount(m1))
emit("eq.same_func_same_self", int(m1 == m2))
emit("eq.same_func_other_self", int(m1 == C().m))
emit("eq.identity_is", int(m1 is m2))


def pointer_hash(o):
    y = id(o)
    y = ((y >> 4) | (y << 60)) & 0xFFFFFFFFFFFFFFFF
    if y >= 1 << 63:
        y -= 1 << 64
    return -2 if y == -1 else y


h = pointer_hash(inst) ^ hash(func)
emit("hash.method_xor", int(hash(m1) == (-2 if h == -1 else h)))
emit("hash.function_pointer", int(hash(func) == pointer_hash(func)))
del m1, m2

# ---- errors ---------------------------------------------------------------------

empty_cell = types.CellType()
try:
    empty_cell.cell_contents
except ValueError as e:
    emit("err.cell_empty", type(e).__name__, str(e))
try:
    hash(CELL)
except TypeError as e:
    emit("err.cell_hash", type(e).__name__, str(e))
try:
    types.MethodType(plain, None)
except TypeError as e:
    emit("err.method_self_none", type(e).__name__, str(e))
try:
    types.MethodType(1, C())
except TypeError as e:
    emit("err.method_not_callable", type(e).__name__, str(e))
emit("bound.function_get_none_is_func", int(plain.__get__(None, C) is plain))
emit("size.cell_empty", getsizeof(empty_cell))

# ---- reprs (addresses masked) -------------------------------------------------------

import re


def masked(o):
    return re.sub(r"0x[0-9a-f]+", "0x?", repr(o))


ns = {}
exec(compile("def f():\n    pass\ndef g():\n    yield 1\n", "<test>", "exec"), ns)
emit("repr.function", masked(ns["f"]))
emit("repr.generator", masked(ns["g"]()))
emit("repr.code", masked(ns["f"].__code__))
emit("repr.cell", masked(types.CellType(5)))
emit("repr.cell_empty", masked(types.CellType()))
emit("repr.method", masked(types.MethodType(ns["f"], 5)))

# ---- deallocation orders --------------------------------------------------------

order = []


class M:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        order.append(self.tag)

    def __call__(self, *a):
        pass


def run(case, body):
    order.clear()
    body()
    gc.collect()
    emit(f"order.{case}", ",".join(order))


def function_fields(cellv):
    # cellv is a cell variable of this frame: the frame's reference to the
    # cell goes when the frame returns, leaving f's closure as the only owner
    def f(a=M("default0"), b=M("default1"), *, k=M("kwdefault")) -> M("annotation"):
        return cellv
    f.attr = M("dict")
    return f


def fn_case():
    f = function_fields(M("cell"))
    f.__annotations__        # materialise the annotations dict (3.12 keeps a tuple until asked)
    del f


run("function_fields", fn_case)


def fn_case_lazy_ann():
    f = function_fields(M("cell"))
    del f


run("function_fields_lazy_annotations", fn_case_lazy_ann)


def frame_locals():
    def f(p, q):
        a = M("a")
        b = M("b")
        c = M("c")
        return None
    f(M("p"), M("q"))


run("frame_locals", frame_locals)


def frame_cells():
    def f(p):
        a = M("a")
        b = M("b")

        def inner():
            return a
        return None
    f(M("p"))


run("frame_cell_and_locals", frame_cells)


def gen_suspended():
    def g(p, q):
        a = M("a")
        yield 1
        b = M("b")
    it = g(M("p"), M("q"))
    next(it)
    del it


run("gen_suspended", gen_suspended)


def gen_created():
    def g(p, q):
        yield p
    it = g(M("p"), M("q"))
    del it


run("gen_created", gen_created)


def gen_exhausted():
    def g(p, q):
        a = M("a")
        yield 1
    it = g(M("p"), M("q"))
    for _ in it:
        pass
    order.append("exhausted")
    del it


run("gen_exhausted", gen_exhausted)


def gen_stack_values():
    def g(p):
        # values on the value stack across the yield: the list under
        # construction and the two markers already evaluated
        yield [M("s0"), M("s1"), (yield 1), M("s2")]
    it = g(M("p"))
    next(it)
    del it


run("gen_stack", gen_stack_values)


def method_fields():
    m = types.MethodType(M("func"), M("self"))
    del m


run("method_fields", method_fields)


def cell_contents():
    c = types.CellType(M("content"))
    del c


run("cell_contents", cell_contents)

print(f"# recorded by tests/record/sizes_callables.py with Python {sys.version.split()[0]}")
print("\n".join(out))
