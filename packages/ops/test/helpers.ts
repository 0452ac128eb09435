/**
 * Shared tools of the op tests: seeded tensors, inner products, vector-Jacobian products, closeness
 * assertions and fast-check arbitraries for shapes. Everything random
 * is drawn from rng(seed), so every failure reproduces.
 */
import { gradients, rng, Tensor, tensor, type NestedArray } from '@attograd/tensor';
import fc from 'fast-check';
import { expect } from 'vitest';

/** fast-check settings for every property: a fixed seed, so a failing run reproduces as is. */
export const PROPERTY_RUNS = { seed: 20250101, numRuns: 40 } as const;

/** A float64 tensor of standard normal values drawn from rng(seed). */
export function normal(shape: readonly number[], seed: number, requiresGrad = true): Tensor {
  const generator = rng(seed);
  const data = new Float64Array(shape.reduce((size, dim) => size * dim, 1));
  for (let i = 0; i < data.length; i++) data[i] = generator.normal();
  return new Tensor(data, shape, { requiresGrad });
}

/** A float64 tensor of values uniform in [low, high), drawn from rng(seed). */
export function uniform(shape: readonly number[], seed: number, low: number, high: number, requiresGrad = true): Tensor {
  const generator = rng(seed);
  const data = new Float64Array(shape.reduce((size, dim) => size * dim, 1));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * generator.uniform();
  return new Tensor(data, shape, { requiresGrad });
}

/**
 * Values at least 0.1 apart in a seeded random order (for max: finite differences of step ~1e-5
 * never reorder them, and there are no ties).
 */
export function distinct(shape: readonly number[], seed: number, requiresGrad = true): Tensor {
  const size = shape.reduce((total, dim) => total * dim, 1);
  const generator = rng(seed);
  const values = Array.from({ length: size }, (_, i) => 0.1 * (i - size / 2));
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(generator.uniform() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
  return new Tensor(Float64Array.from(values), shape, { requiresGrad });
}

/** ⟨a, b⟩ = Σ a_i b_i for two tensors of one shape. */
export function dot(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let total = 0;
  for (let i = 0; i < a.size; i++) total += a.data[i] * b.data[i];
  return total;
}

/** The vector-Jacobian products of `output` with `cotangent`, one per input (`.grad` untouched). */
export function vjp(output: Tensor, inputs: readonly Tensor[], cotangent: Tensor): Tensor[] {
  return gradients(output, inputs, { gradOutput: cotangent });
}

/** |actual − expected| ≤ tolerance·(1 + |expected|) element-wise; equal infinities and NaNs match. */
export function expectClose(actual: Tensor, expected: NestedArray | Tensor, tolerance = 1e-12): void {
  const want = expected instanceof Tensor ? expected : tensor(expected);
  expect(actual.shape).toEqual(want.shape);
  for (let i = 0; i < actual.size; i++) {
    const [a, e] = [actual.data[i], want.data[i]];
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const error = Math.abs(a - e);
    if (!(error <= tolerance * (1 + Math.abs(e)))) {
      expect.fail(`element ${i} of shape [${actual.shape.join(', ')}]: got ${a}, expected ${e} (|error| ${error})`);
    }
  }
}

/** |a − b| ≤ tolerance·(1 + |a| + |b|): for sums such as inner products. */
export function expectNear(a: number, b: number, tolerance = 1e-10): void {
  const bound = tolerance * (1 + Math.abs(a) + Math.abs(b));
  if (!(Math.abs(a - b) <= bound)) expect.fail(`${a} and ${b} differ by ${Math.abs(a - b)} (allowed ${bound})`);
}

/** A seed for rng(seed). */
export const seedArbitrary = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** A shape of rank in [minRank, maxRank] with dimensions in [1, maxDim]. */
export function shapeArbitrary(minRank: number, maxRank: number, maxDim = 4): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/**
 * Two shapes that broadcast together: `full`, and a copy with some leading axes dropped and some
 * dimensions set to 1, given in a random order.
 */
export function broadcastPairArbitrary(maxRank = 3, maxDim = 4): fc.Arbitrary<{ shapes: [number[], number[]]; full: number[] }> {
  return shapeArbitrary(0, maxRank, maxDim).chain((full) =>
    fc
      .record({
        dropped: fc.integer({ min: 0, max: full.length }),
        ones: fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
        swap: fc.boolean(),
      })
      .map(({ dropped, ones, swap }) => {
        const narrow = full.map((dim, axis) => (ones[axis] ? 1 : dim)).slice(dropped);
        const shapes: [number[], number[]] = swap ? [narrow, full] : [full, narrow];
        return { shapes, full };
      }),
  );
}

/** A random permutation of [0, rank). */
export function permutationArbitrary(rank: number): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: rank, maxLength: rank }).map((keys) =>
    keys
      .map((key, axis) => ({ key, axis }))
      .sort((p, q) => p.key - q.key || p.axis - q.axis)
      .map(({ axis }) => axis),
  );
}

/**
 * The adjoint identity of a linear map: ⟨f(x₁, …, xₙ), y⟩ = Σᵢ ⟨xᵢ, vjpᵢ(y)⟩ for a random cotangent
 * y, the gradients taken with respect to `inputs` (fn's other arguments held fixed). It holds
 * exactly when the backward rule is the adjoint (the transpose) of the forward map.
 */
export function expectAdjoint(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], cotangentSeed: number): void {
  const output = fn(...inputs);
  const y = normal(output.shape, cotangentSeed, false);
  const grads = vjp(output, inputs, y);
  grads.forEach((grad, i) => expect(grad.shape).toEqual(inputs[i].shape));
  const right = grads.reduce((total, grad, i) => total + dot(inputs[i], grad), 0);
  expectNear(dot(output, y), right);
}

/** Pairs of shapes that broadcast, for gradient checks of binary ops: equal, trailing, both ways, scalar. */
export const BROADCAST_SHAPES: ReadonlyArray<readonly [number[], number[]]> = [
  [
    [3, 4],
    [3, 4],
  ],
  [[2, 3, 4], [4]],
  [
    [3, 1],
    [1, 4],
  ],
  [[], [2, 3]],
  [
    [2, 1, 3],
    [4, 1],
  ],
];

/** A shape with a reduction over it: axis undefined (all), one axis, or a list of axes (some negative), and keepdims. */
export const reductionArbitrary = shapeArbitrary(0, 4).chain((shape) => {
  const axes = shape.map((_, axis) => axis);
  const oneAxis = shape.length === 0 ? fc.constant(undefined) : fc.integer({ min: -shape.length, max: shape.length - 1 });
  const someAxes = fc
    .subarray(axes)
    .chain((chosen) =>
      fc
        .array(fc.boolean(), { minLength: chosen.length, maxLength: chosen.length })
        .map((negative) => chosen.map((axis, i) => (negative[i] ? axis - shape.length : axis))),
    );
  return fc.record({
    shape: fc.constant(shape),
    axis: fc.oneof(fc.constant(undefined), oneAxis, someAxes) as fc.Arbitrary<number | number[] | undefined>,
    keepdims: fc.boolean(),
  });
});

/** The axes a reduction's `axis` argument names, as non-negative indices. */
export function reducedAxes(rank: number, axis: number | readonly number[] | undefined): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  return (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? a + rank : a));
}
