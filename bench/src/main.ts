/**
 * attograd's benchmark: every row for attograd and, side by side, TF.js (cpu and wasm backends)
 * and jax-js (wasm), in one process. `pnpm bench` measures with benny and writes
 * bench/results/{results.json, chart.svg, table.md}; `--quick` runs each case once at small sizes
 * (the CI smoke test: it fails only if something throws). Options: `--only=<text>` keeps the rows
 * whose label contains the text; `--no-peers` runs attograd alone; `--runs=N` measures every row
 * N times and keeps each engine's fastest median (on a shared machine, the least disturbed one).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { attograd } from './attograd-engine';
import { type Case, fullCases, quickCases } from './cases';
import { jaxEngine, loadJax } from './jax-engine';
import { measure } from './measure';
import { memoryCheck, type MemoryReport } from './memory';
import { labelOf, markdownTable, type Row, svgChart } from './report';
import { tfjsEngine, loadTfjs } from './tfjs-engine';
import type { Engine } from './work';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const withPeers = !args.includes('--no-peers');
const runs = Math.max(1, Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 1));

async function loadEngines(): Promise<Engine[]> {
  const engines: Engine[] = [attograd];
  if (!withPeers) return engines;
  const tf = await loadTfjs();
  engines.push(tfjsEngine(tf, 'cpu'), tfjsEngine(tf, 'wasm'), jaxEngine(await loadJax()));
  return engines;
}

/** Measures one row for every engine, keeping the faster of `row`'s earlier result and this one. */
async function runRow(engines: readonly Engine[], benchCase: Case, row: Row): Promise<Row> {
  const label = row.label;
  for (const engine of engines) {
    const runner = engine.prepare(benchCase.work);
    if (runner === null) continue;
    try {
      const measured = await measure(`${label} · ${engine.name}`, runner, quick, 1.5);
      const name = engine.name as keyof Row['results'];
      const previous = row.results[name];
      if (previous === undefined || measured.medianMs < previous.medianMs) row.results[name] = { ...measured, dtype: runner.dtype };
    } finally {
      runner.dispose();
    }
  }
  const times = Object.entries(row.results).map(([name, r]) => `${name} ${r.medianMs.toFixed(3)} ms`); // best so far
  console.log(`${label}: ${times.join(', ')}`);
  return row;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, Node ${process.version}, ${os.platform()}`;
}

function memoryLines(report: MemoryReport): string[] {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  const { loop } = report;
  return [
    `memory, attention T=${report.T} d=${report.d} forward+backward: allocates ${report.collections === 0 ? '' : '≥ '}` +
      `${mb(report.allocatedBytes)} of typed arrays for the ${mb(report.mustKeepBytes)} it must keep (graph values + gradients): ` +
      `${report.ratio.toFixed(2)}×`,
    `memory, ${loop.iterations} iterations of T=${loop.T} d=${loop.d}: heap + buffers ${mb(loop.beforeBytes)} before, ` +
      `${mb(loop.afterBytes)} after (${mb(loop.afterBytes - loop.beforeBytes)} change)`,
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  const engines = await loadEngines();
  const cases = (quick ? quickCases() : fullCases()).filter((c) => only === undefined || labelOf(c.work).includes(only));
  const mode = quick ? 'quick: each case once' : `benny medians${runs > 1 ? `, fastest of ${runs} runs` : ''}`;
  console.log(`attograd bench (${mode}) on ${machine()}`);
  const rows: Row[] = cases.map((c) => ({ label: labelOf(c.work), case: c, results: {} }));
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < cases.length; i++) await runRow(engines, cases[i], rows[i]);
  }
  const memory = quick ? await memoryCheck(64, 32, 32, 16, 50) : await memoryCheck(512, 128, 128, 64, 10_000);
  const table = markdownTable(rows);
  console.log(`\n${table}\n\n${memoryLines(memory).join('\n')}`);
  if (!quick && only === undefined) {
    const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results');
    mkdirSync(folder, { recursive: true });
    const date = new Date().toISOString();
    const json = {
      date,
      machine: machine(),
      mode,
      rows: rows.map(({ label, case: c, results }) => ({ label, work: c.work, goal: c.goal?.text, results })),
      memory,
    };
    writeFileSync(path.join(folder, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(path.join(folder, 'chart.svg'), svgChart(rows, `attograd vs TF.js and jax-js, median time (log scale) — ${machine()}`));
    const heading = `${date}, ${machine()}; ${mode}. Times are medians; × is attograd's speed-up (peer time / attograd time).`;
    writeFileSync(
      path.join(folder, 'table.md'),
      `${heading}\n\n${table}\n\n${memoryLines(memory)
        .map((l) => `- ${l}`)
        .join('\n')}\n`,
    );
    console.log(`\nwrote ${folder}/results.json, chart.svg, table.md`);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().then(
  () => process.exit(0), // jax-js keeps its wasm workers alive; exit explicitly
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
