// debugmallocstats.test.js — pyheap's sys._debugmallocstats() report has the
// layout of real CPython 3.12's, line by line.
//
// The reference is tests/fixtures/debugmallocstats-3.12.txt, recorded from
// CPython 3.12 by tests/record/record_mallocstats.sh (never edited by hand).
// Only its *layout* is used: sections, labels, column widths, justification,
// thousands separators. The templates below are derived from the file; the
// numbers in it (which vary by run and program) are never compared. The
// numbers in pyheap's report are checked for internal consistency (totals,
// identities of cpython-memory-model.md §1.12) and against heap.stats().

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { VARIANTS, heapFor, blocksPerPool, allocMany, ARENA_SIZE, POOL_SIZE } from './helpers.js';

const FIXTURE = readFileSync(new URL('../fixtures/debugmallocstats-3.12.txt', import.meta.url), 'utf8');

const NUMBER = /^\d{1,3}(,\d{3})*$/;            // 1,234,567 as printone() writes it
const num = (s) => Number(s.trim().replaceAll(',', ''));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Split a report into sections (runs of non-blank lines). */
function sections(text) {
  assert.ok(text.endsWith('\n'), 'report ends with a newline');
  return text.slice(0, -1).split(/\n\n/).map((s) => s.split('\n'));
}

/**
 * A template for one line of the fixture:
 *   { kind: 'exact', text }
 *   { kind: 'row', widths }                       class table row: right-justified number fields
 *   { kind: 'value', eq, length, label, align }   "label = value" line (printone)
 */
function template(line, inClassTable) {
  if (inClassTable && /^[ \d]+$/.test(line)) {
    const widths = line.match(/ *\d+/g).map((f) => f.length);
    return { kind: 'row', widths, length: line.length };
  }
  const eq = line.lastIndexOf('=');
  if (eq > 0 && NUMBER.test(line.slice(eq + 1).trim())) {
    const labelPart = line.slice(0, eq);
    const label = labelPart.trim();
    const align = labelPart.startsWith(' ') ? 'right' : 'left';
    // a leading count in the label varies ("2 arenas * …", "13 free …"); the rest is literal
    const labelRe = new RegExp('^' + escape(label).replace(/^\d+/, '\\d+') + '$');
    return { kind: 'value', eq, length: line.length, label, labelRe, align };
  }
  return { kind: 'exact', text: line };
}

/** Assert that `line` has the layout of template t (derived from the fixture). */
function matchLine(line, t, where) {
  if (t.kind === 'exact') {
    assert.equal(line, t.text, where);
    return;
  }
  assert.equal(line.length, t.length, `${where}: line width ${line.length}, CPython's is ${t.length}: ${JSON.stringify(line)}`);
  if (t.kind === 'row') {
    let at = 0;
    for (const w of t.widths) {
      const field = line.slice(at, at + w);
      assert.match(field, /^ *\d+$/, `${where}: field ${JSON.stringify(field)} is a number right-justified in ${w}`);
      at += w;
    }
    return;
  }
  assert.equal(line.lastIndexOf('='), t.eq, `${where}: '=' in column ${t.eq}: ${JSON.stringify(line)}`);
  const labelPart = line.slice(0, t.eq);
  const label = labelPart.trim();
  assert.match(label, t.labelRe, `${where}: label`);
  if (t.align === 'left') {
    assert.equal(labelPart, label.padEnd(t.eq), `${where}: label left-justified, padded to column ${t.eq}`);
  } else {
    assert.equal(labelPart, label.padStart(t.eq - 1) + ' ', `${where}: label right-justified in ${t.eq - 1}`);
  }
  const value = line.slice(t.eq + 1);
  assert.match(value, /^ +\S/, `${where}: value right-justified`);
  assert.match(value.trim(), NUMBER, `${where}: value with thousands separators: ${JSON.stringify(value)}`);
}

/** Compare a whole report's layout with the fixture's. */
function assertSameLayout(report, fixture, { minRows = 1 } = {}) {
  const want = sections(fixture);
  const got = sections(report);
  const key = (s) => s[0].replace(/\d[\d,]*/g, 'N').replace(/\s+/g, ' ').trim();
  assert.deepEqual(got.map(key), want.map(key), 'same sections in the same order');
  want.forEach((ws, si) => {
    const gs = got[si];
    const isClassTable = si === 1;
    if (isClassTable) {
      // header and rule, then one row per class in use (how many differs)
      matchLine(gs[0], template(ws[0], false), 'class table header');
      matchLine(gs[1], template(ws[1], false), 'class table rule');
      const rowTemplates = ws.slice(2).map((l) => template(l, true));
      assert.ok(rowTemplates.every((t) => t.kind === 'row' && t.widths.join() === rowTemplates[0].widths.join()),
        'the fixture\'s class rows all share one layout');
      assert.ok(gs.length >= 2 + minRows, `at least ${minRows} class row(s)`);
      gs.slice(2).forEach((l, i) => matchLine(l, rowTemplates[0], `class row ${i}`));
      return;
    }
    assert.equal(gs.length, ws.length, `section ${si} (${ws[0]}) has ${ws.length} lines`);
    ws.forEach((wl, li) => matchLine(gs[li], template(wl, false), `section ${si} line ${li}`));
  });
}

