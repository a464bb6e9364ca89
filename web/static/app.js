// The playground page: settings (kept in the query string), the training workers, and drawing.
// The runs themselves — data, split, initialization, every epoch, checkpoints — are the wasm
// module's (web/src), which calls the same library code as the `harness` command line.
'use strict';

const { classColour, rgb, lineChart, boundaryChart, CLASS_COLOURS } = window.charts;

/** The study's settings: query key (the command line's flag), element id, the module's key, kind. */
const FIELDS = [
  ['dataset', 'dataset', 'text'],
  ['samples', 'samples', 'int'],
  ['data-seed', 'data_seed', 'int'],
  ['val-ratio', 'val_ratio', 'float'],
  ['hidden', 'hidden', 'text'],
  ['layer-norm', 'layer_norm', 'bool'],
  ['inits', 'inits', 'text'],
  ['seeds', 'seeds', 'text'],
  ['epochs', 'epochs', 'int'],
  ['lr', 'lr', 'float'],
  ['batch-size', 'batch_size', 'optint'],
];
/** The page's own settings (they change nothing in the results). */
const PAGE_FIELDS = ['speed', 'workers', 'view'];
const KNOWN_INITS = ['small', 'glorot', 'he', 'lecun', 'glorot_uniform', 'he_uniform',
  'glorot_truncated', 'he_truncated', 'lecun_truncated'];
const TRAIN = '#37474f';
const VAL = '#d81b60';
const LAYER_COLOURS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];

const $ = (id) => document.getElementById(id);
const query = new URLSearchParams(location.search);

let wasmBytes = null; // the module, loaded once
let workers = [];
let gen = 0; // the current session; messages of older ones are dropped
let plan = null; // part 0's plan: data, thresholds, names
let runs = []; // by index: {init, seed, train_loss, train_acc, val_loss, val_acc, update, error, final, checkpoint}
let grids = {}; // run → {grid, n, rect}
let plans = 0;
let done = 0;
let parts = 1;
let rect = [0, 1, 0, 1];
let playing = false;
let wantPlay = false;
let dirty = true;
let csv = null; // {text, name}
let timing = { start: 0, end: 0, trainMs: [] };
let results = null;
let panels = [];

function setState(state) {
  document.body.dataset.state = state;
}

function say(text, kind = 'error') {
  const m = $('message');
  m.hidden = !text;
  m.textContent = text || '';
  m.className = kind;
}

// --- settings and the query string ---------------------------------------------------------

function readQuery() {
  for (const [key, , kind] of FIELDS) {
    if (!query.has(key)) continue;
    const v = query.get(key);
    if (kind === 'bool') $(key).checked = v === '1' || v === 'true';
    else $(key).value = v;
  }
  for (const key of ['speed', 'workers']) if (query.has(key)) $(key).value = query.get(key);
  if (!query.has('workers')) $('workers').value = String(Math.min(2, navigator.hardwareConcurrency || 1));
  if (query.has('data')) {
    $('preset').value = 'csv';
    csv = { text: null, name: query.get('data') };
  } else {
    const spec = $('dataset').value;
    const preset = [...$('preset').options].find((o) => o.value === spec || o.value === spec.split(/[:,]/)[0]);
    if (preset) $('preset').value = preset.value;
  }
  showCsv();
}

/** The settings the module reads (web/src/settings.rs). */
function settings() {
  const s = {};
  for (const [key, name, kind] of FIELDS) {
    const el = $(key);
    if (kind === 'bool') s[name] = el.checked;
    else if (kind === 'text') s[name] = el.value.trim();
    else if (el.value.trim() === '') { if (kind === 'optint') s[name] = null; } else {
      const v = Number(el.value);
      s[name] = kind === 'float' ? v : Math.trunc(v);
    }
  }
  if (csv) {
    s.csv = csv.text;
    s.csv_name = csv.name;
  }
  return s;
}

/** The query string of the current settings: every study setting, then the page's. */
function queryString(extra = {}) {
  const pairs = [];
  for (const [key, , kind] of FIELDS) {
    if (csv && (key === 'dataset' || key === 'samples')) continue;
    const el = $(key);
    const v = kind === 'bool' ? (el.checked ? '1' : '0') : el.value.trim();
    if (v !== '') pairs.push([key, v]);
  }
  if (csv) pairs.push(['data', csv.name]);
  for (const key of PAGE_FIELDS) if ($(key).value) pairs.push([key, $(key).value]);
  for (const [k, v] of Object.entries(extra)) pairs.push([k, v]);
  const enc = (s) => encodeURIComponent(s).replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%40/g, '@').replace(/%3D/g, '=');
  return '?' + pairs.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

