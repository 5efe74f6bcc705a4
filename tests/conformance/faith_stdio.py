import sys
print("to stdout")
print("to stderr", file=sys.stderr)
n = sys.stdout.write("written\n")
print(n)
m = sys.stderr.write("err written\n")
print(m)
sys.stdout.flush()
sys.stderr.flush()
print("flushed", flush=True)
print("a", "b", sep="-", end="!\n", file=sys.stdout)
print(file=sys.stderr)
print(sys.stdout is sys.stdout, sys.stderr is not sys.stdout)
try:
    sys.foo
except AttributeError as e:
    print(e)
try:
    sys.stdout.write(5)
except TypeError as e:
    print(e)
raise ValueError("boom")
