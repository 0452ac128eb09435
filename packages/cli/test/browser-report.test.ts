import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stages } from '@attograd/attention';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main';

/**
 * The HTML report of `attograd explain`, opened in a real browser: headless Chromium (Debian's
 * `chromium` package) driven by playwright-core. Skipped, with a message, where Chromium is absent —
 * except where ATTOGRAD_REQUIRE_BROWSER=1 (set by .ci/run, which installs it): there a missing
 * browser fails the suite instead of passing silently.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const missing = `${CHROMIUM} is absent (install it with: apt-get install -y chromium fonts-noto-cjk)`;
if (!hasChromium && process.env.ATTOGRAD_REQUIRE_BROWSER === '1') throw new Error(`browser-report.test.ts: ${missing}`);
if (!hasChromium) console.warn(`browser-report.test.ts SKIPPED: ${missing}`);

const artifacts = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test-artifacts');
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

interface Sizes {
  seq: number;
  dModel: number;
  heads: number;
  causal: boolean;
}

/**
 * The shape each heatmap must have, worked out here from the sizes alone (not read from the
 * report): per stage, tensor name → shape. Gradients (dQ, dW_q, …) have their tensor's shape.
 */
function expectedShapes({ seq: t, dModel: d, heads, causal }: Sizes): Record<string, Record<string, number[]>> {
  const h = [heads]; // the one multi-head implementation keeps a head axis, of size 1 for one head
  const dk = d / heads;
  const perHead = (name: string): string => `${name}_heads`; // stage 0's Q is not stage 1's Q_heads
  return {
    projection: { X: [t, d], W_q: [d, d], W_k: [d, d], W_v: [d, d], Q: [t, d], K: [t, d], V: [t, d] },
    scores: { [perHead('Q')]: [...h, t, dk], [perHead('K')]: [...h, t, dk], S: [...h, t, t] },
    scaling: { S: [...h, t, t], Ŝ: [...h, t, t] },
    softmax: { Ŝ: [...h, t, t], P: [...h, t, t], J: [t, t], ...(causal ? { M: [t, t] } : {}) },
    weightedSum: { P: [...h, t, t], [perHead('V')]: [...h, t, dk], [perHead('Z')]: [...h, t, dk] },
    outputProjection: { Z_heads: [...h, t, dk], W_o: [d, d], Z: [t, d] },
    residualLayerNorm: { X: [t, d], Z: [t, d], γ: [d], β: [d], Y: [t, d] },
  };
}

/** Runs `attograd explain … --html file` in-process, quietly; returns its exit status. */
async function writeReport(file: string, args: string[]): Promise<number> {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await main(['explain', 'all', ...args, '--html', file]);
  } finally {
    vi.restoreAllMocks();
  }
}

interface Loaded {
  page: Page;
  requests: string[];
  failures: string[];
  errors: string[];
}

async function open(context: BrowserContext, file: string): Promise<Loaded> {
  const page = await context.newPage();
  const loaded: Loaded = { page, requests: [], failures: [], errors: [] };
  page.on('request', (request) => loaded.requests.push(request.url()));
  page.on('requestfailed', (request) => loaded.failures.push(`${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('console', (message) => {
    if (message.type() === 'error') loaded.errors.push(message.text());
  });
  page.on('pageerror', (error) => loaded.errors.push(error.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return loaded;
}

describe.skipIf(!hasChromium)('the explain HTML report in headless Chromium', () => {
  let context: BrowserContext;
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'attograd-browser-'));
    context = await chromium.launchPersistentContext(join(workDir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1200, height: 900 },
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  });

  const cases: [string, Sizes, string[]][] = [
    ['one head, English', { seq: 3, dModel: 4, heads: 1, causal: false }, []],
    [
      'two heads, causal, Korean',
      { seq: 4, dModel: 4, heads: 2, causal: true },
      ['--seq', '4', '--heads', '2', '--causal', '--lang', 'ko'],
    ],
  ];

  for (const [name, sizes, args] of cases) {
    it(`${name}: every stage has its section and every heatmap its cells; nothing fails or leaves the file`, async () => {
      const file = join(workDir, `${name.replace(/\W+/g, '-')}.html`);
      expect(await writeReport(file, args)).toBe(0);
      const { page, requests, failures, errors } = await open(context, file);
      const lang = args.includes('ko') ? 'ko' : 'en';
      expect(await page.getAttribute('html', 'lang')).toBe(lang);

      const shapes = expectedShapes(sizes);
      for (const stage of stages) {
        const section = page.locator(`section.report-section[data-stage="${stage.key}"]`);
        expect(await section.count(), stage.key).toBe(1);
        expect(await section.locator('h2').textContent()).toContain(stage.title[lang]);
        const figures = section.locator('figure.tensor');
        const seen = new Set<string>();
        for (let i = 0; i < (await figures.count()); i++) {
          const figure = figures.nth(i);
          const tensorName = (await figure.getAttribute('data-tensor'))!;
          const base = (await figure.getAttribute('data-kind')) === 'forward' || tensorName === 'J' ? tensorName : tensorName.slice(1);
          const shape = shapes[stage.key][base];
          expect(shape, `${stage.key}: a heatmap of ${tensorName}`).toBeDefined();
          expect(await figure.locator('rect[data-cell]').count(), `${stage.key} ${tensorName} cells`).toBe(
            shape.reduce((a, b) => a * b, 1),
          );
          seen.add(tensorName);
        }
        // every forward tensor of the stage is drawn, and the gradient of every input
        for (const tensorName of Object.keys(shapes[stage.key]))
          expect(seen.has(tensorName), `${stage.key} shows ${tensorName}`).toBe(true);
        expect(await section.locator('figure.tensor[data-kind="gradient"]').count()).toBe(stage.inputNames.length);
      }
      const firstCell = await page.locator('rect[data-cell]').first().boundingBox();
      expect(firstCell!.width).toBeGreaterThan(10); // drawn, not collapsed
      expect(await page.locator('section#graph .graph-node').count()).toBeGreaterThan(10);
      expect(await page.locator('section#sweep circle[data-point]').count()).toBeGreaterThan(10);
      expect(await page.locator('.bad').count()).toBe(0);

      expect(failures).toEqual([]);
      expect(errors).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);

      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, `explain-report-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
      await page.close();
    }, 180_000); // a real browser on a loaded 2-core machine can need more than a minute
  }
});
