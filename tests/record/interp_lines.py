"""Record sys.settrace 'line' events of python3.12 for stepping programs.

Writes tests/fixtures/interp_lines.json: { program: [[code name, line], ...] }
for the conformance programs listed below, every 'line' event of code in the
program's own file (module body, functions, methods, __del__, generator
bodies), in order. tests/interp/session.test.js steps the same programs with
the interpreter's session API and compares.

Record: PYENV_VERSION=3.12.1 python3.12 tests/record/interp_lines.py
"""
import io
import json
import os
import sys
import contextlib

assert sys.version_info[:2] == (3, 12), sys.version
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIR = os.path.join(ROOT, "tests", "conformance")
PROGRAMS = ["control_flow", "seed_refcount_del", "del_function_exit", "exc_finally_order", "gen_basic",
            "closure_counter", "class_inherit", "seed_myclass_del", "exc_else", "arith",
            "with_basic", "with_generator_finally_nested", "comp_nested_loops", "call_star_args", "super_calls",
            "gen_send_throw_close", "weakrefmod_mappings", "weakrefmod_callbacks"]


def line_events(src, filename, errors_ok=True):
    """Every 'line' event of code compiled from `src` as `filename`, in order: [[code name, line], ...].
    With errors_ok, an exception the program lets escape ends the list (the conformance programs may end so);
    else it propagates."""
    code = compile(src, filename, "exec")
    events = []

    def tracer(frame, event, arg):
        if frame.f_code.co_filename != filename:
            return None
        if event == "line":
            events.append([frame.f_code.co_name, frame.f_lineno])
        return tracer

    g = {"__name__": "__main__", "__builtins__": __builtins__}
    with contextlib.redirect_stdout(io.StringIO()):
        sys.settrace(tracer)
        try:
            exec(code, g)
        except BaseException:
            if not errors_ok:
                raise
        finally:
            sys.settrace(None)
    g.clear()
    return events


if __name__ == "__main__":
    result = {}
    for name in PROGRAMS:
        with open(os.path.join(DIR, name + ".py"), encoding="utf-8") as f:
            result[name] = line_events(f.read(), name + ".py")
    with open(os.path.join(ROOT, "tests", "fixtures", "interp_lines.json"), "w", encoding="utf-8") as f:
        json.dump(result, f)
        f.write("\n")
    print("recorded", len(result), "programs")
