import { allocate, type DType, describe, rangeError, Tensor, typeError } from '@attograd/tensor';

/**
 * The numbers start, start + step, … before `end` (end excluded), as a 1-D tensor: arange(n) is
 * 0, 1, …, n − 1. float64 by default; `{ dtype: 'int32' }` for positions to feed embedding.
 * A constant.
 *
 * @throws TypeError when a bound is not a finite number or dtype is unknown; RangeError when step is 0,
 * or int32 is asked for with non-integer bounds.
 * @example
 * arange(4)                             // [0, 1, 2, 3]
 * arange(1, 2, 0.25)                    // [1, 1.25, 1.5, 1.75]
 * arange(0, 5, 1, { dtype: 'int32' })   // positions 0…4
 */
export function arange(start: number, end?: number, step = 1, options: { dtype?: DType } = {}): Tensor {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  for (const [name, value] of [
    ['start', from],
    ['end', to],
    ['step', step],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw typeError('arange', `${name} must be a finite number, got ${describe(value)}`);
  }
  if (step === 0) throw rangeError('arange', 'step must not be 0');
  const dtype = options.dtype ?? 'float64';
  if (dtype !== 'float64' && dtype !== 'float32' && dtype !== 'int32')
    throw typeError('arange', `dtype must be 'float64', 'float32' or 'int32', got ${describe(dtype)}`);
  if (dtype === 'int32' && ![from, to, step].every(Number.isInteger)) {
    throw rangeError('arange', `int32 needs integer start, end and step, got ${from}, ${to}, ${step}`);
  }
  const length = Math.max(0, Math.ceil((to - from) / step));
  const out = allocate(dtype, length);
  for (let i = 0; i < length; i++) out[i] = from + i * step;
  return new Tensor(out, [length]);
}
