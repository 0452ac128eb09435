import { formatShape, normalizeAxis, rangeError, stridesOf, Tensor, typeError } from '@attograd/tensor';
import { checkAnyTensor } from './checks';

/**
 * The position of the largest (or smallest) value along `axis`, or in the flattened tensor
 * when axis is undefined, as an int32 tensor. The first occurrence wins ties; a NaN counts as the
 * extreme value (its first position is returned), as PyTorch.
 */
function argExtreme(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  checkAnyTensor(op, 'x', x);
  if (typeof keepdims !== 'boolean') throw typeError(op, `keepdims must be a boolean, got ${String(keepdims)}`);
  const better = op === 'argmax' ? (v: number, best: number) => v > best : (v: number, best: number) => v < best;
  const dim = axis === undefined ? -1 : normalizeAxis(op, axis, x.shape);
  const length = dim === -1 ? x.size : x.shape[dim];
  // Reducing over nothing has no answer (PyTorch refuses too); other empty axes give an empty result.
  if (length === 0) throw rangeError(op, `cannot reduce over an empty axis: x has shape ${formatShape(x.shape)}`);
  const stride = dim === -1 ? 1 : stridesOf(x.shape)[dim];
  const groups = x.size / length;
  const out = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    const base = Math.floor(g / stride) * length * stride + (g % stride);
    let bestIndex = 0;
    let best = x.data[base];
    for (let k = 1; k < length && best === best; k++) {
      const v = x.data[base + k * stride];
      if (better(v, best) || v !== v) [best, bestIndex] = [v, k];
    }
    out[g] = bestIndex;
  }
  if (dim === -1) return new Tensor(out, keepdims ? x.shape.map(() => 1) : []);
  const shape = keepdims ? x.shape.map((size, d) => (d === dim ? 1 : size)) : x.shape.filter((_, d) => d !== dim);
  return new Tensor(out, shape);
}

/**
 * Index of the maximum along `axis` (undefined: of the flattened tensor), as int32; first
 * occurrence on ties, NaN counts as the maximum (as PyTorch). A constant: no gradient.
 *
 * @throws TypeError when x is not a Tensor; RangeError for a bad axis or an empty reduced axis.
 * @example
 * argmax(tensor([[1, 5, 5], [7, 0, 2]]), 1) // int32 [1, 0]
 */
export function argmax(x: Tensor, axis?: number, keepdims = false): Tensor {
  return argExtreme('argmax', x, axis, keepdims);
}

/**
 * Index of the minimum along `axis` (undefined: of the flattened tensor), as int32; first
 * occurrence on ties, NaN counts as the minimum (as PyTorch). A constant: no gradient.
 *
 * @throws as argmax.
 * @example
 * argmin(tensor([[1, 5], [7, 0]]), 1) // int32 [0, 1]
 */
export function argmin(x: Tensor, axis?: number, keepdims = false): Tensor {
  return argExtreme('argmin', x, axis, keepdims);
}
