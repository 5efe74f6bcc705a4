words = ["banana", "Apple", "cherry", "date"]
print(sorted(words))
print(sorted(words, key=str.lower))
print(sorted(words, key=len))
print(sorted(words, key=len, reverse=True))
print(sorted(words, key=lambda w: (len(w), w)))
nums = [5, 2, 9, 1, 5, 6]
nums.sort()
print(nums)
nums.sort(reverse=True)
print(nums)
pairs = [(1, "b"), (2, "a"), (1, "a")]
pairs.sort(key=lambda p: p[1])
print(pairs)
print(sorted({"b": 1, "a": 2}), sorted("hello"), sorted((3, 1, 2)))
people = [{"name": "x", "age": 30}, {"name": "y", "age": 25}]
print([p["name"] for p in sorted(people, key=lambda p: p["age"])])
