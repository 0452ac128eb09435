import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rng, type Tensor } from '@attograd/tensor';
import { decodeSafetensors, encodeSafetensors, GPT } from '../src/index';
import { GOLDEN_CONFIG } from './golden/config';

/**
 * The GPT against PyTorch 1.13 in float64 (tools/golden/nn_gpt.py): PyTorch read the weights
 * attograd wrote (gpt-untied/tied.safetensors) into torch.nn modules and recorded the logits, the
 * loss, the loss's gradient for every parameter and the VJP of the logits with a random cotangent.
 * Here a GPT with other initial weights loads the same files and must agree: logits to 1e-12,
 * gradients to 1e-9 (relative to each tensor's largest value).
 */
interface GoldenTensor {
  shape: number[];
  data: number[];
}
interface GoldenModel {
  logits: GoldenTensor;
  loss?: number;
  lossGrads?: Record<string, GoldenTensor>;
  vjp?: Record<string, GoldenTensor>;
}
const golden = (name: string): string => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));
const reference = JSON.parse(readFileSync(golden('gpt.json'), 'utf8')) as { models: Record<string, GoldenModel> };
const inputs = decodeSafetensors(readFileSync(golden('gpt-inputs.safetensors'))).tensors;

/** max |a − b| / max(1e-300, max |b|): the worst error relative to the reference's scale. */
function relativeError(actual: Tensor, expected: GoldenTensor): number {
  expect(actual.shape).toEqual(expected.shape);
  let worst = 0;
  let scale = 1e-300;
  expected.data.forEach((value, i) => {
    worst = Math.max(worst, Math.abs(actual.data[i] - value));
    scale = Math.max(scale, Math.abs(value));
  });
  return worst / scale;
}

function loaded(file: string, tiedHead: boolean): GPT {
  const model = new GPT({ ...GOLDEN_CONFIG, tiedHead, rng: rng(999) }); // other weights until the load
  const { tensors, metadata } = decodeSafetensors(readFileSync(golden(file)));
  model.loadStateDict(tensors);
  return Object.assign(model, { metadata });
}

describe.each([
  ['untied', false],
  ['tied', true],
] as const)('GPT (%s head) against PyTorch 1.13, float64', (kind, tiedHead) => {
  const expected = reference.models[kind];

  it('the file attograd wrote is the file PyTorch read: re-encoding the loaded state gives the same bytes', () => {
    const bytes = readFileSync(golden(`gpt-${kind}.safetensors`));
    const model = loaded(`gpt-${kind}.safetensors`, tiedHead);
    expect(Buffer.from(encodeSafetensors(model.stateDict(), { writer: 'attograd' })).equals(bytes)).toBe(true);
  });

  it('logits to 1e-12 and the loss (one position ignored) to 1e-12', () => {
    const model = loaded(`gpt-${kind}.safetensors`, tiedHead);
    const { logits, loss } = model.forward(inputs.ids, inputs.targets);
    expect(relativeError(logits, expected.logits)).toBeLessThan(1e-12);
    expect(Math.abs(loss!.item() - expected.loss!)).toBeLessThan(1e-12 * Math.abs(expected.loss!));
  });

  it("the loss's gradient for every parameter to 1e-9", () => {
    const model = loaded(`gpt-${kind}.safetensors`, tiedHead);
    model.forward(inputs.ids, inputs.targets).loss!.backward();
    const names = model.namedParameters().map(([name]) => name);
    expect(names).toEqual(Object.keys(expected.lossGrads!));
    for (const [name, p] of model.namedParameters()) {
      expect(relativeError(p.grad!, expected.lossGrads![name]), name).toBeLessThan(1e-9);
    }
  });

  it('the VJP of the logits with a random cotangent, for every parameter, to 1e-9', () => {
    const model = loaded(`gpt-${kind}.safetensors`, tiedHead);
    model.forward(inputs.ids).logits.backward(inputs.cotangent);
    for (const [name, p] of model.namedParameters()) {
      expect(relativeError(p.grad!, expected.vjp![name]), name).toBeLessThan(1e-9);
    }
  });
});

describe('weights PyTorch initialised and wrote (its own writer)', () => {
  it('load into attograd and give PyTorch’s logits to 1e-12', () => {
    const model = loaded('gpt-torch.safetensors', false);
    expect(relativeError(model.forward(inputs.ids).logits, reference.models['torch-initialised'].logits)).toBeLessThan(1e-12);
  });
});
