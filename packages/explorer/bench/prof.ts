import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { explorerHtmlPath } from '../src/index';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
const stage = process.env.STAGE ?? 'softmax';
await page.goto(
  `${pathToFileURL(process.env.PAGE ?? explorerHtmlPath()).href}?seq=16&dmodel=32&heads=2&causal=1&stage=${stage}#${process.env.CHANGE ?? 'seed'}`,
);
await page.waitForFunction(() => window.attogradReady === true, null, { timeout: 600_000 });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
const timings: unknown[] = [];
await cdp.send('Profiler.start');
for (let i = 0; i < 20; i++) {
  const r = await page.evaluate(
    (i) =>
      new Promise<unknown>((done) => {
        const t0 = performance.now();
        if (location.hash === '#delta') {
          const e = document.getElementById('delta') as HTMLInputElement;
          e.value = String(0.05 * (i + 1));
          e.dispatchEvent(new Event('input', { bubbles: true }));
        } else {
          const e = document.getElementById('seed') as HTMLInputElement;
          e.value = String(i + 1);
          e.dispatchEvent(new Event('change', { bubbles: true }));
        }
        requestAnimationFrame(() => setTimeout(() => done({ painted: performance.now() - t0, ...(window as any).attogradTiming }), 0));
      }),
    i,
  );
  timings.push(r);
  await page.waitForTimeout(300);
}
const { profile } = await cdp.send('Profiler.stop');
console.log(timings.map((t: any) => `${t.painted.toFixed(1)} c${t.compute.toFixed(1)} r${t.render.toFixed(1)}`).join('\n'));
// self time per function
const self = new Map<string, number>();
const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas;
const counts = new Map<number, number>();
profile.samples.forEach((s: number, i: number) => counts.set(s, (counts.get(s) ?? 0) + (dt[i] ?? 0)));
for (const [id, t] of counts) {
  const n: any = byId.get(id);
  const k = `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + t);
}
console.log(
  [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .map(([k, v]) => `${(v / 1000).toFixed(1)}ms ${k}`)
    .join('\n'),
);
await browser.close();
// callers of a function (by name) with their sample time
const parent = new Map<number, number>();
for (const n of profile.nodes as any[]) for (const c of n.children ?? []) parent.set(c, n.id);
for (const target of (process.env.CALLERS ?? '').split(',').filter(Boolean)) {
  const chains = new Map<string, number>();
  for (const [id, t] of counts) {
    const n: any = byId.get(id);
    if (n.callFrame.functionName !== target) continue;
    let chain = '';
    let p = parent.get(id);
    let depth = 0;
    while (p !== undefined && depth < 5) {
      const pn: any = byId.get(p);
      chain += ` < ${pn.callFrame.functionName}:${pn.callFrame.lineNumber}`;
      p = parent.get(p);
      depth++;
    }
    chains.set(chain, (chains.get(chain) ?? 0) + t);
  }
  console.log(
    target,
    [...chains.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, v]) => `${(v / 1000).toFixed(0)}ms${k}`)
      .join('\n'),
  );
}
