import { readFileSync } from 'node:fs';
import { broadcastShapes, type DType, gradients, sumToShape, Tensor, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapesArbitrary, leaf, referenceMap, roundTo, sameBits, specialValues } from '../test/broadcast-reference';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, seedArbitrary, uniform, vjp } from '../test/helpers';
import { pow } from './pow';

describe('pow', () => {
  it('tensor ^ number: values and p·x^(p−1) (by hand)', () => {
    const x = tensor([1, 4, -2], { requiresGrad: true });
    const y = pow(x, 2);
    expectClose(y, [1, 16, 4]);
    expectClose(vjp(y, [x], tensor([1, 2, 3]))[0], [2, 16, -12]);
    const r = tensor([4, 9], { requiresGrad: true });
    expectClose(vjp(pow(r, 0.5), [r], tensor([1, 1]))[0], [0.25, 1 / 6], 1e-15);
  });

  it('tensor ^ tensor with broadcasting: dA = dC·B·A^(B−1), dB = dC·C·log A (by hand)', () => {
    const a = tensor([[2, 3]], { requiresGrad: true });
    const b = tensor([[2], [0.5]], { requiresGrad: true });
    const c = pow(a, b);
    expectClose(
      c,
      [
        [4, 9],
        [Math.SQRT2, Math.sqrt(3)],
      ],
      1e-15,
    );
    const [dA, dB] = vjp(
      c,
      [a, b],
      tensor([
        [1, 1],
        [1, 1],
      ]),
    );
    expectClose(dA, [[4 + 0.5 / Math.SQRT2, 6 + 0.5 / Math.sqrt(3)]], 1e-15);
    expectClose(dB, [[4 * Math.LN2 + 9 * Math.log(3)], [Math.SQRT2 * Math.LN2 + Math.sqrt(3) * Math.log(3)]], 1e-15);
  });

  it('non-smooth points as PyTorch: x^0 has gradient 0 (also at 0); 0^b with b ≥ 0 has dB = 0; x^−1 at 0 is ∞', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    expectClose(vjp(pow(x, 0), [x], tensor([1, 1]))[0], [0, 0]);
    expectClose(vjp(pow(x, -1), [x], tensor([1, 1]))[0], [-Infinity, -1]);
    const a = tensor([0, 2, 1], { requiresGrad: true });
    const b = tensor([2, 0.5, 3], { requiresGrad: true });
    const [dA, dB] = vjp(pow(a, b), [a, b], tensor([1, 1, 1]));
    expectClose(dA, [0, 0.3535533905932738, 3], 1e-15);
    expectClose(dB, [0, 0.9802581434685472, 0], 1e-15);
    const zeroExponent = tensor([0], { requiresGrad: true });
    expectClose(vjp(pow(tensor([0, 5]), zeroExponent), [zeroExponent], tensor([1, 1]))[0], [Math.log(5)]);
  });

  describe('special values as C and PyTorch, not as JavaScript: 1^y = 1 (y NaN or ±∞), (−1)^±∞ = 1, x^0 = 1 (x NaN)', () => {
    // Written by tools/golden/pow_special_values.py with PyTorch 1.13 (float64).
    const golden = JSON.parse(readFileSync(new URL('../test/golden/pow-special-values.json', import.meta.url), 'utf8'));
    const numbers = (values: Array<number | string>): number[] => values.map(Number);

    it('tensor ^ tensor: values and both gradients', () => {
      const both = golden.tensorTensor;
      const a = tensor(numbers(both.a), { requiresGrad: true });
      const b = tensor(numbers(both.b), { requiresGrad: true });
      const c = pow(a, b);
      expectClose(c, numbers(both.c));
      const [dA, dB] = vjp(c, [a, b], tensor(both.cotangent));
      expectClose(dA, numbers(both.dA));
      expectClose(dB, numbers(both.dB));
    });

    it('tensor ^ number: values and gradients', () => {
      expect(golden.tensorNumber.length).toBeGreaterThan(8);
      for (const row of golden.tensorNumber) {
        const x = tensor([Number(row.a)], { requiresGrad: true });
        const y = pow(x, Number(row.exponent));
        expectClose(y, [Number(row.c)]);
        expectClose(vjp(y, [x], tensor([row.cotangent]))[0], [Number(row.dA)]);
      }
    });

    it('number ^ tensor: values and gradients', () => {
      expect(golden.numberTensor.length).toBeGreaterThan(8);
      for (const row of golden.numberTensor) {
        const exponent = tensor([Number(row.b)], { requiresGrad: true });
        const y = pow(Number(row.base), exponent);
        expectClose(y, [Number(row.c)]);
        expectClose(vjp(y, [exponent], tensor([row.cotangent]))[0], [Number(row.dB)]);
      }
    });
  });

  it('NaN propagates; a number base works: pow(2, x)', () => {
    expect(pow(tensor([NaN]), 2).data[0]).toBeNaN();
    expectClose(pow(2, tensor([3, -1])), [8, 0.5]);
    expect(() => pow(2, 3)).toThrow(/pow: at least one of a and b must be a Tensor/);
  });

  it('gradcheck: number exponents, tensor exponents with positive bases', () => {
    for (const p of [3, -1.5, 0.5]) expectGradcheck((a) => pow(a, p), [uniform([2, 3], 11, 0.5, 2)]);
    expectGradcheck((a, b) => pow(a, b), [uniform([2, 3], 12, 0.5, 2), normal([2, 1], 13)]);
    expectGradcheck((b) => pow(3, b), [normal([4], 14)]);
  });

  describe('tensor ^ tensor under random broadcast shapes: the bits of the per-element definition (NaN, ±∞, −0, 0, ±1)', () => {
    /** C's pow (written again here, independently of pow.ts): 1^y = 1 and (−1)^±∞ = 1. */
    const power = (x: number, y: number) => (x === 1 || (x === -1 && Math.abs(y) === Infinity) ? 1 : x ** y);
    /** Values with NaN, ±∞, ±0 and, often, ±1 and small integers (bases and exponents where the special rules act). */
    const values = (shape: readonly number[], dtype: DType, seed: number) => {
      const t = specialValues(shape, dtype, seed);
      for (let i = 0; i < t.size; i += 3) t.data[i] = [1, -1, 2, 0, -2, 0.5][(i / 3 + seed) % 6];
      return t;
    };
    it.each(['float64', 'float32'] as const)('%s: forward and both gradients (each step rounded to the dtype)', (dtype) => {
      const r = roundTo(dtype);
      fc.assert(
        fc.property(broadcastShapesArbitrary(2), seedArbitrary, ({ shapes: [shapeA, shapeB] }, seed) => {
          const [a, b] = [leaf(values(shapeA, dtype, seed)), leaf(values(shapeB, dtype, seed + 1))];
          const c = pow(a, b);
          expect(c.shape).toEqual(broadcastShapes('t', shapeA, shapeB));
          expect(sameBits(c.data, referenceMap(dtype, c.shape, [a, b], power))).toBe(true);
          const g = specialValues(c.shape, dtype, seed + 2);
          const [dA, dB] = gradients(c, [a, b], { gradOutput: g });
          // dA = dC ⊙ where(B = 0, 0, B ⊙ A^(B−1)); dB = dC ⊙ where(A = 0 ∧ B ≥ 0, 0, C ⊙ log A).
          const slope = (x: number, y: number, dc: number) => r(dc * (y === 0 ? 0 : r(y * r(power(x, r(y - 1))))));
          const logSlope = (x: number, y: number, dc: number) => r(dc * (x === 0 && y >= 0 ? 0 : r(r(power(x, y)) * r(Math.log(x)))));
          const full = (f: (x: number, y: number, dc: number) => number) => new Tensor(referenceMap(dtype, c.shape, [a, b, g], f), c.shape);
          expect(sameBits(dA.data, sumToShape(full(slope), shapeA).data)).toBe(true);
          expect(sameBits(dB.data, sumToShape(full(logSlope), shapeB).data)).toBe(true);
        }),
        { seed: 16, numRuns: 300 },
      );
    });
  });
});
