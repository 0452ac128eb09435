/**
 * Every case of test/golden/training-ops.json (the ops of issue 13, computed by PyTorch 1.13 in
 * float64 by tools/golden/generate.py): output, vector-Jacobian product with the case's random
 * cotangent, and — one case per op at least — the Hessian-vector product of ⟨output, cotangent⟩.
 * Integer indices (targets, gather indices, embedding ids) come in `attrs` and become int32 tensors.
 */
import { readFileSync } from 'node:fs';
import { gradients, Tensor, tensor } from '@attograd/tensor';
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
  attrs: Record<string, any>;
  inputs: GoldenTensor[];
  output: GoldenTensor;
  cotangent: GoldenTensor;
  grads: Array<GoldenTensor | null>;
  hvp?: { direction: GoldenTensor[]; result: GoldenTensor[] };
}

const golden = JSON.parse(readFileSync(new URL('./golden/training-ops.json', import.meta.url), 'utf8')) as {
  generator: string;
  cases: GoldenCase[];
};

const decode = (value: GoldenTensor, requiresGrad = false): Tensor =>
  new Tensor(Float64Array.from(value.data, Number), value.shape, { requiresGrad });
const int32 = (values: unknown): Tensor => tensor(values as number[], { dtype: 'int32' });

type Call = (inputs: Tensor[], attrs: Record<string, any>) => Tensor;

/** How each golden `op` is called from its inputs and attrs. */
const calls: Record<string, Call> = {
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

/** Outputs and first derivatives to 1e-12 (atol + rtol), second derivatives to 1e-10. */
const TOLERANCE = 1e-12;
const HVP_TOLERANCE = 1e-10;

describe('golden vectors from PyTorch for the training ops', () => {
  it('cover every op in the table, each with at least one Hessian-vector product', () => {
    expect(golden.generator).toMatch(/PyTorch 1\.13/);
    expect(new Set(golden.cases.map((c) => c.op))).toEqual(new Set(Object.keys(calls)));
    const withHvp = new Set(golden.cases.filter((c) => c.hvp).map((c) => c.op));
    // powScalar is pow with a number exponent; it has its own HVP case too.
    expect([...withHvp].sort()).toEqual(Object.keys(calls).sort());
  });

  describe.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_, goldenCase) => {
    const makeInputs = (): Tensor[] => goldenCase.inputs.map((input) => decode(input, true));

    it('output and vector-Jacobian product match', () => {
      const inputs = makeInputs();
      const output = calls[goldenCase.op](inputs, goldenCase.attrs);
      expectClose(output, decode(goldenCase.output), TOLERANCE);
      const grads = gradients(output, inputs, { gradOutput: decode(goldenCase.cotangent) });
      grads.forEach((grad, i) => expectClose(grad, decode(goldenCase.grads[i]!), TOLERANCE));
    });

    it.runIf(goldenCase.hvp !== undefined)('Hessian-vector product matches', () => {
      const inputs = makeInputs();
      const output = calls[goldenCase.op](inputs, goldenCase.attrs);
      const grads = gradients(output, inputs, { gradOutput: decode(goldenCase.cotangent), createGraph: true });
      const directions = goldenCase.hvp!.direction.map((d) => decode(d));
      const contracted = grads.map((g, i) => ops.sum(ops.mul(g, directions[i]))).reduce((total, term) => ops.add(total, term));
      // A linear op's gradient does not depend on its inputs: then H = 0 and nothing is recorded.
      const products = contracted.requiresGrad
        ? gradients(contracted, inputs)
        : inputs.map((x) => new Tensor(new Float64Array(x.size), x.shape));
      products.forEach((product, i) => expectClose(product, decode(goldenCase.hvp!.result[i]), HVP_TOLERANCE));
    });
  });
});
