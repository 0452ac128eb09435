import { tensor, zeros } from '@attograd/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGradcheck } from '../test/check';
import { broadcastPairArbitrary, expectAdjoint, expectClose, normal, PROPERTY_RUNS, seedArbitrary, uniform, vjp } from '../test/helpers';
import { where } from './where';

/** A seeded 0/1 condition of `shape`. */
function condition(shape: readonly number[], seed: number) {
  return tensor(
    Float64Array.from(uniform(shape, seed, 0, 1, false).data, (u) => (u < 0.5 ? 1 : 0)),
    { shape },
  );
}

describe('where', () => {
  it('takes a where the condition is nonzero, b elsewhere; each gets the cotangent where chosen (by hand)', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([10, 20, 30], { requiresGrad: true });
    const y = where(tensor([1, 0, -2]), a, b);
    expectClose(y, [1, 20, 3]);
    y.backward(tensor([4, 5, 6]));
    expectClose(a.grad!, [4, 0, 6]);
    expectClose(b.grad!, [0, 5, 0]);
  });

  it('broadcasts condition, a and b, and accepts numbers (by hand)', () => {
    const b = tensor([[1, 2, 3]], { requiresGrad: true });
    const y = where(tensor([[1], [0]]), -1, b);
    expectClose(y, [
      [-1, -1, -1],
      [1, 2, 3],
    ]);
    y.backward(
      tensor([
        [1, 1, 1],
        [7, 8, 9],
      ]),
    );
    expectClose(b.grad!, [[7, 8, 9]]);
  });

  it('sends no gradient to the condition', () => {
    const c = tensor([1, 0], { requiresGrad: true });
    const a = tensor([1, 2], { requiresGrad: true });
    where(c, a, 0).backward(tensor([1, 1]));
    expect(c.grad).toBeNull();
    expectClose(a.grad!, [1, 0]);
  });

  it.each([
    [
      [3, 4],
      [3, 4],
      [3, 4],
    ],
    [
      [3, 4],
      [3, 4],
      [1, 4],
    ],
    [[2, 1], [3], [2, 3]],
    [[4], [2, 4], []],
  ])('gradcheck: condition %j, a %j, b %j', (shapeCondition, shapeA, shapeB) => {
    const mask = condition(shapeCondition, 22);
    expectGradcheck((a, b) => where(mask, a, b), [normal(shapeA, 23), normal(shapeB, 24)]);
  });

  it('is linear in a and in b: adjoint identity per argument and jointly', () => {
    fc.assert(
      fc.property(broadcastPairArbitrary(), seedArbitrary, ({ shapes: [shapeA, shapeB], full }, seed) => {
        const mask = condition(full, seed);
        const [a, b] = [normal(shapeA, seed + 1), normal(shapeB, seed + 2)];
        expectAdjoint((x) => where(mask, x, zeros(shapeB)), [a], seed + 3);
        expectAdjoint((x) => where(mask, zeros(shapeA), x), [b], seed + 4);
        expectAdjoint((x, y) => where(mask, x, y), [a, b], seed + 5);
      }),
      PROPERTY_RUNS,
    );
  });

  it('gradient shapes equal input shapes under broadcasting', () => {
    fc.assert(
      fc.property(broadcastPairArbitrary(), seedArbitrary, ({ shapes: [shapeA, shapeB], full }, seed) => {
        const [a, b] = [normal(shapeA, seed), normal(shapeB, seed + 1)];
        const y = where(condition(full, seed + 2), a, b);
        expect(y.shape).toEqual(full);
        const [dA, dB] = vjp(y, [a, b], normal(full, seed + 3, false));
        expect(dA.shape).toEqual(shapeA);
        expect(dB.shape).toEqual(shapeB);
      }),
      PROPERTY_RUNS,
    );
  });

  it('a condition of long runs (a causal mask) gives what the element-wise definition gives', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 33, max: 48 }),
        fc.integer({ min: 1, max: 2 }),
        fc.boolean(),
        seedArbitrary,
        (T, batch, nanCondition, seed) => {
          const mask = new Float64Array(T * T);
          for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = nanCondition && j === T - 1 ? Number.NaN : 1;
          const condition = tensor(mask, { shape: [T, T] });
          const scores = normal([batch, 2, T, T], seed);
          const other = normal([T], seed + 1);
          const expected = (a: (i: number) => number, b: (i: number) => number) =>
            Array.from(scores.data, (_, i) => (mask[i % (T * T)] !== 0 ? a(i) : b(i)));
          // A number against a run, a run against a broadcast row, and a float32 run.
          expect(Array.from(where(condition, -Infinity, scores).data)).toEqual(
            expected(
              () => -Infinity,
              (i) => scores.data[i],
            ),
          );
          expect(Array.from(where(condition, scores, other).data)).toEqual(
            expected(
              (i) => scores.data[i],
              (i) => other.data[i % T],
            ),
          );
          const single = tensor(Float32Array.from(scores.data), { shape: scores.shape });
          const y = where(condition, single, 0.5);
          expect(y.dtype).toBe('float32');
          expect(Array.from(y.data)).toEqual(
            expected(
              (i) => single.data[i],
              () => 0.5,
            ),
          );
        },
      ),
      { ...PROPERTY_RUNS, numRuns: 10 },
    );
  });
});
