import { randn, rng, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import {
  analyticalJacobian,
  columnRanges,
  defaultEps,
  gradcheck,
  gradcheckAsync,
  numericalJacobian,
  partiallyReevaluated,
  type ComputeColumns,
  type GradcheckFn,
} from '../src';
import { CENTRAL_EPS, FIVE_POINT_EPS } from '../src/options';
import { matmul, matmulTransposed, mul, sin, softmax } from './ops';

const leaf = (shape: number[], seed: number): Tensor => randn(shape, { rng: rng(seed), requiresGrad: true });

/** softmax(sin(a·b))·c: three inputs, each reaching a different part of the graph. */
const chain: GradcheckFn = (a, b, c) => matmul(softmax(sin(matmul(a, b))), c);
const chainInputs = (): Tensor[] => [leaf([3, 4], 1), leaf([4, 5], 2), leaf([5, 2], 3)];

/** Part of the output computed from raw data (a constant to the graph, yet a function of x). */
const rawData: GradcheckFn = (x) =>
  mul(
    x,
    new Tensor(
      x.data.map((v) => v * v),
      x.shape,
    ),
  );

describe('partial re-evaluation (gradcheck’s default)', () => {
  it('gives bit for bit the report of whole re-evaluation, both stencils', () => {
    for (const stencil of ['central', 'five-point'] as const) {
      const inputs = chainInputs();
      const whole = gradcheck(chain, inputs, { stencil, partial: false });
      const partial = gradcheck(chain, inputs, { stencil });
      expect(partial.ok).toBe(true);
      expect(partial.inputs).toEqual(whole.inputs);
      expect(partial.warnings).toEqual(whole.warnings);
    }
  });

  it('replays only when it reproduces fn, and recomputes what each input reaches', () => {
    const inputs = chainInputs();
    const replay = partiallyReevaluated(chain, inputs);
    expect(replay).not.toBe(chain);
    for (const input of inputs) {
      const k = input.size - 1;
      const original = input.data[k];
      input.data[k] = original + 0.5;
      expect(Array.from(replay(...inputs).data)).toEqual(Array.from(chain(...inputs).data));
      input.data[k] = original;
    }
  });

  it('falls back to fn when part of the output is computed outside the graph', () => {
    const x = leaf([4], 4);
    expect(partiallyReevaluated(rawData, [x])).toBe(rawData);
    const report = gradcheck(rawData, [x]);
    expect(report.inputs).toEqual(gradcheck(rawData, [x], { partial: false }).inputs);
    // d(x³)/dx = 3x², autograd sees only x²: the check must still fail.
    expect(report.ok).toBe(false);
  });
});

describe('jacobians on request', () => {
  it('returns the compared blocks, equal to analyticalJacobian and numericalJacobian', () => {
    const inputs = chainInputs();
    const report = gradcheck(chain, inputs, { jacobians: true });
    expect(report.jacobians?.map((j) => j.index)).toEqual([0, 1, 2]);
    const analytic = analyticalJacobian(chain, inputs);
    const numeric = numericalJacobian(chain, inputs);
    report.jacobians?.forEach((j, t) => {
      expect(j.analytic.shape).toEqual([6, inputs[t].size]);
      expect(Array.from(j.analytic.data)).toEqual(Array.from(analytic[t].data));
      expect(Array.from(j.numeric.data)).toEqual(Array.from(numeric[t].data));
    });
    expect(gradcheck(chain, inputs).jacobians).toBeUndefined();
  });
});

describe('gradcheckAsync with a computeColumns hook', () => {
  /** Computes the ranges in reverse order, as worker threads finishing out of order would deliver them. */
  const reversed: ComputeColumns = async ({ inputs, computeHere }) =>
    columnRanges(inputs, 3)
      .reverse()
      .map((range) => ({ range, values: computeHere(range) }));

  it('gives the same report object and warnings as gradcheck, passing or failing', async () => {
    const cases: [GradcheckFn, Tensor[]][] = [
      [chain, chainInputs()],
      [(a, b) => matmulTransposed(a, b), [leaf([3, 3], 5), leaf([3, 3], 6)]],
      [chain, [leaf([3, 4], 1).to('float32'), leaf([4, 5], 2), leaf([5, 2], 3)]],
    ];
    for (const [fn, inputs] of cases) {
      const expected = gradcheck(fn, inputs);
      const got = await gradcheckAsync(fn, inputs, { computeColumns: reversed });
      expect({ ...got, seconds: 0 }).toEqual({ ...expected, seconds: 0 });
    }
  });

  it('rejects a hook that computes a column twice or misses one', async () => {
    const twice: ComputeColumns = async (request) => {
      const ranges = columnRanges(request.inputs, 1);
      return [...ranges, ranges[0]].map((range) => ({ range, values: request.computeHere(range) }));
    };
    await expect(gradcheckAsync(chain, chainInputs(), { computeColumns: twice })).rejects.toThrow(
      'gradcheckAsync: computeColumns returned column 0 of input 0 2 times (once is needed)',
    );
    const missing: ComputeColumns = async (request) =>
      columnRanges(request.inputs, 1)
        .slice(1)
        .map((range) => ({ range, values: request.computeHere(range) }));
    await expect(gradcheckAsync(chain, chainInputs(), { computeColumns: missing })).rejects.toThrow('0 times (once is needed)');
  });
});

describe('defaults', () => {
  it('defaultEps gives the step gradcheck uses', () => {
    expect(defaultEps('central')).toBe(CENTRAL_EPS);
    expect(defaultEps('five-point', 'float64')).toBe(FIVE_POINT_EPS);
    expect(gradcheck(chain, chainInputs(), { stencil: 'five-point' }).eps).toBe(defaultEps('five-point'));
    expect(defaultEps('central', 'float32')).toBeCloseTo(Math.cbrt(2 ** -23), 15);
  });
});
