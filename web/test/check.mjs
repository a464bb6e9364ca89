// The playground in a real browser: for the paper's configuration reduced to 3 seeds × 3
// initializers × 60 epochs, every run's final checkpoint equals the command line's (its CRC-32 as
// the firmware prints it, and every byte), the boundary shows both classes' colours, a diverging
// learning rate shows the core's refusal, and the single-file page trains from file:// too.
//
//   node web/test/check.mjs BASE_URL CLI_RESULTS_DIR STANDALONE_HTML SCREENSHOT.png
// CLI_RESULTS_DIR is `harness --seeds 3 --epochs 60 --out DIR`'s folder.
import fs from 'node:fs';
import path from 'node:path';
import { launch, openAndWait } from './browser.mjs';

const [base, cliDir, standalone, shot] = process.argv.slice(2);
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
};

/** CRC-32 (IEEE, zlib's), computed here independently of the page and the core. */
function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (~c) >>> 0;
}
const hex = (n) => '0x' + n.toString(16).padStart(8, '0');
const bodyCrc = (bytes) => hex(crc32(bytes.subarray(0, bytes.length - 4)));

/** Compares a page's runs with the command line's checkpoints. */
function compareRuns(label, results, expectRuns) {
  check(results && results.runs.length === expectRuns, `${label}: ${expectRuns} runs in results()`);
  if (!results) return;
  for (const r of results.runs) {
    const file = path.join(cliDir, r.checkpoint_path);
    const cli = fs.readFileSync(file);
    const page = Buffer.from(r.checkpoint_base64, 'base64');
    check(r.crc32 === bodyCrc(cli) && bodyCrc(page) === r.crc32 && page.equals(cli),
      `${label}: ${r.init} seed ${r.seed}: page ${r.crc32}, command line ${bodyCrc(cli)} (${cli.length} bytes, ${page.equals(cli) ? 'identical' : 'DIFFERENT'})`);
  }
}

/** Per boundary canvas, the fraction of pixels drawn in each class's region colour. */
function classShares(page) {
  return page.evaluate(() => {
    const palette = window.playground.palette().slice(0, 2);
    return [...document.querySelectorAll('canvas.boundary')].map((canvas) => {
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const counts = palette.map(() => 0);
      for (let i = 0; i < data.length; i += 4) {
        // A region colour is white + t·(class colour − white), t in [0.25, 0.75].
        palette.forEach((c, k) => {
          const d = c.map((v) => v - 255);
          const p = [data[i] - 255, data[i + 1] - 255, data[i + 2] - 255];
          const t = (p[0] * d[0] + p[1] * d[1] + p[2] * d[2]) / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
          const off = Math.hypot(p[0] - t * d[0], p[1] - t * d[1], p[2] - t * d[2]);
          if (t > 0.2 && t < 0.8 && off < 6) counts[k] += 1;
        });
      }
      return counts.map((n) => n / (data.length / 4));
    });
  });
}

const { context, close } = await launch();
try {
  // The paper's configuration, reduced.
  const page = await openAndWait(context, `${base}/index.html?seeds=3&epochs=60&autorun=1`, 240000);
  check(await page.evaluate(() => document.body.dataset.state) === 'done', 'paper reduced: the page reaches state done');
  const results = await page.evaluate(() => window.playground.results());
  compareRuns('paper reduced', results, 9);
  const shares = await classShares(page);
  check(shares.length === 3, `three boundaries drawn (${shares.length})`);
  for (const [k, s] of shares.entries()) {
    check(s[0] > 0.05 && s[1] > 0.05, `boundary ${k + 1}: class colours cover ${(100 * s[0]).toFixed(1)}% and ${(100 * s[1]).toFixed(1)}%`);
  }
  const text = await page.evaluate(() => document.body.innerText);
  check(!/\bNaN\b/.test(text), 'no NaN anywhere on the page');
  await page.screenshot({ path: shot, fullPage: true });
  check(page.problems.length === 0, `no console error (${page.problems.join('; ') || 'none'})`);
  await page.close();

  // A learning rate that diverges: the core refuses the step and the page says so.
  const bad = await openAndWait(context,
    `${base}/index.html?hidden=64,64,64,64,64,64&lr=1000&seeds=1&inits=he&epochs=10&samples=300&autorun=1`, 60000);
  const message = await bad.evaluate(() => document.getElementById('message').innerText);
  const badRun = await bad.evaluate(() => window.playground.results()?.runs[0]);
  check(/training diverged/.test(message) && /refused the step/.test(message), `refusal in words: "${message.slice(0, 140)}…"`);
  check(badRun && badRun.error && badRun.epochs < 10, `the run stopped at epoch ${badRun && badRun.epochs}: ${badRun && badRun.error}`);
  check(!/\bNaN\b/.test(await bad.evaluate(() => document.body.innerText)), 'no NaN after divergence');
  check(bad.problems.length === 0, `no console error (${bad.problems.join('; ') || 'none'})`);
  await bad.close();

  // The single-file page, from file://: He, seed 0 is the same run as in the study above.
  const one = await openAndWait(context, `file://${path.resolve(standalone)}?seeds=1&inits=he&epochs=60&workers=1&autorun=1`, 120000);
  compareRuns('standalone from file://', await one.evaluate(() => window.playground.results()), 1);
  check(one.problems.length === 0, `no console error (${one.problems.join('; ') || 'none'})`);
  await one.close();
} finally {
  await close();
}
console.log(failures ? `playground check: ${failures} failed` : 'playground check: all passed');
process.exit(failures ? 1 : 0);
