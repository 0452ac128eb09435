import { noGrad, randn, rng, tensor, type Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '../src/index';
import { cube, log, matmul, matmulTransposed, mul, mulForgetsB, scale, sin, softmax, square, squareMissingTwo, badShape } from './ops';

const input = (shape: number[], seed: number): Tensor => randn(shape, { rng: rng(seed), requiresGrad: true });

/** Flat index of the element of largest magnitude. */
function argmaxAbs(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (Math.abs(values[i]) > Math.abs(values[best])) best = i;
  return best;
}

describe('correct gradients pass', () => {
  it('cube, full mode, seeded random input', () => {
    const report = gradcheck(cube, [input([3, 4], 1)]);
    expect(report.ok).toBe(true);
    expect(report.mode).toBe('full');
    expect(report.warnings).toEqual([]);
    expect(report.outputShape).toEqual([3, 4]);
    const [x] = report.inputs;
    expect(x).toMatchObject({ index: 0, shape: [3, 4], ok: true, vacuous: false });
    expect(x.maxAbsError).toBeLessThan(1e-8);
    expect(x.normRelError).toBeLessThan(1e-9);
  });

  it('cube, fast mode', () => {
    const report = gradcheck(cube, [input([3, 4], 1)], { mode: 'fast' });
    expect(report.ok).toBe(true);
    expect(report.mode).toBe('fast');
    const [x] = report.inputs;
    expect(x.worst).toBeNull();
    expect(x.directional).toBeDefined();
    expect(Math.abs(x.directional!.analytic)).toBeGreaterThan(1e-3);
  });

  it('a composite of two inputs (sin of a matmul), both modes, both stencils', () => {
    const fn = (a: Tensor, b: Tensor) => sin(matmul(a, b));
    for (const mode of ['full', 'fast'] as const) {
      for (const stencil of ['central', 'five-point'] as const) {
        const report = gradcheck(fn, [input([2, 3], 2), input([3, 4], 3)], { mode, stencil });
        expect(report.ok, `${mode} ${stencil}`).toBe(true);
        expect(report.inputs.map((r) => r.index)).toEqual([0, 1]);
      }
    }
  });

  it('checks only the inputs with requiresGrad, and reports their positions', () => {
    const constant = randn([3, 4], { rng: rng(9) });
    const report = gradcheck((c, x) => mul(c, cube(x)), [constant, input([3, 4], 4)]);
    expect(report.ok).toBe(true);
    expect(report.inputs.map((r) => r.index)).toEqual([1]);
  });

  it('softmax with a random cotangent (the non-vacuous way to check it)', () => {
    const cotangent = randn([3, 5], { rng: rng(11) });
    const report = gradcheck((x) => mul(softmax(x), cotangent), [input([3, 5], 5)]);
    expect(report.ok).toBe(true);
  });

  it('the identity, the same tensor given twice, and a non-leaf input', () => {
    expect(gradcheck((x) => x, [input([2, 2], 6)]).ok).toBe(true);
    const x = input([2, 3], 7);
    const twice = gradcheck((a, b) => mul(a, b), [x, x]);
    expect(twice.ok).toBe(true);
    expect(twice.inputs).toHaveLength(2);

    const leaf = input([2, 3], 8);
    const nonLeaf = cube(leaf);
    expect(gradcheck(sin, [nonLeaf]).ok).toBe(true);
    // The caller's graph is neither walked nor freed: backward through it still works.
    nonLeaf.backward(tensor(new Float64Array(6).fill(1), { shape: [2, 3] }));
    leaf.data.forEach((v, i) => expect(leaf.grad!.data[i]).toBeCloseTo(3 * v * v, 12));
    // ... and once that backward has freed it, a non-leaf can still be checked.
    expect(gradcheck(sin, [nonLeaf]).ok).toBe(true);
  });

  it('a fn that reads its inputs from a closure instead of its arguments (as PyTorch allows)', () => {
    const x = input([2, 3], 9);
    const w = input([3, 2], 10);
    expect(gradcheck(() => sin(matmul(x, w)), [x, w]).ok).toBe(true);
  });
});

describe('wrong gradients fail and are located', () => {
  it('a missing factor 2: the report names the input and the worst element', () => {
    const x = input([2, 3], 21);
    const report = gradcheck(squareMissingTwo, [x]);
    expect(report.ok).toBe(false);
    const [only] = report.inputs;
    expect(only.ok).toBe(false);
    // J is diagonal: analytic x_k, numeric 2x_k; the largest |x_k| violates the rule the most.
    const k = argmaxAbs(x.data);
    const where = [Math.floor(k / 3), k % 3];
    expect(only.worst).not.toBeNull();
    expect(only.worst!.inputIndex).toEqual(where);
    expect(only.worst!.outputIndex).toEqual(where);
    expect(only.worst!.analytic).toBeCloseTo(x.data[k], 12);
    expect(only.worst!.numeric).toBeCloseTo(2 * x.data[k], 8);
    expect(only.maxAbsError).toBeCloseTo(Math.abs(x.data[k]), 8);
    expect(only.maxRelError).toBeCloseTo(0.5, 8);
  });

  it('a transposed index in a square matmul: names input 0 only, with the swapped entries', () => {
    const a = input([3, 3], 22);
    const b = input([3, 3], 23);
    const report = gradcheck(matmulTransposed, [a, b]);
    expect(report.ok).toBe(false);
    const [first, second] = report.inputs;
    expect(second.ok).toBe(true);
    expect(first.ok).toBe(false);
    const { inputIndex, outputIndex, analytic, numeric } = first.worst!;
    // ∂out[r][c]/∂a[r][k] = b[k][c]; the wrong rule gives b[c][k].
    const [r, k] = inputIndex;
    const c = outputIndex[1];
    expect(outputIndex[0]).toBe(r);
    expect(numeric).toBeCloseTo(b.data[k * 3 + c], 8);
    expect(analytic).toBeCloseTo(b.data[c * 3 + k], 12);
    expect(Math.abs(analytic - numeric)).toBeGreaterThan(1e-3);
  });

  it('fast mode fails too, and the full rerun names the element', () => {
    const x = input([2, 3], 21);
    const report = gradcheck(squareMissingTwo, [x], { mode: 'fast' });
    expect(report.ok).toBe(false);
    expect(report.mode).toBe('fast');
    const [only] = report.inputs;
    expect(only.ok).toBe(false);
    expect(only.directional).toBeDefined();
    expect(only.directional!.analytic).not.toBeCloseTo(only.directional!.numeric, 3);
    const k = argmaxAbs(x.data);
    expect(only.worst!.inputIndex).toEqual([Math.floor(k / 3), k % 3]);
    expect(only.worst!.analytic).not.toBeCloseTo(only.worst!.numeric, 3);
    expect(report.warnings.join('\n')).toMatch(/fast mode: the random projection disagreed for input 0/);
  });

  it('fast mode on the transposed matmul blames input 0 only', () => {
    const report = gradcheck(matmulTransposed, [input([3, 3], 22), input([3, 3], 23)], { mode: 'fast' });
    expect(report.ok).toBe(false);
    expect(report.inputs.map((r) => r.ok)).toEqual([false, true]);
    expect(report.inputs[0].worst).not.toBeNull();
  });

  it('a backward that throws is reported, not thrown', () => {
    const report = gradcheck(badShape, [input([2, 2], 24)]);
    expect(report.ok).toBe(false);
    expect(report.inputs[0].ok).toBe(false);
    expect(report.warnings.join('\n')).toMatch(/the backward pass threw.*badShape/);
  });
});

describe('vacuous checks', () => {
  it('an input the function ignores is vacuous: warned about, not a clean pass', () => {
    const report = gradcheck((x, _ignored) => cube(x), [input([2, 3], 31), input([4], 32)]);
    const [used, ignored] = report.inputs;
    expect(used).toMatchObject({ ok: true, vacuous: false });
    expect(ignored.vacuous).toBe(true);
    expect(ignored.vacuousReason).toMatch(/does not \(measurably\) depend on this input/);
    expect(ignored.maxAbsError).toBe(0);
    expect(report.warnings.join('\n')).toMatch(/input 1 \(shape \[4\]\) is VACUOUS/);
  });

  it('when every checked input is vacuous the report is not a pass', () => {
    // Σ_j softmax(x)_ij = 1 for every row: the gradient is identically zero, so any backward "passes".
    const ones = tensor([[1], [1], [1], [1]]);
    const report = gradcheck((x) => matmul(softmax(x), ones), [input([2, 4], 33)]);
    expect(report.inputs[0].vacuous).toBe(true);
    expect(report.inputs[0].ok).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.warnings.join('\n')).toMatch(/every checked input is vacuous/);
  });

  it('a backward that returns zeros for an input that matters fails', () => {
    const report = gradcheck(mulForgetsB, [input([2, 3], 34), input([2, 3], 35)]);
    expect(report.ok).toBe(false);
    const [a, b] = report.inputs;
    expect(a).toMatchObject({ ok: true, vacuous: false });
    expect(b.ok).toBe(false);
    expect(b.vacuous).toBe(true);
    expect(b.vacuousReason).toMatch(/analytic gradient is exactly zero but the numeric one is not/);
    expect(b.worst!.analytic).toBe(0);
    expect(Math.abs(b.worst!.numeric)).toBeGreaterThan(0.1);
  });

  it('an output computed outside the graph is flagged', () => {
    const report = gradcheck((x) => noGrad(() => cube(x)), [input([3], 36)]);
    expect(report.ok).toBe(false);
    expect(report.inputs[0].vacuous).toBe(true);
    expect(report.warnings.join('\n')).toMatch(/output does not require gradients/);
    const fast = gradcheck((x) => noGrad(() => cube(x)), [input([3], 36)], { mode: 'fast' });
    expect(fast.ok).toBe(false);
    expect(fast.warnings.filter((w) => /output does not require gradients/.test(w))).toHaveLength(1);
  });
});

