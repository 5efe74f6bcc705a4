# functions defined in a loop
funcs = []
for i in range(3):
    def f(x, i=i):
        return x + i
    funcs.append(f)
print([f(10) for f in funcs])
