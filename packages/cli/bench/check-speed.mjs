#!/usr/bin/env node
/**
 * How long `attograd check` takes for the full-Jacobian check of single-head attention at
 * T = 16, d = 32 (X and W_q, W_k, W_v: 3,584 inputs, 512 outputs), against PyTorch's
 * `torch.autograd.gradcheck` of the same problem: 0.72 s (float64, OpenBLAS, one thread;
 * ../shared/NUMERICS.md).
 *
 * Runs the built CLI (dist/cli.js) with --json and reads the check's own time; the process (Node
 * start, module loading) is reported apart, with its CPU time over all threads when GNU time is
 * installed. Median of `--runs` runs (default 7) after one warm-up run.
 *
 *   node bench/check-speed.mjs [--runs 7] [--seq 16 --dmodel 32]
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
const runs = Number(argument('--runs', '7'));
const seq = argument('--seq', '16');
const dModel = argument('--dmodel', '32');
const cores = availableParallelism();
// GNU time, when installed, reports the CPU time of the whole process (every thread).
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function once({ mode, workers, spread }) {
  const args = [cli, 'check', 'selfAttention', '--seq', seq, '--dmodel', dModel, '--mode', mode, '--workers', String(workers), '--json'];
  const env = spread ? { ...process.env, ATTOGRAD_PARALLEL_MIN_SECONDS: '0' } : process.env;
  const started = performance.now();
  const run = gnuTime === null
    ? spawnSync(process.execPath, args, { encoding: 'utf8', env })
    : spawnSync(gnuTime, ['-f', 'cpu %U %S', process.execPath, ...args], { encoding: 'utf8', env });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`attograd check failed (exit ${run.status}): ${run.stderr || run.stdout.slice(0, 500)}`);
  const [check] = JSON.parse(run.stdout).checks;
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
  return { check: check.seconds, wall, cpu: cpu === null ? NaN : Number(cpu[1]) + Number(cpu[2]), threads: check.workers };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const configs = [
  { mode: 'full', workers: 1, spread: false, label: '--workers 1' },
  ...[...new Set([2, cores])].flatMap((n) => [
    { mode: 'full', workers: n, spread: false, label: `--workers ${n}` },
    { mode: 'full', workers: n, spread: true, label: `--workers ${n}, always spread` },
  ]),
  { mode: 'fast', workers: 1, spread: false, label: '--mode fast' },
];

const inputs = Number(seq) * Number(dModel) + 3 * Number(dModel) ** 2;
console.log(`attograd check selfAttention --seq ${seq} --dmodel ${dModel} (${inputs} inputs): ${cpus()[0]?.model ?? 'cpu'}, ${cores} cores, load ${loadavg()[0].toFixed(2)}`);
console.log('configuration                  threads  check (median)  process wall  process CPU  check vs PyTorch 0.72 s');
for (const config of configs) {
  once(config);
  const samples = Array.from({ length: runs }, () => once(config));
  const check = median(samples.map((s) => s.check));
  const ratio = check / PYTORCH_SECONDS;
  console.log(
    `${config.label.padEnd(30)} ${String(samples[0].threads).padEnd(7)}  ${check.toFixed(3).padStart(8)} s    ` +
      `${median(samples.map((s) => s.wall)).toFixed(3).padStart(7)} s   ${median(samples.map((s) => s.cpu)).toFixed(2).padStart(6)} s     ` +
      `${ratio.toFixed(2)}× (${ratio < 1 ? `${(1 / ratio).toFixed(1)}× faster` : `${ratio.toFixed(1)}× slower`})`,
  );
}
