import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary, vjp } from '../test/helpers';
import { add } from './add';
import { exp } from './exp';
import { sum } from './sum';
import { logsumexp } from './logsumexp';
import { logSoftmax } from './log-softmax';

describe('logsumexp', () => {
  it('log(e⁰ + e^{ln 3}) = log 4 and the softmax gradient (by hand); no overflow at 1000', () => {
    const x = tensor(
      [
        [0, Math.log(3)],
        [1000, 1000],
      ],
      { requiresGrad: true },
    );
    const y = logsumexp(x, -1);
    expectClose(y, [Math.log(4), 1000 + Math.LN2], 1e-15);
    // exp(X − Y) with Y ≈ 1000.69 rounded to its ulp (1.1e-13): the gradient is good to ~1e-13 there (PyTorch's rule is the same).
    expectClose(
      vjp(y, [x], tensor([2, 1]))[0],
      [
        [0.5, 1.5],
        [0.5, 0.5],
      ],
      2e-13,
    );
  });

  it('over several axes and keepdims; infinities and NaN as PyTorch', () => {
    expectClose(
      logsumexp(
        tensor([
          [0, 0],
          [0, 0],
        ]),
      ),
      Math.log(4),
      1e-15,
    );
    expect(logsumexp(tensor([[1, 2]]), 1, true).shape).toEqual([1, 1]);
    expectClose(
      logsumexp(
        tensor([
          [-Infinity, -Infinity],
          [1, Infinity],
          [1, NaN],
        ]),
        1,
      ),
      [-Infinity, Infinity, NaN],
    );
  });

  it('gradcheck over one and over two axes', () => {
    expectGradcheck((x) => logsumexp(x, 1), [normal([2, 3, 4], 17)]);
    expectGradcheck((x) => logsumexp(x, [0, 2], true), [normal([2, 3, 4], 18)]);
  });
});

describe('logSoftmax', () => {
  it('x − logsumexp(x) (by hand), finite where log(softmax) underflows', () => {
    const x = tensor(
      [
        [0, Math.log(3)],
        [0, 1000],
      ],
      { requiresGrad: true },
    );
    const y = logSoftmax(x);
    expectClose(
      y,
      [
        [-Math.log(4), Math.log(3) - Math.log(4)],
        [-1000, 0],
      ],
      1e-15,
    );
    // dX = dY − softmax·Σ dY: row 0, dY = [1, 0]: [1 − ¼, −¾]
    expectClose(
      vjp(
        y,
        [x],
        tensor([
          [1, 0],
          [0, 1],
        ]),
      )[0],
      [
        [0.75, -0.75],
        [0, 0],
      ],
      1e-15,
    );
  });

  it('a masked entry (−∞) gets −∞ and no gradient; a row of all −∞ is NaN (as PyTorch)', () => {
    const y = logSoftmax(
      tensor([
        [0, -Infinity, 0],
        [-Infinity, -Infinity, -Infinity],
      ]),
    );
    expectClose(
      y,
      [
        [-Math.LN2, -Infinity, -Math.LN2],
        [NaN, NaN, NaN],
      ],
      1e-15,
    );
  });

  it('gradcheck along a middle axis', () => {
    expectGradcheck((x) => logSoftmax(x, 1), [normal([2, 3, 4], 19)]);
  });

  it('rows of exp(logSoftmax) sum to 1, and a constant shift of a row changes nothing', () => {
    fc.assert(
      fc.property(shapeArbitrary(1, 3), seedArbitrary, fc.double({ min: -50, max: 50, noNaN: true }), (shape, seed, shift) => {
        const x = normal(shape, seed, false);
        const y = logSoftmax(x, -1);
        expectClose(
          sum(exp(y), -1),
          tensor(new Float64Array(y.size / shape[shape.length - 1]).fill(1), { shape: shape.slice(0, -1) }),
          1e-14,
        );
        expectClose(logSoftmax(add(x, shift), -1), y, 1e-12);
      }),
      PROPERTY_RUNS,
    );
  });
});