/** The command line that runs the same study (the flags the page sets). */
function cliLine() {
  const flags = [];
  for (const [key, , kind] of FIELDS) {
    if (csv && (key === 'dataset' || key === 'samples')) continue;
    const el = $(key);
    if (kind === 'bool') { if (el.checked) flags.push(`--${key}`); continue; }
    const v = el.value.trim();
    if (v !== '') flags.push(`--${key} ${/^[\w.,:@=-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`}`);
  }
  if (csv) flags.push(`--data ${csv.name}`);
  return 'harness ' + flags.join(' ') + ' --out results';
}

function writeQuery() {
  history.replaceState(null, '', queryString());
  $('cli-line').textContent = cliLine();
}

function showCsv() {
  const isCsv = $('preset').value === 'csv';
  $('drop').hidden = !isCsv;
  $('dataset').disabled = isCsv;
  $('samples').disabled = isCsv;
  if (!isCsv) csv = null;
}

// --- workers -------------------------------------------------------------------------------

async function loadWasm() {
  const inline = document.getElementById('wasm-base64');
  if (inline) {
    const text = atob(inline.textContent.trim());
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }
  const response = await fetch('playground.wasm');
  if (!response.ok) throw new Error(`playground.wasm: ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

function newWorker() {
  const inline = document.getElementById('worker-source');
  if (inline) return new Worker(URL.createObjectURL(new Blob([inline.textContent], { type: 'text/javascript' })));
  return new Worker('worker.js');
}

function ensureWorkers(count) {
  while (workers.length > count) workers.pop().terminate();
  while (workers.length < count) {
    const w = newWorker();
    w.onmessage = onWorker;
    w.onerror = (e) => { fail(`worker: ${e.message || 'failed to start'}`); };
    workers.push(w);
  }
}

function post(message) {
  for (const w of workers) w.postMessage(message);
}

/** Opens a new session with the current settings (training stops; nothing is kept). */
function reset(play = false) {
  writeQuery();
  if (!wasmBytes) return;
  wantPlay = play;
  playing = false;
  gen += 1;
  plan = null;
  runs = [];
  grids = {};
  plans = 0;
  done = 0;
  results = null;
  timing = { start: 0, end: 0, trainMs: [] };
  $('download').disabled = true;
  $('results').hidden = true;
  $('panels').replaceChildren();
  panels = [];
  say('');
  updateButtons();
  if (csv && csv.text === null) {
    setState('idle');
    say(`Drop the CSV file ${csv.name} above to train on it.`, 'note');
    return;
  }
  setState('opening');
  parts = Number($('workers').value) || 1;
  ensureWorkers(parts);
  const s = settings();
  workers.forEach((w, part) => w.postMessage({
    type: 'open', gen, wasm: wasmBytes, settings: s, part, parts, thresholds: part === 0,
  }));
}

function fail(message) {
  playing = false;
  wantPlay = false;
  setState('error');
  say(message);
  updateButtons();
}

function onWorker(event) {
  const m = event.data;
  if (m.gen !== gen) return;
  switch (m.type) {
    case 'error':
      post({ type: 'pause' });
      fail(m.message);
      break;
    case 'plan':
      onPlan(m);
      break;
    case 'stepped':
      onStepped(m);
      break;
    case 'boundary':
      grids[m.run] = m;
      dirty = true;
      break;
    case 'done':
      onDone(m);
      break;
  }
}

function onPlan(m) {
  if (m.part === 0) plan = m.plan;
  for (const [index, init, seed] of m.plan.runs) {
    runs[index] = { index, init, seed, train_loss: [], train_acc: [], val_loss: [], val_acc: [], update: [], error: null, final: null, checkpoint: null };
  }
  plans += 1;
  if (plans < parts) return;
  const seedSelect = $('view');
  const want = query.get('view') || seedSelect.value;
  seedSelect.replaceChildren(...plan.seeds.map((s) => new Option(String(s), String(s))));
  seedSelect.value = plan.seeds.map(String).includes(want) ? want : String(plan.seeds[0]);
  rect = dataRect();
  buildPanels();
  sendView();
  setState('ready');
  status();
  if (wantPlay) play();
}

function shownRuns() {
  const seed = Number($('view').value);
  return runs.filter((r) => r && r.seed === seed).map((r) => r.index);
}

function sendView() {
  post({ type: 'view', show: shownRuns(), rect, n: 48, fine: 128, every: 200 });
}

function onStepped(m) {
  for (const e of m.stepped.epochs) {
    const r = runs[e.run];
    r.train_loss.push(e.train_loss);
    r.train_acc.push(e.train_acc);
    r.val_loss.push(e.val_loss);
    r.val_acc.push(e.val_acc);
    r.update.push(e.update);
  }
  for (const f of m.stepped.refused) {
    const r = runs[f.run];
    r.error = f.error;
    say(`${plan.inits[r.init][1]}, seed ${r.seed} — ${f.error}. The core refused the step: the weights are `
      + 'those before it, and this run stops there. A smaller learning rate (or a shallower network) trains.');
  }
  timing.trainMs[m.part] = m.ms;
  dirty = true;
}

function onDone(m) {
  for (const f of m.finished) {
    runs[f.run].final = f;
    runs[f.run].checkpoint = m.checkpoints[f.run];
  }
  timing.trainMs[m.part] = m.ms;
  done += 1;
  dirty = true;
  if (done < parts) return;
  timing.end = performance.now();
  playing = false;
  results = makeResults();
  showResults();
  $('download').disabled = false;
  updateButtons();
  setState('done');
  status();
}

// --- controls --------------------------------------------------------------------------------

function rate() {
  return Number($('speed').value) || 0;
}

function play() {
  if (!plan || done === parts) return;
  playing = true;
  if (!timing.start) timing.start = performance.now();
  post({ type: 'play', rate: rate() });
  setState('running');
  updateButtons();
}

function pause() {
  playing = false;
  post({ type: 'pause' });
  setState('paused');
  updateButtons();
}

function updateButtons() {
  $('play').textContent = playing ? 'Pause' : 'Play';
  $('play').disabled = !plan || done === parts;
  $('step').disabled = !plan || done === parts;
}

function bindControls() {
  $('play').onclick = () => (playing ? pause() : play());
  $('step').onclick = () => { if (playing) pause(); if (!timing.start) timing.start = performance.now(); post({ type: 'step' }); setState('paused'); };
  $('reset').onclick = () => reset(false);
  $('speed').onchange = () => { writeQuery(); post({ type: 'rate', rate: rate() }); };
  $('view').onchange = () => { writeQuery(); sendView(); };
  $('workers').onchange = () => reset(playing);
  for (const [key] of FIELDS) $(key).onchange = () => reset(playing);
  $('preset').onchange = () => {
    showCsv();
    if ($('preset').value !== 'csv') {
      $('dataset').value = $('preset').value;
      reset(playing);
    } else if (!csv) {
      say('Drop a CSV file (header x1,…,xD,label) on the box above, or choose one.', 'note');
    }
  };
  $('csv-file').onchange = (e) => e.target.files[0] && loadCsv(e.target.files[0]);
  const drop = $('drop');
  drop.ondragover = (e) => { e.preventDefault(); drop.classList.add('over'); };
  drop.ondragleave = () => drop.classList.remove('over');
  drop.ondrop = (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) loadCsv(e.dataTransfer.files[0]);
  };
  $('link').onclick = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      say('Link copied: it reproduces this experiment.', 'note');
    } catch {
      say(location.href, 'note');
    }
  };
  $('download').onclick = () => {
    const blob = new Blob([JSON.stringify(results, null, 2) + '\n'], { type: 'application/json' });
    download(blob, 'playground-results.json');
  };
  const chips = $('chips');
  for (const name of KNOWN_INITS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = name;
    b.onclick = () => {
      const list = $('inits').value.split(',').map((s) => s.trim()).filter(Boolean);
      const k = list.indexOf(name);
      if (k >= 0) list.splice(k, 1); else list.push(name);
      $('inits').value = list.join(',');
      reset(playing);
    };
    chips.appendChild(b);
  }
}

