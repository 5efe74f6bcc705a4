// Syntax errors as python3.12 prints them for a compile of the file
// (tests/record/interp_syntax_errors.py -> tests/fixtures/interp_syntax_errors.json),
// and the clear errors for constructs outside pyheap's subset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile } from '../../web/interp/compile.js';
import { formatSyntaxError, PySyntaxError, UnsupportedError } from '../../web/interp/errors.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/interp_syntax_errors.json', import.meta.url)));

// Recorded programs whose message or caret we do not reproduce (listed in
// web/interp/AST.md); they must still fail with a SyntaxError.
const KNOWN_DIFFERENT = new Set([
  'def f():\n    yield = 1\n',   // "assignment to yield expression not possible"
  "x = 'a' b'b'\n",               // right message, CPython's caret sits after the literal
  'x.1 = 2\n',                     // CPython's caret covers the '.1' number token
]);

function errorText(src) {
  try {
    compile(src);
  } catch (e) {
    if (e instanceof PySyntaxError) return formatSyntaxError(e, src, 'prog.py');
    throw e;
  }
  return '';
}

for (const [i, c] of fixture.entries()) {
  test(`syntax error #${i}: ${JSON.stringify(c.src.split('\n')[0]).slice(0, 40)}`, () => {
    // a few programs of the list compile fine under 3.12: they must here too
    const got = errorText(c.src);
    if (KNOWN_DIFFERENT.has(c.src)) {
      assert.match(got, /SyntaxError: /);
      assert.notEqual(got, c.error, 'now matches: remove it from KNOWN_DIFFERENT');
    } else {
      assert.equal(got, c.error);
    }
  });
}

const UNSUPPORTED = [
  ['match x:\n    case 1: pass\n', "pyheap: 'match' statements are not supported (line 1)"],
  ['x = 1\nasync def f(): pass\n', "pyheap: 'async def' functions are not supported (line 2)"],
  ['if (y := 3): pass\n', 'pyheap: assignment expressions (:=) are not supported (line 1)'],
  ['x: int = 1\n', 'pyheap: annotated assignments (x: T = ...) are not supported (line 1)'],
  ['def f(a: int): pass\n', 'pyheap: annotations are not supported (line 1)'],
  ['def f() -> int: pass\n', 'pyheap: annotations are not supported (line 1)'],
  ['x = 1j\n', 'pyheap: complex (imaginary) literals are not supported (line 1)'],
  ["s = '\\N{BULLET}'\n", 'pyheap: \\N{...} escapes are not supported (line 1)'],
  ['try:\n    pass\nexcept* E:\n    pass\n', "pyheap: 'except*' clauses are not supported (line 3)"],
  ['x = 1\nwith a as s.cm:\n    pass\n', "pyheap: 'with ... as' targets other than a name (as x.y, as x[i], as (a, b)) are not supported (line 2)"],
  ['with a as d[1]:\n    pass\n', "pyheap: 'with ... as' targets other than a name (as x.y, as x[i], as (a, b)) are not supported (line 1)"],
  ['with a as (b, c):\n    pass\n', "pyheap: 'with ... as' targets other than a name (as x.y, as x[i], as (a, b)) are not supported (line 1)"],
  ['with (a as b, c as d):\n    pass\n', "pyheap: parenthesized 'with' items are not supported (line 1)"],
];
for (const [src, msg] of UNSUPPORTED) {
  test(`unsupported: ${msg}`, () => {
    assert.throws(() => compile(src), (e) => e instanceof UnsupportedError && e.message === msg);
    assert.equal(formatSyntaxError(new UnsupportedError('x are not supported', 1), src), 'pyheap: x are not supported (line 1)\n');
  });
}
