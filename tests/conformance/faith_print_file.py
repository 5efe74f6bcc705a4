import sys
class Collector:
    def __init__(self):
        self.parts = []
    def write(self, text):
        self.parts.append(text)
        return len(text)
    def flush(self):
        self.parts.append("<flush>")
c = Collector()
print("a", 1, [2], sep="|", end="!\n", file=c)
print("x", file=c, flush=True)
print(c.parts)
saved = sys.stdout
sys.stdout = c
print("captured")
sys.stdout = saved
print(c.parts[-2:], sys.stdout is sys.__stdout__)
print("warning: low memory", file=sys.stderr)
sys.stderr.write("raw error line\n")
print(repr(sys.stdout))
try:
    print("x", sep=5)
except TypeError as e:
    print(e)
try:
    print("x", bogus=1)
except TypeError as e:
    print(e)
print(sys.stdout.write("ok\n"), sys.stdout.write("é\n"))
