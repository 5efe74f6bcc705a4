# two closures share one cell
def pair():
    v = 0
    def get():
        return v
    def set(x):
        nonlocal v
        v = x
    return get, set
get, set = pair()
set(5)
print(get())
set(7)
print(get())