async function loadCsv(file) {
  csv = { text: await file.text(), name: file.name };
  $('preset').value = 'csv';
  showCsv();
  reset(playing);
}

function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// --- drawing ---------------------------------------------------------------------------------

function dataRect() {
  if (!plan || plan.features !== 2) return [0, 1, 0, 1];
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const xs of [plan.train_x, plan.val_x]) {
    for (let i = 0; i < xs.length; i += 2) {
      x0 = Math.min(x0, xs[i]); x1 = Math.max(x1, xs[i]);
      y0 = Math.min(y0, xs[i + 1]); y1 = Math.max(y1, xs[i + 1]);
    }
  }
  const half = Math.max(x1 - x0, y1 - y0) * 0.55 || 1;
  const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
  return [cx - half, cx + half, cy - half, cy + half];
}

function buildPanels() {
  const main = $('panels');
  panels = plan.inits.map(([name, display], i) => {
    const el = document.createElement('article');
    el.className = 'panel';
    el.innerHTML = `<h2></h2><p class="summary"></p>
      <div class="row"><canvas class="boundary" width="260" height="260"></canvas>
      <div class="charts"><canvas class="acc"></canvas><canvas class="loss"></canvas><canvas class="update"></canvas></div></div>`;
    el.querySelector('h2').textContent = `${display} `;
    const code = document.createElement('code');
    code.textContent = name;
    el.querySelector('h2').appendChild(code);
    main.appendChild(el);
    return { el, init: i };
  });
}

