/**
 * Benchmark (not a test): the time from a change to the updated view in headless Chromium —
 * dispatching the change event, recomputing, rendering, and the next frame (requestAnimationFrame,
 * then a timer: the frame has been painted when it fires). The verdicts' finite differences run after that, in the
 * background, and are timed separately ("checks ready").
 * Run: `pnpm --filter @attograd/explorer bench` (after `build`).
 */
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { explorerHtmlPath } from '../src/index';

const SIZES = [
  { seq: 4, dmodel: 8 },
  { seq: 8, dmodel: 16 },
  { seq: 16, dmodel: 32 },
];
const REPEATS = 5;
/** How long to wait for the verdicts after a change before the next one (they are abandoned by the next change). */
const CHECK_WAIT_MS = 30_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
console.log(
  `load average: ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')} on ${(await import('node:os')).cpus().length} cores`,
);
console.log('| T | d | change | median ms (to painted view) | min ms | compute ms | render ms | verdicts ready ms (first change) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const { seq, dmodel } of SIZES) {
  for (const stage of ['softmax', 'projection']) {
    await page.goto(`${pathToFileURL(explorerHtmlPath()).href}?seq=${seq}&dmodel=${dmodel}&heads=2&causal=1&stage=${stage}`);
    await page.waitForFunction(() => document.body.dataset.generation !== undefined, null, { timeout: 600_000 });
    // Each change is dispatched and timed inside the page, in one evaluate: no round-trip to the driver is counted.
    const changes: Array<[string, string]> = [
      ['seed', 'seed'],
      ['mask cell', 'mask'],
      ['nudge δ', 'delta'],
    ];
    for (const [name, change] of changes) {
      const totals: number[] = [];
      const computes: number[] = [];
      const renders: number[] = [];
      const checks: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const [painted, compute, render] = await page.evaluate(
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
              requestAnimationFrame(() =>
                setTimeout(() => done([performance.now() - t0, window.attogradTiming!.compute, window.attogradTiming!.render]), 0),
              );
            }),
          { code: change, i },
        );
        // The verdicts are timed after the first change of each kind only (the next change drops the job).
        if (i === 0) {
          const ready = await page
            .waitForFunction(() => window.attogradReady === true, null, { timeout: CHECK_WAIT_MS })
            .then(
              () => page.evaluate(() => performance.now() - (window as unknown as { t0: number }).t0),
              () => Number.POSITIVE_INFINITY,
            );
          checks.push(ready);
        }
        totals.push(painted);
        computes.push(compute);
        renders.push(render);
      }
      console.log(
        `| ${seq} | ${dmodel} | ${name} (${stage}) | ${median(totals).toFixed(1)} | ${Math.min(...totals).toFixed(1)} | ${median(computes).toFixed(1)} | ${median(renders).toFixed(1)} | ${Number.isFinite(checks[0]) ? checks[0].toFixed(0) : `> ${CHECK_WAIT_MS}`} |`,
      );
    }
  }
}
await browser.close();
