/**
 * The two engine primitives that un-broadcast gradients, broadcastTo and sumToShape, are adjoint
 * linear maps: their rules are checked here with the ops' tools (the tensor package has no
 * gradcheck of its own).
 */
import { broadcastTo, sumToShape, tensor } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { expectGradcheck } from './check';
import { broadcastPairArbitrary, dot, expectAdjoint, expectClose, expectNear, normal, PROPERTY_RUNS, seedArbitrary } from './helpers';

const narrowAndFull = broadcastPairArbitrary().map(({ shapes, full }) => ({ narrow: shapes[0] === full ? shapes[1] : shapes[0], full }));

describe('broadcastTo and sumToShape', () => {
  it('repeat and sum back (by hand)', () => {
    expectClose(broadcastTo(tensor([[1], [2]]), [2, 3]), [
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expectClose(
      sumToShape(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        [1, 3],
      ),
      [[5, 7, 9]],
    );
    expectClose(
      sumToShape(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        [],
      ),
      21,
    );
  });

  it('are linear (adjoint identity) and adjoint to each other: ⟨broadcastTo(x), y⟩ = ⟨x, sumToShape(y)⟩', () => {
    fc.assert(
      fc.property(narrowAndFull, seedArbitrary, ({ narrow, full }, seed) => {
        expectAdjoint((x) => broadcastTo(x, full), [normal(narrow, seed)], seed + 1);
        expectAdjoint((y) => sumToShape(y, narrow), [normal(full, seed + 2)], seed + 3);
        const [x, y] = [normal(narrow, seed + 4, false), normal(full, seed + 5, false)];
        expectNear(dot(broadcastTo(x, full), y), dot(x, sumToShape(y, narrow)));
      }),
      PROPERTY_RUNS,
    );
  });

  it('pass gradcheck', () => {
    expectGradcheck((x) => broadcastTo(x, [2, 3, 4]), [normal([3, 1], 1)]);
    expectGradcheck((y) => sumToShape(y, [3, 1]), [normal([2, 3, 4], 2)]);
  });
});
