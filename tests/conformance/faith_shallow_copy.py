orig = [[1, 2], [3, 4]]
shallow = orig.copy()
shallow[0].append(99)
print(orig, shallow)
sliced = orig[:]
sliced.append([5])
print(len(orig), len(sliced), orig[0] is sliced[0])
grid = [[0] * 3] * 2
grid[0][0] = 1
print(grid)
grid2 = [[0] * 3 for _ in range(2)]
grid2[0][0] = 1
print(grid2)
d1 = {"x": [1]}
d2 = dict(d1)
d2["x"].append(2)
print(d1, d2 is d1)
