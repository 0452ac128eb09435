import { ones, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { BROADCAST_SHAPES, broadcastPairArbitrary, expectClose, normal, PROPERTY_RUNS, seedArbitrary, uniform, vjp } from '../test/helpers';
import { div } from './div';
import { mul } from './mul';

describe('div', () => {
  it('divides: dA = dC / B, dB = −dC ⊙ A / B² (by hand)', () => {
    const a = tensor([1, 6], { requiresGrad: true });
    const b = tensor([2, 3], { requiresGrad: true });
    const y = div(a, b);
    expectClose(y, [0.5, 2]);
    y.backward(tensor([1, -3]));
    expectClose(a.grad!, [1 / 2, -3 / 3]);
    expectClose(b.grad!, [-(1 * 1) / 4, -(-3 * 6) / 9]);
  });

  it('divides by a number; division by zero follows IEEE (±Infinity, NaN for 0/0)', () => {
    expectClose(div(tensor([1, -3]), 2), [0.5, -1.5]);
    expectClose(div(tensor([1, -1, 0]), 0), [Infinity, -Infinity, NaN]);
  });

  it.each(BROADCAST_SHAPES)('gradcheck: %j / %j (denominators away from 0, of either sign)', (shapeA, shapeB) => {
    expectGradcheck(div, [normal(shapeA, 8), uniform(shapeB, 9, 0.5, 2)]);
    expectGradcheck(div, [normal(shapeA, 10), uniform(shapeB, 11, -2, -0.5)]);
  });

  it('undoes mul, and gradient shapes equal input shapes under broadcasting', () => {
    fc.assert(
      fc.property(broadcastPairArbitrary(), seedArbitrary, ({ shapes: [shapeA, shapeB], full }, seed) => {
        const a = normal(shapeA, seed);
        const b = uniform(shapeB, seed + 1, 0.5, 2);
        expectClose(div(mul(a, b), b), mul(a.detach(), ones(shapeB)), 1e-15);
        const quotient = div(a, b);
        expect(quotient.shape).toEqual(full);
        const [dA, dB] = vjp(quotient, [a, b], normal(full, seed + 2, false));
        expect(dA.shape).toEqual(shapeA);
        expect(dB.shape).toEqual(shapeB);
      }),
      PROPERTY_RUNS,
    );
  });
});
