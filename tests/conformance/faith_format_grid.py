fills = ["", "*<", ">", "^", "=", "0="]
signs = ["", "+", " ", "-"]
alts = ["", "#"]
zeros = ["", "0"]
widths = ["", "7"]
groups = ["", ",", "_"]
precs = ["", ".0", ".3"]
types = ["", "d", "x", "b", "e", "f", "g", "%", "s", "E", "G", "o", "n", "c"]
vals = [0, -17, 255, 123456, 0.5, -2.25, 1234.5678, 1e-5, 9.999, "ab", True]
n = 0
lines = []
for v in vals:
    for f in fills:
        for s in signs:
            for a in alts:
                for z in zeros:
                    for w in widths:
                        for g in groups:
                            for p in precs:
                                for t in types:
                                    n += 1
                                    if n % 97:
                                        continue
                                    spec = f + s + a + z + w + g + p + t
                                    try:
                                        r = format(v, spec)
                                    except (ValueError, TypeError, OverflowError) as e:
                                        r = type(e).__name__ + ": " + str(e)
                                    lines.append(repr(v) + " " + repr(spec) + " " + repr(r))
print(len(lines))
for line in lines:
    print(line)
