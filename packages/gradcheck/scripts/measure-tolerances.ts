/**
 * Measures how far finite differences land from correct autograd gradients, to choose the default
 * atol and rtol (see DEFAULT_ATOL in src/options.ts). Run: npx tsx scripts/measure-tolerances.ts
 *
 * For 20 seeds of 14 smooth functions it prints, per function and stencil, the largest |a − n|, the
 * largest |a − n| / max(1, |n|), and the largest fraction of the default tolerance
 * (atol + rtol·|n|) used by any element of a correct Jacobian. Then, for deliberately wrong
 * gradients, the smallest factor by which the worst element exceeds the tolerance.
 */
import { randn, rng, tensor, Tensor } from '@attograd/tensor';
import { analyticalJacobian, DEFAULT_ATOL, DEFAULT_RTOL, gradcheck, numericalJacobian, type Stencil } from '../src/index';
import * as ops from '../test/ops';

type Case = { name: string; make: (seed: number) => { fn: (...xs: Tensor[]) => Tensor; inputs: Tensor[] } };

const r = (shape: number[], seed: number, factor = 1, requiresGrad = true): Tensor => {
  const t = randn(shape, { rng: rng(seed) });
  return new Tensor(
    t.data.map((v) => v * factor),
    shape,
    { requiresGrad },
  );
};

const cases: Case[] = [
  { name: 'cube', make: (s) => ({ fn: (x) => ops.cube(x), inputs: [r([3, 4], s)] }) },
  { name: 'sin(cube)', make: (s) => ({ fn: (x) => ops.sin(ops.cube(x)), inputs: [r([3, 4], s)] }) },
  { name: 'exp', make: (s) => ({ fn: (x) => ops.exp(x), inputs: [r([3, 4], s)] }) },
  {
    name: 'log(x²+1)',
    make: (s) => ({
      fn: (x) => ops.log(ops.add(ops.square(x), tensor(new Float64Array(12).fill(1), { shape: [3, 4] }))),
      inputs: [r([3, 4], s)],
    }),
  },
  { name: 'tanh(xW)', make: (s) => ({ fn: (x, w) => ops.tanh(ops.matmul(x, w)), inputs: [r([4, 5], s), r([5, 3], s + 1000)] }) },
  {
    name: 'ABC',
    make: (s) => ({ fn: (a, b, c) => ops.matmul(ops.matmul(a, b), c), inputs: [r([3, 4], s), r([4, 4], s + 1000), r([4, 2], s + 2000)] }),
  },
  {
    name: 'softmax(xW)⊙c',
    make: (s) => ({
      fn: (x, w) => ops.mul(ops.softmax(ops.matmul(x, w)), r([4, 6], s + 3000, 1, false)),
      inputs: [r([4, 5], s), r([5, 6], s + 1000)],
    }),
  },
  {
    name: 'attention',
    make: (s) => ({
      fn: (x, wq, wk, wv) => {
        const scores = ops.scale(ops.matmul(ops.matmul(x, wq), ops.transpose(ops.matmul(x, wk))), 1 / Math.sqrt(4));
        return ops.matmul(ops.softmax(scores), ops.matmul(x, wv));
      },
      inputs: [r([5, 4], s), r([4, 4], s + 1000, 0.5), r([4, 4], s + 2000, 0.5), r([4, 4], s + 3000, 0.5)],
    }),
  },
  {
    name: '1/(x²+1)',
    make: (s) => ({
      fn: (x) => ops.reciprocal(ops.add(ops.square(x), tensor(new Float64Array(12).fill(1), { shape: [3, 4] }))),
      inputs: [r([3, 4], s)],
    }),
  },
  { name: 'sin(20x)', make: (s) => ({ fn: (x) => ops.sin(ops.scale(x, 20)), inputs: [r([3, 4], s)] }) },
  { name: 'exp(3x)', make: (s) => ({ fn: (x) => ops.exp(ops.scale(x, 3)), inputs: [r([3, 4], s)] }) },
  {
    name: 'x + 1000',
    make: (s) => ({ fn: (x) => ops.add(x, tensor(new Float64Array(12).fill(1000), { shape: [3, 4] })), inputs: [r([3, 4], s)] }),
  },
  { name: '10·cube(2x-scale)', make: (s) => ({ fn: (x) => ops.scale(ops.cube(x), 10), inputs: [r([3, 4], s, 2)] }) },
  { name: 'x⊙y (|x|~10)', make: (s) => ({ fn: (x, y) => ops.mul(x, y), inputs: [r([3, 4], s, 10), r([3, 4], s + 1000, 10)] }) },
];

