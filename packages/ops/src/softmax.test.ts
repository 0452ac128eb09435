import { full, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary, vjp } from '../test/helpers';
import { add } from './add';
import { softmax } from './softmax';
import { sum } from './sum';

describe('softmax', () => {
  it('softmax([0, ln 2]) = [1/3, 2/3], and dx = y ⊙ (dy − Σ dy y) (by hand)', () => {
    const x = tensor([0, Math.LN2], { requiresGrad: true });
    const y = softmax(x);
    expectClose(y, [1 / 3, 2 / 3], 1e-15);
    // dy = [1, 0]: Σ dy y = 1/3, dx = [1/3 · (1 − 1/3), 2/3 · (0 − 1/3)]
    y.backward(tensor([1, 0]));
    expectClose(x.grad!, [2 / 9, -2 / 9], 1e-15);
  });

  it('along axis 0 of a matrix: each column is a distribution (by hand)', () => {
    expectClose(
      softmax(
        tensor([
          [0, 1],
          [Math.LN2, 1],
        ]),
        0,
      ),
      [
        [1 / 3, 0.5],
        [2 / 3, 0.5],
      ],
      1e-15,
    );
  });

  it.each([
    [[3, 5], -1],
    [[4, 3], 0],
    [[2, 3, 4], 1],
    [[5], 0],
  ] as const)('gradcheck on shape %j along axis %d', (shape, axis) => {
    expectGradcheck((x) => softmax(x, axis), [normal([...shape], 20)]);
  });

  const shapeAndAxis = shapeArbitrary(1, 4).chain((shape) =>
    fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length, max: shape.length - 1 })),
  );

  it('rows sum to 1, and a constant shift of a row changes nothing', () => {
    fc.assert(
      fc.property(shapeAndAxis, seedArbitrary, fc.double({ min: -50, max: 50, noNaN: true }), ([shape, axis], seed, shift) => {
        const x = normal(shape, seed, false);
        const y = softmax(x, axis);
        const ones = sum(y, axis);
        expectClose(ones, full(ones.shape, 1), 1e-14);
        expectClose(softmax(add(x, shift), axis), y, 1e-13);
      }),
      PROPERTY_RUNS,
    );
  });

  it('the gradient of each row sums to 0 (softmax ignores shifts), in the input shape', () => {
    fc.assert(
      fc.property(shapeAndAxis, seedArbitrary, ([shape, axis], seed) => {
        const x = normal(shape, seed);
        const [dx] = vjp(softmax(x, axis), [x], normal(shape, seed + 1, false));
        expect(dx.shape).toEqual(shape);
        const rowSums = sum(dx, axis);
        expectClose(rowSums, full(rowSums.shape, 0), 1e-14);
      }),
      PROPERTY_RUNS,
    );
  });

  it('logits of ±1e300 give finite probabilities and gradients', () => {
    const x = tensor(
      [
        [1e300, -1e300, 0],
        [1e300, 1e300, -1e300],
      ],
      { requiresGrad: true },
    );
    const y = softmax(x);
    expectClose(y, [
      [1, 0, 0],
      [0.5, 0.5, 0],
    ]);
    const [dx] = vjp(
      y,
      [x],
      tensor([
        [1, 2, 3],
        [4, -4, 5],
      ]),
    );
    expect(dx.data.every(Number.isFinite)).toBe(true);
    expectClose(dx, [
      [0, 0, 0],
      [0.5 * (4 - 0), 0.5 * (-4 - 0), 0],
    ]);
  });

  it('−Infinity entries get probability 0 and no gradient; the rest is a softmax of the others', () => {
    const x = tensor(
      [
        [0, -Infinity, Math.LN2],
        [-Infinity, 1, -Infinity],
      ],
      { requiresGrad: true },
    );
    const y = softmax(x);
    expectClose(
      y,
      [
        [1 / 3, 0, 2 / 3],
        [0, 1, 0],
      ],
      1e-15,
    );
    const [dx] = vjp(
      y,
      [x],
      tensor([
        [1, 5, 0],
        [2, 3, 4],
      ]),
    );
    expectClose(
      dx,
      [
        [2 / 9, 0, -2 / 9],
        [0, 0, 0],
      ],
      1e-15,
    );
  });

  it('a fully −Infinity row gives zeros and a zero gradient, not NaN', () => {
    const x = tensor(
      [
        [-Infinity, -Infinity, -Infinity],
        [1, 2, 3],
      ],
      { requiresGrad: true },
    );
    const y = softmax(x);
    const e = [1, Math.E, Math.E ** 2].map((v) => v / (1 + Math.E + Math.E ** 2));
    expectClose(y, [[0, 0, 0], e], 1e-15);
    const [dx] = vjp(
      y,
      [x],
      tensor([
        [1, -2, 3],
        [0, 0, 0],
      ]),
    );
    expectClose(dx, [
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('float32 forward matches float64 to ~1e-6', () => {
    const x = normal([4, 7], 21, false);
    const single = softmax(x.to('float32'));
    expect(single.dtype).toBe('float32');
    expectClose(single.to('float64'), softmax(x), 1e-6);
  });
});
