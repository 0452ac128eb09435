#!/usr/bin/env node
/**
 * How long the full-Jacobian check of single-head self-attention takes at T = 16, d = 32
 * (X and W_q, W_k, W_v: 3,584 inputs, 512 outputs, float64), three ways side by side in one run:
 *
 * 1. the library: `gradcheck()` of the public `selfAttention` composite, in this process;
 * 2. the command: `attograd check selfAttention --seq 16 --dmodel 32`, in this process (its own
 *    code path: options, targets, runner; one thread, and the default threads), and as a fresh
 *    process (cold JIT), the check's own time from --json;
 * 3. PyTorch 1.13's `torch.autograd.gradcheck` of the same problem, one thread
 *    (bench/pytorch-check.py, run with /usr/bin/python3 when `import torch` works there).
 *
 * Wall time and CPU time are both reported: on a shared machine the CPU time is the fairer
 * comparison. Median of `--runs` runs (default 7) after one warm-up run. `--quick` skips the
 * table of thread configurations that follows.
 *
 *   node --import tsx bench/check-speed.mjs [--runs 7] [--seq 16 --dmodel 32] [--quick]   (pnpm bench:check)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { composites } from '@attograd/attention';
import { gradcheck } from '@attograd/gradcheck';
import { runAll } from '../src/check/command.ts';
import { resolveSettings } from '../src/check/options.ts';
import { resolveTargets } from '../src/check/targets.ts';

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
  const run =
    gnuTime === null
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

/** The library: gradcheck() of the registry's selfAttention, as `attograd check` builds it. */
function library() {
  const entry = composites.find((c) => c.key === 'selfAttention');
  const made = entry.makeInputs({ seq: Number(seq), dModel: Number(dModel), heads: 1, seed: 0 });
  const fn = (...xs) => entry.run({ ...made, ...Object.fromEntries(entry.inputNames.map((name, i) => [name, xs[i]])) });
  const inputs = entry.inputNames.map((name) => made[name]);
  const once = () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const report = gradcheck(fn, inputs);
    const used = process.cpuUsage(cpu);
    if (!report.ok) throw new Error('gradcheck of selfAttention did not pass');
    return { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
  };
  once();
  const samples = Array.from({ length: runs }, once);
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

/** The command's own code path in this process: options, targets, the runner with `workers` threads. */
async function commandInProcess(workers) {
  const settings = resolveSettings({ seq, dmodel: dModel, workers: String(workers) });
  const once = async () => {
    const specs = await resolveTargets(['selfAttention'], settings);
    const cpu = process.cpuUsage();
    const report = await runAll(specs, settings);
    const used = process.cpuUsage(cpu);
    const [result] = report.results;
    if (result.status !== 'pass') throw new Error(`attograd check selfAttention: ${result.status}`);
    return { wall: result.seconds, cpu: (used.user + used.system) / 1e6 };
  };
  await once();
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await once());
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

/** PyTorch, or null when /usr/bin/python3 (or python3) cannot import torch. */
function pytorch() {
  const script = fileURLToPath(new URL('./pytorch-check.py', import.meta.url));
  for (const python of ['/usr/bin/python3', 'python3']) {
    const run = spawnSync(python, [script, '--seq', seq, '--dmodel', dModel, '--runs', String(runs)], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    if (run.status === 0) {
      const result = JSON.parse(run.stdout.trim().split('\n').pop());
      return { wall: result.median, cpu: result.medianCpu, version: result.torch };
    }
  }
  return null;
}

const inputs = Number(seq) * Number(dModel) + 3 * Number(dModel) ** 2;
console.log(
  `single-head selfAttention, T = ${seq}, d = ${dModel} (${inputs} inputs), float64: ${cpus()[0]?.model ?? 'cpu'}, ${cores} cores, load ${loadavg()[0].toFixed(2)}`,
);
const torch = pytorch();
const lib = library();
const cli1 = await commandInProcess(1);
const cliDefault = await commandInProcess(cores);
once({ mode: 'full', workers: 1, spread: false });
const fresh = median(Array.from({ length: runs }, () => once({ mode: 'full', workers: 1, spread: false }).check));
const versus = (seconds, reference) =>
  reference === undefined || Number.isNaN(reference) ? '' : `${(reference / seconds).toFixed(2)}× faster than PyTorch`;
console.log('side by side (median)                         wall       CPU      vs PyTorch (wall)');
const row = (label, r, reference) =>
  console.log(
    `${label.padEnd(44)} ${r.wall.toFixed(3).padStart(7)} s ${Number.isNaN(r.cpu) ? '      —  ' : `${r.cpu.toFixed(3).padStart(7)} s`}  ${versus(r.wall, reference)}`,
  );
row('library gradcheck() (this process)', lib, torch?.wall);
row('attograd check --workers 1 (in this process)', cli1, torch?.wall);
row(`attograd check, ${cores} threads (in this process)`, cliDefault, torch?.wall);
row('attograd check --workers 1 (fresh process)', { wall: fresh, cpu: NaN }, torch?.wall);
if (torch === null) console.log('PyTorch: not available (python3 -c "import torch" fails)');
else row(`PyTorch ${torch.version} gradcheck (1 thread)`, torch, torch.wall);
console.log(
  `library vs command, one thread, one process: command/library = ${(cli1.wall / lib.wall).toFixed(2)} (wall), ${(cli1.cpu / lib.cpu).toFixed(2)} (CPU)`,
);
if (torch !== null) {
  console.log(
    `CPU time vs PyTorch: library ${(torch.cpu / lib.cpu).toFixed(2)}× faster, command (one thread) ${(torch.cpu / cli1.cpu).toFixed(2)}× faster`,
  );
}
if (process.argv.includes('--quick')) process.exit(0);

const PYTORCH_SECONDS = torch?.wall ?? 0.72;
console.log(
  `\nconfiguration                  threads  check (median)  process wall  process CPU  check vs PyTorch ${PYTORCH_SECONDS.toFixed(2)} s`,
);
for (const config of configs) {
  once(config);
  const samples = Array.from({ length: runs }, () => once(config));
  const check = median(samples.map((s) => s.check));
  const ratio = check / PYTORCH_SECONDS;
  console.log(
    `${config.label.padEnd(30)} ${String(samples[0].threads).padEnd(7)}  ${check.toFixed(3).padStart(8)} s    ` +
      `${median(samples.map((s) => s.wall))
        .toFixed(3)
        .padStart(7)} s   ${median(samples.map((s) => s.cpu))
        .toFixed(2)
        .padStart(6)} s     ` +
      `${ratio.toFixed(2)}× (${ratio < 1 ? `${(1 / ratio).toFixed(1)}× faster` : `${ratio.toFixed(1)}× slower`})`,
  );
}
