/**
 * Every exported op on tensors with a size-0 axis (issue 11, item 9): each either gives a result
 * of the right shape, with gradients of its inputs' shapes, or refuses with an error that names
 * the op. An op added to the exports without a row here fails the suite, naming it.
 */
import { gradients, Tensor, type DType } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index';

const empty = (shape: number[], dtype: DType = 'float64') =>
  new Tensor(dtype === 'float32' ? new Float32Array(0) : new Float64Array(0), shape, { requiresGrad: true });
function filled(shape: number[], dtype: DType = 'float64'): Tensor {
  const values = Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => 0.5 + i);
  return new Tensor(dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values), shape, { requiresGrad: true });
}

interface EmptyCase {
  inputs: () => Tensor[];
  fn: (...inputs: Tensor[]) => Tensor;
  /** The result's shape, and its values when the op defines some (an empty sum is 0). */
  shape: number[];
  values?: number[];
}

const cases: Record<string, EmptyCase[]> = {
  add: [{ inputs: () => [empty([0, 3]), filled([3])], fn: ops.add, shape: [0, 3] }],
  sub: [{ inputs: () => [filled([3]), empty([0, 3])], fn: ops.sub, shape: [0, 3] }],
  mul: [{ inputs: () => [empty([2, 0]), empty([0])], fn: ops.mul, shape: [2, 0] }],
  div: [{ inputs: () => [empty([0]), filled([1])], fn: ops.div, shape: [0] }],
  neg: [{ inputs: () => [empty([0, 3])], fn: ops.neg, shape: [0, 3] }],
  exp: [{ inputs: () => [empty([0])], fn: ops.exp, shape: [0] }],
  log: [{ inputs: () => [empty([3, 0])], fn: ops.log, shape: [3, 0] }],
  sqrt: [{ inputs: () => [empty([0, 0])], fn: ops.sqrt, shape: [0, 0] }],
  scale: [{ inputs: () => [empty([0, 2])], fn: (x) => ops.scale(x, 3), shape: [0, 2] }],
  matmul: [
    { inputs: () => [empty([0, 3]), filled([3, 2])], fn: ops.matmul, shape: [0, 2] },
    // An empty inner axis: a sum of nothing, zeros (as PyTorch).
    { inputs: () => [empty([2, 0]), empty([0, 3])], fn: ops.matmul, shape: [2, 3], values: [0, 0, 0, 0, 0, 0] },
    { inputs: () => [empty([2, 0, 3], 'float32'), filled([3, 4], 'float32')], fn: ops.matmul, shape: [2, 0, 4] },
  ],
  matmulTransposed: [
    { inputs: () => [empty([3, 0]), filled([2, 3])], fn: (a, b) => ops.matmulTransposed(a, b, true, true), shape: [0, 2] },
    {
      inputs: () => [empty([0, 2]), empty([0, 2])],
      fn: (a, b) => ops.matmulTransposed(a, b, true, false),
      shape: [2, 2],
      values: [0, 0, 0, 0],
    },
  ],
  transpose: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.transpose(x), shape: [3, 0] }],
  permute: [{ inputs: () => [empty([2, 0, 3])], fn: (x) => ops.permute(x, [2, 0, 1]), shape: [3, 2, 0] }],
  reshape: [{ inputs: () => [empty([2, 0, 3])], fn: (x) => ops.reshape(x, [0, 6]), shape: [0, 6] }],
  concat: [{ inputs: () => [empty([0, 3]), filled([2, 3])], fn: (...t) => ops.concat(t, 0), shape: [2, 3] }],
  slice: [{ inputs: () => [filled([4, 3])], fn: (x) => ops.slice(x, 0, 2, 2), shape: [0, 3] }],
  stack: [{ inputs: () => [empty([0, 3]), empty([0, 3])], fn: (...t) => ops.stack(t, 1), shape: [0, 2, 3] }],
  sum: [
    { inputs: () => [empty([0, 3])], fn: (x) => ops.sum(x, 0), shape: [3], values: [0, 0, 0] },
    { inputs: () => [empty([0, 3], 'float32')], fn: (x) => ops.sum(x), shape: [], values: [0] },
    { inputs: () => [empty([0, 3])], fn: (x) => ops.sum(x, 1), shape: [0] },
  ],
  // The mean of nothing is 0/0 (PyTorch: NaN).
  mean: [{ inputs: () => [empty([0, 2])], fn: (x) => ops.mean(x, 0), shape: [2], values: [Number.NaN, Number.NaN] }],
  // The max of nothing is −∞ (documented; PyTorch's amax refuses).
  max: [
    { inputs: () => [empty([0, 2])], fn: (x) => ops.max(x, 0), shape: [2], values: [-Infinity, -Infinity] },
    { inputs: () => [empty([0, 2])], fn: (x) => ops.max(x, 1), shape: [0] },
  ],
  softmax: [
    { inputs: () => [empty([3, 0])], fn: (x) => ops.softmax(x), shape: [3, 0] },
    { inputs: () => [empty([0, 3])], fn: (x) => ops.softmax(x, 0), shape: [0, 3] },
    { inputs: () => [empty([0, 70])], fn: (x) => ops.softmax(x), shape: [0, 70] },
  ],
  where: [
    { inputs: () => [empty([0, 3]), filled([3])], fn: (a, b) => ops.where(new Tensor(new Float64Array(0), [0, 1]), a, b), shape: [0, 3] },
  ],
  maskedFill: [
    { inputs: () => [empty([0, 3])], fn: (x) => ops.maskedFill(x, new Tensor(new Float64Array(3), [3]), -Infinity), shape: [0, 3] },
  ],
  layerNorm: [
    // Rows of nothing (an internal error before): PyTorch gives the empty result.
    { inputs: () => [empty([4, 0]), empty([0]), empty([0])], fn: (x, gamma, beta) => ops.layerNorm(x, gamma, beta), shape: [4, 0] },
    { inputs: () => [empty([0, 3]), filled([3]), filled([3])], fn: (x, gamma, beta) => ops.layerNorm(x, gamma, beta), shape: [0, 3] },
    { inputs: () => [empty([0, 64])], fn: (x) => ops.layerNorm(x), shape: [0, 64] },
  ],
  // The ops of issue 13.
  relu: [{ inputs: () => [empty([0, 3])], fn: ops.relu, shape: [0, 3] }],
  erf: [{ inputs: () => [empty([0])], fn: ops.erf, shape: [0] }],
  gelu: [
    { inputs: () => [empty([2, 0])], fn: (x) => ops.gelu(x), shape: [2, 0] },
    { inputs: () => [empty([2, 0])], fn: (x) => ops.gelu(x, { approximate: 'tanh' }), shape: [2, 0] },
  ],
  tanh: [{ inputs: () => [empty([0])], fn: ops.tanh, shape: [0] }],
  sigmoid: [{ inputs: () => [empty([0, 2], 'float32')], fn: ops.sigmoid, shape: [0, 2] }],
  softplus: [{ inputs: () => [empty([0])], fn: (x) => ops.softplus(x), shape: [0] }],
  pow: [
    { inputs: () => [empty([0, 3])], fn: (x) => ops.pow(x, 2), shape: [0, 3] },
    { inputs: () => [empty([0, 3]), filled([3])], fn: (a, b) => ops.pow(a, b), shape: [0, 3] },
  ],
  square: [{ inputs: () => [empty([0])], fn: ops.square, shape: [0] }],
  abs: [{ inputs: () => [empty([0])], fn: ops.abs, shape: [0] }],
  clamp: [{ inputs: () => [empty([0, 2])], fn: (x) => ops.clamp(x, 0, 1), shape: [0, 2] }],
  minimum: [{ inputs: () => [empty([0, 3]), filled([3])], fn: (a, b) => ops.minimum(a, b), shape: [0, 3] }],
  maximum: [{ inputs: () => [filled([1]), empty([0])], fn: (a, b) => ops.maximum(a, b), shape: [0] }],
  // log Σ over nothing is log 0 = −∞ (as PyTorch).
  logsumexp: [
    { inputs: () => [empty([0, 2])], fn: (x) => ops.logsumexp(x, 0), shape: [2], values: [-Infinity, -Infinity] },
    { inputs: () => [empty([0, 2])], fn: (x) => ops.logsumexp(x, 1), shape: [0] },
  ],
  logSoftmax: [{ inputs: () => [empty([0, 4])], fn: (x) => ops.logSoftmax(x), shape: [0, 4] }],
  // No counted row: the mean is 0/0 = NaN (as PyTorch); the sum is 0.
  crossEntropy: [
    { inputs: () => [empty([0, 4])], fn: (x) => ops.crossEntropy(x, new Tensor(new Int32Array(0), [0])), shape: [], values: [Number.NaN] },
    {
      inputs: () => [empty([0, 4])],
      fn: (x) => ops.crossEntropy(x, new Tensor(new Int32Array(0), [0]), { reduction: 'sum' }),
      shape: [],
      values: [0],
    },
  ],
  nllLoss: [
    { inputs: () => [empty([0, 4])], fn: (x) => ops.nllLoss(x, new Tensor(new Int32Array(0), [0]), { reduction: 'none' }), shape: [0] },
  ],
  mseLoss: [
    { inputs: () => [empty([0, 2]), empty([0, 2])], fn: (a, b) => ops.mseLoss(a, b, { reduction: 'sum' }), shape: [], values: [0] },
  ],
  gather: [{ inputs: () => [filled([2, 3])], fn: (x) => ops.gather(x, 1, new Tensor(new Int32Array(0), [2, 0])), shape: [2, 0] }],
  indexSelect: [{ inputs: () => [filled([2, 3])], fn: (x) => ops.indexSelect(x, 0, new Tensor(new Int32Array(0), [0])), shape: [0, 3] }],
  embedding: [{ inputs: () => [filled([4, 3])], fn: (w) => ops.embedding(w, new Tensor(new Int32Array(0), [2, 0])), shape: [2, 0, 3] }],
  tril: [{ inputs: () => [empty([0, 3, 3])], fn: (x) => ops.tril(x), shape: [0, 3, 3] }],
  triu: [{ inputs: () => [empty([3, 0])], fn: (x) => ops.triu(x), shape: [3, 0] }],
  squeeze: [{ inputs: () => [empty([0, 1, 2])], fn: (x) => ops.squeeze(x), shape: [0, 2] }],
  unsqueeze: [{ inputs: () => [empty([0, 2])], fn: (x) => ops.unsqueeze(x, 0), shape: [1, 0, 2] }],
  expand: [{ inputs: () => [empty([0, 1])], fn: (x) => ops.expand(x, [0, 3]), shape: [0, 3] }],
  // The variance of nothing divides 0 by −1 (count 0 minus correction 1): −0; PyTorch gives NaN. Over a non-empty axis of an empty tensor: empty.
  variance: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.variance(x, 1), shape: [0] }],
  var: [{ inputs: () => [empty([2, 0])], fn: (x) => ops.var(x, 0), shape: [0] }],
  std: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.std(x, 1), shape: [0] }],
  dropout: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.dropout(x, 0.5), shape: [0, 3] }],
  // Constants, exercised through an op that uses them.
  oneHot: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.mul(x, ops.oneHot(new Tensor(new Int32Array(0), [0]), 3)), shape: [0, 3] }],
  argmax: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.gather(x, 1, ops.argmax(x, 1, true)), shape: [0, 1] }],
  argmin: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.gather(x, 1, ops.argmin(x, 1, true)), shape: [0, 1] }],
  eq: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.mul(x, ops.eq(x, 1)), shape: [0, 3] }],
  ne: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.mul(x, ops.ne(x, 1)), shape: [0, 3] }],
  gt: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.mul(x, ops.gt(x, 1)), shape: [0, 3] }],
  ge: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.mul(x, ops.ge(x, 1)), shape: [0, 3] }],
  lt: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.mul(x, ops.lt(x, 1)), shape: [0, 3] }],
  le: [{ inputs: () => [empty([0, 3])], fn: (x) => ops.mul(x, ops.le(x, 1)), shape: [0, 3] }],
  arange: [{ inputs: () => [empty([0])], fn: (x) => ops.add(x, ops.arange(0)), shape: [0] }],
};

