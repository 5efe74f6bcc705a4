// examples.js — the playground's Examples menu: every code example of the
// four seed articles on Python memory management (shared/seeds/*.txt), as the
// article prints it, plus a few of our own about pymalloc's arenas.
//
// `id` names the fixture tests/fixtures/examples/<id>.stdout that
// tests/record/record_examples.sh records from python3.12; `subset: false`
// marks examples that use what the interpreter does not run (they still load:
// the console shows its "not supported" error, or python3.12's own error for
// a module it does not have either). Article 3's text lost its code blocks;
// its examples here are written from what the article says each one shows.

export const EXAMPLES = [
  // ---- article 1: "Memory management in Python" (blendedfeelings)
  {
    id: 'myclass_del', group: 'Article 1', title: 'Create an object, delete the reference',
    code: `class MyClass:
    def __init__(self, value):
        self.value = value

# Create an object
my_obj = MyClass(10)

# Delete the reference to the object
del my_obj
`,
  },
  // ---- article 2: "Python memory management" (examples 1-3)
  {
    id: 'refcount_getrefcount', group: 'Article 2', title: 'Reference counting with sys.getrefcount',
    code: `import sys

a = [1, 2, 3]
b = a  # Another reference to the same object
c = a  # Another reference again

print(sys.getrefcount(a))  # Shows number of references
`,
  },
  {
    id: 'del_object_destroyed', group: 'Article 2', title: '__del__: "Object destroyed"',
    code: `import gc

class Demo:
    def __del__(self):
        print("Object destroyed")

obj = Demo()
del obj  # Explicitly deleting the object

gc.collect()  # Forces garbage collection
`,
  },
  {
    id: 'circular_references', group: 'Article 2', title: 'Two objects in a cycle, then gc.collect()',
    code: `import gc

class A:
    def __init__(self):
        self.ref = None

a1 = A()
a2 = A()
a1.ref = a2
a2.ref = a1

del a1
del a2

gc.collect()  # Garbage collector handles circular reference
`,
  },
  // ---- article 3: "Memory management in Python" (its code blocks are not in the text; written from its descriptions)
  {
    id: 'alloc_id', group: 'Article 3 (rewritten)', title: 'Object allocation and id()',
    code: `x = [1, 2, 3]
y = "hello"
print(type(id(x)))
print(id(x) == id(x))
`,
  },
  {
    id: 'class_instance', group: 'Article 3 (rewritten)', title: 'A custom class instance and its attribute',
    code: `class MyClass:
    def __init__(self, value):
        self.value = value

obj = MyClass(42)
print(obj.value)
`,
  },
  {
    id: 'getsizeof_list', group: 'Article 3 (rewritten)', title: 'sys.getsizeof of a list of integers',
    code: `import sys

numbers = [1, 2, 3, 4, 5]
print(sys.getsizeof(numbers))
`,
  },
  {
    id: 'fragmentation_del', group: 'Article 3 (rewritten)', title: 'Deleting a leaves a gap (fragmentation)',
    code: `a = [0] * 1000
b = [1] * 1000
del a
c = [2] * 10
`,
  },
  {
    id: 'weakref_cycle', group: 'Article 3 (rewritten)', title: 'A weak reference lets the object go',
    code: `import weakref

class Node:
    pass

node = Node()
ref = weakref.ref(node)
print(ref() is node)
del node
print(ref())
`,
  },
  {
    id: 'memory_profiler_article3', group: 'Article 3 (rewritten)', title: 'memory_profiler line by line', subset: 'report',
    code: `from memory_profiler import profile

@profile
def build():
    data = [i for i in range(10000)]
    return data

build()
`,
  },
  {
    id: 'objgraph_leaks', group: 'Article 3 (rewritten)', title: 'objgraph to find leaks', subset: 'report',
    code: `import objgraph

cache = []
cache.append([1, 2, 3])
objgraph.show_most_common_types()
`,
  },
  // ---- article 4: "Memory Management in Python" (a notebook; its cells run in order)
  {
    id: 'notebook_refcount', group: 'Article 4', title: 'getrefcount after b = a and del b',
    code: `import sys

a = []

# 2 (one reference from 'a' and one from getrefcount)
print(sys.getrefcount(a))  # Reference count of 'a'

b = a
print(sys.getrefcount(a))  # Reference count of 'a' after assignment

del b
print(sys.getrefcount(a))  # Reference count of 'a' after deleting 'b'
`,
  },
  {
    // subset: the interpreter has no gc.get_stats() yet (AttributeError); CPython's figures also count its startup
    id: 'notebook_gc', group: 'Article 4', title: 'gc.enable(), gc.collect(), get_stats(), gc.garbage', subset: false,
    code: `import gc

# enable garbage collection
gc.enable()

# disable garbage collection
# gc.disable()

gc.collect()

# get garbage collector stats
print(gc.get_stats())

# get unreachable objects
unreachable_objects = gc.garbage
print("Unreachable objects:", unreachable_objects)
`,
  },
  {
    id: 'generators_vs_lists', group: 'Article 4', title: 'Generators vs lists (a million items)',
    code: `import gc

# Saves memory
def gen():
    for i in range(1000000):
        yield i

large_object = list(gen())  # This will consume a lot of memory

del large_object
gc.collect()
`,
  },
  {
    id: 'getsizeof_obj', group: 'Article 4', title: 'sys.getsizeof(obj) as the article prints it',
    code: `import sys
sys.getsizeof(obj)  # get size of an object
`,
  },
  {
    id: 'tracemalloc_traced', group: 'Article 4', title: 'tracemalloc.get_traced_memory()',
    code: `import tracemalloc
tracemalloc.start()
# ... your code ...
print(tracemalloc.get_traced_memory())
tracemalloc.stop()
`,
  },
  {
    id: 'tracemalloc_top', group: 'Article 4', title: 'tracemalloc: the lines that allocate the most',
    code: `import tracemalloc


def build(n):
    words = [str(i) * 10 for i in range(n)]
    table = {i: [i] * 3 for i in range(n // 4)}
    return words, table


def main():
    tracemalloc.start()
    data = build(1000)
    snapshot = tracemalloc.take_snapshot()
    for stat in snapshot.statistics('lineno')[:4]:
        print(str(stat).split('/')[-1])  # the file name without its directory
    tracemalloc.stop()


# fill the free lists (lists, dicts, tuples) first, as a program that has run a while
# has them: the figures then do not depend on what start-up left there
warm = [[] for _ in range(100)], [{} for _ in range(100)], [(i, i) for i in range(100)]
del warm
main()
`,
  },
  {
    id: 'memory_profiler_profile', group: 'Article 4', title: 'memory_profiler: @profile', subset: 'report',
    code: `from memory_profiler import profile

@profile
def my_func():
    # your code here
    pass
`,
  },
  // ---- ours: pymalloc's arenas and pools
  {
    id: 'arenas_fragmentation', group: 'pymalloc', title: '100,000 small objects, free every other one',
    code: `import gc

objs = [[] for i in range(100000)]
print(len(objs))

# free every other list: half the blocks of each pool go back on its free list,
# but no pool becomes empty, so no arena can be returned
for i in range(0, len(objs), 2):
    objs[i] = None

print(gc.collect())
`,
  },
  {
    id: 'arenas_returned', group: 'pymalloc', title: 'Arenas come back when every block is free',
    code: `data = [str(i) * 3 for i in range(30000)]
print(len(data))

# dropping the list frees every block: empty pools, then whole arenas, go back
del data
print("done")
`,
  },
  {
    id: 'cycle_with_finalizers', group: 'pymalloc', title: 'Cycle with __del__: what gc.collect() does, phase by phase',
    code: `import gc

class Node:
    def __init__(self, name):
        self.name = name
        self.other = None
    def __del__(self):
        print("finalizing", self.name)

a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a, b

print("collected:", gc.collect())
`,
  },
];

/** The example with this id, or undefined. */
export const exampleById = (id) => EXAMPLES.find((e) => e.id === id);
