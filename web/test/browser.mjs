// Headless Chromium for the playground's check and benchmark: Debian's /usr/bin/chromium driven
// by playwright-core (`npx playwright install` is not needed), a fresh empty profile each time.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** A browser context on a new empty profile (`profile`, its folder); `close()` removes it. */
export async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true, // --headless
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close, profile };
}

/**
 * Opens `url` in a new page and waits until the page's state is `done` (or `error`); console
 * errors and uncaught exceptions are collected in `page.problems`.
 */
export async function openAndWait(context, url, timeoutMs) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(`uncaught: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null,
    { timeout: timeoutMs, polling: 250 });
  return page;
}

/**
 * CPU seconds (user + system) so far of every live process of the browser started on `profile`
 * (found by the profile folder in its command line), by process id: Linux's /proc.
 */
export function cpuSeconds(profile) {
  const out = new Map();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profile)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100); // utime, stime in 1/100 s
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}
