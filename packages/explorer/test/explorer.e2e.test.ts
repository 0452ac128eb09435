import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { causalMask, residualLayerNorm, stageByKey, stages, traceMultiHeadAttention } from '@attograd/attention';
import { derivations } from '@attograd/ops';
import { gradients, noGrad, randn, rng, Tensor } from '@attograd/tensor';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELL } from '../src/app/heatmap';
import { hoverCell } from './hover-cell';
import { explorerHtmlPath, serveExplorer, writeExplorer, type ExplorerServer } from '../src/index';
import { mistakes } from '../src/mistakes';

/**
 * The explorer in a real browser: headless Chromium (Debian's `chromium`) driven by
 * playwright-core, as the other browser tests. Skipped with a message where Chromium is absent,
 * except where ATTOGRAD_REQUIRE_BROWSER=1 (CI): there a missing browser fails the suite.
 * Every value read from the page's data-* attributes is compared with attograd run here in Node
 * — by autograd through the attention package, not by the page's code.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const missing = `${CHROMIUM} is absent (install it with: apt-get install -y chromium fonts-noto-cjk)`;
if (!hasChromium && process.env.ATTOGRAD_REQUIRE_BROWSER === '1') throw new Error(`explorer.e2e.test.ts: ${missing}`);
if (!hasChromium) console.warn(`explorer.e2e.test.ts SKIPPED: ${missing}`);
if (hasChromium && !existsSync(explorerHtmlPath()))
  throw new Error('explorer.e2e.test.ts: build the page first (pnpm --filter @attograd/explorer build)');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Settings {
  seq: number;
  dModel: number;
  heads: number;
  seed: number;
  mask?: Tensor;
  /** float32: the leaves, mask and dY cast as the page casts them, every kernel then in float32. */
  dtype?: 'float64' | 'float32';
}

/**
 * attograd in Node: the block — multi-head attention with W_o (`traceMultiHeadAttention`), then the
 * residual and layer norm — on the stages' own seeded inputs, its seeded cotangent dY and the
 * autograd gradients of the values the tests read.
 */
function node({ seq, dModel, heads, seed, mask: mask64, dtype = 'float64' }: Settings) {
  const sizes = { seq, dModel, heads, seed };
  const cast = <T extends Record<string, Tensor>>(made: T): T =>
    dtype === 'float64'
      ? made
      : (Object.fromEntries(
          Object.entries(made).map(([name, t]) => [name, new Tensor(t.detach().to(dtype).data, t.shape, { requiresGrad: t.requiresGrad })]),
        ) as T);
  const { x, wq, wk, wv } = cast(stageByKey('projection').makeInputs(sizes));
  const { wo } = cast(stageByKey('outputProjection').makeInputs(sizes));
  const { gamma, beta } = cast(stageByKey('residualLayerNorm').makeInputs(sizes));
  const mask = mask64?.to(dtype);
  const forward = (input: Tensor) => {
    const attention = traceMultiHeadAttention(input, { wq, wk, wv, wo }, { heads, mask });
    return { ...attention.heads, y: residualLayerNorm(input, attention.out, { gamma, beta }) };
  };
  const trace = forward(x);
  const dY = randn(trace.y.shape, { rng: rng(seed + 1_000_003), dtype });
  const [dSHat, dS, dX, dWo] = gradients(trace.y, [trace.sHat, trace.s, x, wo], { gradOutput: dY, retainGraph: true });
  const loss = (moved: Tensor): number =>
    noGrad(() => {
      const y = forward(moved).y;
      let total = 0;
      for (let i = 0; i < y.size; i++) total += y.data[i] * dY.data[i];
      return total;
    });
  return { trace, dY, dSHat, dS, dX, dWo, wo, loss, x };
}

interface Cell {
  index: string;
  value: number;
}

