# KeyError and IndexError caught, then an uncaught KeyError
d = {"a": 1}
try:
    d["b"]
except KeyError as e:
    print("KeyError", e)
l = [1, 2]
try:
    l[5]
except IndexError as e:
    print("IndexError:", e)
print(d["zz"])
