/**
 * Builds the explorer as ONE self-contained HTML file (dist/explorer.html): the page script, the
 * training and checking workers (inlined as strings and started from a Blob URL, so it works from file://), the
 * style sheet and KaTeX (MathML output: no fonts, no CSS) all inside. A Content-Security-Policy
 * forbids every network request. Refuses a bundle that still imports anything.
 * Run: `npx tsx build.ts`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

async function bundle(entry: string, define: Record<string, string> = {}): Promise<string> {
  const result = await build({
    entryPoints: [resolve(here, entry)],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: process.env.EXPLORER_MINIFY !== '0',
    write: false,
    metafile: true,
    define,
    logLevel: 'warning',
    legalComments: 'none',
  });
  const [output] = Object.values(result.metafile.outputs);
  if (output.imports.length > 0) throw new Error(`${entry} still imports: ${output.imports.map((i) => i.path).join(', ')}`);
  return result.outputFiles[0].text;
}

const CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src data:";

export async function buildExplorer(): Promise<{ file: string; bytes: number }> {
  const worker = await bundle('src/app/train-worker.ts');
  const checker = await bundle('src/app/check-worker.ts');
  const page = await bundle('src/app/main.ts', { WORKER_SOURCE: JSON.stringify(worker), CHECK_WORKER_SOURCE: JSON.stringify(checker) });
  const css = readFileSync(resolve(here, 'src/app/style.css'), 'utf8');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>attograd explore</title>
<style>${css}</style>
</head>
<body>
<header><h1 id="title">attograd explore</h1></header>
<main>
<section id="controls" aria-label="problem"></section>
<section id="mask" aria-label="mask"></section>
<div class="walk">
<nav id="nav" aria-label="stages"></nav>
<article id="entry"></article>
<aside id="three-way" data-role="three-way" aria-live="polite" aria-label="three-way"></aside>
</div>
<section id="nudge" aria-label="nudge"></section>
<section id="train" aria-label="train"></section>
<section id="experiments" aria-label="experiments"></section>
</main>
<script>${page.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
  const dist = resolve(here, 'dist');
  mkdirSync(dist, { recursive: true });
  const file = resolve(dist, 'explorer.html');
  writeFileSync(file, html);
  return { file, bytes: Buffer.byteLength(html) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { file, bytes } = await buildExplorer();
  console.log(`${file}: ${(bytes / 1024).toFixed(1)} KiB`);
}
