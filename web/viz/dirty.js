// dirty.js — which parts of the graph's canvas changed since the last frame.
//
// The canvas is cut into square cells (device pixels). A frame marks the
// cells under whatever changed (a node that moved, entered, left or changed
// colour, a link that appeared, a fading disc); the view then clears those
// cells, clips to them and redraws only the items that touch a marked cell,
// in the usual order. A step that adds one object repaints a few cells
// instead of the whole graph (on a software rasteriser the whole graph costs
// 15-40 ms a frame at 1,000 objects; see tests/bench/README.md, fps).
//
// Segments are covered by sampling: points every `SAMPLE` px along the
// segment, each with a box of half-size `pad` around it. Marking and testing
// use the same sampling, so an item painting within pad - SAMPLE / 2 px of its
// segment is always found where it paints.

export const CELL = 32;
const SAMPLE = 8;

export class DirtyGrid {
  /** @param {number} width  @param {number} height  the canvas in device pixels */
  constructor(width, height, cell = CELL) {
    this.cell = cell;
    this.resize(width, height);
  }

  resize(width, height) {
    this.width = width;
    this.height = height;
    this.cols = Math.max(1, Math.ceil(width / this.cell));
    this.rows = Math.max(1, Math.ceil(height / this.cell));
    this.cells = new Uint8Array(this.cols * this.rows);
    this.clear();
  }

  /** Ready for a frame of a canvas this size: resized (and cleared) when the size changed, else cleared. */
  reset(width, height) {
    if (width !== this.width || height !== this.height) this.resize(width, height);
    else this.clear();
    return this;
  }

  clear() {
    this.cells.fill(0);
    this.count = 0;
    // bounding box of the marked cells (cell units, inclusive)
    this.c0 = Infinity; this.r0 = Infinity; this.c1 = -Infinity; this.r1 = -Infinity;
  }

  /** Every cell marked (a full redraw). */
  all() {
    this.cells.fill(1);
    this.count = this.cells.length;
    this.c0 = 0; this.r0 = 0; this.c1 = this.cols - 1; this.r1 = this.rows - 1;
  }

  /** Share of the canvas marked (0..1). */
  get fraction() { return this.count / this.cells.length; }

  /** Mark the cells a box touches (device px; NaN boxes are ignored). */
  markRect(x0, y0, x1, y1) {
    if (!(x1 >= 0 && y1 >= 0 && x0 < this.width && y0 < this.height)) return;   // also false for NaN
    const s = this.cell;
    const ca = Math.max(0, Math.floor(x0 / s)), cb = Math.min(this.cols - 1, Math.floor(x1 / s));
    const ra = Math.max(0, Math.floor(y0 / s)), rb = Math.min(this.rows - 1, Math.floor(y1 / s));
    for (let r = ra; r <= rb; r++) {
      const row = r * this.cols;
      for (let c = ca; c <= cb; c++) if (!this.cells[row + c]) { this.cells[row + c] = 1; this.count++; }
    }
    if (ca < this.c0) this.c0 = ca;
    if (cb > this.c1) this.c1 = cb;
    if (ra < this.r0) this.r0 = ra;
    if (rb > this.r1) this.r1 = rb;
  }

  /** Whether a box touches a marked cell. */
  hitsRect(x0, y0, x1, y1) {
    if (!this.count || !(x1 >= 0 && y1 >= 0 && x0 < this.width && y0 < this.height)) return false;
    const s = this.cell;
    const ca = Math.max(this.c0, Math.floor(x0 / s)), cb = Math.min(this.c1, Math.floor(x1 / s));
    const ra = Math.max(this.r0, Math.floor(y0 / s)), rb = Math.min(this.r1, Math.floor(y1 / s));
    for (let r = ra; r <= rb; r++) {
      const row = r * this.cols;
      for (let c = ca; c <= cb; c++) if (this.cells[row + c]) return true;
    }
    return false;
  }

  /** Mark the cells within `pad` px of the segment (sampled; see the header). */
  markSegment(x1, y1, x2, y2, pad) {
    const n = samples(x1, y1, x2, y2);
    for (let i = 0; i <= n; i++) {
      const t = n ? i / n : 0, x = x1 + (x2 - x1) * t, y = y1 + (y2 - y1) * t;
      this.markRect(x - pad, y - pad, x + pad, y + pad);
    }
  }

  /** Whether the segment, widened by `pad`, touches a marked cell (the same sampling as markSegment). */
  hitsSegment(x1, y1, x2, y2, pad) {
    if (!this.count) return false;
    // outside the marked cells' bounding box: no need to sample
    const s = this.cell;
    if (Math.max(x1, x2) + pad < this.c0 * s || Math.min(x1, x2) - pad >= (this.c1 + 1) * s ||
        Math.max(y1, y2) + pad < this.r0 * s || Math.min(y1, y2) - pad >= (this.r1 + 1) * s) return false;
    const n = samples(x1, y1, x2, y2);
    for (let i = 0; i <= n; i++) {
      const t = n ? i / n : 0, x = x1 + (x2 - x1) * t, y = y1 + (y2 - y1) * t;
      if (this.hitsRect(x - pad, y - pad, x + pad, y + pad)) return true;
    }
    return false;
  }

  /** The marked cells as rectangles [x, y, w, h] (device px, clipped to the canvas): runs along each row. */
  rects() {
    const out = [];
    const s = this.cell;
    for (let r = this.r0; r <= this.r1; r++) {
      const row = r * this.cols;
      for (let c = this.c0; c <= this.c1; c++) {
        if (!this.cells[row + c]) continue;
        let e = c;
        while (e + 1 <= this.c1 && this.cells[row + e + 1]) e++;
        const x = c * s, y = r * s;
        out.push([x, y, Math.min(this.width, (e + 1) * s) - x, Math.min(this.height, y + s) - y]);
        c = e;
      }
    }
    return out;
  }

  /** The bounding box of the marked cells [x, y, w, h] (device px), or null when none is marked. */
  bounds() {
    if (!this.count) return null;
    const s = this.cell;
    const x = this.c0 * s, y = this.r0 * s;
    return [x, y, Math.min(this.width, (this.c1 + 1) * s) - x, Math.min(this.height, (this.r1 + 1) * s) - y];
  }
}

/** Intervals along a segment so that samples are at most SAMPLE px apart. */
function samples(x1, y1, x2, y2) {
  const len = Math.hypot(x2 - x1, y2 - y1);
  return Number.isFinite(len) ? Math.ceil(len / SAMPLE) : 0;
}
