import { existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @attograd/explorer — the interactive explorer of self-attention's gradients as one
 * self-contained HTML page (built into dist/explorer.html), a tiny static server for it and the
 * textbook experiments (also used by `attograd explain scaling --experiment`).
 */
export { residualExperiment, rowMaxExperiment, scalingExperiment, DEFAULT_DKS } from './experiments';
export type { ResidualRow, RowMaxRow, ScalingOptions, ScalingRow } from './experiments';
/**
 * The page's typesetting for other HTML (`attograd explain --html`): the registry's Unicode math as
 * KaTeX MathML (`typesetMath`), and a derivation step that mixes prose and math (`typesetMixed`).
 * KaTeX is bundled into this package at build time.
 */
export { mathHtml as typesetMath, mixedHtml as typesetMixed } from './app/math';
/**
 * The one seeded example block (multi-head attention with W_o, then residual + layer norm) that
 * the explorer and `attograd explain` walk: its leaves, its recorded run named as the registry's
 * `fromRun`/`outputNames` name it, a stage's inputs from that run, and the seeded cotangent dY.
 */
export { blockLeaves, cotangentFor, recordBlock, runName, stageInputs } from './model';
export type { BlockSizes } from './model';
/** The HTML helpers shared with `attograd`'s reports: one escaper and one line chart. */
export { escapeHtml } from './html';
export { lineChartSvg } from './line-chart';
export type { ChartSeries, LineChartOptions } from './line-chart';

/** Path of the built page (works from file://). */
export function explorerHtmlPath(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // dist/index.js sits beside the page; src/index.ts (tests, tsx) finds it in ../dist.
  const candidates = [resolve(here, 'explorer.html'), resolve(here, '../dist/explorer.html')];
  return candidates.find((file) => existsSync(file)) ?? candidates[0];
}

/** The built page's text. */
export function explorerHtml(): string {
  return readFileSync(explorerHtmlPath(), 'utf8');
}

/** Writes the explorer as static files (index.html) into `dir`; returns the file written. */
export function writeExplorer(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.html');
  writeFileSync(file, explorerHtml());
  return file;
}

/** A running explorer server. */
export interface ExplorerServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the page on 127.0.0.1 (port 0 = a free port). Only GET / (and /index.html) answer; the
 * query string carries the view's state.
 */
export function serveExplorer(options: { port?: number; host?: string } = {}): Promise<ExplorerServer> {
  const html = explorerHtml();
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/' && path !== '/index.html') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(request.method === 'HEAD' ? undefined : html);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolvePromise({
        url: `http://${host}:${port}/`,
        port,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
