/**
 * Benchmark (not a test): the time from a change to the updated view in headless Chromium —
 * dispatching the change event, recomputing, rendering, and the frame being painted (measured in a
 * timer queued from requestAnimationFrame: it runs once that frame is done). Work the page
 * deliberately leaves for after the frame (heatmaps off screen, the nudge's curves and step-size
 * sweep, the URL) and the verdicts' finite differences (in a worker) are not in that time; the
 * verdicts are timed separately ("checks ready", first change of each kind). Before each change the
 * page is let settle (its work after the frame done), except in the "back to back" row, where seed
 * changes follow each other one frame apart, as when a learner holds the arrow key in the seed field.
 * Run: `pnpm --filter @attograd/explorer bench` (after `build`). Prints a Markdown table.
 * `BASELINE=other/explorer.html` also measures another build of the page, interleaved change by change.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { explorerHtmlPath } from '../src/index';

const SIZES = [
  { seq: 4, dmodel: 8 },
  { seq: 8, dmodel: 16 },
  { seq: 16, dmodel: 32 },
];
// ONLY=16 measures one size (T = 16, d = 32) only.
const sizes = process.env.ONLY === undefined ? SIZES : SIZES.filter((size) => String(size.seq) === process.env.ONLY);
const REPEATS = Number(process.env.REPEATS ?? 9);
/** How long to wait for the verdicts after a change before going on (the next change drops them). */
const CHECK_WAIT_MS = 60_000;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');

// BASELINE=path/to/other/explorer.html: the same changes on that page too, interleaved one by one
// with this build's (one process, one browser, same load), each reported in its own row. Each page's
// verdict worker keeps running while the other page is timed, so both rows are slower than a run of
// one page alone: compare the two rows with each other only.
const builds: Array<{ name: string; href: string }> = [{ name: 'this build', href: pathToFileURL(explorerHtmlPath()).href }];
if (process.env.BASELINE !== undefined) builds.push({ name: 'baseline', href: pathToFileURL(resolve(process.env.BASELINE)).href });

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const pages: Page[] = [];
for (const _ of builds) pages.push(await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage());
console.log(`load average before: ${load()}`);
const column = builds.length > 1 ? ' build |' : '';
console.log(
  `|${column} T | d | change (stage shown) | median ms | min ms | IQR ms | page work ms (compute + render, median) | checks ready ms |`,
);
console.log(`|${builds.length > 1 ? ' --- |' : ''} --- | --- | --- | --- | --- | --- | --- | --- |`);

/** One change, dispatched and timed inside the page in one evaluate (no round trip to the driver is counted). */
function change(page: Page, code: string, i: number): Promise<number[]> {
  return page.evaluate(
    ({ code, i }) =>
      new Promise<number[]>((done) => {
        const t0 = performance.now();
        (window as unknown as { t0: number }).t0 = t0;
        if (code === 'seed') {
          const e = document.getElementById('seed') as HTMLInputElement;
          e.value = String(Number(e.value) + 1);
          e.dispatchEvent(new Event('change', { bubbles: true }));
        }
        if (code === 'mask') (document.querySelector('[data-mask-cell="1,0"]') as HTMLElement).click();
        if (code === 'delta') {
          const e = document.getElementById('delta') as HTMLInputElement;
          e.value = String(0.05 * (i + 1));
          e.dispatchEvent(new Event('input', { bubbles: true }));
        }
        requestAnimationFrame(() => setTimeout(() => done([performance.now() - t0, window.attogradTiming!.total]), 0));
      }),
    { code, i },
  );
}

for (const { seq, dmodel } of sizes) {
  for (const stage of ['softmax', 'projection']) {
    for (const [b, build] of builds.entries()) {
      await pages[b].goto(`${build.href}?seq=${seq}&dmodel=${dmodel}&heads=2&causal=1&stage=${stage}`);
      await pages[b].waitForFunction(() => window.attogradReady === true, null, { timeout: 600_000 });
    }
    // The last kind does not let the page settle between changes: each seed change comes right after the
    // previous frame, while that change's work after the frame (cells, curves) is still queued.
    const changes: Array<[string, string, boolean]> = [
      ['seed', 'seed', true],
      ['mask cell', 'mask', true],
      ['nudge δ', 'delta', true],
      ['seed, back to back', 'seed', false],
    ];
    for (const [name, code, settle] of changes) {
      const totals = builds.map((): number[] => []);
      const work = builds.map((): number[] => []);
      const checks = builds.map(() => Number.NaN);
      for (let i = 0; i < REPEATS; i++) {
        for (const [b, page] of pages.entries()) {
          const [painted, total] = await change(page, code, i);
          if (i === 0) {
            checks[b] = await page
              .waitForFunction(() => window.attogradReady === true, null, { timeout: CHECK_WAIT_MS })
              .then(
                () => page.evaluate(() => performance.now() - (window as unknown as { t0: number }).t0),
                () => Number.POSITIVE_INFINITY,
              );
          }
          totals[b].push(painted);
          work[b].push(total);
          if (!settle) continue;
          // Let the page finish what it left for after the frame (off-screen heatmaps, the nudge's curves) before the next change.
          await page.waitForFunction(() => document.querySelector('[data-slot]') === null, null, { timeout: CHECK_WAIT_MS });
          await page.evaluate(() => new Promise((idle) => requestIdleCallback(() => idle(null), { timeout: 5000 })));
        }
      }
      for (const [b, build] of builds.entries()) {
        const iqr = quantile(totals[b], 0.75) - quantile(totals[b], 0.25);
        const check = Number.isFinite(checks[b]) ? checks[b].toFixed(0) : `> ${CHECK_WAIT_MS}`;
        console.log(
          `|${builds.length > 1 ? ` ${build.name} |` : ''} ${seq} | ${dmodel} | ${name} (${stage}) | ${quantile(totals[b], 0.5).toFixed(1)} | ${Math.min(...totals[b]).toFixed(1)} | ${iqr.toFixed(1)} | ${quantile(work[b], 0.5).toFixed(1)} | ${check} |`,
        );
      }
    }
  }
}
console.log(`load average after: ${load()} (${(await import('node:os')).cpus().length} cores)`);
await browser.close();
