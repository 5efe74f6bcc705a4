# augmented assignment on names, attributes and items
class O:
    pass
o = O()
o.v = 1
o.v += 2
o.v *= 3
l = [1, 2]
l[1] += 10
l += [5]
s = "a"
s += "b"
n = 10
n //= 3
n **= 2
n -= 1
n %= 5
print(o.v, l, s, n)
