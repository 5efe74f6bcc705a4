# __str__ and __repr__
class A:
    def __repr__(self):
        return "A()"
class B:
    def __str__(self):
        return "B!"
    def __repr__(self):
        return "B()"
print(A(), [A()], str(A()))
print(B(), [B()], repr(B()), f"{B()}")
