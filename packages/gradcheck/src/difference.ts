import { formatShape, rangeError, type Tensor } from '@attograd/tensor';

/**
 * How far apart two answers are, in one place for every comparison in attograd: gradcheck's own
 * reductions, the three-way comparison of @attograd/attention and the verdicts of the CLI. Two
 * rules for non-finite values, each where it belongs:
 *
 * - comparing a gradient with another (`absoluteError`, `difference`): a non-finite value never
 *   agrees with anything: its error is Infinity, or NaN stays NaN, and a NaN is never hidden by
 *   a larger number (Math.max propagates NaN);
 * - comparing two evaluations of one function (gradcheck's determinism check, `changeBetween`):
 *   the same value twice (NaN and NaN, ∞ and ∞) is no change.
 */

/** How far apart two gradients are. */
export interface Difference {
  /** max_i |a_i − b_i|. */
  maxAbs: number;
  /** maxAbs / max(max_i |a_i|, max_i |b_i|): relative to the gradient's size; 0 when both are 0. */
  relative: number;
}

/**
 * |a − n| for comparing two values of a gradient: Infinity when either is not finite (NaN or
 * ±∞ never agrees, not even with itself), so a maximum over elements can never be fooled by NaN.
 *
 * @example
 * absoluteError(1, 1.5)      // 0.5
 * absoluteError(NaN, NaN)    // Infinity
 */
export function absoluteError(a: number, n: number): number {
  return Number.isFinite(a) && Number.isFinite(n) ? Math.abs(a - n) : Infinity;
}

/**
 * Largest |a_i − b_i| over two evaluations of one function at the same point: elements holding
 * the same value (NaN and NaN, ∞ and ∞ included) count as unchanged, any other non-finite pair as
 * Infinity. 0 means the two evaluations agree bit for bit (up to −0 = 0); Infinity when the
 * lengths differ. What gradcheck's determinism check measures.
 *
 * @example
 * changeBetween([1, NaN], [1, NaN]) // 0
 * changeBetween([1, 2], [1, NaN])   // Infinity
 */
export function changeBetween(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i]) || a[i] === b[i]) continue;
    max = Math.max(max, absoluteError(a[i], b[i]));
  }
  return max;
}

/**
 * Compares two tensors of one size: the largest absolute difference and that difference relative
 * to the larger of the two tensors. A NaN on either side, or ∞ − ∞, makes both NaN (it is never
 * hidden by a larger number).
 *
 * @throws RangeError when the sizes differ.
 * @example
 * difference(tensor([1, 2]), tensor([1, 2.001])) // { maxAbs: ≈0.001, relative: ≈0.0005 }
 */
export function difference(a: Tensor, b: Tensor): Difference {
  if (a.size !== b.size) throw rangeError('difference', `a has shape ${formatShape(a.shape)} but b has shape ${formatShape(b.shape)}`);
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < a.data.length; i++) {
    const gap = Math.abs(a.data[i] - b.data[i]);
    // NaN must not hide: Math.max propagates it.
    maxAbs = Number.isNaN(gap) ? Number.NaN : Math.max(maxAbs, gap);
    scale = Math.max(scale, Math.abs(a.data[i]), Math.abs(b.data[i]));
  }
  return { maxAbs, relative: maxAbs === 0 ? 0 : maxAbs / scale };
}

/**
 * The worst of several differences: the largest maxAbs and the largest relative difference
 * (each taken separately), NaN winning, so one NaN comparison makes the verdict NaN; 0 and 0 for
 * none.
 *
 * @example
 * largestDifference([{ maxAbs: 1e-9, relative: 1e-7 }, { maxAbs: 1e-6, relative: 1e-10 }]) // { maxAbs: 1e-6, relative: 1e-7 }
 */
export function largestDifference(differences: Iterable<Difference>): Difference {
  let maxAbs = 0;
  let relative = 0;
  for (const d of differences) {
    maxAbs = Math.max(maxAbs, d.maxAbs);
    relative = Math.max(relative, d.relative);
  }
  return { maxAbs, relative };
}
