import { describe, expect, it } from 'vitest';
import { tensor, zeros, randn } from './create';
import { Tensor } from './tensor';

describe('int32 tensors (indices)', () => {
  it('are made from nested arrays, Int32Array data or a dtype option, and keep exact integers', () => {
    const ids = tensor(
      [
        [1, 2],
        [3, -4],
      ],
      { dtype: 'int32' },
    );
    expect(ids.dtype).toBe('int32');
    expect(ids.data).toBeInstanceOf(Int32Array);
    expect(ids.toArray()).toEqual([
      [1, 2],
      [3, -4],
    ]);
    expect(tensor(Int32Array.of(5, 6)).dtype).toBe('int32');
    expect(new Tensor(new Int32Array(3), [3]).dtype).toBe('int32');
    expect(zeros([2], { dtype: 'int32' }).data).toEqual(new Int32Array(2));
  });

  it('cannot require gradients, by constructor or by tensor(...)', () => {
    expect(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(/int32 tensor \(shape \[2\]\) cannot require gradients/);
    expect(() => new Tensor(new Int32Array(2), [2], { requiresGrad: true })).toThrow(/cannot require gradients/);
  });

  it('reject values that are not int32 integers instead of truncating them silently', () => {
    expect(() => tensor([1, 2.5], { dtype: 'int32' })).toThrow(/tensor: .*value 1 is 2.5/);
    expect(() => tensor([2 ** 31], { dtype: 'int32' })).toThrow(/value 0 is 2147483648/);
    expect(() => tensor([NaN], { dtype: 'int32' })).toThrow(/value 0 is NaN/);
    expect(() => randn([2], { dtype: 'int32' })).toThrow(/randn: .*int32/);
  });

  it('convert with to(): float → int32 truncates toward zero and drops requiresGrad; back to float is exact', () => {
    const x = tensor([1.7, -1.7, 3], { requiresGrad: true });
    const ids = x.to('int32');
    expect(Array.from(ids.data)).toEqual([1, -1, 3]);
    expect(ids.requiresGrad).toBe(false);
    expect(ids.to('float64').toArray()).toEqual([1, -1, 3]);
  });
});
