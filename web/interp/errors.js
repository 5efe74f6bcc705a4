// Compile-time errors of the front end.
//
// PySyntaxError is what CPython raises while compiling (SyntaxError or its
// subclass IndentationError); formatSyntaxError prints it the way
// CPython 3.12's traceback module does for a compile error of a file.
// UnsupportedError is ours: valid Python outside pyheap's subset.

export class PySyntaxError extends Error {
  /**
   * @param {string} msg      CPython's message ("invalid syntax", ...)
   * @param {object} loc      { lineno, col, endLineno, endCol } — 1-based lines,
   *                          0-based columns (in characters); endCol exclusive
   * @param {string} [type]   'SyntaxError' | 'IndentationError'
   */
  constructor(msg, loc, type = 'SyntaxError') {
    super(msg);
    this.name = type;
    this.pyType = type;
    this.msg = msg;
    this.lineno = loc.lineno;
    this.col = loc.col ?? null;
    this.endLineno = loc.endLineno ?? loc.lineno;
    this.endCol = loc.endCol ?? (loc.col == null ? null : loc.col + 1);
    this.noCaret = !!loc.noCaret;
  }
}

export class UnsupportedError extends PySyntaxError {
  constructor(what, lineno, col = 0) {
    super(`pyheap: ${what} (line ${lineno})`, { lineno, col });
    this.name = 'UnsupportedError';
    this.pyType = 'UnsupportedError';
  }
}

/** Location object from a node carrying lineno/col_offset/end_* fields. */
export function nodeLoc(n) {
  return { lineno: n.lineno, col: n.col_offset, endLineno: n.end_lineno, endCol: n.end_col_offset };
}

/**
 * The text CPython 3.12 prints for a SyntaxError raised while compiling
 * `filename` (traceback's SyntaxError formatting: the File line, the source
 * line stripped of leading whitespace, carets under the error range, then
 * `Type: msg`).
 */
export function formatSyntaxError(err, source, filename = '<file>') {
  if (err instanceof UnsupportedError) return err.message + '\n';
  const lines = source.split('\n');
  let out = `  File "${filename}", line ${err.lineno}\n`;
  const line = lines[err.lineno - 1];
  if (line !== undefined) {
    const stripped = line.replace(/^[ \t\f]+/, '');
    const indent = line.length - stripped.length;
    const text = stripped.replace(/\s+$/, '');
    out += `    ${text}\n`;
    if (err.col != null && !err.noCaret) {
      const start = Math.max(0, err.col - indent);
      let end = err.endLineno === err.lineno ? err.endCol - indent : text.length;
      if (end <= start) end = start + 1;
      out += '    ' + ' '.repeat(start) + '^'.repeat(end - start) + '\n';
    }
  }
  return out + `${err.pyType}: ${err.msg}\n`;
}
