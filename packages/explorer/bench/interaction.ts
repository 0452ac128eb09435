/**
 * Benchmark (not a test): the time from a change to the updated view in headless Chromium —
 * dispatching the change event, recomputing, rendering, and the frame being painted (measured in a
 * timer queued from requestAnimationFrame: it runs once that frame is done). Work the page
 * deliberately leaves for after the frame (heatmaps off screen, the nudge's curves and step-size
 * sweep, the URL) and the verdicts' finite differences (in a worker) are not in that time; the
 * verdicts are timed separately ("checks ready", first change of each kind).
 * Run: `pnpm --filter @attograd/explorer bench` (after `build`). Prints a Markdown table.
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
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

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
console.log(`load average before: ${load()}`);
console.log('| T | d | change (stage shown) | median ms | min ms | IQR ms | page work ms (compute + render, median) | checks ready ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const { seq, dmodel } of sizes) {
  for (const stage of ['softmax', 'projection']) {
    await page.goto(`${pathToFileURL(explorerHtmlPath()).href}?seq=${seq}&dmodel=${dmodel}&heads=2&causal=1&stage=${stage}`);
    await page.waitForFunction(() => window.attogradReady === true, null, { timeout: 600_000 });
    const changes: Array<[string, string]> = [
      ['seed', 'seed'],
      ['mask cell', 'mask'],
      ['nudge δ', 'delta'],
    ];
    for (const [name, change] of changes) {
      const totals: number[] = [];
      const work: number[] = [];
      let checks = Number.NaN;
      for (let i = 0; i < REPEATS; i++) {
        // Each change is dispatched and timed inside the page, in one evaluate: no round trip to the driver is counted.
        const [painted, total] = await page.evaluate(
          ({ code, i }) =>
            new Promise<number[]>((done) => {
              const t0 = performance.now();
              (window as unknown as { t0: number }).t0 = t0;
              if (code === 'seed') {
                const e = document.getElementById('seed') as HTMLInputElement;
                e.value = String(i + 1);
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
          { code: change, i },
        );
        if (i === 0) {
          checks = await page
            .waitForFunction(() => window.attogradReady === true, null, { timeout: CHECK_WAIT_MS })
            .then(
              () => page.evaluate(() => performance.now() - (window as unknown as { t0: number }).t0),
              () => Number.POSITIVE_INFINITY,
            );
        }
        totals.push(painted);
        work.push(total);
        // Let the page finish what it left for after the frame (off-screen heatmaps, the nudge's curves) before the next change.
        await page.waitForFunction(() => document.querySelector('[data-slot]') === null, null, { timeout: CHECK_WAIT_MS });
        await page.evaluate(() => new Promise((idle) => requestIdleCallback(() => idle(null), { timeout: 5000 })));
      }
      const iqr = quantile(totals, 0.75) - quantile(totals, 0.25);
      console.log(
        `| ${seq} | ${dmodel} | ${name} (${stage}) | ${quantile(totals, 0.5).toFixed(1)} | ${Math.min(...totals).toFixed(1)} | ${iqr.toFixed(1)} | ${quantile(work, 0.5).toFixed(1)} | ${Number.isFinite(checks) ? checks.toFixed(0) : `> ${CHECK_WAIT_MS}`} |`,
      );
    }
  }
}
console.log(`load average after: ${load()} (${(await import('node:os')).cpus().length} cores)`);
await browser.close();
