/**
 * Makes the README's screenshot (docs/explorer.png): the softmax stage at T = 6, d = 8, two heads,
 * causal, scrolled to its check and heatmaps, with one gradient cell of dŜ asked three ways (the
 * panel on the right stays in view). Run: `npx tsx bench/screenshot.ts` (after `build`).
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { explorerHtmlPath } from '../src/index';
import { hoverCell } from '../test/hover-cell';

const out = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../docs/explorer.png');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
await page.goto(`${pathToFileURL(explorerHtmlPath()).href}?seq=6&dmodel=8&heads=2&causal=1&seed=3&stage=softmax`);
await page.waitForFunction(() => window.attogradReady === true, null, { timeout: 120_000 });
await page.waitForFunction(() => document.querySelector('[data-slot]') === null);
await hoverCell(page, '[data-tensor="dSHat"][data-index="0,2,1"]');
// The entry's verdict, values and gradients, with the stage list beside them.
await page.evaluate(() => window.scrollTo(0, document.getElementById('entry-live')!.getBoundingClientRect().top + window.scrollY - 60));
await page.screenshot({ path: out });
await browser.close();
console.log(out);
