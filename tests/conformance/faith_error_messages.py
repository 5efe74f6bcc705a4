tests = [
    lambda: {[]: 1},
    lambda: [1, 2] + (3,),
    lambda: "a" * "b",
    lambda: len(5),
    lambda: int("1.5"),
    lambda: [1][5],
    lambda: {}["k"],
    lambda: None + 1,
    lambda: 1 / 0,
    lambda: 5 % 0,
    lambda: float("abc"),
    lambda: [].index(3),
    lambda: "abc".index("d"),
    lambda: (1, 2).index(5),
    lambda: sorted([1, "a"]),
    lambda: max([]),
    lambda: next(iter([])),
    lambda: int(None),
    lambda: "x".foo,
    lambda: undefined_name,
    lambda: [1, 2, 3].pop(10),
    lambda: {1, 2}.remove(5),
    lambda: round("x"),
    lambda: chr(-1),
    lambda: ord("ab"),
    lambda: list(5),
    lambda: 2 ** 10000 * 1.0,
    lambda: divmod(1, 0),
    lambda: hash([]),
]
for i, t in enumerate(tests):
    try:
        t()
        print(i, "no error")
    except Exception as e:
        print(i, type(e).__name__, e)
