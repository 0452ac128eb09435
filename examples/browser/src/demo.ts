/**
 * The computation the page shows, kept apart from the DOM so that the test can run the very same
 * function in Node and compare: causal self-attention on seeded random inputs, one backward pass
 * with a random cotangent, and a full-Jacobian gradcheck of every input.
 */
import { traceSelfAttention, selfAttention } from '@attograd/attention';
import { gradcheck } from '@attograd/gradcheck';
import { randn, rng, tensor, type Rng, type Tensor } from '@attograd/tensor';

/** What the page displays; every number here appears on it. */
export interface DemoResult {
  seed: number;
  tokens: number;
  dModel: number;
  /** P = softmax(Q·Kᵀ/√d, causal): [tokens][tokens], each row sums to 1. */
  weights: number[][];
  /** Z = P·V: [tokens][dModel]. */
  output: number[][];
  /** ‖∂L/∂input‖₂ for L = ⟨Z, dZ⟩ with a random cotangent dZ, per input. */
  gradientNorms: Record<InputName, number>;
  gradcheck: { ok: boolean; inputs: Array<{ name: InputName; maxAbsError: number; maxRelError: number }> };
}

/** The inputs, in the order they are passed to self-attention and to gradcheck. */
export const INPUT_NAMES = ['X', 'W_q', 'W_k', 'W_v'] as const;
/** One of `INPUT_NAMES`. */
export type InputName = (typeof INPUT_NAMES)[number];

function rows(t: Tensor): number[][] {
  const [count, width] = t.shape;
  return Array.from({ length: count }, (_, i) => Array.from(t.data.subarray(i * width, (i + 1) * width)));
}

function norm(t: Tensor | null): number {
  if (t === null) throw new Error('an input received no gradient');
  let sumOfSquares = 0;
  for (const value of t.data) sumOfSquares += value * value;
  return Math.sqrt(sumOfSquares);
}

/**
 * A leaf of standard normal draws times `factor`. Weights get 1/√d, as a trained model's roughly
 * do: with unit-variance weights the scores grow like d and every softmax row saturates to one-hot.
 */
function scaledNormal(shape: number[], random: Rng, factor: number): Tensor {
  const draws = randn(shape, { rng: random });
  return tensor(
    draws.data.map((value) => value * factor),
    { shape, requiresGrad: true },
  );
}

/**
 * Runs the demo for one seed: X [tokens, dModel] (standard normal) and W_q, W_k, W_v
 * [dModel, dModel] (normal with variance 1/dModel) drawn from rng(seed) in that order, then the
 * cotangent dZ.
 */
export function runDemo(seed: number, tokens = 6, dModel = 8): DemoResult {
  const random = rng(seed);
  const inputs = [
    scaledNormal([tokens, dModel], random, 1),
    ...[0, 1, 2].map(() => scaledNormal([dModel, dModel], random, 1 / Math.sqrt(dModel))),
  ];
  const [x, wq, wk, wv] = inputs;
  const trace = traceSelfAttention(x, { wq, wk, wv }, { causal: true });
  trace.z.backward(randn(trace.z.shape, { rng: random }));
  const attend = (x: Tensor, wq: Tensor, wk: Tensor, wv: Tensor): Tensor => selfAttention(x, { wq, wk, wv }, { causal: true });
  const report = gradcheck(attend, inputs);
  return {
    seed,
    tokens,
    dModel,
    weights: rows(trace.p),
    output: rows(trace.z),
    gradientNorms: Object.fromEntries(INPUT_NAMES.map((name, i) => [name, norm(inputs[i].grad)])) as Record<InputName, number>,
    gradcheck: {
      ok: report.ok,
      inputs: report.inputs.map((input) => ({
        name: INPUT_NAMES[input.index],
        maxAbsError: input.maxAbsError,
        maxRelError: input.maxRelError,
      })),
    },
  };
}
