# exceptions inside a loop with continue
for x in [1, 0, 2, 0, 4]:
    try:
        print(8 // x)
    except ZeroDivisionError:
        print("skip")
        continue
    print("after", x)
