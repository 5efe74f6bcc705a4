// layout-worker.js — runs the heap graph's LayoutEngine off the main thread.
// Bundled to web/gen/layout-worker.js by build.sh; graph.js starts it.
import { LayoutEngine } from './layout.js';

const engine = new LayoutEngine((msg, transfer) => self.postMessage(msg, transfer));
self.onmessage = (ev) => {
  try {
    engine.handle(ev.data);
  } catch (e) {
    self.postMessage({ type: 'error', message: String(e?.stack ?? e) });
  }
};