/** Parse "label = value" lines of a report into [label, value] pairs. */
function values(lines) {
  return lines.map((l) => {
    const eq = l.lastIndexOf('=');
    return [l.slice(0, eq).trim(), num(l.slice(eq + 1))];
  });
}

/** The fixed allocation program pyheap runs before printing its report. */
function program(heap) {
  const keep = allocMany(heap, 16, 2000);
  const floats = allocMany(heap, 24, 1500);
  const strs = [];
  for (let i = 0; i < 800; i++) strs.push(heap.malloc(49 + (i % 400)));
  strs.forEach((p, i) => { if (i % 2 === 0) heap.free(p); });
  floats.forEach((p, i) => { if (i % 3 === 0) heap.free(p); });
  heap.malloc(100_000);
  heap.mem.malloc(3000);
  return keep;
}

describe('the recorded CPython report (sanity of the fixture)', () => {
  const s = sections(FIXTURE);
  test('has the sections of cpython-memory-model.md §1.12', () => {
    assert.equal(s.length, 7);
    assert.equal(s[0][0], 'Small block threshold = 512, in 32 size classes.');
    assert.equal(s[1][0], 'class   size   num pools   blocks in use  avail blocks');
    assert.equal(s[4][0], 'arena map counts');
    assert.match(s[6][0], /free PyDictObjects \* 48 bytes each/);
  });

  test('its widths are those of the C format strings', () => {
    // "%5u %6u %11zu %15zu %13zu"
    assert.deepEqual(template(s[1][2], true).widths, [5, 1 + 6, 1 + 11, 1 + 15, 1 + 13]);
    // printone: label padded to 35, '=', 21-character value
    const t = template(s[2][0], false);
    assert.equal(t.eq, 35);
    assert.equal(t.length, 35 + 1 + 21);
    // _PyDebugAllocatorStats: "%48s " then printone
    const f = template(s[6][0], false);
    assert.equal(f.eq, 49);
    assert.equal(f.align, 'right');
    assert.equal(f.length, 49 + 1 + 21);
  });
});

