// The playground's training worker: one instance of the wasm module (web/src/lib.rs), holding
// its share of the study's runs, stepped an epoch at a time while the page says play.
//
// Messages in:  {type: 'open', gen, wasm, settings, part, parts, thresholds}
//               {type: 'view', show: [run…], rect: [x0, x1, y0, y1], n, fine, every}
//               {type: 'play', rate} (epochs per second; 0 = as fast as possible)
//               {type: 'pause'} | {type: 'step'}
// Messages out (each with the session's gen): {type: 'plan', part, plan} | {type: 'error', part, message}
//               {type: 'stepped', part, stepped, ms} | {type: 'boundary', part, run, n, rect, grid}
//               {type: 'done', part, finished, checkpoints, ms}
'use strict';

let exports = null; // the module instance's exports
let module = null; // the compiled module, kept to start afresh after a trap
let part = 0;
let gen = 0; // the page's session number, echoed in every message
let training = 0; // runs of this worker still training
let playing = false;
let rate = 0;
let view = null; // {show, rect, n}
let lastBoundary = 0;
let trainMs = 0; // time spent in pg_step, for the page's speed readout
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The output of the last call as bytes (a copy), or throws its error message. */
function output(status) {
  const bytes = new Uint8Array(exports.memory.buffer, exports.pg_output(), exports.pg_output_len()).slice();
  if (status !== 0) throw new Error(decoder.decode(bytes));
  return bytes;
}

/** Calls an export; a trap (a panic in the module) becomes an error with the panic's message. */
function call(name, ...args) {
  try {
    return output(exports[name](...args));
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      const len = exports.pg_panic_len();
      const text = len ? decoder.decode(new Uint8Array(exports.memory.buffer, exports.pg_panic(), len)) : e.message;
      exports = null; // the instance is unusable after a trap
      throw new Error('internal error: ' + text);
    }
    throw e;
  }
}

const json = (name, ...args) => JSON.parse(decoder.decode(call(name, ...args)));

async function open(msg) {
  playing = false;
  part = msg.part;
  gen = msg.gen;
  if (!module) module = await WebAssembly.compile(msg.wasm);
  if (!exports) exports = (await WebAssembly.instantiate(module, {})).exports;
  const request = encoder.encode(JSON.stringify({
    settings: msg.settings, part: msg.part, parts: msg.parts, thresholds: msg.thresholds,
  }));
  const at = exports.pg_input(request.length);
  new Uint8Array(exports.memory.buffer, at, request.length).set(request);
  const plan = json('pg_open');
  training = plan.runs.length;
  trainMs = 0;
  view = null;
  postMessage({ type: 'plan', gen, part, plan });
  if (training === 0) finish();
}

function boundaries(n) {
  if (!view) return;
  for (const run of view.show) {
    let grid;
    try {
      grid = call('pg_boundary', run, n, ...view.rect);
    } catch (e) {
      continue; // not this worker's run, or not 2-D data
    }
    postMessage({ type: 'boundary', gen, part, run, n, rect: view.rect, grid }, [grid.buffer]);
  }
  lastBoundary = performance.now();
}

function finish() {
  const finished = json('pg_finished');
  const checkpoints = {};
  for (const f of finished) checkpoints[f.run] = call('pg_checkpoint', f.run);
  boundaries(view ? view.fine : 128);
  postMessage({ type: 'done', gen, part, finished, checkpoints, ms: trainMs });
}

/** One epoch of every run still training here; the boundaries now and then. */
function step() {
  const t0 = performance.now();
  const stepped = json('pg_step');
  trainMs += performance.now() - t0;
  training = stepped.training;
  postMessage({ type: 'stepped', gen, part, stepped, ms: trainMs });
  if (training === 0) {
    playing = false;
    finish();
  } else if (view && (!playing || performance.now() - lastBoundary > view.every)) {
    boundaries(playing ? view.n : view.fine);
  }
}

// Yields to the event loop (to read 'pause') without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
let resume = null;
channel.port1.onmessage = () => resume && resume();
const yieldNow = () => new Promise((r) => { resume = r; channel.port2.postMessage(null); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let looping = false;
async function loop() {
  if (looping) return;
  looping = true;
  try {
    while (playing && training > 0 && exports) {
      const t0 = performance.now();
      step();
      const wait = rate > 0 ? 1000 / rate - (performance.now() - t0) : 0;
      await (wait > 1 ? sleep(wait) : yieldNow());
    }
  } catch (e) {
    playing = false;
    postMessage({ type: 'error', gen, part, message: e.message });
  } finally {
    looping = false;
  }
}

onmessage = async (event) => {
  const msg = event.data;
  try {
    switch (msg.type) {
      case 'open':
        await open(msg);
        break;
      case 'view':
        view = msg;
        boundaries(view.fine);
        break;
      case 'play':
        rate = msg.rate;
        playing = true;
        loop();
        break;
      case 'rate':
        rate = msg.rate;
        break;
      case 'pause':
        playing = false;
        if (training > 0 && exports) boundaries(view ? view.fine : 128);
        break;
      case 'step':
        playing = false;
        if (training > 0 && exports) step();
        break;
    }
  } catch (e) {
    playing = false;
    postMessage({ type: 'error', gen, part, message: e.message });
  }
};
