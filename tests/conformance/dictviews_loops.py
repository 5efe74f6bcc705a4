# views in loops, comprehensions, sorted, min/max, unpacking and builtins
prices = {'apple': 3, 'pear': 5, 'fig': 2, 'kiwi': 4}
total = 0
for name, price in prices.items():
    total += price
print(total)
print([n.upper() for n in prices.keys() if len(n) > 3])
print({p for p in prices.values()} == {2, 3, 4, 5})
print({v: k for k, v in prices.items()})
print(sorted(prices), sorted(prices.keys()), sorted(prices.values()))
print(sorted(((-v, k) for k, v in prices.items())), sorted(prices.items(), reverse=True))
print(max((v, k) for k, v in prices.items()), min(prices.values()), max(prices.keys()))
print(list(prices.keys())[1], list(prices.values())[-1], list(prices.items())[0])
print(sum(v for v in prices.values() if v % 2), len([k for k in prices]))
cheap = [k for k, v in prices.items() if v < 4]
print(cheap)
for k in list(prices.keys()):
    if prices[k] > 3:
        del prices[k]
print(prices, prices.keys(), len(prices.items()))
inv = {}
for k, v in {'a': 1, 'b': 2, 'c': 1}.items():
    inv.setdefault(v, []).append(k)
print(inv, inv.items())
matrix = {r: {c: r * c for c in range(3)} for r in range(3)}
print([sum(row.values()) for row in matrix.values()])
print([[k for k in row.keys() if row[k]] for row in matrix.values()])
keys = prices.keys()
prices.update({'plum': 1, 'lime': 6})
print(keys, sorted(keys), 'plum' in keys)
print(', '.join(keys), ' '.join(str(v) for v in prices.values()))
print(*prices.items())
print(list(zip(*prices.items())))
print(dict(zip(prices.keys(), [0] * len(prices))))
