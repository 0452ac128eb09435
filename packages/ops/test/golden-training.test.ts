/**
 * Every case of test/golden/training-ops.json (the ops of issue 13, computed by PyTorch 1.13 in
 * float64 by tools/golden/generate.py): output, vector-Jacobian product with the case's random
 * cotangent, and — one case per op at least — the Hessian-vector product of ⟨output, cotangent⟩.
 * Integer indices (targets, gather indices, embedding ids) come in `attrs` and become int32 tensors.
 */
import { tensor, type Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index';
import { describeGoldenCases, type GoldenCall, loadGolden } from './golden-cases';

const golden = loadGolden('training-ops.json');

const int32 = (values: unknown): Tensor => tensor(values as number[], { dtype: 'int32' });

/** How each golden `op` is called from its inputs and attrs. */
const calls: Record<string, GoldenCall> = {
  relu: ([x]) => ops.relu(x),
  erf: ([x]) => ops.erf(x),
  gelu: ([x], { approximate }) => ops.gelu(x, { approximate }),
  tanh: ([x]) => ops.tanh(x),
  sigmoid: ([x]) => ops.sigmoid(x),
  softplus: ([x], { beta }) => ops.softplus(x, { beta }),
  powScalar: ([a], { exponent }) => ops.pow(a, exponent),
  pow: ([a, b]) => ops.pow(a, b),
  square: ([x]) => ops.square(x),
  abs: ([x]) => ops.abs(x),
  clamp: ([x], { low, high }) => ops.clamp(x, low, high),
  maximum: ([a, b]) => ops.maximum(a, b),
  minimum: ([a, b]) => ops.minimum(a, b),
  logsumexp: ([x], { axis, keepdims }) => ops.logsumexp(x, axis, keepdims),
  logSoftmax: ([x], { axis }) => ops.logSoftmax(x, axis),
  crossEntropy: ([x], { targets, ...options }) => ops.crossEntropy(x, int32(targets), options),
  nllLoss: ([x], { targets, ...options }) => ops.nllLoss(x, int32(targets), options),
  mseLoss: ([a, b], options) => ops.mseLoss(a, b, options),
  gather: ([x], { axis, index }) => ops.gather(x, axis, int32(index)),
  indexSelect: ([x], { axis, index }) => ops.indexSelect(x, axis, int32(index)),
  embedding: ([table], { ids }) => ops.embedding(table, int32(ids)),
  tril: ([x], { diagonal }) => ops.tril(x, diagonal),
  triu: ([x], { diagonal }) => ops.triu(x, diagonal),
  squeeze: ([x]) => ops.squeeze(x),
  unsqueeze: ([x], { axis }) => ops.unsqueeze(x, axis),
  expand: ([x], { shape }) => ops.expand(x, shape),
  variance: ([x], { axis, ...options }) => ops.variance(x, axis, options),
  std: ([x], { axis, ...options }) => ops.std(x, axis, options),
};

describe('golden vectors from PyTorch for the training ops', () => {
  it('cover every op in the table, each with at least one Hessian-vector product', () => {
    expect(golden.generator).toMatch(/PyTorch 1\.13/);
    expect(new Set(golden.cases.map((c) => c.op))).toEqual(new Set(Object.keys(calls)));
    const withHvp = new Set(golden.cases.filter((c) => c.hvp).map((c) => c.op));
    // powScalar is pow with a number exponent; it has its own HVP case too.
    expect([...withHvp].sort()).toEqual(Object.keys(calls).sort());
  });

  describeGoldenCases(golden, calls);
});
