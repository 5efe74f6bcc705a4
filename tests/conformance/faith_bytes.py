import sys
b = b"hello"
print(b, len(b), b[0], b[1:3], b[::-1])
print(b + b" world", b * 2, b"ell" in b)
print(sys.getsizeof(b""), sys.getsizeof(b"a"), sys.getsizeof(b"hello"))
print(list(b"abc"), bytes([65, 66, 67]), bytes(3))
print("héllo".encode("utf-8"), b"hi".decode())
print(b.upper(), b.startswith(b"he"), b.find(b"l"), b.hex())
print(bytes(range(5)), b"a\x00b", repr(b"'"))