const exported = Object.entries(ops)
  .filter(([, value]) => typeof value === 'function')
  .map(([name]) => name)
  .sort();

describe('every exported op on empty tensors', () => {
  it('has a row here: an export without one fails, naming it', () => {
    expect(
      exported.filter((name) => !(name in cases)),
      'ops without an empty-tensor case in test/empty-tensors.test.ts',
    ).toEqual([]);
  });

  it('argmax and argmin refuse to reduce over an empty axis, naming the op and the shape', () => {
    expect(() => ops.argmax(empty([2, 0]), 1)).toThrow('argmax: cannot reduce over an empty axis: x has shape [2, 0]');
    expect(() => ops.argmin(empty([0]))).toThrow('argmin: cannot reduce over an empty axis: x has shape [0]');
  });

  describe.each(exported.filter((name) => name in cases))('%s', (name) => {
    it.each(cases[name].map((c, i) => [i, c] as const))(
      'case %d: the right shape, values and gradient shapes',
      (_, { inputs, fn, shape, values }) => {
        const x = inputs();
        const y = fn(...x);
        expect(y.shape).toEqual(shape);
        if (values !== undefined) expect(Array.from(y.data)).toEqual(values);
        const cotangent = new Tensor(
          Float64Array.from({ length: y.size }, (_, i) => 0.25 - i),
          y.shape,
        );
        const grads = gradients(y, x, {
          gradOutput: y.dtype === 'float32' ? new Tensor(Float32Array.from(cotangent.data), y.shape) : cotangent,
        });
        grads.forEach((g, i) => {
          expect(g.shape, `gradient ${i}`).toEqual(x[i].shape);
          // Finite; and zeros when the result is empty (nothing flows back).
          for (const v of g.data) expect(y.size === 0 ? v : Number.isFinite(v) ? 0 : v, `gradient ${i}`).toBe(0);
        });
      },
    );
  });
});
