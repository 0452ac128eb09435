/**
 * Every case of test/golden/ops.json (computed by PyTorch in float64, see tools/golden/README.md):
 * the output, the vector-Jacobian product with the case's cotangent, and where recorded the
 * Hessian-vector product of ⟨output, cotangent⟩ must match.
 */
import * as ops from '../src/index';
import { describe, expect, it } from 'vitest';
import { describeGoldenCases, type GoldenCall, loadGolden } from './golden-cases';

const golden = loadGolden('ops.json');

/** How each golden `op` is called: inputs in the case's `inputNames` order, attrs as named there. */
const calls: Record<string, GoldenCall> = {
  matmul: ([a, b]) => ops.matmul(a, b),
  transpose: ([x], { dim0, dim1 }) => ops.transpose(x, dim0, dim1),
  permute: ([x], { dims }) => ops.permute(x, dims),
  scale: ([x], { factor }) => ops.scale(x, factor),
  softmax: ([x], { axis }) => ops.softmax(x, axis),
  add: ([a, b]) => ops.add(a, b),
  sub: ([a, b]) => ops.sub(a, b),
  mul: ([a, b]) => ops.mul(a, b),
  div: ([a, b]) => ops.div(a, b),
  neg: ([x]) => ops.neg(x),
  exp: ([x]) => ops.exp(x),
  log: ([x]) => ops.log(x),
  sqrt: ([x]) => ops.sqrt(x),
  sum: ([x], { axis, keepdims }) => ops.sum(x, axis, keepdims),
  mean: ([x], { axis, keepdims }) => ops.mean(x, axis, keepdims),
  max: ([x], { axis, keepdims }) => ops.max(x, axis, keepdims),
  reshape: ([x], { shape }) => ops.reshape(x, shape),
  where: ([condition, a, b]) => ops.where(condition, a, b),
  maskedFill: ([x, mask], { value }) => ops.maskedFill(x, mask, value),
  layerNorm: ([x, gamma, beta], { eps }) => ops.layerNorm(x, gamma, beta, eps),
};

describe('golden vectors from PyTorch', () => {
  it('holds cases for every op the table can call, and the table calls every op in the file', () => {
    expect(golden.generator).toMatch(/PyTorch/);
    expect(golden.cases.length).toBeGreaterThanOrEqual(36);
    expect(new Set(golden.cases.map((c) => c.op))).toEqual(new Set(Object.keys(calls)));
  });

  describeGoldenCases(golden, calls);

  const withHvp = golden.cases.filter((c) => c.hvp !== undefined);

  it('records Hessian-vector products for matmul, softmax and layerNorm', () => {
    expect(withHvp.map((c) => c.op).sort()).toEqual(['layerNorm', 'matmul', 'softmax']);
  });
});
