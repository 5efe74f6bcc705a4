# closures see the variable, not its value at creation
fs = []
for i in range(3):
    fs.append(lambda: i)
print([f() for f in fs])
def make(k):
    return lambda x: x * k
double = make(2)
print(double(21))
