/**
 * Bad input: every error names the op, the argument and the shapes involved, so a user sees at
 * once which call was wrong and why. The tests assert the message text.
 */
import { ones, type Tensor, tensor, zeros } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index';
import { normal } from './helpers';

/** The error thrown by `fn` (fails the test when nothing is thrown). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  return expect.fail('expected an error, but the call returned');
}

describe('shape mismatches name the op, the argument and both shapes', () => {
  it('matmul: inner dimensions differ', () => {
    const error = thrown(() => ops.matmul(zeros([2, 3]), zeros([4, 5])));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('matmul: inner dimensions differ: a has shape [2, 3] (k = 3) and b has shape [4, 5] (k = 4)');
    for (const part of ['matmul', 'a ', 'b ', '[2, 3]', '[4, 5]']) expect(error.message).toContain(part);
  });

  it('matmul: batch axes that do not broadcast, and inputs of fewer than 2 axes', () => {
    const batch = thrown(() => ops.matmul(zeros([2, 3, 4]), zeros([3, 4, 5])));
    expect(batch).toBeInstanceOf(RangeError);
    expect(batch.message).toMatch(/^matmul: cannot broadcast batch axes of a of shape \[2\] with batch axes of b of shape \[3\]/);
    const vector = thrown(() => ops.matmul(zeros([3]), zeros([3, 2])));
    expect(vector.message).toBe('matmul: a must have at least 2 axes, got shape [3]');
  });

  it('matmulTransposed names the transposed operand', () => {
    const error = thrown(() => ops.matmulTransposed(zeros([2, 3]), zeros([2, 3]), false, false));
    expect(error.message).toContain('a has shape [2, 3] (k = 3)');
    expect(thrown(() => ops.matmulTransposed(zeros([2, 3]), zeros([4, 3]), true, true)).message).toBe(
      'matmul: inner dimensions differ: aᵀ has shape [2, 3] (k = 2) and bᵀ has shape [4, 3] (k = 3)',
    );
  });

  it.each([
    ['add', ops.add],
    ['sub', ops.sub],
    ['mul', ops.mul],
    ['div', ops.div],
  ] as const)('%s: shapes that do not broadcast', (name, op) => {
    const error = thrown(() => op(zeros([2, 3]), zeros([4])));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe(`${name}: cannot broadcast a of shape [2, 3] with b of shape [4] (axis -1: 3 vs 4)`);
  });

  it('where: condition with a, and then with b', () => {
    const withA = thrown(() => ops.where(zeros([2, 3]), zeros([4]), 0));
    expect(withA).toBeInstanceOf(RangeError);
    expect(withA.message).toBe('where: cannot broadcast condition of shape [2, 3] with a of shape [4] (axis -1: 3 vs 4)');
    const withB = thrown(() => ops.where(zeros([2, 3]), zeros([2, 3]), zeros([2, 2])));
    expect(withB.message).toMatch(/^where: cannot broadcast condition and a of shape \[2, 3\] with b of shape \[2, 2\]/);
  });

  it('maskedFill: a mask that does not broadcast to x is reported by maskedFill, naming mask and x', () => {
    const error = thrown(() => ops.maskedFill(zeros([2, 3]), zeros([4]), 1));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('maskedFill: cannot broadcast x of shape [2, 3] with mask of shape [4] (axis -1: 3 vs 4)');
  });

  it('reshape to a different number of elements', () => {
    const error = thrown(() => ops.reshape(zeros([2, 3]), [4, 2]));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('reshape: cannot reshape x of shape [2, 3] (6 elements) to [4, 2]');
    expect(thrown(() => ops.reshape(zeros([2, 3]), [4, -1])).message).toContain('to [4, -1]');
    expect(thrown(() => ops.reshape(zeros([2, 3]), [-1, -1])).message).toMatch(/^reshape: shape \[-1, -1\] .*at most one -1/);
  });

  it('layerNorm: gamma or beta not of shape [d]', () => {
    const gamma = thrown(() => ops.layerNorm(zeros([2, 4]), ones([3])));
    expect(gamma).toBeInstanceOf(RangeError);
    expect(gamma.message).toBe('layerNorm: gamma must have shape [4] to match the last axis of x [2, 4], got [3]');
    const beta = thrown(() => ops.layerNorm(zeros([2, 4]), null, ones([4, 1])));
    expect(beta.message).toBe('layerNorm: beta must have shape [4] to match the last axis of x [2, 4], got [4, 1]');
  });
});

describe('bad axes and options name the op and the argument', () => {
  it('softmax: axis out of range', () => {
    for (const axis of [2, -3]) {
      const error = thrown(() => ops.softmax(zeros([2, 3]), axis));
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toBe(`softmax: axis ${axis} is out of range for a tensor of shape [2, 3] (valid: -2 to 1)`);
    }
    expect(thrown(() => ops.softmax(zeros([2, 3]), 0.5)).message).toBe('softmax: axis must be an integer, got 0.5');
  });

  it('permute: a repeated axis, or too few axes', () => {
    const repeated = thrown(() => ops.permute(zeros([2, 3]), [0, 0]));
    expect(repeated).toBeInstanceOf(RangeError);
    expect(repeated.message).toBe('permute: dims [0, 0] repeats an axis (x has shape [2, 3])');
    expect(thrown(() => ops.permute(zeros([2, 3, 4]), [1, -2, 0])).message).toBe(
      'permute: dims [1, -2, 0] repeats an axis (x has shape [2, 3, 4])',
    );
    expect(thrown(() => ops.permute(zeros([2, 3]), [0])).message).toBe(
      'permute: dims [0] must name each of the 2 axes of x (shape [2, 3]) once',
    );
  });

  it('transpose: an axis out of range, or a tensor of fewer than 2 axes', () => {
    expect(thrown(() => ops.transpose(zeros([2, 3]), 0, 2)).message).toBe(
      'transpose: dim1 2 is out of range for a tensor of shape [2, 3] (valid: -2 to 1)',
    );
    expect(thrown(() => ops.transpose(zeros([3]))).message).toBe('transpose: x must have at least 2 axes, got shape [3]');
  });

  it.each([
    ['sum', ops.sum],
    ['mean', ops.mean],
    ['max', ops.max],
  ] as const)('%s: an axis out of range or repeated', (name, op) => {
    expect(thrown(() => op(zeros([2, 3]), 2)).message).toBe(
      `${name}: axis 2 is out of range for a tensor of shape [2, 3] (valid: -2 to 1)`,
    );
    expect(thrown(() => op(zeros([2, 3]), [1, -1])).message).toBe(`${name}: axis [1, -1] repeats an axis (x has shape [2, 3])`);
  });

  it('layerNorm: eps must be positive and finite', () => {
    for (const eps of [0, -1e-5]) {
      const error = thrown(() => ops.layerNorm(zeros([2, 4]), null, null, eps));
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toBe(`layerNorm: eps must be positive, got ${eps}`);
    }
    expect(thrown(() => ops.layerNorm(zeros([2, 4]), null, null, Number.NaN)).message).toBe(
      'layerNorm: eps must be a finite number, got number NaN',
    );
  });

  it('scale: the factor must be a finite number', () => {
    expect(thrown(() => ops.scale(zeros([2]), Number.POSITIVE_INFINITY)).message).toBe(
      'scale: factor must be a finite number, got number Infinity',
    );
    expect(thrown(() => ops.scale(zeros([2]), '2' as unknown as number)).message).toBe(
      'scale: factor must be a finite number, got the string "2"',
    );
  });

  it('maskedFill: the value must be a number, not NaN', () => {
    expect(thrown(() => ops.maskedFill(zeros([2]), zeros([2]), Number.NaN)).message).toBe(
      'maskedFill: value must be a finite number, got number NaN',
    );
  });
});

describe('wrong kinds of argument', () => {
  it('mixed dtypes name the op, both arguments, their dtypes and shapes', () => {
    const add = thrown(() => ops.add(zeros([2]), zeros([2], { dtype: 'float32' })));
    expect(add).toBeInstanceOf(TypeError);
    expect(add.message).toBe("add: inputs must share one dtype: a is float64 [2], b is float32 [2] (convert with .to('float64'))");
    const matmul = thrown(() => ops.matmul(zeros([2, 3], { dtype: 'float32' }), zeros([3, 2])));
    expect(matmul.message).toMatch(/^matmul: inputs must share one dtype: a is float32 \[2, 3\], b is float64 \[3, 2\]/);
  });

  it('a plain array is refused with a hint to wrap it', () => {
    const error = thrown(() => ops.add([1, 2] as unknown as Tensor, zeros([2])));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('add: a must be a Tensor, got an array of length 2 (wrap arrays with tensor(...))');
    expect(thrown(() => ops.matmul(zeros([1, 1]), [[1]] as unknown as Tensor)).message).toMatch(
      /^matmul: b must be a Tensor, got an array/,
    );
    expect(thrown(() => ops.where([1] as unknown as Tensor, zeros([1]), 0)).message).toMatch(/^where: condition must be a Tensor/);
  });

  it.each([
    ['neg', () => ops.neg(undefined as unknown as Tensor), 'x'],
    ['exp', () => ops.exp(undefined as unknown as Tensor), 'x'],
    ['log', () => ops.log(undefined as unknown as Tensor), 'x'],
    ['sqrt', () => ops.sqrt(undefined as unknown as Tensor), 'x'],
    ['softmax', () => ops.softmax(undefined as unknown as Tensor), 'x'],
    ['sum', () => ops.sum(null as unknown as Tensor), 'x'],
    ['layerNorm', () => ops.layerNorm(undefined as unknown as Tensor), 'x'],
    ['mul', () => ops.mul(zeros([2]), undefined as unknown as Tensor), 'b'],
    ['maskedFill', () => ops.maskedFill(zeros([2]), undefined as unknown as Tensor, 0), 'mask'],
  ] as const)('%s: undefined or null is refused, naming the argument', (name, call, argument) => {
    const error = thrown(call);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(new RegExp(`^${name}: ${argument} must be a Tensor, got (undefined|null)$`));
  });
});

describe('a failed call leaves gradients as they were', () => {
  it('a failing op does not touch the .grad of its inputs', () => {
    const x = normal([2, 3], 1);
    ops.mul(x, 2).backward(normal([2, 3], 2, false));
    const before = Float64Array.from(x.grad!.data);
    expect(() => ops.matmul(x, zeros([2, 3]))).toThrow(RangeError);
    expect(() => ops.add(x, tensor([1, 2]))).toThrow(RangeError);
    expect(x.grad!.data).toEqual(before);
  });

  it('a backward that fails part-way through writes no .grad at all', () => {
    const x = normal([2, 3], 3);
    const y = ops.exp(x);
    ops.add(y, 1).backward(normal([2, 3], 4, false)); // frees y's part of the graph
    const before = Float64Array.from(x.grad!.data);
    // mul's rule runs (x would receive c ⊙ y), then the walk reaches y's freed rule and throws.
    expect(() => ops.mul(y, x).backward(normal([2, 3], 5, false))).toThrow(/freed/);
    expect(x.grad!.data).toEqual(before);
  });

  it('a cotangent of the wrong shape is refused before anything is written', () => {
    const x = normal([2, 3], 6);
    const error = thrown(() => ops.exp(x).backward(zeros([3, 2])));
    expect(error.message).toBe('backward: gradOutput has shape [3, 2] but the output has shape [2, 3]');
    expect(x.grad).toBeNull();
  });
});
