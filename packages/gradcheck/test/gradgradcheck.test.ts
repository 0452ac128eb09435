import { defineOp, randn, rng, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { checkHvp, gradgradcheck } from '../src';
import { cube, matmul, mul, sin, softmax } from './ops';

const leaf = (shape: number[], seed: number): Tensor => randn(shape, { rng: rng(seed), requiresGrad: true });

/** x² whose rule is computed from raw data: right to first order, but not differentiable. */
const frozenSquare = defineOp({
  name: 'frozenSquare',
  inputNames: ['x'],
  forward: ([x]) =>
    new Tensor(
      x.data.map((v) => v * v),
      x.shape,
    ),
  backward: (dOut, { inputs: [x] }) => [
    new Tensor(
      dOut.data.map((g, i) => 2 * g * x.data[i]),
      x.shape,
    ),
  ],
});

describe('gradgradcheck', () => {
  it('passes for ops whose rules are written with differentiable ops', () => {
    for (const [fn, inputs] of [
      [(x: Tensor) => cube(x), [leaf([3, 2], 1)]],
      [(x: Tensor) => softmax(x), [leaf([2, 4], 2)]],
      [(a: Tensor, b: Tensor) => sin(matmul(a, b)), [leaf([2, 3], 3), leaf([3, 2], 4)]],
    ] as const) {
      const report = gradgradcheck(fn as (...xs: Tensor[]) => Tensor, inputs as unknown as Tensor[]);
      expect(report.ok, JSON.stringify(report.checks.map((c) => c.report.inputs))).toBe(true);
      expect(report.checks).toHaveLength(inputs.length);
    }
  });

  it('fails for a rule computed outside the graph, naming the input', () => {
    const x = leaf([3], 5);
    const report = gradgradcheck((t) => mul(frozenSquare([t], {}), t), [x]);
    expect(report.ok).toBe(false);
    const [check] = report.checks;
    expect(check.input).toBe(0);
    // Input 0 of the gradient function is x: its second derivative is wrong.
    expect(check.report.inputs[0].ok).toBe(false);
  });
});

describe('checkHvp', () => {
  it('matches central differences of the gradient for cube and softmax', () => {
    const x = leaf([4], 6);
    const v = randn([4], { rng: rng(7) });
    const c = randn([4], { rng: rng(8) });
    expect(checkHvp((t) => cube(t), [x], [v], { cotangent: c }).maxRelError).toBeLessThan(1e-8);
    const y = leaf([2, 3], 9);
    const w = randn([2, 3], { rng: rng(10) });
    const d = randn([2, 3], { rng: rng(11) });
    expect(checkHvp((t) => softmax(t), [y], [w], { cotangent: d }).maxRelError).toBeLessThan(1e-8);
  });

  it('shows the second derivative missing from a rule computed outside the graph', () => {
    const x = leaf([3], 12);
    const v = randn([3], { rng: rng(13) });
    const c = randn([3], { rng: rng(14) });
    expect(checkHvp((t) => frozenSquare([t], {}), [x], [v], { cotangent: c }).maxRelError).toBeGreaterThan(1e-3);
  });
});
