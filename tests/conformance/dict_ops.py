# dict methods
d = {}
d["x"] = 1
d.setdefault("y", 2)
d.setdefault("x", 99)
print(d, d.pop("x"), d)
print(d.get("q", "default"))
d.update({"a": 1, "b": 2})
print(sorted(d.items()), list(d.values()))
for k in d:
    print(k, d[k])
print(len(d), "a" in d, "zz" in d)
