# try/except/else
for x in [1, 0]:
    try:
        r = 10 / x
    except ZeroDivisionError:
        print("div by zero")
    else:
        print("ok", r)
