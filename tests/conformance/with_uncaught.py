# an exception leaving a with block (__exit__ returns False): the traceback and exit status
class CM:
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        print("exit", t.__name__ if t else None)
        return False
def work():
    with CM():
        x = 1
        raise ValueError("inside")
work()