async function cells(page: Page, stage: string, tensor: string): Promise<Cell[]> {
  await page.waitForSelector(`#entry-title[data-entry="${stage}"]`);
  // Heatmaps off screen are filled a few tasks after the frame: wait until none is left empty.
  await page.waitForFunction(() => document.querySelector('#entry [data-slot]') === null);
  return page.$$eval(`#entry [data-tensor="${tensor}"]`, (list) =>
    list.map((e) => ({ index: (e as HTMLElement).dataset.index!, value: Number((e as HTMLElement).dataset.value) })),
  );
}

function expectClose(found: Cell[], expected: Tensor, tolerance = 1e-12): void {
  expect(found.length).toBe(expected.size);
  found.forEach((cell, i) => {
    const want = expected.data[i];
    expect(Math.abs(cell.value - want), `cell ${cell.index}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(want)));
  });
}

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => window.attogradReady === true, null, { timeout: 30_000 });
}

async function statuses(page: Page): Promise<Record<string, string>> {
  return page.$$eval('[data-role="verdict"]', (list) =>
    Object.fromEntries(list.map((e) => [(e as HTMLElement).dataset.stage, (e as HTMLElement).dataset.status])),
  );
}

describe.skipIf(!hasChromium)('attograd explore in headless Chromium', () => {
  let context: BrowserContext;
  let server: ExplorerServer;
  let workDir: string;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'attograd-explore-'));
    server = await serveExplorer();
    context = await chromium.launchPersistentContext(join(workDir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1300, height: 900 },
    });
    // Block everything but the page's own origin (and file:// for the static copy); record all.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url.startsWith(server.url) || url.startsWith('file://') || url.startsWith('blob:') ? route.continue() : route.abort();
    });
    context.on('page', (page) => {
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function open(search: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${server.url}${search}`);
    await ready(page);
    return page;
  }

  it('opens a shared URL in Korean with the settings it names, values equal to attograd in Node (1e-12)', async () => {
    const page = await open('?seq=4&dmodel=8&heads=2&causal=1&seed=7&lang=ko&stage=softmax');
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    const want = node({ seq: 4, dModel: 8, heads: 2, seed: 7, mask: causalMask(4) });
    expectClose(await cells(page, 'softmax', 'P'), want.trace.p);
    expectClose(await cells(page, 'softmax', 'SHat'), want.trace.sHat);
    expectClose(await cells(page, 'softmax', 'dSHat'), want.dSHat);
    // Korean: the page's own headings and the registry's stage title are Korean, not English.
    const headings = await page.$$eval('h1, h2, h3', (list) => list.map((e) => e.textContent ?? ''));
    expect(headings.join(' ')).toMatch(/[\uac00-\ud7a3]/);
    expect(headings).not.toContain('Forward values');
    expect(await page.textContent('#entry-title')).toBe(stages.find((s) => s.key === 'softmax')!.title.ko);
    // The ops' chain-rule steps are the Korean ones (prose in Korean, math typeset).
    const steps = await page.$$eval('#entry details ol li', (list) => list.map((e) => e.textContent ?? ''));
    const korean = stages.find((s) => s.key === 'softmax')!.ops.flatMap((op) => derivations[op].ko.steps);
    expect(steps.length).toBe(korean.length);
    const hangul = (list: readonly string[]): number => list.filter((step) => /[\uac00-\ud7a3]/.test(step)).length;
    expect(hangul(korean)).toBeGreaterThan(0);
    expect(hangul(steps)).toBe(hangul(korean));
    expect(Object.values(await statuses(page)).every((s) => s === 'pass')).toBe(true);
    // The output projection (W_o) is walked like every other stage, its gradient as in Node.
    await page.click('[data-stage-button="outputProjection"]');
    expectClose(await cells(page, 'outputProjection', 'Wo'), want.wo);
    expectClose(await cells(page, 'outputProjection', 'dWo'), want.dWo);
    await page.close();
  });

  it('recomputes when the sizes, seed and mask change, and keeps the state in the URL for a reload', async () => {
    const page = await open('?stage=scores');
    await page.fill('#seq', '5');
    await page.fill('#dmodel', '6');
    await page.fill('#heads', '3');
    await page.fill('#seed', '3');
    await page.dispatchEvent('#seed', 'change');
    await ready(page);
    expect(page.url()).toContain('seq=5');
    expect(page.url()).toContain('dmodel=6');
    expect(page.url()).toContain('heads=3');
    let want = node({ seq: 5, dModel: 6, heads: 3, seed: 3 });
    expectClose(await cells(page, 'scores', 'S'), want.trace.s);
    expectClose(await cells(page, 'scores', 'dS'), want.dS);
    // Click mask cells: (2, 0) off, then (0, 3) on; the explicit mask goes into the URL.
    await page.click('[data-mask-cell="2,0"]');
    await ready(page);
    await page.click('[data-mask-cell="0,3"]');
    await ready(page);
    const bits = Array.from({ length: 25 }, (_, i) => (i === 10 || i === 3 ? 0 : 1));
    expect(new URL(page.url()).searchParams.get('mask')).toBe(bits.join(''));
    want = node({ seq: 5, dModel: 6, heads: 3, seed: 3, mask: new Tensor(Float64Array.from(bits), [5, 5]) });
    await page.click('[data-stage-button="softmax"]');
    await ready(page);
    const p = await cells(page, 'softmax', 'P');
    expectClose(p, want.trace.p);
    expect(p.filter((c) => c.index.endsWith('2,0')).every((c) => c.value === 0)).toBe(true);
    // float32: the values are float32 roundings of the float64 ones…
    await page.selectOption('#dtype', 'float32');
    await ready(page);
    expectClose(await cells(page, 'softmax', 'P'), want.trace.p, 1e-5);
    // …and, to a few float32 ulps, attograd's float32 computation in Node on the same settings. Node and
    // the page run the same library, but a kernel takes its WebAssembly SIMD path or its TypeScript one
    // depending on the engine, the size and (presumably) whether an asynchronously compiled module is
    // ready yet; the two paths sum in a different order. Measured (2026-11-30) at these settings: in
    // Node, WASM vs TS, P 3.0e-8, dŜ 1.2e-7, Y 1.5e-7, dX 3.4e-7 relative (≤ 3 ulps, ε₃₂ = 1.19e-7).
    // The page's Content-Security-Policy used to forbid compiling WebAssembly, so it ran the TS kernels
    // (P then matched Node's TS path bit for bit; dŜ neither path: 42 and 48 of 75 cells, ≤ 1.8e-7);
    // with 'wasm-unsafe-eval' it runs the WASM ones, and P still differs from Node's in the last bit of
    // some cells (Node 20 and Chromium 156 run different V8 versions; not traced further). Hence 1e-6. At these tiny sizes float32 and
    // float64 differ by as little (dŜ 1.9e-7), so no tolerance tells them apart: that the page computed
    // in float32 is checked by every value being a float32 number (Math.fround(v) === v).
    const want32 = node({ seq: 5, dModel: 6, heads: 3, seed: 3, mask: new Tensor(Float64Array.from(bits), [5, 5]), dtype: 'float32' });
    expect(want32.trace.p.dtype).toBe('float32');
    const before = { p: await cells(page, 'softmax', 'P'), dSHat: await cells(page, 'softmax', 'dSHat') };
    for (const cell of [...before.p, ...before.dSHat]) expect(Math.fround(cell.value), `cell ${cell.index}`).toBe(cell.value);
    expectClose(before.p, want32.trace.p, 1e-6);
    expectClose(before.dSHat, want32.dSHat, 1e-6);
    // Reload the shared URL in a new page: the same view, and again attograd's float32 values in Node
    // (not only the page compared with itself).
    const shared = page.url();
    const again = await context.newPage();
    await again.goto(shared);
    await ready(again);
    const after = { p: await cells(again, 'softmax', 'P'), dSHat: await cells(again, 'softmax', 'dSHat') };
    expectClose(after.p, want32.trace.p, 1e-6);
    expectClose(after.dSHat, want32.dSHat, 1e-6);
    expect(after).toEqual(before);
    expect(await again.inputValue('#dtype')).toBe('float32');
    expect(await again.textContent('#control-error')).toBe('');
    await again.close();
    // A link the page cannot show as written (a seed beyond ±1e9) says so instead of silently showing seed 0.
    const tooFar = await open('?seq=3&dmodel=4&seed=5000000000&stage=scores');
    expect(await tooFar.textContent('#control-error')).toContain('seed=5000000000');
    expect(await tooFar.inputValue('#seed')).toBe('0');
    await tooFar.close();
    await page.close();
  });

  it('a seed or mask change at the same stage redraws the maps on screen and off screen as attograd in Node (1e-12)', async () => {
    const page = await open('?seq=8&dmodel=16&heads=2&causal=1&seed=1&stage=outputProjection');
    // A short window, so that some maps are off screen.
    await page.setViewportSize({ width: 1300, height: 500 });
    // W_o on screen (drawn at once, from the positions read before the change), dW_o below the fold (drawn after the frame).
    await page.$eval('figure[data-map="ZHeads"]', (e) => e.scrollIntoView());
    const onScreen = (map: string) =>
      page.$eval(`figure[data-map="${map}"]`, (e) => {
        const box = e.getBoundingClientRect();
        return box.bottom >= 0 && box.top <= window.innerHeight;
      });
    expect(await onScreen('Wo')).toBe(true);
    expect(await onScreen('dWo')).toBe(false);
    const causal = causalMask(8);
    for (const seed of [2, 3]) {
      await page.fill('#seed', String(seed));
      await page.dispatchEvent('#seed', 'change');
      await ready(page);
      const want = node({ seq: 8, dModel: 16, heads: 2, seed, mask: causal });
      expectClose(await cells(page, 'outputProjection', 'Wo'), want.wo);
      expectClose(await cells(page, 'outputProjection', 'dWo'), want.dWo);
    }
    await page.click('[data-mask-cell="3,1"]');
    await ready(page);
    const bits = Float64Array.from(causal.data);
    bits[3 * 8 + 1] = 0;
    expectClose(
      await cells(page, 'outputProjection', 'dWo'),
      node({ seq: 8, dModel: 16, heads: 2, seed: 3, mask: new Tensor(bits, [8, 8]) }).dWo,
    );
    await page.close();
  });

  it("the picture shows the cells: each cell is drawn in its sign's hue, darker as |value| grows, white at 0", async () => {
    const page = await open('?seq=6&dmodel=8&heads=2&causal=1&seed=3&stage=softmax');
    for (const map of ['P', 'dSHat']) {
      await cells(page, 'softmax', map);
      // One pixel near each cell's top-left corner (the number is drawn in the middle), with the cell's value.
      const drawn = await page.$eval(
        `figure[data-map="${map}"] canvas`,
        (canvas, cell) => {
          const c = canvas as HTMLCanvasElement;
          const rows = Number(c.dataset.rows);
          const cols = Number(c.dataset.cols);
          const ratio = c.width / c.getBoundingClientRect().width;
          const pixels = c.getContext('2d')!;
          return Array.from(c.querySelectorAll('td'), (td) => {
            const flat = Number(td.dataset.flat);
            const slice = Math.floor(flat / (rows * cols));
            const x = (flat % cols) * cell.width + 2;
            const y = slice * (rows * cell.height + cell.gap) + (Math.floor(flat / cols) % rows) * cell.height + 2;
            const [r, g, b] = pixels.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
            return { value: Number(td.dataset.value), r, g, b };
          });
        },
        CELL,
      );
      expect(drawn.length).toBeGreaterThan(0);
      const largest = Math.max(...drawn.map((d) => Math.abs(d.value)));
      for (const d of drawn) {
        // Positive values orange (red above blue), negative blue; the scale has 10 steps a side, so a value
        // under half a step (5 % of the largest) is white, and one over a step is coloured.
        const share = Math.abs(d.value) / largest;
        if (share < 0.04) expect([d.r, d.g, d.b], `${map} ${d.value}`).toEqual([255, 255, 255]);
        else if (share < 0.1) continue;
        else if (d.value > 0) expect(d.r, `${map} ${d.value}`).toBeGreaterThan(d.b);
        else expect(d.b, `${map} ${d.value}`).toBeGreaterThan(d.r);
      }
      // On each side of 0, the darkness (255 − green) never falls as |value| grows, and the largest is dark.
      for (const side of [1, -1]) {
        const sorted = drawn.filter((d) => Math.sign(d.value) === side).sort((a, b) => Math.abs(a.value) - Math.abs(b.value));
        for (let i = 1; i < sorted.length; i++) expect(255 - sorted[i].g).toBeGreaterThanOrEqual(255 - sorted[i - 1].g);
        if (sorted.length > 0 && Math.abs(sorted[sorted.length - 1].value) === largest)
          expect(255 - sorted[sorted.length - 1].g).toBeGreaterThan(50);
      }
    }
    await page.close();
  });

  it('a hovered or focused gradient cell shows hand-derived, autograd and finite-difference values that agree', async () => {
    const page = await open('?seq=3&dmodel=4&causal=1&seed=1&stage=projection');
    // attograd in Node on the same settings: the panel's values are compared with it, not only with each
    // other. (The residual stage's dX is its own input's gradient, the residual path alone, so it is not
    // the block's dX and is not compared here.)
    const want = node({ seq: 3, dModel: 4, heads: 1, seed: 1, mask: causalMask(3) });
    const inNode: Record<string, Tensor> = { dSHat: want.dSHat, dWo: want.dWo };
    // The per-head values keep their head axis (one head here): Ŝ is [1, T, T].
    for (const [stage, tensor, index] of [
      ['projection', 'dWq', '1,0'],
      ['softmax', 'dSHat', '0,1,0'],
      ['outputProjection', 'dWo', '1,0'],
      ['residualLayerNorm', 'dX', '1,0'],
    ]) {
      await page.click(`[data-stage-button="${stage}"]`);
      await ready(page);
      const selector = `[data-tensor="${tensor}"][data-index="${index}"]`;
      await hoverCell(page, selector);
      const panel = await page.$eval('[data-role="three-way"]', (e) => ({ ...(e as HTMLElement).dataset }));
      expect(panel.tensor).toBe(tensor);
      const [hand, autograd, numeric] = [panel.hand, panel.autograd, panel.numeric].map(Number);
      expect(Math.abs(hand - autograd)).toBeLessThan(1e-12 * Math.max(1, Math.abs(hand)));
      expect(Math.abs(hand - numeric)).toBeLessThan(1e-7 * Math.max(1, Math.abs(hand)));
      expect(Number(await page.getAttribute(selector, 'data-value'))).toBe(hand);
      const reference = inNode[tensor];
      if (reference !== undefined) {
        const flat = index.split(',').reduce((offset, i, axis) => offset * reference.shape[axis] + Number(i), 0);
        expect(
          Math.abs(hand - reference.data[flat]),
          `${tensor}[${index}] shape ${reference.shape} ${hand} vs ${reference.data[flat]}`,
        ).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(hand)));
      }
    }
    // Keyboard: focusing a cell asks it too.
    await page.focus('[data-tensor="dX"][data-index="2,1"]');
    expect(await page.getAttribute('[data-role="three-way"]', 'data-index')).toBe('2,1');
    await page.close();
  });

  it('the keyboard reaches the heatmap cells (Tab) and moves within a map (arrow keys), asking each gradient cell', async () => {
    const page = await open('?seq=3&dmodel=4&causal=1&seed=1&stage=softmax');
    await cells(page, 'softmax', 'dSHat');
    // From the stage list, Tab walks forward until a cell of dŜ has the focus.
    await page.focus('[data-stage-button="softmax"]');
    let reached = '';
    for (let press = 0; press < 60 && reached !== 'dSHat'; press++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.tensor ?? '');
    }
    expect(reached).toBe('dSHat');
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement).dataset.index);
    expect(await focused()).toBe('0,0,0');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('0,1,1');
    // The focused gradient cell is asked three ways, and outlined on its canvas.
    expect(await page.getAttribute('[data-role="three-way"]', 'data-index')).toBe('0,1,1');
    expect(await page.$eval('figure[data-map="dSHat"] .cursor', (e) => (e as HTMLElement).hidden)).toBe(false);
    await page.close();
  });

  it('each classic mistake fails its own stage only', async () => {
    const page = await open('?seq=3&dmodel=4&causal=1&seed=2');
    for (const mistake of mistakes) {
      await page.selectOption('#break', mistake.key);
      await ready(page);
      const found = await statuses(page);
      const failing = Object.entries(found)
        .filter(([, s]) => s === 'fail')
        .map(([k]) => k);
      expect(failing, mistake.key).toEqual([mistake.entry]);
      expect(Object.values(found).every((s) => s === 'pass' || s === 'fail')).toBe(true);
    }
    await page.selectOption('#break', '');
    await ready(page);
    expect(Object.values(await statuses(page)).every((s) => s === 'pass')).toBe(true);
    await page.close();
  });

  it('a failing check points at its worst element: named by its indices and outlined on the gradient map', async () => {
    const mistake = mistakes.find((m) => m.entry === 'softmax')!;
    const page = await open(`?seq=5&dmodel=4&heads=2&seed=2&stage=softmax&break=${mistake.key}`);
    const badge = await page.$eval('[data-role="verdict"][data-stage="softmax"]', (e) => ({ ...(e as HTMLElement).dataset }));
    expect(badge.status).toBe('fail');
    const [name, flat] = badge.worst!.split(':');
    expect(name).toBe('sHat');
    // Not the first cell (where a misplaced outline or a flat index could pass unnoticed).
    expect(Number(flat)).toBeGreaterThan(25);
    // The flat index as indices of dŜ [2, 5, 5], worked out here.
    const at = Number(flat);
    const indices = [Math.floor(at / 25), Math.floor(at / 5) % 5, at % 5].join(',');
    expect(await page.textContent('#verdict-detail')).toContain(`dSHat[${indices}]`);
    await cells(page, 'softmax', 'dSHat');
    // The outline is drawn on the cell's edge (3 px of #a00) on the dŜ canvas.
    const edge = await page.$eval(
      'figure[data-map="dSHat"] canvas',
      (canvas, { at, cell }) => {
        const c = canvas as HTMLCanvasElement;
        const ratio = c.width / c.getBoundingClientRect().width;
        const slice = Math.floor(at / 25);
        const x = (at % 5) * cell.width + 2;
        const y = slice * (5 * cell.height + cell.gap) + (Math.floor(at / 5) % 5) * cell.height + 2;
        return Array.from(
          c
            .getContext('2d')!
            .getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1)
            .data.slice(0, 3),
        );
      },
      { at, cell: CELL },
    );
    expect(edge).toEqual([170, 0, 0]);
    await page.close();
  });

  it('nudging X changes the loss as attograd computes it in Node', async () => {
    const page = await open('?seq=4&dmodel=8&heads=2&seed=4');
    await page.selectOption('#nudge-row', '2');
    await page.selectOption('#nudge-col', '5');
    await page.$eval('#delta', (e) => {
      (e as HTMLInputElement).value = '0.25';
      e.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const nudge = await page.$eval('[data-role="nudge"]', (e) => ({ ...(e as HTMLElement).dataset }));
    expect(Number(nudge.index)).toBe(2 * 8 + 5);
    expect(Number(nudge.delta)).toBe(0.25);
    const want = node({ seq: 4, dModel: 8, heads: 2, seed: 4 });
    const moved = want.x.detach().clone();
    moved.data[21] += 0.25;
    const trueChange = want.loss(moved) - want.loss(want.x.detach());
    expect(Math.abs(Number(nudge.true) - trueChange)).toBeLessThan(1e-12);
    expect(Math.abs(Number(nudge.predicted) - want.dX.data[21] * 0.25)).toBeLessThan(1e-12);
    expect(await page.$$eval('[data-role="sweep"] tbody tr', (rows) => rows.length)).toBeGreaterThan(5);
    // The URL follows the state right after the frame.
    await page.waitForURL((url) => url.searchParams.get('delta') === '0.25');
    await page.close();
  });

  it('trains in a Web Worker from the self-contained file (file://): the loss falls, pause and step answer', async () => {
    const file = writeExplorer(join(workDir, 'static'));
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(explorerHtmlPath(), 'utf8'));
    const page = await context.newPage();
    await page.goto(`${pathToFileURL(file).href}?seq=3&dmodel=4`);
    await ready(page);
    await page.click('[data-train="reset"]');
    await page.waitForFunction(() => document.getElementById('train-status')?.dataset.step === '0');
    const initial = Number(await page.getAttribute('#train-status', 'data-loss'));
    await page.click('[data-train="start"]');
    await page.waitForFunction(() => Number(document.getElementById('train-status')?.dataset.step) >= 20, null, { timeout: 30_000 });
    // The page stays responsive while the worker trains: a change recomputes the view.
    await page.fill('#seed', '9');
    await page.dispatchEvent('#seed', 'change');
    await ready(page);
    // A longer run: the reports come in batches and the curve is thinned, so the page keeps answering
    // (a report every 5 steps, each redrawing every point, had frozen it within seconds).
    await page.waitForFunction(() => Number(document.getElementById('train-status')?.dataset.step) >= 3000, null, { timeout: 60_000 });
    const points = await page.$eval('#train-chart polyline', (line) => (line.getAttribute('points') ?? '').trim().split(/\s+/).length);
    expect(points).toBeGreaterThan(10);
    expect(points).toBeLessThanOrEqual(400);
    await page.fill('#seed', '10');
    await page.dispatchEvent('#seed', 'change');
    await ready(page);
    await page.click('[data-train="pause"]');
    await page.waitForFunction(() => document.getElementById('train-status')?.dataset.running === 'false');
    const paused = Number(await page.getAttribute('#train-status', 'data-step'));
    await page.click('[data-train="step"]');
    await page.waitForFunction((n) => Number(document.getElementById('train-status')?.dataset.step) === n + 1, paused);
    const loss = Number(await page.getAttribute('#train-status', 'data-loss'));
    expect(loss).toBeLessThan(initial / 2);
    expect(await page.$$eval('[data-tensor="trainP"]', (list) => list.length)).toBe(36);
    // The experiments run in the page too.
    await page.click('#run-experiments');
    await page.waitForSelector('[data-experiment="residual"]');
    const scaling = JSON.parse((await page.getAttribute('[data-experiment="scaling"]', 'data-rows'))!) as Array<{
      dK: number;
      scaled: boolean;
      scoreSpread: number;
    }>;
    expect(scaling.find((r) => r.dK === 1024 && !r.scaled)!.scoreSpread).toBeGreaterThan(10);
    await page.close();
  });

  it("the page may compile attograd's WebAssembly kernels (its Content-Security-Policy allows 'wasm-unsafe-eval')", async () => {
    const page = await open('?seq=3&dmodel=4');
    // The smallest valid module (magic number and version): refused before, with the TS kernels silently used instead.
    const compiles = await page.evaluate(() => {
      try {
        new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
        return 'compiles';
      } catch (error) {
        return String(error);
      }
    });
    expect(compiles).toBe('compiles');
    await page.close();
  });

  it('has no serious or critical axe-core violations (English and Korean), made no outside request and logged no error', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    for (const lang of ['en', 'ko']) {
      const page = await open(`?seq=3&dmodel=4&causal=1&lang=${lang}&stage=softmax`);
      await hoverCell(page, '[data-tensor="dSHat"][data-index="0,1,0"]');
      await page.evaluate(axe);
      const violations = await page.evaluate(async () => {
        const result = await (
          window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }
        ).axe.run();
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      });
      expect(
        violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
        lang,
      ).toEqual([]);
      await page.close();
    }
    expect(requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('file://') && !url.startsWith('blob:'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
