x = 42
pi = 3.14159265
big = 1234567.891
name = "Ada"
print(f"[{x:>10}]")
print(f"[{x:<10}]")
print(f"[{x:^10}]")
print(f"[{x:*^10}]")
print(f"{pi:.2f} {pi:.0f} {pi:10.3f} {pi:e} {pi:.3e}")
print(f"{big:,} {big:,.2f} {1000000:,} {1000000:_}")
print(f"{x:05d} {x:+d} {-x:d} {x:x} {x:X} {x:o} {x:b} {x:#x} {x:#b}")
print(f"{0.25:%} {0.25:.1%}")
print(f"{name!r} {name!s} {name:>6} {name:.2}")
print(f"{x=} {pi=:.1f}")
print(f"{'nested ' + name}")
print(f"{{braces}} {x}")
print(f"{3.0} {1e20} {1e-5} {0.1 + 0.2}")
print(f"{True} {None} {[1, 2]}")
w = 8
print(f"{x:>{w}}|")
