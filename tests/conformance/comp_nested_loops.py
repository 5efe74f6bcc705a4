# comprehensions with several for clauses and ifs: list, set, dict, generator expressions
a = [0, 1, 2, 3]
b = [1, 0, 2]
print([x * y for x in a if x for y in b if y])
print({x * y for x in a for y in b if x if y > 1})
print({(x, y): x + y for x in range(3) for y in range(x) if (x + y) % 2})
print(list(x * y for x in a if x for y in b if y))
print([(x, y, z) for x in range(2) for y in range(2) for z in range(2) if x != z])
print([y for x in a for y in [x * 10]])
print([c for w in ["ab", "cd"] for c in w if c != "c"])
matrix = [[1, 2, 3], [4, 5, 6]]
print([v for row in matrix for v in row])
print([[row[i] for row in matrix] for i in range(3)])
def f(n):
    return [i * j for i in range(n) for j in range(i) if i % 2 if j % 2 == 0]
print(f(6))
g = (i + j for i in range(3) if i for j in range(i))
print(sum(g))
def closure():
    k = 10
    return [x + y + k for x in range(2) for y in range(2)], list(x * k for x in range(2) for y in (1, 2))
print(closure())
x = "outer"
print([x for x in "ab" for x in "cd"], x)
