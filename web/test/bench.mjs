// The playground's speed in headless Chromium (a benchmark, not a test): the paper's full study
// (3 initializers × 10 seeds × 250 epochs) with one worker and with two, and the default network's
// single run (He, seed 0) as it animates, boundary and charts drawn as it trains.
//
//   node web/test/bench.mjs BASE_URL [ROUNDS]
// Wall time is from Play to done; CPU time is the browser's processes' (user + system, the
// renderer's workers and main thread included) over the same page, as /usr/bin/time reports the
// native harness's. Prints one line per measurement and a Markdown table of the best round.
import { launch, openAndWait, cpuSeconds } from './browser.mjs';

const [base, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg) || 1;
const cases = [
  ['paper study, 1 worker', 'autorun=1&workers=1', 30 * 250],
  ['paper study, 2 workers', 'autorun=1&workers=2', 30 * 250],
  ['one run (He, seed 0), animated', 'seeds=1&inits=he&workers=1&autorun=1', 250],
];
const best = {};
const { context, close, profile } = await launch();
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [name, q, runEpochs] of cases) {
      const before = cpuSeconds(profile);
      const page = await openAndWait(context, `${base}/index.html?${q}`, 30 * 60 * 1000);
      const after = cpuSeconds(profile);
      let cpu = 0;
      for (const [pid, t] of after) cpu += t - (before.get(pid) || 0);
      const t = await page.evaluate(() => window.playground.timing());
      const state = await page.evaluate(() => document.body.dataset.state);
      await page.close();
      if (state !== 'done') throw new Error(`${name}: state ${state}`);
      const s = t.wallMs / 1000;
      console.log(`round ${round}: ${name}: ${s.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, ${(runEpochs / s).toFixed(1)} run-epochs/s; in the module ${t.trainMs.map((m) => (m / 1000).toFixed(2)).join(' + ')} s`);
      const b = best[name];
      if (!b || s < b.s) best[name] = { ...b, s, runEpochs, trainMs: t.trainMs };
      best[name].cpu = Math.min(best[name].cpu ?? Infinity, cpu);
    }
  }
} finally {
  await close();
}
console.log('\n| case (best of rounds) | wall (s) | CPU (s) | run-epochs/s | in the module per worker (s) |\n|---|---|---|---|---|');
for (const [name] of cases) {
  const b = best[name];
  console.log(`| ${name} | ${b.s.toFixed(2)} | ${b.cpu.toFixed(2)} | ${(b.runEpochs / b.s).toFixed(1)} | ${b.trainMs.map((m) => (m / 1000).toFixed(2)).join(', ')} |`);
}
