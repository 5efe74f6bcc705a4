// dom.js — DOM writes that happen only when the value changes.
//
// Every step feeds every view; most of what a view shows is the same as the
// step before. Writing an equal text or attribute still costs: the text node
// is replaced, an SVG transform is parsed again, and the element's layout,
// paint and the raster tiles under it are redone (on a software rasteriser
// that was several ms a step across the panels). These helpers compare first.

/** Set an element's text; false when it already was that. */
export function setText(el, text) {
  const t = String(text);
  if (el.textContent === t) return false;
  el.textContent = t;
  return true;
}

/** Set (or, with null, remove) an attribute only when it differs. */
export function setAttr(el, name, value) {
  if (value === null || value === undefined) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
    return;
  }
  const v = String(value);
  if (el.getAttribute(name) !== v) el.setAttribute(name, v);
}

/** Set a data-* attribute (camelCase key) only when it differs. */
export function setData(el, key, value) {
  const v = String(value);
  if (el.dataset[key] !== v) el.dataset[key] = v;
}

/**
 * Set an inline style property only when it differs from what this helper last set
 * (the browser reads a colour back normalised, so the value written is remembered).
 */
export function setStyle(el, prop, value) {
  const seen = (el.pyheapStyles ??= {});
  if (seen[prop] === value) return;
  seen[prop] = value;
  el.style.setProperty(prop, value);
}

/** d3: `selection.call(textIf, (d, i) => text)` (or a text) — each element's text, where it differs. */
export function textIf(sel, fn) {
  sel.each(function (d, i, g) { setText(this, typeof fn === 'function' ? fn(d, i, g) : fn); });
}

/** d3: `selection.call(attrIf, name, (d, i) => value)` — each element's attribute, where it differs. */
export function attrIf(sel, name, fn) {
  sel.each(function (d, i, g) { setAttr(this, name, typeof fn === 'function' ? fn(d, i, g) : fn); });
}
