def lookup(d, k):
    try:
        return d[k]
    except KeyError:
        raise LookupError(f"no {k!r}") from None
try:
    lookup({}, "x")
except LookupError as e:
    print(e, e.__suppress_context__, e.__cause__ is None)
lookup({"a": 1}, "b")
