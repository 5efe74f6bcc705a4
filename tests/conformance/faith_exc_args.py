class AppError(Exception):
    pass
class DetailedError(AppError):
    def __init__(self, code, msg):
        super().__init__(code, msg)
        self.code = code
    def __str__(self):
        return f"[{self.code}] {self.args[1]}"
for exc in [AppError(), AppError("one"), AppError("a", 2), DetailedError(404, "missing"), KeyError(), KeyError("k", "j")]:
    print(type(exc).__name__, exc.args, repr(str(exc)), repr(exc))
try:
    raise DetailedError(500, "server")
except AppError as e:
    e.add_note("retry later")
    print(e.__notes__, e.code, isinstance(e, Exception))
def convert(v):
    try:
        return int(v)
    except ValueError as e:
        raise TypeError(f"cannot convert {v!r}") from e
try:
    convert("x")
except TypeError as e:
    print(e, type(e.__cause__).__name__, e.__suppress_context__)
err = ValueError("final")
err.add_note("note 1")
err.add_note("note 2")
raise err
