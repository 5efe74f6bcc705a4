// demo.js — the views demo: scripted steps drive a Heap; every view redraws after each step.
//
// Step runs the next step; Back replays from the start up to the previous step
// (the heap cannot run backwards, and replay is deterministic); Reset starts
// over. ?scenario=big loads the 10,000-object heap. window.pyheapDemo exposes
// the controller for the browser test.

import { createHeap } from '../lib/index.js';
import { HeapGraph } from '../viz/graph.js';
import { ArenaMap } from '../viz/arenas.js';
import { GenerationsPanel } from '../viz/generations.js';
import { Timeline } from '../viz/timeline.js';
import { bytes, hex, GEN_COLORS, GEN_LABELS } from '../viz/style.js';
import { Names, SCENARIOS, collectReprs } from './steps/scenario.js';
import { GcWalk } from '../viz/gcwalk.js';
import { GC_SCENARIOS, runGcScenario } from './steps/gc-scenarios.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const scenarioName = SCENARIOS[params.get('scenario')] ? params.get('scenario') : 'tour';
const steps = SCENARIOS[scenarioName];

const graph = new HeapGraph($('graph'), {
  onSelect: showDetails,
  workerURL: new URL('./layout-worker.js', import.meta.url),   // bundled next to this file in web/gen/
});
const arenaMap = new ArenaMap($('arenas'), { debugText: () => state.heap.debugmallocstats() });
const gens = new GenerationsPanel($('gens'));
const timeline = new Timeline($('timeline'), { onSeek: (s) => goTo(s) });

const state = { heap: null, names: new Names(), step: 0, series: [], busy: false };

async function freshHeap() {
  state.names.clear();
  state.heap?.dispose();
  state.heap = await createHeap();
  state.step = 0;
}

/** Run steps up to n (from the current state when going forward, else from a fresh heap). */
async function goTo(n) {
  if (state.busy) return;
  n = Math.max(0, Math.min(steps.length, n));
  state.busy = true;
  try {
    if (n < state.step) await freshHeap();
    while (state.step < n) {
      steps[state.step].run({ heap: state.heap, names: state.names });
      state.step++;
      if (state.step < n) record(false);
    }
    record(true);
  } catch (e) {
    $('status').textContent = `${e.code ?? 'error'}: ${e.message}`;
    console.error(e);
  } finally {
    state.busy = false;
  }
}

/** Measure the heap at the current step; with `show`, redraw every view. */
function record(show) {
  const { heap, names, step } = state;
  const stats = heap.stats();
  const current = stats.bytesInAllocatedBlocks + stats.rawBytesRequested;
  const prevPeak = step > 0 ? (state.series[step - 1]?.peak ?? 0) : 0;
  state.series[step] = { step, current, peak: Math.max(prevPeak, current), label: step ? steps[step - 1].code : 'start' };
  state.series.length = Math.max(state.series.length, step + 1);
  if (!show) return;
  const t0 = performance.now();
  const snap = heap.snapshot(names.handles());
  const roots = names.roots();
  const reprs = snap.objects.length <= 20000 ? collectReprs(names) : new Map();
  graph.update(snap, roots, { reprs });
  arenaMap.update(heap.arenas(), heap.stats());
  const counts = [0, 0, 0];
  for (const o of snap.objects) if (o.gen === 0 || o.gen === 1 || o.gen === 2) counts[o.gen]++;
  gens.update({
    counts, thresholds: [700, 10, 10], garbage: 0,
    note: 'Counts are the tracked objects per generation in the snapshot; collections and gc.garbage come with the collector.',
  });
  timeline.update(state.series.filter(Boolean), step);
  const s = steps[step - 1];
  $('code').textContent = s ? s.code : '# (nothing run yet)';
  $('note').textContent = s ? s.note : 'Press Step to run the first line.';
  $('stepno').textContent = `step ${step} / ${steps.length}`;
  $('slider').max = String(steps.length);
  $('slider').value = String(step);
  $('back').disabled = step === 0;
  $('step').disabled = step === steps.length;
  const objs = snap.objects.length;
  $('summary').textContent = `${objs.toLocaleString('en')} objects in the snapshot · ${bytes(current)} in blocks · ` +
    `${stats.narenasCurrentlyAllocated} arena${stats.narenasCurrentlyAllocated === 1 ? '' : 's'}`;
  $('status').textContent = '';
  document.body.dataset.step = String(step);
  document.body.dataset.updateMs = (performance.now() - t0).toFixed(1);
}