function measure(stencil: Stencil): void {
  console.log(`\n${stencil} stencil, default eps`);
  console.log(
    'function'.padEnd(20),
    'max|a-n|'.padStart(10),
    'max|a-n|/max(1,|n|)'.padStart(20),
    'max used tol'.padStart(13),
    'max|f|'.padStart(9),
  );
  let overall = { abs: 0, scaled: 0, used: 0 };
  for (const c of cases) {
    let abs = 0,
      scaled = 0,
      used = 0,
      maxF = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { fn, inputs } = c.make(seed);
      const analytic = analyticalJacobian(fn, inputs);
      const numeric = numericalJacobian(fn, inputs, { stencil });
      maxF = Math.max(maxF, ...Array.from(fn(...inputs.map((x) => x.detach())).data, Math.abs));
      analytic.forEach((a, t) => {
        const n = numeric[t];
        for (let i = 0; i < a.size; i++) {
          const d = Math.abs(a.data[i] - n.data[i]);
          abs = Math.max(abs, d);
          scaled = Math.max(scaled, d / Math.max(1, Math.abs(n.data[i])));
          used = Math.max(used, d / (DEFAULT_ATOL + DEFAULT_RTOL * Math.abs(n.data[i])));
        }
      });
    }
    overall = { abs: Math.max(overall.abs, abs), scaled: Math.max(overall.scaled, scaled), used: Math.max(overall.used, used) };
    console.log(
      c.name.padEnd(20),
      abs.toExponential(1).padStart(10),
      scaled.toExponential(1).padStart(20),
      used.toExponential(1).padStart(13),
      maxF.toExponential(1).padStart(9),
    );
  }
  console.log(
    'overall'.padEnd(20),
    overall.abs.toExponential(1).padStart(10),
    overall.scaled.toExponential(1).padStart(20),
    overall.used.toExponential(1).padStart(13),
  );
}

function fastMode(): void {
  console.log('\nfast mode (central, default eps): max fraction of the tolerance used by vᵀJu, per function');
  let failures = 0;
  for (const c of cases) {
    let used = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { fn, inputs } = c.make(seed);
      const report = gradcheck(fn, inputs, { mode: 'fast', seed });
      if (!report.ok) failures++;
      for (const input of report.inputs) {
        const { analytic, numeric } = input.directional ?? { analytic: NaN, numeric: NaN };
        used = Math.max(used, Math.abs(analytic - numeric) / (report.atol + report.rtol * Math.abs(numeric)));
      }
    }
    console.log(c.name.padEnd(20), used.toExponential(1).padStart(13));
  }
  console.log(`${failures} failures over ${cases.length * 20} correct checks`);
}

function wrong(): void {
  console.log('\nwrong gradients: smallest (worst-element error / its tolerance) over 20 seeds');
  const wrongCases: Case[] = [
    { name: 'x² missing 2', make: (s) => ({ fn: (x) => ops.squareMissingTwo(x), inputs: [r([3, 4], s)] }) },
    { name: 'matmul transposed', make: (s) => ({ fn: (a, b) => ops.matmulTransposed(a, b), inputs: [r([3, 3], s), r([3, 3], s + 1000)] }) },
    { name: 'mul forgets b', make: (s) => ({ fn: (a, b) => ops.mulForgetsB(a, b), inputs: [r([3, 4], s), r([3, 4], s + 1000)] }) },
  ];
  for (const c of wrongCases) {
    let least = Infinity;
    for (let seed = 0; seed < 20; seed++) {
      const { fn, inputs } = c.make(seed);
      const report = gradcheck(fn, inputs);
      for (const input of report.inputs) {
        if (input.ok || input.worst === null) continue;
        const { analytic, numeric } = input.worst;
        least = Math.min(least, Math.abs(analytic - numeric) / (report.atol + report.rtol * Math.abs(numeric)));
      }
    }
    console.log(c.name.padEnd(20), least.toExponential(1));
  }
}

measure('central');
measure('five-point');
fastMode();
wrong();
