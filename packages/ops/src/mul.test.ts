import { tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import {
  BROADCAST_SHAPES,
  broadcastPairArbitrary,
  dot,
  expectAdjoint,
  expectClose,
  expectNear,
  normal,
  PROPERTY_RUNS,
  seedArbitrary,
  vjp,
} from '../test/helpers';
import { mul } from './mul';

describe('mul', () => {
  it('multiplies with broadcasting: dA = colsum(dC ⊙ B), dB = dC ⊙ A (by hand)', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor(
      [
        [4, 5, 6],
        [-1, 0, 2],
      ],
      { requiresGrad: true },
    );
    const y = mul(a, b);
    expectClose(y, [
      [4, 10, 18],
      [-1, 0, 6],
    ]);
    y.backward(
      tensor([
        [1, 0, 2],
        [1, 1, 1],
      ]),
    );
    expectClose(a.grad!, [1 * 4 + 1 * -1, 0 * 5 + 1 * 0, 2 * 6 + 1 * 2]);
    expectClose(b.grad!, [
      [1, 0, 6],
      [1, 2, 3],
    ]);
  });

  it('multiplies by a number', () => {
    expectClose(mul(tensor([1, -2]), 3), [3, -6]);
  });

  it.each(BROADCAST_SHAPES)('gradcheck: %j ⊙ %j', (shapeA, shapeB) => {
    expectGradcheck(mul, [normal(shapeA, 5), normal(shapeB, 6)]);
  });

  it('gradcheck: x ⊙ x (one tensor in both places)', () => {
    expectGradcheck((x) => mul(x, x), [normal([2, 3], 7)]);
  });

  it('is bilinear: ⟨A ⊙ B, C⟩ = ⟨A, vjp_A(C)⟩ = ⟨B, vjp_B(C)⟩, and linear in each argument', () => {
    fc.assert(
      fc.property(broadcastPairArbitrary(), seedArbitrary, ({ shapes: [shapeA, shapeB], full }, seed) => {
        const [a, b] = [normal(shapeA, seed), normal(shapeB, seed + 1)];
        const c = normal(full, seed + 2, false);
        const y = mul(a, b);
        const [dA, dB] = vjp(y, [a, b], c);
        expectNear(dot(y, c), dot(a, dA));
        expectNear(dot(y, c), dot(b, dB));
        expectAdjoint((x) => mul(x, b.detach()), [a], seed + 3);
        expectAdjoint((x) => mul(a.detach(), x), [b], seed + 4);
      }),
      PROPERTY_RUNS,
    );
  });

  it('gradient shapes equal input shapes under broadcasting', () => {
    fc.assert(
      fc.property(broadcastPairArbitrary(), seedArbitrary, ({ shapes: [shapeA, shapeB], full }, seed) => {
        const [a, b] = [normal(shapeA, seed), normal(shapeB, seed + 1)];
        const [dA, dB] = vjp(mul(a, b), [a, b], normal(full, seed + 2, false));
        expect(dA.shape).toEqual(shapeA);
        expect(dB.shape).toEqual(shapeB);
      }),
      PROPERTY_RUNS,
    );
  });
});
