nums = [2, 4, 6, 7]
print(any(n % 2 for n in nums), all(n % 2 == 0 for n in nums))
print(any([]), all([]), any([0, "", None]), all([1, "x"]))
def noisy(n):
    print("check", n)
    return n > 2
print(any(noisy(n) for n in [1, 3, 5]))
print(all(noisy(n) for n in [3, 1, 5]))
print(sum(1 for n in nums if n > 3), len([n for n in nums if n < 5]))
print(list(filter(None, [0, 1, "", "a"])), list(map(str, [1, 2])))
print(list(map(lambda a, b: a * b, [1, 2], [3, 4])))
