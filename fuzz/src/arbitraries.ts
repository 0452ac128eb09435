import fc from 'fast-check';
import { Tensor } from '@attograd/tensor';

/** How many runs each property gets: FUZZ_RUNS (the CI suite uses a small count, `pnpm fuzz` thousands). */
export const runs = Number(process.env.FUZZ_RUNS ?? 40);

/** A shape of rank 0–3 with dimensions 1–4. */
export const shape = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });

/** Values that stress kernels: ordinary, huge (±1e300), tiny (subnormal) and exact zeros. */
export const extremeValue = fc.oneof(
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.constantFrom(1e300, -1e300, 5e-324, -5e-324, 2.2250738585072014e-308, 0, -0),
  fc.double({ min: -1e300, max: 1e300, noNaN: true, noDefaultInfinity: true }),
);

/** Moderate values, where finite differences are meaningful. */
export const moderateValue = fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true });

/** A float64 tensor of `dims` filled from `value`. */
export function tensorOf(dims: readonly number[], value: fc.Arbitrary<number>): fc.Arbitrary<Tensor> {
  const size = dims.reduce((a, b) => a * b, 1);
  return fc.array(value, { minLength: size, maxLength: size }).map((values) => new Tensor(Float64Array.from(values), dims));
}

/** A shape and one that broadcasts with it (some axes set to 1, some leading axes dropped). */
export const broadcastPair = shape.chain((dims) =>
  fc
    .tuple(fc.constant(dims), fc.array(fc.boolean(), { minLength: dims.length, maxLength: dims.length }), fc.nat({ max: dims.length }))
    .map(([full, ones, drop]) => [full, full.map((d, i) => (ones[i] ? 1 : d)).slice(drop)] as const),
);

export function allFinite(t: Tensor): boolean {
  for (const v of t.data) if (!Number.isFinite(v)) return false;
  return true;
}

export function hasNaN(t: Tensor): boolean {
  for (const v of t.data) if (Number.isNaN(v)) return true;
  return false;
}
