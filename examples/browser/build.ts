/**
 * Bundles the page's script for browsers with esbuild (`platform: 'browser'`), and refuses a
 * bundle that still imports anything: no Node built-in and no bare module may be left over.
 * Run: `npx tsx build.ts` (or `pnpm --filter @attograd/example-browser build`).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Writes dist/main.js (and its source map) into `outdir`; returns the bundle's size in bytes. */
export async function buildPage(outdir = resolve(here, 'dist')): Promise<number> {
  const result = await build({
    entryPoints: [resolve(here, 'src/main.ts')],
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  const [output] = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
  if (output[1].imports.length > 0) {
    throw new Error(`the browser bundle still imports: ${output[1].imports.map((i) => i.path).join(', ')}`);
  }
  return output[1].bytes;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bytes = await buildPage();
  console.log(`examples/browser/dist/main.js: ${(bytes / 1024).toFixed(1)} KiB`);
}