/** The mean over the runs that reached each epoch. */
function mean(lists) {
  const out = [];
  const n = Math.max(0, ...lists.map((l) => l.length));
  for (let e = 0; e < n; e++) {
    let s = 0;
    let k = 0;
    for (const l of lists) if (e < l.length) { s += l[e]; k += 1; }
    out.push(s / k);
  }
  return out;
}

function drawPanel(p) {
  const mine = runs.filter((r) => r && r.init === p.init);
  const epochs = plan.epochs;
  const seedSeries = (key, colour) => mine.map((r) => ({ values: r[key], colour, width: 0.7 }));
  const acc = [
    ...seedSeries('train_acc', 'rgba(55,71,79,0.35)'), ...seedSeries('val_acc', 'rgba(216,27,96,0.3)'),
    { values: mean(mine.map((r) => r.train_acc)), colour: TRAIN, width: 2 },
    { values: mean(mine.map((r) => r.val_acc)), colour: VAL, width: 2 },
  ];
  const lines = [];
  if (plan.ceiling !== null) lines.push({ y: plan.ceiling, colour: '#2e7d32', dash: [6, 4], label: `Bayes ${plan.ceiling.toFixed(3)}` });
  if (plan.chance !== null) lines.push({ y: plan.chance, colour: '#999', dash: [2, 3], label: 'chance' });
  const legend = [{ colour: TRAIN, label: 'train' }, { colour: VAL, label: 'validation' }];
  lineChart(p.el.querySelector('.acc'), { title: 'accuracy', series: acc, lines, epochs, yMin: Math.max(0, Math.min(plan.chance ?? 0.5, 0.5) - 0.05), yMax: 1, legend });
  const loss = [
    ...seedSeries('train_loss', 'rgba(55,71,79,0.35)'), ...seedSeries('val_loss', 'rgba(216,27,96,0.3)'),
    { values: mean(mine.map((r) => r.train_loss)), colour: TRAIN, width: 2 },
    { values: mean(mine.map((r) => r.val_loss)), colour: VAL, width: 2 },
  ];
  lineChart(p.el.querySelector('.loss'), { title: 'loss', series: loss, epochs, log: true, legend });
  const layers = mine.length && mine[0].update.length ? mine[0].update[0].length : 0;
  const upd = [];
  const updLegend = [];
  for (let l = 0; l < layers; l++) {
    const colour = LAYER_COLOURS[l % LAYER_COLOURS.length];
    upd.push({ values: mean(mine.map((r) => r.update.map((u) => u[l]))), colour, width: 1.5 });
    if (layers <= 6) updLegend.push({ colour, label: `${l + 1}` });
  }
  lineChart(p.el.querySelector('.update'), { title: 'update (layer)', series: upd, epochs, log: true, legend: updLegend });
  const canvas = p.el.querySelector('.boundary');
  const shown = mine.find((r) => r.seed === Number($('view').value));
  if (plan.features === 2) {
    const g = shown && grids[shown.index];
    boundaryChart(canvas, {
      grid: g && g.grid, n: g ? g.n : 0, rect,
      points: [[plan.train_x, plan.train_y, false], [plan.val_x, plan.val_y, true]],
    });
  } else {
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#666';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText(`${plan.features}-D data: no boundary to draw`, 10, 20);
  }
  const finals = mine.filter((r) => r.final);
  const errors = mine.filter((r) => r.error);
  let text = '';
  if (finals.length === mine.length && mine.length) {
    const v = finals.map((r) => r.final.final_val_acc);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) * (b - m), 0) / Math.max(1, v.length - 1));
    text = `final validation accuracy ${m.toFixed(4)} ± ${sd.toFixed(4)} (mean ± sd over ${v.length} seeds)`;
  } else {
    const e = Math.min(...mine.map((r) => r.train_acc.length));
    text = `epoch ${e} of ${epochs}`;
  }
  if (errors.length) text += ` · ${errors.length} run(s) stopped: the core refused a diverging step`;
  p.el.querySelector('.summary').textContent = text;
}

