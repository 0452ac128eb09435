import { Tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradcheck, numericalJacobian } from '../src/index';
import { matmul, matmulTransposed, mul, sin } from './ops';

const entry = fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true });
const matrix = (rows: number, cols: number, requiresGrad = false) =>
  fc
    .array(entry, { minLength: rows * cols, maxLength: rows * cols })
    .map((values) => new Tensor(Float64Array.from(values), [rows, cols], { requiresGrad }));
const dims = fc.integer({ min: 1, max: 4 });

describe('properties', () => {
  it('the numerical Jacobian of x ↦ A·x is A, for any A and x', () => {
    const problem = fc.tuple(dims, dims).chain(([rows, cols]) => fc.tuple(matrix(rows, cols), matrix(cols, 1, true)));
    fc.assert(
      fc.property(problem, ([a, x]) => {
        const [jacobian] = numericalJacobian((column) => matmul(a, column), [x]);
        for (let i = 0; i < a.size; i++) expect(Math.abs(jacobian.data[i] - a.data[i])).toBeLessThan(1e-9 * (1 + Math.abs(a.data[i])));
      }),
      { numRuns: 60 },
    );
  });

  it('a correct op never fails, in either mode, for any input', () => {
    const problem = fc.tuple(dims, dims, dims).chain(([n, k, m]) => fc.tuple(matrix(n, k, true), matrix(k, m, true)));
    fc.assert(
      fc.property(problem, fc.integer({ min: 0, max: 1000 }), ([a, b], seed) => {
        const fn = (p: Tensor, q: Tensor) => sin(matmul(p, q));
        // Every input passes; the report as a whole may still be vacuous (all-zero inputs make J = 0).
        for (const report of [gradcheck(fn, [a, b]), gradcheck(fn, [a, b], { mode: 'fast', seed })]) {
          expect(report.inputs.every((input) => input.ok)).toBe(true);
          expect(report.ok || report.inputs.some((input) => input.vacuous)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a transposed gradient fails whenever B is visibly asymmetric', () => {
    fc.assert(
      fc.property(dims, matrix(3, 3), (rows, b) => {
        let asymmetry = 0;
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) asymmetry = Math.max(asymmetry, Math.abs(b.data[i * 3 + j] - b.data[j * 3 + i]));
        fc.pre(asymmetry > 1e-3);
        const a = new Tensor(new Float64Array(rows * 3).fill(0.5), [rows, 3], { requiresGrad: true });
        const report = gradcheck(matmulTransposed, [a, b]);
        expect(report.ok).toBe(false);
        expect(report.inputs[0].ok).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('the inputs come back bit-identical, whatever their values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 6 }), (values) => {
        const x = new Tensor(Float64Array.from(values), [values.length], { requiresGrad: true });
        const y = new Tensor(
          Float64Array.from(values, (v) => v / 3),
          [values.length],
          { requiresGrad: true },
        );
        const before = [...new Uint8Array(x.data.buffer.slice(0)), ...new Uint8Array(y.data.buffer.slice(0))];
        gradcheck(mul, [x, y]);
        gradcheck(mul, [x, y], { mode: 'fast', stencil: 'five-point' });
        expect([...new Uint8Array(x.data.buffer.slice(0)), ...new Uint8Array(y.data.buffer.slice(0))]).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });
});
