/**
 * Cold start (issue 14, goal 6): the first, second and tenth forward + backward of single-head
 * attention T = 128, d = 64 in a fresh Node process, against the same process's warm time (the
 * median of calls 201–300). Each of `--processes=N` children imports attograd, then times its
 * calls one by one; the parent prints each call's median over the children. The import itself
 * (module evaluation, WebAssembly compilation) is reported separately.
 *
 *   node --import tsx src/cold-start.ts [--processes=10] [--baseline=DIR]
 *
 * With --baseline=DIR (a copy of an earlier build, scripts/snapshot-build.sh DIR) the children
 * alternate between that build and this one, and both tables are printed: a before/after that a
 * loaded machine affects alike.
 */
import { execFileSync } from 'node:child_process';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CALLS = 300;

const baselineDir = process.argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);

async function child(): Promise<void> {
  if (baselineDir !== undefined) {
    register('./baseline-hooks.mjs', import.meta.url, { data: { baselineURL: pathToFileURL(`${path.resolve(baselineDir)}/`).href } });
  }
  const importStarted = performance.now();
  const { gradients, Tensor } = await import('@attograd/tensor');
  const { singleHead } = await import('./attograd-engine');
  const { attentionInputs } = await import('./work');
  const importMs = performance.now() - importStarted;
  const T = 128;
  const d = 64;
  const values = attentionInputs(T, d, 1);
  const x = new Tensor(values.x.slice(), [T, d], { requiresGrad: true });
  const weights = values.weights.map((w) => new Tensor(w.slice(), [d, d], { requiresGrad: true }));
  const cotangent = new Tensor(values.cotangent.slice(), [T, d]);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let call = 0; call < CALLS; call++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    gradients(singleHead(x, weights[0], weights[1], weights[2]), [x, ...weights], { gradOutput: cotangent });
    times.push(performance.now() - started);
    const cpu = process.cpuUsage(cpuStarted);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  process.stdout.write(JSON.stringify({ importMs, times, cpuTimes }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((p, q) => p - q);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Run {
  importMs: number;
  times: number[];
  /** CPU time of the process per call (all threads: V8's background compilers included). */
  cpuTimes: number[];
}

function table(label: string, runs: Run[]): void {
  const warmOf = (times: number[]) => median(times.slice(200));
  const cell = (pick: (r: Run) => number[], call: number) => {
    const ms = median(runs.map((r) => pick(r)[call - 1]));
    const ratios = runs.map((r) => pick(r)[call - 1] / warmOf(pick(r))).sort((p, q) => p - q);
    return `${ms.toFixed(2)} ms, ${median(ratios).toFixed(1)}× (${ratios[0].toFixed(1)}–${ratios[ratios.length - 1].toFixed(1)}×)`;
  };
  console.log(
    `${label}: cold start, attention T=128 d=64 forward+backward, ${runs.length} fresh processes (medians; range over processes)`,
  );
  console.log(`import of @attograd/tensor + ops: ${median(runs.map((r) => r.importMs)).toFixed(1)} ms`);
  console.log('| call | wall time, vs warm (same process) | CPU time (all threads), vs warm |');
  console.log('| --- | --- | --- |');
  for (const call of [1, 2, 3, 5, 10, 20, 40, 100]) {
    console.log(`| call ${call} | ${cell((r) => r.times, call)} | ${cell((r) => r.cpuTimes, call)} |`);
  }
  const warm = (pick: (r: Run) => number[]) => median(runs.map((r) => warmOf(pick(r)))).toFixed(2);
  console.log(`| warm (calls 201–300) | ${warm((r) => r.times)} ms | ${warm((r) => r.cpuTimes)} ms |`);
}

function parent(): void {
  const processes = Number(process.argv.find((a) => a.startsWith('--processes='))?.slice('--processes='.length) ?? 10);
  const script = fileURLToPath(import.meta.url);
  const runs: Run[] = [];
  const baselineRuns: Run[] = [];
  for (let p = 0; p < processes; p++) {
    if (baselineDir !== undefined) {
      const out = execFileSync(process.execPath, [...process.execArgv, script, '--child', `--baseline=${baselineDir}`], {
        encoding: 'utf8',
      });
      baselineRuns.push(JSON.parse(out));
    }
    runs.push(JSON.parse(execFileSync(process.execPath, [...process.execArgv, script, '--child'], { encoding: 'utf8' })));
  }
  if (baselineDir !== undefined) table(`baseline build ${baselineDir}`, baselineRuns);
  table('this build', runs);
}

if (process.argv.includes('--child')) await child();
else parent();
