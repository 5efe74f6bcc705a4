s = "Hello, World"
print(s.lower().count("o"), s.count("l", 3), s.count(""), s.find("o", 5), s.rindex("o"))
print(s.split(", "), s.rsplit("o", 1), "  a  b  c ".split(None, 1), " a b ".rsplit(maxsplit=1))
print(s.replace("l", "L", 2), "aaa".replace("", "-"), s.removeprefix("Hello"), s.removesuffix("x"))
print("{:>8}|{:*^9}|".format("ab", "mid"), "%-5s|%5.1f|%+d" % ("x", 2.25, 7))
print("a\tb".expandtabs(4), "ab12".isalnum(), "Ab Cd".istitle(), "x y".isidentifier())
print("Straße".upper(), "hello world".title(), "they're 3rd".title())
w = "x"
print(w.strip() is w, w.center(1) is w, w.ljust(3) + "|", "7".zfill(3), "-7".zfill(4))
try:
    "abc".index("z")
except ValueError as e:
    print(e)
try:
    "-".join([1, 2])
except TypeError as e:
    print(e)
print(sorted(["b", "A", "c"], key=str.lower), str.upper("q"), repr(str.lower).split(" at ")[0])
print(max("apple", "fig", "kiwi", key=len), min([3, 1, 2], key=lambda v: -v))
print(sum([0.1] * 10), sum([1, 2.5]), sum(range(101)), sum([[1], [2]], []))
print(round(1250, -2), round(-1350, -2), round(2.5), round(0.125, 2), pow(3, -1, 7), pow(2, 100) % 1000)
print(hex(3054), oct(-8), bin(0), (255).bit_length(), (2.0).is_integer())
