# the first matching handler wins
def classify(v):
    try:
        return 1 // v
    except ZeroDivisionError:
        return "zero"
    except TypeError:
        return "type"
    except Exception:
        return "other"
print(classify(1), classify(0), classify("x"), classify(None))