describe('the inputs are left as they were', () => {
  it('data bit-identical (including -0, subnormals, odd fractions) and .grad untouched', () => {
    const values = [-0, 5e-324, 0.1, -2.5, 1e10, 1 / 3];
    const x = tensor(values, { requiresGrad: true });
    const y = input([6], 41);
    const previousGrad = tensor([1, 2, 3, 4, 5, 6]);
    x.grad = previousGrad;
    const bytes = (t: Tensor) => Array.from(new Uint8Array(t.data.buffer.slice(0)));
    const [xBefore, yBefore] = [bytes(x), bytes(y)];
    for (const mode of ['full', 'fast'] as const) {
      for (const stencil of ['central', 'five-point'] as const) {
        gradcheck((a, b) => mul(square(a), b), [x, y], { mode, stencil });
        gradcheck(squareMissingTwo, [x], { mode, stencil }); // failing checks restore too
      }
    }
    expect(bytes(x)).toEqual(xBefore);
    expect(bytes(y)).toEqual(yBefore);
    expect(Object.is(x.data[0], -0)).toBe(true);
    expect(x.grad).toBe(previousGrad);
    expect(Array.from(previousGrad.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(y.grad).toBeNull();
    expect(x.gradFn).toBeNull();
  });

  it('restores the data even when fn throws mid-check', () => {
    const x = input([4], 42);
    const before = Array.from(x.data);
    let calls = 0;
    const fn = (t: Tensor) => {
      if (++calls === 5) throw new Error('boom');
      return cube(t);
    };
    // partial: false, so that every finite difference calls fn itself (a replay would not call it a 5th time).
    expect(() => gradcheck(fn, [x], { partial: false })).toThrow('boom');
    expect(Array.from(x.data)).toEqual(before);
  });

  it('restores the data when fn throws while its partial re-evaluation is validated', () => {
    const x = input([4], 42);
    const before = Array.from(x.data);
    let calls = 0;
    const fn = (t: Tensor) => {
      if (++calls === 4) throw new Error('boom');
      return cube(t);
    };
    expect(() => gradcheck(fn, [x])).toThrow('boom');
    expect(Array.from(x.data)).toEqual(before);
  });
});

describe('dtypes and non-finite values', () => {
  it('float32 inputs are checked in float64 on copies, with a warning', () => {
    const x32 = randn([2, 3], { rng: rng(51), dtype: 'float32', requiresGrad: true });
    const before = Array.from(x32.data);
    const seen: string[] = [];
    const report = gradcheck(
      (x) => {
        seen.push(x.dtype);
        return cube(x);
      },
      [x32],
    );
    expect(report.ok).toBe(true);
    expect(new Set(seen)).toEqual(new Set(['float64']));
    expect(report.warnings.join('\n')).toMatch(/input 0 is float32: checked in float64 on upcast copies/);
    expect(Array.from(x32.data)).toEqual(before);
  });

  it('a non-finite output is a failure with a warning, not a crash', () => {
    const report = gradcheck(log, [tensor([1, -1, 2], { requiresGrad: true })]);
    expect(report.ok).toBe(false);
    expect(report.warnings.join('\n')).toMatch(/output holds 1 non-finite values/);
  });

  it('a non-finite numerical derivative is a failure naming the element', () => {
    // log is finite at 1e-7, but x − h < 0 for the default step: the finite difference is NaN there.
    const report = gradcheck(log, [tensor([1, 1e-7], { requiresGrad: true })]);
    expect(report.ok).toBe(false);
    const [x] = report.inputs;
    expect(x.maxAbsError).toBe(Infinity);
    expect(x.worst!.inputIndex).toEqual([1]);
    expect(Number.isNaN(x.worst!.numeric)).toBe(true);
    expect(report.warnings.join('\n')).toMatch(/non-finite derivatives, first at input \[1\] \/ output \[1\]/);
  });

  it('a non-deterministic fn is not a pass', () => {
    let calls = 0;
    const report = gradcheck((x) => scale(x, 1 + (calls++ % 2) * 1e-3), [input([3], 52)]);
    expect(report.ok).toBe(false);
    expect(report.warnings.join('\n')).toMatch(/fn is not deterministic/);
  });
});

describe('report fields', () => {
  it('echoes the settings and times the check', () => {
    const report = gradcheck(cube, [input([2], 61)], { stencil: 'five-point', atol: 1e-9, rtol: 1e-6, seed: 3 });
    expect(report).toMatchObject({ mode: 'full', stencil: 'five-point', eps: 1e-4, atol: 1e-9, rtol: 1e-6 });
    expect(report.seconds).toBeGreaterThanOrEqual(0);
    expect(gradcheck(cube, [input([2], 61)]).eps).toBeCloseTo(6.055454e-6, 11);
  });
});
