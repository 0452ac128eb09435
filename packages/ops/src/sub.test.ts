import { sumToShape, tensor, zeros } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import {
  BROADCAST_SHAPES,
  broadcastPairArbitrary,
  expectAdjoint,
  expectClose,
  normal,
  PROPERTY_RUNS,
  seedArbitrary,
  vjp,
} from '../test/helpers';
import { neg } from './neg';
import { sub } from './sub';

describe('sub', () => {
  it('subtracts with broadcasting; b gets minus the summed cotangent (by hand)', () => {
    const a = tensor([[5, 7]], { requiresGrad: true });
    const b = tensor([[1], [2]], { requiresGrad: true });
    const y = sub(a, b);
    expectClose(y, [
      [4, 6],
      [3, 5],
    ]);
    y.backward(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expectClose(a.grad!, [[1 + 3, 2 + 4]]);
    expectClose(b.grad!, [[-(1 + 2)], [-(3 + 4)]]);
  });

  it('subtracts a number', () => {
    expectClose(sub(tensor([1, -2]), 0.5), [0.5, -2.5]);
  });

  it.each(BROADCAST_SHAPES)('gradcheck: %j − %j', (shapeA, shapeB) => {
    expectGradcheck(sub, [normal(shapeA, 3), normal(shapeB, 4)]);
  });

  it('is linear: adjoint identity per argument and jointly', () => {
    fc.assert(
      fc.property(broadcastPairArbitrary(), seedArbitrary, ({ shapes: [shapeA, shapeB] }, seed) => {
        const [a, b] = [normal(shapeA, seed), normal(shapeB, seed + 1)];
        expectAdjoint((x) => sub(x, zeros(shapeB)), [a], seed + 2);
        expectAdjoint((x) => sub(zeros(shapeA), x), [b], seed + 3);
        expectAdjoint(sub, [a, b], seed + 4);
      }),
      PROPERTY_RUNS,
    );
  });

  it('gradient shapes equal input shapes under broadcasting', () => {
    fc.assert(
      fc.property(broadcastPairArbitrary(), seedArbitrary, ({ shapes: [shapeA, shapeB], full }, seed) => {
        const [a, b] = [normal(shapeA, seed), normal(shapeB, seed + 1)];
        const y = sub(a, b);
        expect(y.shape).toEqual(full);
        const c = normal(full, seed + 2, false);
        const [dA, dB] = vjp(y, [a, b], c);
        expectClose(dA, sumToShape(c, shapeA), 1e-14);
        expectClose(dB, neg(sumToShape(c, shapeB)), 1e-14);
      }),
      PROPERTY_RUNS,
    );
  });
});
