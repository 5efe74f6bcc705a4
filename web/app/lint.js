// lint.js — editor extensions for the playground's panels (CodeMirror 6):
//
// - syntaxCheck(): the live syntax check. While the user types (debounced),
//   the program goes through the interpreter's own front end — compile()
//   (web/interp/compile.js: parse, optimize, symtable, code objects) and
//   generate() (codegen.js) for every code object, the steps `pyheap run`
//   takes before running — and the first error is underlined where CPython
//   puts it (line and column range of the SyntaxError), with CPython's
//   message ("SyntaxError: '(' was never closed"). Valid Python that pyheap
//   does not run (UnsupportedError, the codegen's "pyheap: ..." errors) is
//   a warning with its own mark (pg-lint-unsupported), never a SyntaxError.
// - pickedLine / showPicked(view, line): the line a panel points at (a
//   tracemalloc line clicked in the top-lines panel, web/viz/toplines.js);
//   decorationField(), the kind of field it is (also the step marks').

import { StateField, StateEffect, Prec } from '@codemirror/state';
import { EditorView, Decoration } from '@codemirror/view';
import { linter, lintGutter } from '@codemirror/lint';
import { compile } from '../interp/compile.js';
import { generate } from '../interp/codegen.js';
import { PySyntaxError, UnsupportedError } from '../interp/errors.js';

const DELAY_MS = 350;

/**
 * The first compile error of `source` as { kind: 'syntax' | 'unsupported',
 * message, lineno, col, endLineno, endCol } (1-based lines, 0-based columns,
 * col null when CPython gives none), or null when it compiles.
 */
export function checkSource(source) {
  try {
    const { code } = compile(source);
    const all = (c) => { generate(c); for (const k of c.consts) if (k.t === 'code') all(k.v); };
    all(code);
    return null;
  } catch (e) {
    if (e instanceof UnsupportedError) {
      // its column is a placeholder (0): the mark covers the statement's line
      return { kind: 'unsupported', message: e.message, lineno: e.lineno, col: null, endLineno: null, endCol: null };
    }
    if (e instanceof PySyntaxError) {
      return { kind: 'syntax', message: `${e.pyType}: ${e.msg}`, lineno: e.lineno, col: e.col, endLineno: e.endLineno, endCol: e.endCol };
    }
    if (e?.name === 'UnsupportedError') {   // the codegen's CodegenError: "pyheap: what (line N)"
      const m = /\(line (\d+)\)$/.exec(e.message);
      return { kind: 'unsupported', message: e.message, lineno: m ? Number(m[1]) : 1, col: null, endLineno: null, endCol: null };
    }
    throw e;
  }
}

/** A compile error's document range: its columns when it has them, else its line's text. */
function rangeOf(doc, err) {
  const clampLine = (n) => Math.max(1, Math.min(doc.lines, n || 1));
  const line = doc.line(clampLine(err.lineno));
  if (err.col === null || err.col === undefined) {
    const start = line.from + (line.text.length - line.text.trimStart().length);
    return { from: start, to: Math.max(line.to, start) };
  }
  const from = Math.min(line.from + err.col, line.to);
  const endLine = doc.line(clampLine(err.endLineno ?? err.lineno));
  let to = err.endCol === null || err.endCol === undefined ? from + 1 : Math.min(endLine.from + err.endCol, endLine.to);
  if (to <= from) to = Math.min(from + 1, doc.length);
  return { from, to };
}

/** The live syntax check (and the lint gutter). `onResult(err | null)` sees every check. */
export function syntaxCheck({ onResult = null } = {}) {
  // highest precedence: the underline nests inside the playground's own marks (the
  // error line after a run stays one element instead of being split around it)
  return Prec.highest([
    linter((view) => {
      const err = checkSource(view.state.doc.toString());
      onResult?.(err);
      if (!err) return [];
      const { from, to } = rangeOf(view.state.doc, err);
      const unsupported = err.kind === 'unsupported';
      return [{
        from, to,
        severity: unsupported ? 'warning' : 'error',
        source: unsupported ? 'not supported by pyheap' : 'CPython 3.12',
        message: err.message,
        markClass: unsupported ? 'pg-lint-unsupported' : 'pg-lint-syntax',
      }];
    }, { delay: DELAY_MS }),
    lintGutter(),
  ]);
}

// ---- the picked line ----------------------------------------------------------------------

/**
 * A field of editor decorations replaced as a whole by its effect
 * (`view.dispatch({ effects: set.of(decorations) })`), mapped through edits
 * meanwhile: { field, set }. The playground's step marks use one too.
 */
export function decorationField() {
  const set = StateEffect.define();
  const field = StateField.define({
    create: () => Decoration.none,
    update(deco, tr) {
      deco = deco.map(tr.changes);
      for (const e of tr.effects) if (e.is(set)) deco = e.value;
      return deco;
    },
    provide: (f) => EditorView.decorations.from(f),
  });
  return { field, set };
}

const { field: pickedLine, set: setPicked } = decorationField();
export { pickedLine };

/** Marks line `line` (1-based) as the one a panel points at and scrolls to it; null clears. */
export function showPicked(view, line) {
  const doc = view.state.doc;
  if (!Number.isInteger(line) || line < 1 || line > doc.lines) {
    view.dispatch({ effects: setPicked.of(Decoration.none) });
    return;
  }
  const at = doc.line(line).from;
  view.dispatch({
    effects: [setPicked.of(Decoration.set([Decoration.line({ class: 'pg-picked' }).range(at)])),
      EditorView.scrollIntoView(at, { y: 'nearest' })],
  });
}
