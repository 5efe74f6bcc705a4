# matching a tuple of exception types
for v in ["a", 0, None]:
    try:
        if v is None:
            raise KeyError(v)
        print(10 / v)
    except (TypeError, ZeroDivisionError) as e:
        print(type(e).__name__)
    except KeyError:
        print("key")