function status() {
  if (!plan) return;
  const all = runs.filter(Boolean);
  const epochsDone = all.reduce((a, r) => a + r.train_acc.length, 0);
  const elapsed = ((timing.end || performance.now()) - timing.start) / 1000;
  const perRun = all.length ? Math.min(...all.map((r) => r.train_acc.length)) : 0;
  let text = `${plan.dataset_display} · ${plan.network}${plan.layer_norm ? ' + LayerNorm' : ''} · ${all.length} runs · epoch ${perRun}/${plan.epochs}`;
  if (timing.start && elapsed > 0) text += ` · ${(epochsDone / elapsed).toFixed(0)} run-epochs/s · ${elapsed.toFixed(1)} s`;
  if (document.body.dataset.state === 'done') text += ' · done';
  $('status').textContent = text;
}

/** The shortest time between two redraws while training (ms): the charts of many runs cost. */
const REDRAW_MS = 50;
let lastDraw = 0;

function frame(now) {
  if (dirty && plan && (now - lastDraw >= REDRAW_MS || !playing)) {
    dirty = false;
    lastDraw = now;
    for (const p of panels) drawPanel(p);
    status();
  }
  requestAnimationFrame(frame);
}

// --- results ---------------------------------------------------------------------------------

function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function makeResults() {
  return {
    settings: Object.fromEntries(new URLSearchParams(queryString()).entries()),
    command_line: cliLine(),
    dataset: plan.dataset,
    network: plan.network,
    layer_norm: plan.layer_norm,
    chance: plan.chance,
    ceiling: plan.ceiling,
    workers: parts,
    train_seconds: (timing.end - timing.start) / 1000,
    runs: runs.filter(Boolean).map((r) => ({
      init: r.final.init,
      seed: r.final.seed,
      epochs: r.final.epochs,
      final_train_acc: r.final.final_train_acc,
      final_val_acc: r.final.final_val_acc,
      final_train_loss: r.final.final_train_loss,
      final_val_loss: r.final.final_val_loss,
      crc32: r.final.crc32,
      error: r.final.error,
      checkpoint_path: `runs/${r.final.init}/seed-${r.final.seed}/final.bin`,
      checkpoint_base64: base64(r.checkpoint),
    })),
  };
}

function showResults() {
  const body = $('results').querySelector('tbody');
  body.replaceChildren();
  for (const r of runs.filter(Boolean)) {
    const f = r.final;
    const tr = document.createElement('tr');
    for (const v of [f.init, f.seed, f.epochs, f.final_train_acc.toFixed(4), f.final_val_acc.toFixed(4), f.crc32]) {
      const td = document.createElement('td');
      td.textContent = String(v);
      tr.appendChild(td);
    }
    const td = document.createElement('td');
    const a = document.createElement('a');
    a.href = '#';
    a.textContent = 'download';
    a.onclick = (e) => { e.preventDefault(); download(new Blob([r.checkpoint]), `${f.init}-seed-${f.seed}-final.bin`); };
    td.appendChild(a);
    tr.appendChild(td);
    body.appendChild(tr);
  }
  $('results').hidden = false;
}

// --- start -----------------------------------------------------------------------------------

window.playground = {
  /** The results ("download results"), once the runs are done; else null. */
  results: () => results,
  /** The colours of the classes (RGB), as the boundary draws them. */
  palette: () => CLASS_COLOURS.map((c, i) => classColour(i)),
  /** Wall time from play to done, and each worker's time inside the module's steps (ms). */
  timing: () => ({ wallMs: (timing.end || performance.now()) - timing.start, trainMs: timing.trainMs.slice(), workers: parts }),
  settings,
  play,
  pause,
  reset,
};

async function main() {
  readQuery();
  bindControls();
  writeQuery();
  requestAnimationFrame(frame);
  window.addEventListener('resize', () => { dirty = true; });
  try {
    wasmBytes = await loadWasm();
  } catch (e) {
    fail(`Could not load the WebAssembly module: ${e.message}`);
    return;
  }
  reset(query.get('autorun') === '1');
}

main();
