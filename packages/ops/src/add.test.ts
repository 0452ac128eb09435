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
import { add } from './add';

describe('add', () => {
  it('adds with broadcasting; each input gets the cotangent summed over its broadcast axes (by hand)', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const b = tensor([10, 20], { requiresGrad: true });
    const y = add(a, b);
    expectClose(y, [
      [11, 22],
      [13, 24],
    ]);
    y.backward(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expectClose(a.grad!, [
      [1, 2],
      [3, 4],
    ]);
    expectClose(b.grad!, [1 + 3, 2 + 4]);
  });

  it('adds a number', () => {
    expectClose(add(tensor([1, -2]), 0.5), [1.5, -1.5]);
  });

  it.each(BROADCAST_SHAPES)('gradcheck: %j + %j', (shapeA, shapeB) => {
    expectGradcheck(add, [normal(shapeA, 1), normal(shapeB, 2)]);
  });

  it('is linear: adjoint identity per argument and jointly', () => {
    fc.assert(
      fc.property(broadcastPairArbitrary(), seedArbitrary, ({ shapes: [shapeA, shapeB] }, seed) => {
        const [a, b] = [normal(shapeA, seed), normal(shapeB, seed + 1)];
        expectAdjoint((x) => add(x, zeros(shapeB)), [a], seed + 2);
        expectAdjoint((x) => add(zeros(shapeA), x), [b], seed + 3);
        expectAdjoint(add, [a, b], seed + 4);
      }),
      PROPERTY_RUNS,
    );
  });

  it('gradient shapes equal input shapes under broadcasting, with the cotangent summed to them', () => {
    fc.assert(
      fc.property(broadcastPairArbitrary(), seedArbitrary, ({ shapes: [shapeA, shapeB], full }, seed) => {
        const [a, b] = [normal(shapeA, seed), normal(shapeB, seed + 1)];
        const y = add(a, b);
        expect(y.shape).toEqual(full);
        const c = normal(full, seed + 2, false);
        const [dA, dB] = vjp(y, [a, b], c);
        expectClose(dA, sumToShape(c, shapeA), 1e-14);
        expectClose(dB, sumToShape(c, shapeB), 1e-14);
      }),
      PROPERTY_RUNS,
    );
  });
});
