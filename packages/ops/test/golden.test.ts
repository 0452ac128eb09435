/**
 * Every case of test/golden/ops.json (computed by PyTorch in float64, see tools/golden/README.md):
 * the output, the vector-Jacobian product with the case's cotangent, and where recorded the
 * Hessian-vector product of ⟨output, cotangent⟩ must match.
 */
import { readFileSync } from 'node:fs';
import { gradients, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index';
import { expectClose } from './helpers';

interface GoldenTensor {
  shape: number[];
  data: Array<number | string>;
}

interface GoldenCase {
  name: string;
  op: string;
  attrs: Record<string, unknown>;
  inputs: GoldenTensor[];
  inputNames: string[];
  output: GoldenTensor;
  cotangent: GoldenTensor;
  grads: Array<GoldenTensor | null>;
  hvp?: { direction: Array<GoldenTensor | null>; result: Array<GoldenTensor | null> };
}

const golden = JSON.parse(readFileSync(new URL('./golden/ops.json', import.meta.url), 'utf8')) as {
  generator: string;
  cases: GoldenCase[];
};

/** JSON has no infinities: they are stored as strings, which Number() decodes. */
function decode(value: GoldenTensor, requiresGrad = false): Tensor {
  return new Tensor(Float64Array.from(value.data, Number), value.shape, { requiresGrad });
}

type Call = (inputs: Tensor[], attrs: Record<string, any>) => Tensor;

/** How each golden `op` is called: inputs in the case's `inputNames` order, attrs as named there. */
const calls: Record<string, Call> = {
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

/** Output and gradients must match PyTorch to 1e-12 absolute + relative. */
const TOLERANCE = 1e-12;
/** The Hessian-vector product is a second derivative: a few more roundings. */
const HVP_TOLERANCE = 1e-10;

/** Σ_i ⟨g_i, d_i⟩ as a recorded scalar, so it can be differentiated again. */
function contract(grads: readonly Tensor[], directions: readonly Tensor[]): Tensor {
  return grads.map((grad, i) => ops.sum(ops.mul(grad, directions[i]))).reduce((total, term) => ops.add(total, term));
}

describe('golden vectors from PyTorch', () => {
  it('holds cases for every op the table can call, and the table calls every op in the file', () => {
    expect(golden.generator).toMatch(/PyTorch/);
    expect(golden.cases.length).toBeGreaterThanOrEqual(36);
    expect(new Set(golden.cases.map((c) => c.op))).toEqual(new Set(Object.keys(calls)));
  });

  describe.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_, goldenCase) => {
    const differentiable = goldenCase.grads.map((grad) => grad !== null);
    const makeInputs = (): Tensor[] => goldenCase.inputs.map((input, i) => decode(input, differentiable[i]));

    it('output matches', () => {
      const call = calls[goldenCase.op];
      expect(call, `no call for golden op '${goldenCase.op}'`).toBeDefined();
      expectClose(call(makeInputs(), goldenCase.attrs), decode(goldenCase.output), TOLERANCE);
    });

    it('vector-Jacobian product matches', () => {
      const inputs = makeInputs();
      const output = calls[goldenCase.op](inputs, goldenCase.attrs);
      const wrt = inputs.filter((_, i) => differentiable[i]);
      const grads = gradients(output, wrt, { gradOutput: decode(goldenCase.cotangent) });
      const expected = goldenCase.grads.filter((grad) => grad !== null);
      grads.forEach((grad, i) => expectClose(grad, decode(expected[i]), TOLERANCE));
    });
  });

  const withHvp = golden.cases.filter((c) => c.hvp !== undefined);

  it('records Hessian-vector products for matmul, softmax and layerNorm', () => {
    expect(withHvp.map((c) => c.op).sort()).toEqual(['layerNorm', 'matmul', 'softmax']);
  });

  it.each(withHvp.map((c) => [c.name, c] as const))('%s: Hessian-vector product matches', (_, goldenCase) => {
    const hvp = goldenCase.hvp!;
    const differentiable = goldenCase.grads.map((grad) => grad !== null);
    const inputs = goldenCase.inputs.map((input, i) => decode(input, differentiable[i]));
    const output = calls[goldenCase.op](inputs, goldenCase.attrs);
    const wrt = inputs.filter((_, i) => differentiable[i]);
    // g = Jᵀc as a recorded function of the inputs; ∇⟨g, d⟩ = H d, H the Hessian of ⟨output, c⟩.
    const grads = gradients(output, wrt, { gradOutput: decode(goldenCase.cotangent), createGraph: true });
    const directions = hvp.direction.filter((d) => d !== null).map((d) => decode(d));
    const products = gradients(contract(grads, directions), wrt, { allowUnused: true }); // a linear input (β) has a zero row of H
    const expected = hvp.result.filter((r) => r !== null);
    expect(products).toHaveLength(expected.length);
    products.forEach((product, i) => expectClose(product, decode(expected[i]), HVP_TOLERANCE));
  });
});
