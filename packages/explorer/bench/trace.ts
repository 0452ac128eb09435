import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { explorerHtmlPath } from '../src/index';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
const stage = process.env.STAGE ?? 'softmax';
const code = process.env.CHANGE ?? 'seed';
await page.goto(`${pathToFileURL(explorerHtmlPath()).href}?seq=16&dmodel=32&heads=2&causal=1&stage=${stage}`);
await page.waitForFunction(() => window.attogradReady === true, null, { timeout: 600_000 });
const N = 10;
await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
const painted: number[] = [];
for (let i = 0; i < N; i++) {
  painted.push(
    await page.evaluate(
      ({ i, code }) =>
        new Promise<number>((done) => {
          const t0 = performance.now();
          console.timeStamp('change-start');
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
            setTimeout(() => {
              console.timeStamp('change-end');
              done(performance.now() - t0);
            }, 0),
          );
        }),
      { i, code },
    ),
  );
  await page.waitForFunction(() => document.querySelector('[data-slot]') === null);
  if (process.env.WAIT) await page.waitForFunction(() => window.attogradReady === true, null, { timeout: 600_000 });
  await page.evaluate(() => new Promise((idle) => requestIdleCallback(() => idle(null), { timeout: 5000 })));
}
const buf = await browser.stopTracing();
const events = JSON.parse(buf.toString()).traceEvents as any[];
const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain');
const sums = new Map<string, number>();
const marks = events.filter((e) => e.name === 'TimeStamp' && e.tid === main?.tid).map((e) => [e.args.data.message, e.ts]);
const windows: Array<[number, number]> = [];
for (let i = 0; i + 1 < marks.length; i++)
  if (marks[i][0] === 'change-start' && marks[i + 1][0] === 'change-end') windows.push([marks[i][1], marks[i + 1][1]]);
console.log('windows', windows.length);
for (const e of events) {
  if (e.ph !== 'X' || e.tid !== main?.tid || e.pid !== main?.pid) continue;
  if (process.env.ALL === undefined && !windows.some(([a, b]) => e.ts >= a && e.ts <= b)) continue;
  sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000);
}
console.log('painted', painted.map((p) => p.toFixed(0)).join(' '));
console.log(
  [...sums.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 18)
    .map(([k, v]) => `${(v / N).toFixed(1)}ms/change ${k}`)
    .join('\n'),
);
await browser.close();
