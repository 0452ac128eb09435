import { describe, expect, it } from 'vitest';
import { full, ones, tensor, zeros } from './create';
import { Tensor } from './tensor';

describe('tensor()', () => {
  it('infers the shape of nested arrays and keeps row-major order', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float64');
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('makes a scalar from a number', () => {
    const t = tensor(2.5);
    expect(t.shape).toEqual([]);
    expect(t.item()).toBe(2.5);
    expect(t.toArray()).toBe(2.5);
  });

  it('copies a typed array with an explicit shape and keeps its dtype', () => {
    const source = new Float32Array([1, 2, 3, 4, 5, 6]);
    const t = tensor(source, { shape: [3, 2], requiresGrad: true });
    expect(t.dtype).toBe('float32');
    expect(t.requiresGrad).toBe(true);
    source[0] = 99;
    expect(t.data[0]).toBe(1);
  });

  it('converts to float32 on request', () => {
    const t = tensor([0.1, 0.2], { dtype: 'float32' });
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.data[0]).toBe(Math.fround(0.1));
  });

  it('names the problem with ragged or mis-sized values', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow('tensor: values are ragged: values[1] should be an array of length 2');
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow('tensor: 3 values do not fill shape [2, 2] (4 elements)');
    expect(() => tensor([[1, 'a' as unknown as number]])).toThrow('tensor: values[0][1] must be a number');
    expect(() => tensor([1], { dtype: 'int8' as never })).toThrow("tensor: dtype must be 'float64', 'float32' or 'int32'");
  });
});

describe('zeros, ones, full', () => {
  it('fill with the value', () => {
    expect(Array.from(zeros([2, 2]).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(ones([3]).data)).toEqual([1, 1, 1]);
    expect(full([2], -Infinity).toArray()).toEqual([-Infinity, -Infinity]);
    expect(zeros([0, 3]).size).toBe(0);
  });

  it('reject bad shapes', () => {
    expect(() => zeros([2, -1])).toThrow('full: shape must hold non-negative integers, got [2, -1]');
    expect(() => ones([1.5])).toThrow('full: shape must hold non-negative integers');
  });
});

describe('Tensor', () => {
  it('checks that data fills the shape', () => {
    expect(() => new Tensor(new Float64Array(5), [2, 3])).toThrow('Tensor: data has 5 elements but shape [2, 3] needs 6');
  });

  it('item() only works on one element', () => {
    expect(() => zeros([2]).item()).toThrow('item: only a tensor with exactly one element has an item; this one has shape [2]');
  });

  it('detach() shares values but leaves the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.data).toBe(x.data);
  });

  it('freezes its shape', () => {
    const t = zeros([2, 3]);
    expect(() => (t.shape as number[]).push(4)).toThrow();
  });

  it('prints values, dtype and gradFn', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4.5],
      ]).toString(),
    ).toBe('tensor([[1.0, 2.0],\n        [3.0, 4.5000]])');
    expect(tensor([1], { dtype: 'float32', requiresGrad: true }).toString()).toBe('tensor([1.0], dtype=float32, requiresGrad)');
  });
});
