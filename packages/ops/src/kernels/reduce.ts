import { allocate, broadcastPlan, formatShape, normalizeAxis, rangeError, sizeOf, Tensor, typeError } from '@attograd/tensor';

export interface Reduction {
  /** The reduced axes, sorted, non-negative. */
  axes: number[];
  /** x's shape with each reduced axis set to 1 (the keepdims shape). */
  keptShape: number[];
  /** The result's shape: keptShape, or keptShape without the reduced axes. */
  outShape: number[];
}

/** Resolves `axis` (undefined = every axis; a number; or an array of axes) for a reduction. */
export function resolveReduction(op: string, x: Tensor, axis: number | readonly number[] | undefined, keepdims: boolean): Reduction {
  if (typeof keepdims !== 'boolean') throw typeError(op, `keepdims must be a boolean, got ${String(keepdims)}`);
  const requested = axis === undefined ? x.shape.map((_, i) => i) : typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(requested)) throw typeError(op, `axis must be an integer or an array of integers, got ${String(axis)}`);
  const axes = requested.map((a) => normalizeAxis(op, a, x.shape)).sort((p, q) => p - q);
  if (new Set(axes).size !== axes.length)
    throw rangeError(op, `axis [${requested.join(', ')}] repeats an axis (x has shape ${formatShape(x.shape)})`);
  const keptShape = x.shape.map((dim, i) => (axes.includes(i) ? 1 : dim));
  const outShape = keepdims ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
  return { axes, keptShape, outShape };
}

/**
 * Sum (in float64) or max of x over the axes where keptShape is 1, into a tensor of keptShape's
 * size. Block by block over a `broadcastPlan` of keptShape against x: inside a block the target
 * either advances with x (the reduced axes are outer: `sum(x, 0)`) or stays on one element (the
 * reduced axes are innermost: `sum(x, -1)`), so no per-element index map is built.
 */
export function reduceKernel(kind: 'sum' | 'max', x: Tensor, keptShape: readonly number[], outShape: readonly number[]): Tensor {
  const out = allocate(x.dtype, sizeOf(keptShape));
  const { outer, inner, offsets, innerStrides } = broadcastPlan([keptShape], x.shape);
  const targets = offsets[0];
  const along = innerStrides[0] === 1;
  const values = x.data;
  if (kind === 'sum') {
    // Accumulated in float64 whatever the dtype, and rounded once at the end: a float32 running
    // sum stops growing at 2²⁴ and drifts by percent at 10⁷ terms.
    const totals = out instanceof Float64Array ? out : new Float64Array(out.length);
    for (let o = 0; o < outer; o++) {
      const start = o * inner;
      const target = targets[o];
      if (along) {
        const shift = start - target;
        for (let t = target; t < target + inner; t++) totals[t] += values[t + shift];
      } else {
        let total = totals[target];
        for (let i = start; i < start + inner; i++) total += values[i];
        totals[target] = total;
      }
    }
    if (totals !== out) out.set(totals);
  } else {
    out.fill(-Infinity);
    // NaN propagates: once a group holds NaN, its max stays NaN.
    for (let o = 0; o < outer; o++) {
      const start = o * inner;
      const target = targets[o];
      if (along) {
        const shift = start - target;
        for (let t = target; t < target + inner; t++) {
          const value = values[t + shift];
          if (value > out[t] || value !== value) out[t] = value;
        }
      } else {
        let maximum = out[target];
        for (let i = start; i < start + inner; i++) {
          const value = values[i];
          if (value > maximum || value !== value) maximum = value;
        }
        out[target] = maximum;
      }
    }
  }
  return new Tensor(out, outShape);
}
