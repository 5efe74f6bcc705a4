# *args/**kwargs into builtins (zip(*m), print(*l, **opts), dict(**d)), varargs/kwargs functions, nested star targets, merging displays
matrix = [[1, 2, 3], [4, 5, 6]]
print(list(zip(*matrix)))
nums = [3, 1, 2]
print(max(*nums), min(*nums), sorted([*nums, 0]))
print(*nums, sep=", ")
opts = {"sep": "|", "end": "!\n"}
print("a", "b", **opts)
d = dict(**{"x": 1}, y=2)
print(d)
def total(*numbers):
    s = 0
    for n in numbers:
        s += n
    return s
print(total(), total(1), total(*range(5)))
def show(**info):
    for k, v in info.items():
        print(k, "=", v)
show(name="Ann", age=30)
show(**{"city": "Oslo"})
def wrapper(*args, **kwargs):
    print("calling with", args, kwargs)
    return total(*args)
print(wrapper(1, 2, flag=True))
head, *tail = "abc"
print(head, tail)
x, (y, *z) = 1, [2, 3, 4]
print(x, y, z)
merged = {**{"a": 1, "b": 2}, **{"b": 3}}
print(merged)
s = {*"hello", *"world"}
print(sorted(s))
t = *range(3), 9
print(t)
print([*"ab", *range(2), *{"k": 1}])
