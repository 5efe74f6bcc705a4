# An uncaught exception raised while handling another prints both, chained.
def parse(s):
    try:
        return int(s)
    except ValueError:
        raise RuntimeError('bad input: ' + s)


def load():
    try:
        return {}['missing']
    except KeyError as e:
        raise LookupError('no config') from e


try:
    load()
except LookupError as e:
    print(type(e.__cause__).__name__, e.__cause__ is e.__context__)
parse('12x')
