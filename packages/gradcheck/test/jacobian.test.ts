import { randn, rng, tensor, type Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import { analyticalJacobian, CENTRAL_EPS, FIVE_POINT_EPS, numericalJacobian, numericalJacobianColumns } from '../src/index';
import { add, cube, matmul, scale, sin } from './ops';

/** Asserts a nested array of numbers equals `expected` within `tolerance`, element by element. */
function expectClose(actual: Tensor, expected: number[][], tolerance: number): void {
  expect(actual.shape).toEqual([expected.length, expected[0].length]);
  const rows = actual.toArray() as number[][];
  rows.forEach((row, i) =>
    row.forEach((value, j) => expect(Math.abs(value - expected[i][j]), `[${i}][${j}]`).toBeLessThanOrEqual(tolerance)),
  );
}

describe('Jacobians of a known linear map', () => {
  // out = A·x with x a column: ∂out_i/∂x_j = A[i][j], whatever x is.
  const A = [
    [1, 2, 0],
    [0, -1, 3],
  ];
  const fn = (x: Tensor) => matmul(tensor(A), x);
  const x = tensor([[0.5], [-1.25], [2]], { requiresGrad: true });

  it('numerically: the matrix itself', () => {
    const [jacobian] = numericalJacobian(fn, [x]);
    expectClose(jacobian, A, 1e-9);
  });

  it('analytically: the matrix itself, exactly', () => {
    const [jacobian] = analyticalJacobian(fn, [x]);
    expectClose(jacobian, A, 0);
  });

  it('two inputs: out = 2a − 3b gives 2I and −3I', () => {
    const a = tensor([1, -2, 0.25], { requiresGrad: true });
    const b = tensor([4, 0, -1], { requiresGrad: true });
    const twoA = [
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, 2],
    ];
    const minusThreeB = [
      [-3, 0, 0],
      [0, -3, 0],
      [0, 0, -3],
    ];
    const f = (p: Tensor, q: Tensor) => add(scale(p, 2), scale(q, -3));
    const [numericA, numericB] = numericalJacobian(f, [a, b]);
    expectClose(numericA, twoA, 1e-9);
    expectClose(numericB, minusThreeB, 1e-9);
    const [analyticA, analyticB] = analyticalJacobian(f, [a, b]);
    expectClose(analyticA, twoA, 0);
    expectClose(analyticB, minusThreeB, 0);
  });

  it('shape [outputSize, inputSize] for matrix-shaped inputs and outputs (row-major flattening)', () => {
    // out = W·v with W [2, 2] checked: ∂out_i/∂W_jk = δ_ij v_k; W flattened as [W00, W01, W10, W11].
    const w = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const v = tensor([[5], [7]]);
    const [jacobian] = analyticalJacobian((m, column) => matmul(m, column), [w, v]);
    expectClose(
      jacobian,
      [
        [5, 7, 0, 0],
        [0, 0, 5, 7],
      ],
      0,
    );
  });
});

describe('stencils', () => {
  it('five-point is far more accurate than central at a moderate step', () => {
    const x = randn([6], { rng: rng(3), requiresGrad: true });
    const exact = Array.from(x.data, Math.cos); // d/dx sin x, on the diagonal
    const error = (jacobian: Tensor) => {
      let max = 0;
      const rows = jacobian.toArray() as number[][];
      rows.forEach((row, i) => row.forEach((value, j) => (max = Math.max(max, Math.abs(value - (i === j ? exact[i] : 0))))));
      return max;
    };
    const [central] = numericalJacobian(sin, [x], { eps: 1e-3, stencil: 'central' });
    const [fivePoint] = numericalJacobian(sin, [x], { eps: 1e-3, stencil: 'five-point' });
    const centralError = error(central);
    const fivePointError = error(fivePoint);
    // Truncation h²/6 ≈ 2e-7 against h⁴/30 ≈ 3e-14 (plus round-off ~1e-13).
    expect(centralError).toBeGreaterThan(1e-8);
    expect(fivePointError).toBeLessThan(centralError / 1e4);
  });

  it('the default steps', () => {
    expect(CENTRAL_EPS).toBeCloseTo(6.0555e-6, 9);
    expect(FIVE_POINT_EPS).toBe(1e-4);
  });
});

describe('numericalJacobianColumns (the unit of work of a worker)', () => {
  it('ranges of columns put together equal the whole numerical Jacobian, bit for bit', () => {
    const x = randn([2, 3], { rng: rng(5), requiresGrad: true });
    const w = randn([3, 2], { rng: rng(6), requiresGrad: true });
    const fn = (a: Tensor, b: Tensor) => cube(matmul(a, b));
    const [, whole] = numericalJacobian(fn, [x, w]);
    const left = numericalJacobianColumns(fn, [x, w], 1, 0, 4);
    const right = numericalJacobianColumns(fn, [x, w], 1, 4, 6);
    expect(left).toMatchObject({ inputIndex: 1, start: 0, end: 4, outputSize: 4 });
    expect(right.values).toHaveLength(2 * 4);
    const [outputSize, inputSize] = whole.shape;
    for (let column = 0; column < inputSize; column++) {
      const block = column < 4 ? left : right;
      for (let row = 0; row < outputSize; row++) {
        expect(block.values[(column - block.start) * outputSize + row]).toBe(whole.data[row * inputSize + column]);
      }
    }
  });

  it('an empty range is allowed, and the input need not require gradients', () => {
    const constant = tensor([1, 2, 3]);
    expect(numericalJacobianColumns(cube, [constant], 0, 1, 1).values).toHaveLength(0);
    const { values } = numericalJacobianColumns(cube, [constant], 0, 1, 2);
    expect(Array.from(values).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 12, 0]);
  });
});
