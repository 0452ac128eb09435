import { allocate, broadcastsTo, describe, type DType, formatShape, noGrad, rangeError, Tensor, typeError } from '@attograd/tensor';
import { where } from '@attograd/ops';
import { checkOptions, checkTensor } from './checks';

/**
 * Which scores a query may look at. `mask` follows PyTorch's boolean `attn_mask` of
 * scaled_dot_product_attention: nonzero = "may attend", zero = "may not". `causal: true` lets
 * query i attend to keys j ≤ i only. Given both, a position must be allowed by both.
 *
 * A query row with no allowed key at all is 0/0 in exact arithmetic; by attograd's convention it
 * gets the probability row 0 (PyTorch's F.softmax gives NaN) and a zero gradient. Note the
 * polarity: here nonzero = may attend, whereas the op `maskedFill` replaces where mask ≠ 0.
 */
export interface MaskOptions {
  /** Query i attends to keys j ≤ i only (decoder-style attention). Default: false. */
  causal?: boolean;
  /** A tensor broadcastable to the scores' shape [..., T, T]; nonzero = may attend. */
  mask?: Tensor | null;
}

/**
 * The causal mask: a [queries, keys] matrix with 1 where key j ≤ query i, else 0.
 *
 * @example
 * causalMask(3).toArray() // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
 */
export function causalMask(queries: number, keys: number = queries, dtype: DType = 'float64'): Tensor {
  for (const [name, value] of [
    ['queries', queries],
    ['keys', keys],
  ] as const) {
    if (!Number.isInteger(value) || value < 0)
      throw rangeError('causalMask', `${name} must be a non-negative integer, got ${describe(value)}`);
  }
  const data = allocate(dtype, queries * keys);
  for (let i = 0; i < queries; i++) for (let j = 0; j <= i && j < keys; j++) data[i * keys + j] = 1;
  return new Tensor(data, [queries, keys]);
}

/** Throws a RangeError unless `mask` broadcasts to the scores' shape. */
export function checkMask(fn: string, mask: unknown, scoresShape: readonly number[]): Tensor {
  const m = checkTensor(fn, 'mask', mask);
  if (!broadcastsTo(m.shape, scoresShape)) {
    throw rangeError(
      fn,
      `mask of shape ${formatShape(m.shape)} does not broadcast to the attention scores' shape ` +
        `${formatShape(scoresShape)} ([..., T_query, T_key])`,
    );
  }
  return m;
}

/** Checks the mask options against the scores' shape before any work is done. */
export function checkMaskOptions(fn: string, options: MaskOptions | undefined, scoresShape: readonly number[]): void {
  checkOptions(fn, 'options', options);
  const causal = options?.causal;
  if (causal !== undefined && typeof causal !== 'boolean') throw typeError(fn, `causal must be a boolean, got ${describe(causal)}`);
  if (options?.mask !== undefined && options.mask !== null) checkMask(fn, options.mask, scoresShape);
}

/**
 * The "may attend" tensor combining `causal` and `mask` (1 = allowed), or null when every
 * position is allowed. A constant: it is never recorded and receives no gradient.
 */
export function allowedPositions(fn: string, options: MaskOptions | undefined, scores: Tensor): Tensor | null {
  checkMaskOptions(fn, options, scores.shape);
  const mask = options?.mask ?? null;
  if (!options?.causal) return mask;
  const [queries, keys] = scores.shape.slice(-2);
  const causal = causalMask(queries, keys, scores.dtype);
  return mask === null ? causal : noGrad(() => where(mask, causal, 0));
}
