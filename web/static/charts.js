// Drawing for the playground: line charts on a canvas, and the decision boundary with the data.
(() => {
'use strict';

/** Class colours: TensorFlow Playground's orange and blue first, then a qualitative palette. */
const CLASS_COLOURS = [
  [245, 147, 34], [8, 119, 189], [46, 160, 67], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];

/** The colour of class `c` (beyond the palette, spread around the hue circle). */
function classColour(c) {
  if (c < CLASS_COLOURS.length) return CLASS_COLOURS[c];
  const h = (c * 137.508) % 360;
  const f = (n) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (0.5 - 0.4 * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

const rgb = (c, alpha = 1) => `rgba(${c[0]},${c[1]},${c[2]},${alpha})`;

/** A region's colour: the class colour over white, stronger where the network is surer. */
function regionColour(c, confidence) {
  const t = 0.25 + 0.5 * (confidence / 255);
  const k = classColour(c);
  return [0, 1, 2].map((i) => Math.round(255 + t * (k[i] - 255)));
}

/** Sets a canvas's backing size to its CSS size × the device pixel ratio; returns its context. */
function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const h = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, w: canvas.clientWidth, h: canvas.clientHeight };
}

/** Tick values for [lo, hi]: about `count` round numbers. */
function ticks(lo, hi, count) {
  const span = hi - lo || 1;
  const step0 = Math.pow(10, Math.floor(Math.log10(span / count)));
  const step = [1, 2, 5, 10].map((m) => m * step0).find((s) => span / s <= count) || step0 * 10;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

/** Ticks of a log axis from 10^lo to 10^hi, as exponents: decades, or 1-2-5 steps if few. */
function logTicks(lo, hi) {
  const decades = [];
  for (let d = Math.ceil(lo - 1e-9); d <= hi + 1e-9; d++) decades.push(d);
  if (decades.length >= 2) return decades.length > 5 ? decades.filter((d) => d % 2 === 0) : decades;
  const out = [];
  for (let d = Math.floor(lo) - 1; d <= Math.ceil(hi); d++) {
    for (const m of [1, 2, 5]) {
      const t = Math.log10(m) + d;
      if (t >= lo - 1e-9 && t <= hi + 1e-9) out.push(t);
    }
  }
  return out;
}

const fmt = (v) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(0) : String(+v.toPrecision(3)));

/**
 * A line chart: `series` is a list of {values (y per epoch from 1), colour, width, dash};
 * `lines` horizontal reference lines {y, colour, dash, label}; `log` a log-scaled y axis.
 */
function lineChart(canvas, { title, series, lines = [], epochs, yMin, yMax, log = false, legend = [] }) {
  const { ctx, w, h } = fit(canvas);
  ctx.clearRect(0, 0, w, h);
  const pad = { l: 44, r: 14, t: 18, b: 20 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  let lo = yMin;
  let hi = yMax;
  if (lo === undefined || hi === undefined) {
    let a = Infinity;
    let b = -Infinity;
    for (const s of series) for (const v of s.values) if (Number.isFinite(v) && (!log || v > 0)) { a = Math.min(a, v); b = Math.max(b, v); }
    for (const l of lines) if (Number.isFinite(l.y)) { a = Math.min(a, l.y); b = Math.max(b, l.y); }
    if (!Number.isFinite(a)) { a = log ? 1e-3 : 0; b = 1; }
    if (lo === undefined) lo = a;
    if (hi === undefined) hi = b;
  }
  if (log) {
    lo = Math.log10(Math.max(lo, 1e-12));
    hi = Math.log10(Math.max(hi, 1e-12));
    const margin = Math.max(0.05, (hi - lo) * 0.05);
    lo -= margin;
    hi += margin;
  }
  if (hi - lo < 1e-9) { hi += 0.5; lo -= 0.5; }
  const n = Math.max(epochs, 2);
  const X = (e) => pad.l + ((e - 1) / (n - 1)) * pw;
  const Y = (v) => pad.t + (1 - ((log ? Math.log10(Math.max(v, 1e-12)) : v) - lo) / (hi - lo)) * ph;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#222';
  ctx.fillText(title, pad.l, 12);
  ctx.strokeStyle = '#ddd';
  ctx.lineWidth = 1;
  ctx.fillStyle = '#666';
  ctx.textAlign = 'right';
  const yTicks = log ? logTicks(lo, hi) : ticks(lo, hi, 4);
  for (const t of yTicks) {
    const y = pad.t + (1 - (t - lo) / (hi - lo)) * ph;
    ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(pad.l + pw, y); ctx.stroke();
    ctx.fillText(log ? fmt(Math.pow(10, t)) : fmt(t), pad.l - 4, y + 3);
  }
  ctx.textAlign = 'center';
  for (const t of ticks(1, n, 5)) {
    if (t < 1) continue;
    ctx.fillText(String(t), X(t), h - 6);
  }
  ctx.textAlign = 'left';
  ctx.save();
  ctx.beginPath();
  ctx.rect(pad.l, pad.t, pw, ph);
  ctx.clip();
  for (const l of lines) {
    if (!Number.isFinite(l.y)) continue;
    ctx.strokeStyle = l.colour;
    ctx.setLineDash(l.dash || []);
    ctx.lineWidth = 1.25;
    ctx.beginPath(); ctx.moveTo(pad.l, Y(l.y)); ctx.lineTo(pad.l + pw, Y(l.y)); ctx.stroke();
  }
  for (const s of series) {
    if (!s.values.length) continue;
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = s.width || 1;
    ctx.setLineDash(s.dash || []);
    ctx.beginPath();
    s.values.forEach((v, i) => (i ? ctx.lineTo(X(i + 1), Y(v)) : ctx.moveTo(X(1), Y(v))));
    if (s.values.length === 1) ctx.lineTo(X(1) + 1, Y(s.values[0]));
    ctx.stroke();
  }
  ctx.restore();
  ctx.setLineDash([]);
  for (const l of lines) {
    if (!Number.isFinite(l.y) || !l.label) continue;
    ctx.fillStyle = l.colour;
    ctx.textAlign = 'right';
    ctx.fillText(l.label, pad.l + pw - 2, Math.max(pad.t + 10, Y(l.y) - 3));
  }
  ctx.textAlign = 'left';
  let lx = pad.l + ctx.measureText(title).width + 10;
  for (const item of legend) {
    ctx.fillStyle = item.colour;
    ctx.fillRect(lx, 6, 8, 3);
    ctx.fillStyle = '#444';
    ctx.fillText(item.label, lx + 10, 12);
    lx += ctx.measureText(item.label).width + 17;
  }
  ctx.strokeStyle = '#999';
  ctx.strokeRect(pad.l, pad.t, pw, ph);
}

/**
 * The decision boundary: the class of every grid cell (`grid`: n² classes then n² confidences,
 * top row first) over the rectangle, then the points (training filled, validation hollow).
 */
function boundaryChart(canvas, { grid, n, rect, points }) {
  const { ctx, w, h } = fit(canvas);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#f4f4f4';
  ctx.fillRect(0, 0, w, h);
  const [x0, x1, y0, y1] = rect;
  if (grid) {
    const image = new ImageData(n, n);
    for (let i = 0; i < n * n; i++) {
      const c = regionColour(grid[i], grid[n * n + i]);
      image.data.set([c[0], c[1], c[2], 255], 4 * i);
    }
    const off = new OffscreenCanvas(n, n);
    off.getContext('2d').putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    // Cell centres sit on the grid's points: stretch so that the outer centres meet the edges.
    const cw = w / (n - 1);
    const chh = h / (n - 1);
    ctx.drawImage(off, -cw / 2, -chh / 2, w + cw, h + chh);
  }
  const X = (x) => ((x - x0) / (x1 - x0)) * w;
  const Y = (y) => ((y1 - y) / (y1 - y0)) * h;
  for (const [xs, ys, hollow] of points) {
    for (let i = 0; i < ys.length; i++) {
      const px = X(xs[2 * i]);
      const py = Y(xs[2 * i + 1]);
      ctx.beginPath();
      ctx.arc(px, py, 2.3, 0, 2 * Math.PI);
      if (hollow) {
        ctx.strokeStyle = rgb(classColour(ys[i]));
        ctx.lineWidth = 1.2;
        ctx.stroke();
      } else {
        ctx.fillStyle = rgb(classColour(ys[i]));
        ctx.fill();
        ctx.strokeStyle = 'rgba(255,255,255,0.8)';
        ctx.lineWidth = 0.6;
        ctx.stroke();
      }
    }
  }
}

window.charts = { classColour, regionColour, rgb, lineChart, boundaryChart, CLASS_COLOURS };
})();
