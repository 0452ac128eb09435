import { gradgradcheck } from '@attograd/gradcheck';
import { type Tensor, tensor, zeros } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary } from '../test/helpers';
import { concat } from './concat';
import { mul } from './mul';
import { slice } from './slice';
import { stack } from './stack';

describe('concat', () => {
  it('joins along an axis, and hands each input its slice of the gradient (by hand)', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const b = tensor([[5], [6]], { requiresGrad: true });
    const y = concat([a, b], 1);
    expectClose(y, [
      [1, 2, 5],
      [3, 4, 6],
    ]);
    y.backward(
      tensor([
        [10, 20, 30],
        [40, 50, 60],
      ]),
    );
    expectClose(a.grad!, [
      [10, 20],
      [40, 50],
    ]);
    expectClose(b.grad!, [[30], [60]]);
  });

  it.each([0, 1, -1])('passes gradcheck along axis %d', (axis) => {
    const shapes =
      axis === 0
        ? [
            [1, 2, 3],
            [2, 2, 3],
          ]
        : axis === 1
          ? [
              [2, 1, 3],
              [2, 3, 3],
            ]
          : [
              [2, 2, 1],
              [2, 2, 2],
            ];
    expectGradcheck(
      (p, q) => concat([p, q], axis),
      shapes.map((shape, i) => normal(shape, 40 + i)),
    );
  });

  it('is linear (adjoint identity) on random shapes', () => {
    const cases = shapeArbitrary(1, 3).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.integer({ min: 0, max: shape.length - 1 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
      ),
    );
    fc.assert(
      fc.property(cases, seedArbitrary, ([shape, axis, sizes], seed) => {
        const inputs = sizes.map((size, i) =>
          normal(
            shape.map((dim, a) => (a === axis ? size : dim)),
            seed + i,
          ),
        );
        expectAdjoint((...ts) => concat(ts, axis), inputs, seed + 99);
      }),
      PROPERTY_RUNS,
    );
  });

  it('names the input whose other axes disagree', () => {
    expect(() => concat([zeros([2, 3]), zeros([2, 4])], 0)).toThrow(
      'concat: tensors[1] has shape [2, 4] but tensors[0] has shape [2, 3]: all axes but axis 0 must agree',
    );
    expect(() => concat([], 0)).toThrow('concat: tensors must be a non-empty array of tensors');
    expect(() => concat([zeros([2]), [1, 2] as never])).toThrow('concat: tensors[1] must be a Tensor');
  });
});

describe('slice', () => {
  it('copies a range along an axis; the gradient lands there and zeros elsewhere (by hand)', () => {
    const x = tensor(
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      { requiresGrad: true },
    );
    const y = slice(x, 1, 1, 3);
    expectClose(y, [
      [2, 3],
      [6, 7],
    ]);
    y.backward(
      tensor([
        [10, 20],
        [30, 40],
      ]),
    );
    expectClose(x.grad!, [
      [0, 10, 20, 0],
      [0, 30, 40, 0],
    ]);
    expectClose(slice(x.detach(), 0, -1), [[5, 6, 7, 8]]);
  });

  it('passes gradcheck, and its rule is differentiable (gradgradcheck through concat)', () => {
    expectGradcheck((x) => slice(x, 0, 1, 3), [normal([4, 2], 50)]);
    expectGradcheck((x) => slice(x, -1, 0, 1), [normal([2, 3, 3], 51)]);
    // x ⊙ x makes the second derivative nonzero, so the check is not vacuous.
    const square = (x: Tensor): Tensor => slice(mul(x, x), 1, 1, 3);
    expect(gradgradcheck(square, [normal([2, 4], 52)]).ok).toBe(true);
    expect(gradgradcheck((p, q) => mul(concat([p, q], 0), concat([q, p], 0)), [normal([1, 3], 53), normal([1, 3], 54)]).ok).toBe(true);
  });

  it('undoes concat', () => {
    const [a, b] = [normal([2, 3], 52, false), normal([2, 2], 53, false)];
    const joined = concat([a, b], 1);
    expectClose(slice(joined, 1, 0, 3), a);
    expectClose(slice(joined, 1, 3), b);
  });

  it('rejects a reversed range', () => {
    expect(() => slice(zeros([2, 5]), 1, 3, 1)).toThrow('slice: end 1 comes before start 3 along axis 1 of x [2, 5]');
    expect(() => slice(zeros([2, 5]), 2, 0, 1)).toThrow('slice: axis 2 is out of range for a tensor of shape [2, 5]');
  });
});

describe('stack', () => {
  it('stacks along a new axis (by hand)', () => {
    const y = stack([tensor([1, 2]), tensor([3, 4]), tensor([5, 6])], 1);
    expect(y.shape).toEqual([2, 3]);
    expectClose(y, [
      [1, 3, 5],
      [2, 4, 6],
    ]);
  });

  it('passes gradcheck along every axis', () => {
    for (const axis of [0, 1, 2, -1]) {
      expectGradcheck((p, q) => stack([p, q], axis), [normal([2, 3], 60), normal([2, 3], 61)]);
    }
  });

  it('requires one shape', () => {
    expect(() => stack([zeros([2]), zeros([3])])).toThrow('stack: tensors[1] has shape [3] but tensors[0] has shape [2]');
  });
});
