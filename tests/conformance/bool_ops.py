# truth values
for v in [0, 1, "", "a", [], [0], {}, None, 0.0, 2.5, (), (1,)]:
    print(repr(v), bool(v))
print(True + True, True * 5, not [])
