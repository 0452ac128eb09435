/**
 * Where a change's time goes (a diagnostic, not a benchmark): in headless Chromium, makes CHANGE
 * (seed | mask | delta; default seed) REPEATS times (default 10) at T = 16, d = 32 on STAGE
 * (default softmax), and prints
 *  - per change: the time until the frame is painted, and the page's own compute and render time;
 *  - the renderer main thread's trace events summed inside the change windows (script, style,
 *    layout, paint…) per change;
 *  - the sampled JavaScript self time per function over the whole run (the frame and what the page
 *    does after it), and the callers of the functions named in CALLERS (comma-separated).
 * Build the page unminified for readable names: `EXPLORER_MINIFY=0 npx tsx build.ts`.
 * Run: `npx tsx bench/profile.ts` (PAGE=path/to/explorer.html profiles another build).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { explorerHtmlPath } from '../src/index';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; lineNumber: number };
  children?: number[];
}
interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args: { name?: string; data?: { message?: string } };
}

const change = process.env.CHANGE ?? 'seed';
const stage = process.env.STAGE ?? 'softmax';
const repeats = Number(process.env.REPEATS ?? 10);
const page_ = process.env.PAGE === undefined ? explorerHtmlPath() : resolve(process.env.PAGE);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
await page.goto(`${pathToFileURL(page_).href}?seq=16&dmodel=32&heads=2&causal=1&stage=${stage}`);
await page.waitForFunction(() => window.attogradReady === true, null, { timeout: 600_000 });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await browser.startTracing(page, { categories: ['devtools.timeline'] });
await cdp.send('Profiler.start');
const rows: string[] = [];
for (let i = 0; i < repeats; i++) {
  const [painted, compute, render] = await page.evaluate(
    ({ i, change }) =>
      new Promise<number[]>((done) => {
        const t0 = performance.now();
        console.timeStamp('change-start');
        if (change === 'seed') {
          const e = document.getElementById('seed') as HTMLInputElement;
          e.value = String(i + 1);
          e.dispatchEvent(new Event('change', { bubbles: true }));
        }
        if (change === 'mask') (document.querySelector('[data-mask-cell="1,0"]') as HTMLElement).click();
        if (change === 'delta') {
          const e = document.getElementById('delta') as HTMLInputElement;
          e.value = String(0.05 * (i + 1));
          e.dispatchEvent(new Event('input', { bubbles: true }));
        }
        requestAnimationFrame(() =>
          setTimeout(() => {
            console.timeStamp('change-end');
            const timing = window.attogradTiming!;
            done([performance.now() - t0, timing.compute, timing.render]);
          }, 0),
        );
      }),
    { i, change },
  );
  rows.push(`${painted.toFixed(1)} (compute ${compute.toFixed(1)}, render ${render.toFixed(1)})`);
  await page.waitForFunction(() => document.querySelector('[data-slot]') === null);
  await page.evaluate(() => new Promise((idle) => requestIdleCallback(() => idle(null), { timeout: 5000 })));
}
const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents;
await browser.close();

console.log(`${change} changes on ${stage}, ms until painted:\n  ${rows.join('\n  ')}`);

// Trace: the renderer main thread's complete events inside the change windows.
const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain');
const onMain = (e: TraceEvent): boolean => main !== undefined && e.pid === main.pid && e.tid === main.tid;
const marks = events.filter((e) => e.name === 'TimeStamp' && onMain(e)).map((e) => ({ message: e.args.data?.message, ts: e.ts }));
const windows: Array<[number, number]> = [];
for (let i = 0; i + 1 < marks.length; i++)
  if (marks[i].message === 'change-start' && marks[i + 1].message === 'change-end') windows.push([marks[i].ts, marks[i + 1].ts]);
const inWindows = new Map<string, number>();
for (const e of events)
  if (e.ph === 'X' && onMain(e) && windows.some(([from, to]) => e.ts >= from && e.ts <= to))
    inWindows.set(e.name, (inWindows.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
console.log(`\nmain thread inside the ${windows.length} change windows, ms per change (nested events overlap):`);
for (const [name, ms] of [...inWindows].sort((a, b) => b[1] - a[1]).slice(0, 14))
  console.log(`  ${(ms / windows.length).toFixed(1)} ${name}`);

// CPU profile: self time per function, and callers.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const label = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber}`;
const perFunction = new Map<string, number>();
for (const [id, ms] of selfTime) perFunction.set(label(byId.get(id)!), (perFunction.get(label(byId.get(id)!)) ?? 0) + ms);
console.log(`\nJavaScript self time over the run, ms per change:`);
for (const [name, ms] of [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${(ms / repeats).toFixed(1)} ${name}`);
for (const target of (process.env.CALLERS ?? '').split(',').filter(Boolean)) {
  const chains = new Map<string, number>();
  for (const [id, ms] of selfTime) {
    if (byId.get(id)!.callFrame.functionName !== target) continue;
    const chain: string[] = [];
    for (let at = parent.get(id); at !== undefined && chain.length < 5; at = parent.get(at)) chain.push(label(byId.get(at)!));
    chains.set(chain.join(' < '), (chains.get(chain.join(' < ')) ?? 0) + ms);
  }
  console.log(`\ncallers of ${target}, ms per change:`);
  for (const [chain, ms] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`  ${(ms / repeats).toFixed(1)} < ${chain}`);
}
