flags = ["", "-", "+", " ", "#", "0", "-0", "+0"]
widths = ["", "6"]
precs = ["", ".0", ".2"]
types = "diouxXeEfFgGcrsa%"
vals = [0, -42, 255, 3.14159, -0.5, 1e10, "hi", 65, True, None, [1]]
out = []
for v in vals:
    for f in flags:
        for w in widths:
            for p in precs:
                for t in types:
                    fmt = "%" + f + w + p + t
                    if (len(out) + len(fmt)) % 5:
                        out.append("")
                        continue
                    try:
                        r = fmt % (v,) if t != "%" else fmt % ()
                    except (ValueError, TypeError, OverflowError) as e:
                        r = type(e).__name__ + ": " + str(e)
                    out.append(f"{v!r} {fmt!r} {r!r}")
out = [x for x in out if x]
print(len(out))
print("\n".join(out))
print("%s and %r" % ("a", "b"), "%(x)05.1f|%(y)s" % {"x": 2.25, "y": [1]}, "%c%c" % (72, "i"), "%*d|%-*d|%.*f" % (5, 1, 4, 2, 2, 3.14159))
for bad in [lambda: "%d %d" % (1,), lambda: "%d" % (1, 2), lambda: "%(a)s" % (1,), lambda: "%y" % 1, lambda: "%" % ()]:
    try:
        bad()
    except (TypeError, ValueError, KeyError) as e:
        print(type(e).__name__, e)
