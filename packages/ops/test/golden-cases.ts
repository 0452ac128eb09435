/**
 * The golden-vector files (test/golden/*.json, computed by PyTorch in float64 by
 * tools/golden/generate.py) and the one way their cases are checked: the output, the
 * vector-Jacobian product with the case's cotangent, and where recorded the Hessian-vector product
 * of ⟨output, cotangent⟩. A `null` gradient marks an input that is not differentiable (a mask, a
 * condition); it gets no gradient and no direction.
 */
import { readFileSync } from 'node:fs';
import { gradients, Tensor } from '@attograd/tensor';
import { describe, expect, it } from 'vitest';
import * as ops from '../src/index';
import { expectClose } from './helpers';

export interface GoldenTensor {
  shape: number[];
  /** JSON has no infinities: they are stored as strings, which Number() decodes. */
  data: Array<number | string>;
}

/** An op's attributes as the JSON holds them: each call knows the types of its own op's attributes. */
// biome-ignore lint/suspicious/noExplicitAny: decoded JSON; the calls in the tests destructure it per op.
export type GoldenAttrs = Record<string, any>;

export interface GoldenCase {
  name: string;
  op: string;
  attrs: GoldenAttrs;
  inputs: GoldenTensor[];
  inputNames: string[];
  output: GoldenTensor;
  cotangent: GoldenTensor;
  grads: Array<GoldenTensor | null>;
  hvp?: { direction: Array<GoldenTensor | null>; result: Array<GoldenTensor | null> };
}

export interface GoldenFile {
  generator: string;
  cases: GoldenCase[];
}

/** How a golden `op` is called: inputs in the case's `inputNames` order, attrs as named there. */
export type GoldenCall = (inputs: Tensor[], attrs: GoldenAttrs) => Tensor;

/** Outputs and first derivatives must match PyTorch to 1e-12 (absolute + relative). */
export const TOLERANCE = 1e-12;
/** The Hessian-vector product is a second derivative: a few more roundings. */
export const HVP_TOLERANCE = 1e-10;

/** Reads test/golden/<file>. */
export function loadGolden(file: string): GoldenFile {
  return JSON.parse(readFileSync(new URL(`./golden/${file}`, import.meta.url), 'utf8')) as GoldenFile;
}

export function decode(value: GoldenTensor, requiresGrad = false): Tensor {
  return new Tensor(Float64Array.from(value.data, Number), value.shape, { requiresGrad });
}

/** Σ_i ⟨g_i, d_i⟩ as a recorded scalar, so it can be differentiated again. */
function contract(grads: readonly Tensor[], directions: readonly Tensor[]): Tensor {
  return grads.map((grad, i) => ops.sum(ops.mul(grad, directions[i]))).reduce((total, term) => ops.add(total, term));
}

/** One `describe` per case: output and VJP, and the HVP where the case records one. */
export function describeGoldenCases(golden: GoldenFile, calls: Record<string, GoldenCall>): void {
  describe.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_, goldenCase) => {
    const differentiable = goldenCase.grads.map((grad) => grad !== null);
    const makeInputs = (): Tensor[] => goldenCase.inputs.map((input, i) => decode(input, differentiable[i]));
    const call = calls[goldenCase.op];

    it('output and vector-Jacobian product match', () => {
      expect(call, `no call for golden op '${goldenCase.op}'`).toBeDefined();
      const inputs = makeInputs();
      const output = call(inputs, goldenCase.attrs);
      expectClose(output, decode(goldenCase.output), TOLERANCE);
      const wrt = inputs.filter((_, i) => differentiable[i]);
      const grads = gradients(output, wrt, { gradOutput: decode(goldenCase.cotangent) });
      const expected = goldenCase.grads.filter((grad) => grad !== null);
      expect(grads).toHaveLength(expected.length);
      grads.forEach((grad, i) => expectClose(grad, decode(expected[i]), TOLERANCE));
    });

    // The reference has one Hessian-vector product per op (on one of its cases), not one per case.
    const hvp = goldenCase.hvp;
    if (hvp !== undefined)
      it('Hessian-vector product matches', () => {
        const inputs = makeInputs();
        const wrt = inputs.filter((_, i) => differentiable[i]);
        // g = Jᵀc as a recorded function of the inputs; ∇⟨g, d⟩ = H d, H the Hessian of ⟨output, c⟩.
        const grads = gradients(call(inputs, goldenCase.attrs), wrt, { gradOutput: decode(goldenCase.cotangent), createGraph: true });
        const directions = hvp.direction.filter((d) => d !== null).map((d) => decode(d));
        const contracted = contract(grads, directions);
        // A linear op's gradient does not depend on its inputs: then H = 0 and nothing is recorded.
        // An input that enters linearly (β of layerNorm) has a zero row of H: allowUnused gives it zeros.
        const products = contracted.requiresGrad
          ? gradients(contracted, wrt, { allowUnused: true })
          : wrt.map((x) => new Tensor(new Float64Array(x.size), x.shape));
        const expected = hvp.result.filter((r) => r !== null);
        expect(products).toHaveLength(expected.length);
        products.forEach((product, i) => expectClose(product, decode(expected[i]), HVP_TOLERANCE));
      });
  });
}
