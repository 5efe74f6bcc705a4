d = {"a": 1, "b": 2}
print(d.get("a"), d.get("z"), d.get("z", 0))
print(d.setdefault("c", 3), d.setdefault("a", 100), d)
print(d.pop("b"), d.pop("zz", "none"), d)
d.update({"d": 4, "e": 5})
print(d)
print(list(d.keys()), list(d.values()), list(d.items()))
print("a" in d, "q" not in d, len(d))
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
print({k: v for k, v in sorted(counts.items(), key=lambda kv: -kv[1])})
try:
    d.pop("nope")
except KeyError as e:
    print("KeyError", e)
