import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { expectAdjoint, expectClose, normal, PROPERTY_RUNS, seedArbitrary, shapeArbitrary, uniform, vjp } from '../test/helpers';
import { maskedFill } from './masked-fill';
import { softmax } from './softmax';
import { where } from './where';

describe('maskedFill', () => {
  it('replaces masked elements by the value; they receive no gradient (by hand)', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const y = maskedFill(x, tensor([0, 1, 0]), -1);
    expectClose(y, [
      [1, -1, 3],
      [4, -1, 6],
    ]);
    y.backward(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expectClose(x.grad!, [
      [1, 0, 3],
      [4, 0, 6],
    ]);
  });

  it('with −Infinity before softmax: masked keys get probability 0 (a causal mask, by hand)', () => {
    const scores = tensor([
      [0, 7],
      [0, Math.LN2],
    ]);
    const future = tensor([
      [0, 1],
      [0, 0],
    ]);
    expectClose(
      softmax(maskedFill(scores, future, -Infinity)),
      [
        [1, 0],
        [1 / 3, 2 / 3],
      ],
      1e-15,
    );
  });

  it.each([
    [
      [3, 4],
      [3, 4],
    ],
    [[3, 4], [4]],
    [
      [2, 3, 4],
      [3, 1],
    ],
  ])('gradcheck: x %j, mask %j', (shapeX, shapeMask) => {
    const mask = tensor(
      Float64Array.from(uniform(shapeMask, 25, 0, 1, false).data, (u) => (u < 0.4 ? 1 : 0)),
      { shape: shapeMask },
    );
    expectGradcheck((x) => maskedFill(x, mask, -1.5), [normal(shapeX, 26)]);
  });

  it('equals where(mask, value, x), and filling with 0 is linear in x (adjoint identity)', () => {
    fc.assert(
      fc.property(shapeArbitrary(1, 3), seedArbitrary, fc.double({ min: -5, max: 5, noNaN: true }), (shape, seed, value) => {
        const mask = tensor(
          Float64Array.from(uniform(shape, seed, 0, 1, false).data, (u) => (u < 0.5 ? 1 : 0)),
          { shape },
        );
        const x = normal(shape, seed + 1);
        expectClose(maskedFill(x, mask, value), where(mask, value, x.detach()), 0);
        expectAdjoint((t) => maskedFill(t, mask, 0), [x], seed + 2);
        const [dx] = vjp(maskedFill(x, mask, value), [x], normal(shape, seed + 3, false));
        for (let i = 0; i < x.size; i++) if (mask.data[i] !== 0) expect(dx.data[i] === 0).toBe(true);
      }),
      PROPERTY_RUNS,
    );
  });
});