describe('the layout check itself', () => {
  test('accepts the fixture, and rejects each kind of layout slip', () => {
    assertSameLayout(FIXTURE, FIXTURE);
    const lines = FIXTURE.split('\n');
    const mutate = (i, f) => lines.map((l, j) => (j === i ? f(l) : l)).join('\n');
    const at = (re) => lines.findIndex((l) => re.test(l));
    const slips = {
      'no thousands separator': mutate(at(/^# bytes in allocated blocks/), (l) => l.replace(/(\d),(\d)/, ' $1$2')),
      'class column shifted': mutate(at(/^ {4}0 /), (l) => l.replace('    0     16 ', '    0    16  ')),
      'label padded to 34': mutate(at(/^# arenas reclaimed/), (l) => l.replace('  =', ' = ')),
      'free-list message left-justified': mutate(at(/PyFloatObjects/), (l) => l.trimStart().padEnd(l.length)),
      'line too long': mutate(at(/^Total/), (l) => ' ' + l),
      'a free-list line missing': lines.filter((l) => !/20-sized/.test(l)).join('\n'),
      'sections swapped': (() => {
        const ss = sections(FIXTURE);
        [ss[4], ss[5]] = [ss[5], ss[4]];
        return ss.map((x) => x.join('\n')).join('\n\n') + '\n';
      })(),
      'label changed': mutate(at(/^# arenas highwater mark/), (l) => l.replace('highwater mark', 'high-water mark')),
    };
    for (const [name, bad] of Object.entries(slips)) {
      assert.notEqual(bad, FIXTURE, `mutation "${name}" changed something`);
      assert.throws(() => assertSameLayout(bad, FIXTURE), assert.AssertionError, name);
    }
  });
});

for (const variant of VARIANTS) {
  describe(`debugmallocstats (${variant.name} build)`, () => {
    test('a fresh heap\'s report has CPython 3.12\'s layout, line by line', async () => {
      const heap = await heapFor(variant);
      const report = heap.debugmallocstats();
      assertSameLayout(report, FIXTURE, { minRows: 0 });
      assert.match(report, /\n0 arenas \* 1048576 bytes\/arena +=  +0\n/);
      heap.dispose();
    });

    test('after a fixed program, the report has CPython\'s layout and consistent numbers', async () => {
      const heap = await heapFor(variant, { debugChecks: false });
      program(heap);
      assert.equal(heap.check(), true);
      const report = heap.debugmallocstats();
      assertSameLayout(report, FIXTURE);

      const [, table, arenas, bytes, mapCounts, mapBytes, freelists] = sections(report);
      const st = heap.stats();

      // class rows: exactly the classes with pools, ascending, as stats() says
      const rows = table.slice(2).map((l) => l.trim().split(/ +/).map(Number));
      const used = st.classes.filter((c) => c.numPools > 0);
      assert.deepEqual(rows.map((r) => r[0]), used.map((c) => c.index));
      for (const [idx, size, pools, inUse, avail] of rows) {
        assert.equal(size, (idx + 1) * 16);
        assert.equal(inUse + avail, pools * blocksPerPool(idx), `class ${idx}: in use + avail = pools x blocks/pool`);
        const c = st.classes[idx];
        assert.deepEqual([pools, inUse, avail], [c.numPools, c.blocksInUse, c.availBlocks]);
      }
      assert.ok(rows.length >= 20, 'the program touched many classes');

      // arena counts
      const a = Object.fromEntries(values(arenas));
      const total = a['# arenas allocated total'];
      const current = a['# arenas allocated current'];
      assert.equal(a['# arenas reclaimed'], total - current);
      assert.equal(current, st.narenasCurrentlyAllocated);
      assert.equal(total, st.ntimesArenaAllocated);
      assert.equal(a['# arenas highwater mark'], st.narenasHighwater);
      assert.match(arenas[4], new RegExp(`^${current} arenas \\* ${ARENA_SIZE} bytes/arena `));
      assert.equal(values(arenas)[4][1], current * ARENA_SIZE);
      assert.ok(current >= 1);

      // the six byte lines sum to Total = arenas x 1 MiB
      const b = values(bytes);
      assert.equal(b[6][0], 'Total');
      assert.equal(b.slice(0, 6).reduce((t, [, v]) => t + v, 0), b[6][1], 'Total is the sum of the six lines');
      assert.equal(b[6][1], current * ARENA_SIZE);
      assert.match(bytes[2], new RegExp(`^${st.unusedPools} unused pools \\* ${POOL_SIZE} bytes `));
      assert.equal(b[0][1], st.bytesInAllocatedBlocks);
      assert.equal(b[1][1], st.bytesInAvailableBlocks);
      assert.equal(b[3][1], st.bytesLostToPoolHeaders);
      assert.equal(b[4][1], st.bytesLostToQuantization);
      assert.equal(b[5][1], st.bytesLostToArenaAlignment);

      // arena map
      const mc = Object.fromEntries(values(mapCounts.slice(1)));
      const mb = values(mapBytes);
      assert.equal(mb[3][0], 'Total');
      assert.equal(mb[0][1] + mb[1][1] + mb[2][1], mb[3][1]);
      assert.equal(mb[1][1], mc['# arena map mid nodes'] * 262144);
      assert.equal(mb[2][1], mc['# arena map bot nodes'] * 131072);

      // free lists: count x size each = value
      for (const l of freelists) {
        const m = l.match(/^ *(\d+) free .* \* (\d+) bytes each =/);
        assert.ok(m, l);
        assert.equal(values([l])[0][1], Number(m[1]) * Number(m[2]), l);
      }
      heap.dispose();
    });

    test('the report is deterministic: same program, same text (and thousands separators over 999)', async () => {
      const h1 = await heapFor(variant, { debugChecks: false });
      const h2 = await heapFor(variant, { debugChecks: false });
      program(h1);
      program(h2);
      const r1 = h1.debugmallocstats();
      // addresses differ between the heaps, the report must not
      assert.equal(h2.debugmallocstats(), r1);
      assert.match(r1, /=\s+\d{1,3},\d{3},\d{3}\n/, 'a million-range value is printed with two separators');
      h1.dispose();
      h2.dispose();
    });
  });
}

test('release and debug builds print the same report for the same program', async () => {
  const reports = [];
  for (const variant of VARIANTS) {
    const heap = await heapFor(variant, { debugChecks: false });
    program(heap);
    reports.push(heap.debugmallocstats());
    heap.dispose();
  }
  assert.equal(reports[1], reports[0]);
});