function showDetails(d) {
  const box = $('details');
  if (!d) { box.innerHTML = '<p class="hint">Click an object in the graph: its size, refcount, who holds it and the chain of references from a name.</p>'; return; }
  if (d.kind === 'name') { box.innerHTML = `<h3>name <code>${esc(d.name)}</code></h3><p>bound to the object at <code>${hex(d.id)}</code></p>`; return; }
  const held = d.heldBy.map((h) => `<li><code>${esc(h.type)}</code> at <code>${hex(h.id)}</code>${h.count > 1 ? ` ×${h.count}` : ''}</li>`);
  for (const n of d.names) held.unshift(`<li>name <code>${esc(n)}</code></li>`);
  if (d.unseen) held.push(`<li class="dim">${d.unseen} reference${d.unseen === 1 ? '' : 's'} from outside the graph (handles, C code)</li>`);
  const chain = d.chain
    ? `<code>${esc(d.chain.name)}</code>${d.chain.ids.slice(1).map((id) => ` → <code>${esc(typeOf(id))}</code>`).join('')}`
    : '<span class="warn">none: no name reaches this object</span>';
  box.innerHTML = `
    <h3><code>${esc(d.type)}</code> at <code>${hex(d.id)}</code></h3>
    ${d.repr ? `<pre class="repr">${esc(d.repr)}</pre>` : ''}
    <dl>
      <dt><code>sys.getsizeof</code></dt><dd>${d.size} bytes</dd>
      <dt>refcount</dt><dd>${d.immortal ? 'immortal (4294967295 in the header)' : d.refcount}</dd>
      <dt>GC</dt><dd>${d.gen == null ? (d.badges.includes('untracked') ? 'GC type, not tracked' : 'not a GC object') : `generation ${d.gen}`}</dd>
      ${d.badges.length ? `<dt>badges</dt><dd>${d.badges.map((b) => `<span class="badge">${esc(b)}</span>`).join(' ')}</dd>` : ''}
      <dt>allocated at</dt><dd class="dim">(the line, when the interpreter lands)</dd>
    </dl>
    <h4>held by</h4><ul>${held.join('') || '<li class="dim">nothing</li>'}</ul>
    <h4>back-reference chain</h4><p class="chain">${chain}</p>`;
}

const typeOf = (id) => graph.model.snapshot.objects.find((o) => o.id === id)?.type ?? '?';
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function legend() {
  $('legend').innerHTML = ['gen0', 'gen1', 'gen2', 'untracked', 'nogc', 'immortal']
    .map((k) => `<span><i style="background:${k === 'untracked' ? '#fff' : GEN_COLORS[k]};${k === 'untracked' ? `box-shadow:inset 0 0 0 2px ${GEN_COLORS[k]}` : ''}"></i>${GEN_LABELS[k]}</span>`)
    .join('') + '<span><i class="ring"></i>unreachable (cyclic garbage)</span><span><i class="nm"></i>name</span>';
}

$('step').onclick = () => goTo(state.step + 1);
$('back').onclick = () => goTo(state.step - 1);
$('reset').onclick = async () => {
  if (state.busy) return;
  await freshHeap();
  state.series = [];
  record(true);
};
$('slider').oninput = (ev) => goTo(Number(ev.target.value));
$('fit').onclick = () => graph.fit();
$('relax').onclick = () => graph.relax();
$('immortals').onchange = (ev) => graph.setImmortals(ev.target.value);
document.addEventListener('keydown', (ev) => {
  if (ev.target.closest?.('input, select, textarea')) return;
  if (ev.key === 'ArrowRight') goTo(state.step + 1);
  if (ev.key === 'ArrowLeft') goTo(state.step - 1);
});

// ---- gc.collect() explained: a scripted collection on its own heap -------------------------
const gcWalk = new GcWalk($('gcwalk'), { onPhase: (i, p) => { document.body.dataset.gcPhase = p.name; } });
const gcState = { heap: null };
for (const [key, sc] of Object.entries(GC_SCENARIOS)) {
  const opt = document.createElement('option');
  opt.value = key;
  opt.textContent = sc.title;
  $('gcscenario').append(opt);
}
async function runCollection() {
  const key = $('gcscenario').value;
  gcState.heap?.dispose();
  gcState.heap = await createHeap();
  const run = runGcScenario(gcState.heap, key);
  $('gccode').textContent = GC_SCENARIOS[key].code;
  $('gcresult').textContent = `gc.collect() returned ${run.returned}` + (run.log.length ? ` · ran: ${run.log.join(', ')}` : '');
  gcWalk.show(run.trace, run.snapshot);
  run.release();
  document.body.dataset.gcRuns = String(Number(document.body.dataset.gcRuns ?? 0) + 1);
}
$('gcrun').onclick = () => runCollection().catch((e) => { $('gcresult').textContent = `${e.code ?? 'error'}: ${e.message}`; console.error(e); });
$('gcscenario').value = params.get('gc') && GC_SCENARIOS[params.get('gc')] ? params.get('gc') : 'two_instances_del';
await runCollection();

legend();
showDetails(null);
$('scenario').textContent = scenarioName === 'big' ? '10,000 objects' : 'tour';
await freshHeap();
record(true);
window.pyheapDemo = { goTo, graph, arenaMap, state, steps, gcWalk, runCollection };
document.body.dataset.ready = '1';
