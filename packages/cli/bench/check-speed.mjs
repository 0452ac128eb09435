#!/usr/bin/env node
/**
 * How long `attograd check` takes for the full-Jacobian check of single-head attention at
 * T = 16, d = 32 (X and W_q, W_k, W_v: 3,584 inputs, 512 outputs), against PyTorch's
 * `torch.autograd.gradcheck` of the same problem: 0.72 s (float64, OpenBLAS, one thread;
 * ../shared/NUMERICS.md).
 *
 * Runs the built CLI (dist/cli.js) with --json and reads the check's own time (the process start,
 * ~0.2 s of module loading, is reported apart). Median of `--runs` runs (default 5) after one warm-up.
 *
 *   node bench/check-speed.mjs [--runs 5] [--workers 1,2]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const PYTORCH_SECONDS = 0.72;
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const argument = (flag, fallback) => {
  const at = process.argv.indexOf(flag);
  return at < 0 ? fallback : process.argv[at + 1];
};
const runs = Number(argument('--runs', '5'));
const workerCounts = argument('--workers', [...new Set([1, 2, availableParallelism()])].join(',')).split(',').map(Number);

// GNU time, when installed, reports the CPU time of the whole process (every thread).
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function once(workers, mode) {
  const started = performance.now();
  const args = [cli, 'check', 'selfAttention', '--seq', '16', '--dmodel', '32', '--mode', mode, '--workers', String(workers), '--json'];
  const run = gnuTime === null
    ? spawnSync(process.execPath, args, { encoding: 'utf8' })
    : spawnSync(gnuTime, ['-f', 'cpu %U %S', process.execPath, ...args], { encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`attograd check failed (exit ${run.status}): ${run.stderr || run.stdout.slice(0, 500)}`);
  const [check] = JSON.parse(run.stdout).checks;
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
  return { check: check.seconds, wall, cpu: cpu === null ? NaN : Number(cpu[1]) + Number(cpu[2]), workers: check.workers };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`attograd check selfAttention --seq 16 --dmodel 32 (3,584 inputs): ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, load ${loadavg()[0].toFixed(2)}`);
console.log('mode  --workers  threads used  check (median)  process wall  process CPU (all threads)  check vs PyTorch 0.72 s');
for (const mode of ['full', 'fast']) {
  for (const workers of mode === 'fast' ? [1] : workerCounts) {
    once(workers, mode);
    const samples = Array.from({ length: runs }, () => once(workers, mode));
    const check = median(samples.map((s) => s.check));
    const wall = median(samples.map((s) => s.wall));
    const cpu = median(samples.map((s) => s.cpu));
    const ratio = check / PYTORCH_SECONDS;
    console.log(
      `${mode.padEnd(4)}  ${String(workers).padEnd(9)}  ${String(samples[0].workers).padEnd(12)}  ${check.toFixed(3).padStart(8)} s    ` +
        `${wall.toFixed(3).padStart(7)} s   ${cpu.toFixed(2).padStart(7)} s                  ${ratio.toFixed(2)}× (${ratio < 1 ? `${(1 / ratio).toFixed(1)}× faster` : 'slower'})`,
    );
  }
}
