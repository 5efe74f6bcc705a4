# finally runs on return, break and exceptions
def f():
    try:
        return "ret"
    finally:
        print("finally in f")

print(f())
for i in range(3):
    try:
        if i == 1:
            break
        print("body", i)
    finally:
        print("finally", i)

def g():
    try:
        raise ValueError("x")
    finally:
        print("cleanup g")

try:
    g()
except ValueError as e:
    print("caught", e)
