// The playground's speed in headless Chromium (a benchmark, not a test): the paper's full study
// (3 initializers × 10 seeds × 250 epochs) with one worker and with two, and the default network's
// single run (He, seed 0) as it animates, boundary and charts drawn as it trains.
//
//   node web/test/bench.mjs BASE_URL [ROUNDS]
// Prints one line per measurement and a Markdown table of the best round of each.
import { launch, openAndWait } from './browser.mjs';

const [base, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg) || 1;
const cases = [
  ['paper study, 1 worker', 'autorun=1&workers=1', 30 * 250],
  ['paper study, 2 workers', 'autorun=1&workers=2', 30 * 250],
  ['one run (He, seed 0), animated', 'seeds=1&inits=he&workers=1&autorun=1', 250],
];
const best = {};
const { context, close } = await launch();
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [name, q, runEpochs] of cases) {
      const page = await openAndWait(context, `${base}/index.html?${q}`, 30 * 60 * 1000);
      const t = await page.evaluate(() => window.playground.timing());
      const state = await page.evaluate(() => document.body.dataset.state);
      await page.close();
      if (state !== 'done') throw new Error(`${name}: state ${state}`);
      const s = t.wallMs / 1000;
      console.log(`round ${round}: ${name}: ${s.toFixed(2)} s wall, ${(runEpochs / s).toFixed(1)} run-epochs/s; in the module ${t.trainMs.map((m) => (m / 1000).toFixed(2)).join(' + ')} s`);
      if (!best[name] || s < best[name].s) best[name] = { s, runEpochs, trainMs: t.trainMs };
    }
  }
} finally {
  await close();
}
console.log('\n| case | wall time (s) | run-epochs/s | time in the module per worker (s) |\n|---|---|---|---|');
for (const [name] of cases) {
  const b = best[name];
  console.log(`| ${name} | ${b.s.toFixed(2)} | ${(b.runEpochs / b.s).toFixed(1)} | ${b.trainMs.map((m) => (m / 1000).toFixed(2)).join(', ')} |`);
}
