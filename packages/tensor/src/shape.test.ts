import { describe, expect, it } from 'vitest';
import { broadcastIndex, broadcastShapes, normalizeAxis, stridesOf, unravelIndex } from './shape';

describe('shapes', () => {
  it('computes row-major strides', () => {
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
  });

  it('broadcasts as NumPy does', () => {
    expect(broadcastShapes('op', [3, 1, 4], [5, 4])).toEqual([3, 5, 4]);
    expect(broadcastShapes('op', [], [2])).toEqual([2]);
    expect(() => broadcastShapes('add', [2, 3], [4, 3])).toThrow(
      'add: cannot broadcast a of shape [2, 3] with b of shape [4, 3] (axis -2: 2 vs 4)',
    );
  });

  it('maps each broadcast element to its source element', () => {
    // [[a, b]] broadcast to 3 rows, and [[x], [y], [z]] broadcast to 2 columns.
    expect(Array.from(broadcastIndex([1, 2], [3, 2]))).toEqual([0, 1, 0, 1, 0, 1]);
    expect(Array.from(broadcastIndex([3, 1], [3, 2]))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(broadcastIndex([], [2, 2]))).toEqual([0, 0, 0, 0]);
  });

  it('normalizes axes and names bad ones', () => {
    expect(normalizeAxis('softmax', -1, 3)).toBe(2);
    expect(() => normalizeAxis('softmax', 3, 3)).toThrow('softmax: axis 3 is out of range for a tensor of rank 3 (valid: -3 to 2)');
    expect(() => normalizeAxis('sum', 0.5, 3)).toThrow('sum: axis must be an integer, got 0.5');
  });
});

describe('unravelIndex', () => {
  it('inverts row-major flattening', () => {
    expect(unravelIndex(5, [2, 3])).toEqual([1, 2]);
    expect(unravelIndex(13, [2, 3, 4])).toEqual([1, 0, 1]);
    expect(unravelIndex(0, [])).toEqual([]);
  });
});
