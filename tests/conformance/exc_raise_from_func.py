# exceptions propagate through several frames to a handler
def level3():
    raise KeyError("deep")
def level2():
    level3()
def level1():
    try:
        level2()
    except KeyError as e:
        return "handled " + str(e)
print(level1())
