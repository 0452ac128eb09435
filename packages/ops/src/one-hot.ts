import { allocate, type DType, formatShape, isFloatDType, rangeError, Tensor, typeError } from '@attograd/tensor';
import { checkIndexRange, checkIndices } from './checks';

/**
 * One-hot rows for int32 class indices: [...ids.shape, numClasses], 1 at each id and 0 elsewhere.
 * A constant (no gradient flows through indices). Float64 by default, so it mixes with float
 * tensors (PyTorch returns int64); `{ dtype: 'float32' }` for float32 models.
 *
 * @throws TypeError when ids is not an int32 Tensor or dtype not a float dtype; RangeError when
 * numClasses is not a positive integer or an id is outside [0, numClasses).
 * @example
 * oneHot(tensor([2, 0], { dtype: 'int32' }), 3) // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(ids: Tensor, numClasses: number, options: { dtype?: DType } = {}): Tensor {
  checkIndices('oneHot', 'ids', ids);
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw rangeError('oneHot', `numClasses must be a positive integer, got ${numClasses}`);
  const dtype = options.dtype ?? 'float64';
  if (!isFloatDType(dtype)) throw typeError('oneHot', `dtype must be 'float64' or 'float32', got ${String(dtype)}`);
  checkIndexRange('oneHot', 'ids', ids, numClasses, `numClasses ${numClasses} (ids ${formatShape(ids.shape)})`);
  const out = allocate(dtype, ids.size * numClasses);
  for (let i = 0; i < ids.size; i++) out[i * numClasses + ids.data[i]] = 1;
  return new Tensor(out, [...ids.shape, numClasses]);
}
