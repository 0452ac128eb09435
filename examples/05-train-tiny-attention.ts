/**
 * Tutorial 5 — train a tiny attention model with plain gradient descent.
 *
 * Run from the repository root:  npx tsx examples/05-train-tiny-attention.ts
 *
 * The task: "previous token". Given a sequence of tokens t_0 … t_{T−1}, predict at every position
 * i the token one step back, t_{i−1} (position 0 predicts itself). No single position holds the
 * answer — the model has to look elsewhere — which is exactly what attention learns to do.
 *
 * The model, in the formulas of the stages:
 *   X = onehot(tokens)·E + Pos                          token embedding + positional embedding
 *   Z = softmax(causal(X W_q (X W_k)ᵀ / √d)) · X W_v    self-attention (stages 0–4)
 *   logits = Z·W_out,  loss = mean over positions of −log softmax(logits)[target]
 * and the training loop is nothing but: loss, gradients of every parameter, θ ← θ − lr·dθ.
 */
import { selfAttention } from '@attograd/attention';
import { add, log, matmul, mean, mul, softmax, sum } from '@attograd/ops';
import { gradients, noGrad, randn, rng, Tensor, zeros, type Rng } from '@attograd/tensor';

const VOCAB = 5;
const SEQ = 6;
const D = 8;
const BATCH = 48;
const STEPS = 300;
const LEARNING_RATE = 0.2;
const random = rng(2025);

/** A [BATCH, SEQ, VOCAB] one-hot tensor of random tokens, and the one-hot of their targets. */
function makeBatch(r: Rng, size: number): { tokens: number[][]; inputs: Tensor; targets: Tensor } {
  const tokens = Array.from({ length: size }, () => Array.from({ length: SEQ }, () => Math.floor(r.uniform() * VOCAB)));
  const oneHot = (pick: (row: number[], i: number) => number): Tensor => {
    const t = zeros([size, SEQ, VOCAB]);
    tokens.forEach((row, b) => row.forEach((_, i) => (t.data[(b * SEQ + i) * VOCAB + pick(row, i)] = 1)));
    return t;
  };
  return { tokens, inputs: oneHot((row, i) => row[i]), targets: oneHot((row, i) => row[Math.max(0, i - 1)]) };
}

/** A parameter: small random values, scaled by 1/√fanIn, that gradients will flow to. */
function parameter(shape: number[], fanIn: number): Tensor {
  const t = randn(shape, { rng: random });
  for (let i = 0; i < t.size; i++) t.data[i] /= Math.sqrt(fanIn);
  t.requiresGrad = true;
  return t;
}

const params = {
  embedding: parameter([VOCAB, D], 1),
  position: parameter([SEQ, D], 1),
  wq: parameter([D, D], D),
  wk: parameter([D, D], D),
  wv: parameter([D, D], D),
  wout: parameter([D, VOCAB], D),
};

/** Forward pass: the logits, [batch, SEQ, VOCAB]. */
function model(inputs: Tensor): Tensor {
  const x = add(matmul(inputs, params.embedding), params.position);
  const z = selfAttention(x, { wq: params.wq, wk: params.wk, wv: params.wv }, { causal: true });
  return matmul(z, params.wout);
}

/** Cross-entropy: mean over every position of −Σ_v target_v·log p_v. */
function crossEntropy(logits: Tensor, targets: Tensor): Tensor {
  return mul(mean(sum(mul(targets, log(softmax(logits))), -1)), -1);
}

function accuracy(logits: Tensor, tokens: number[][]): { correct: number; total: number; predictions: number[][] } {
  const predictions = tokens.map((row, b) =>
    row.map((_, i) => {
      const scores = Array.from(logits.data.subarray((b * SEQ + i) * VOCAB, (b * SEQ + i + 1) * VOCAB));
      return scores.indexOf(Math.max(...scores));
    }),
  );
  const correct = predictions.flat().filter((p, k) => p === tokens[Math.floor(k / SEQ)][Math.max(0, (k % SEQ) - 1)]).length;
  return { correct, total: tokens.length * SEQ, predictions };
}

// --- Training: plain gradient descent on one fixed training set ---------------------------------
const train = makeBatch(random, BATCH);
const names = Object.keys(params) as (keyof typeof params)[];
console.log(`task: previous token, vocabulary ${VOCAB}, length ${SEQ}, width ${D}, ${BATCH} training sequences`);
console.log(`chance level: loss ln(${VOCAB}) = ${Math.log(VOCAB).toFixed(4)}`);
for (let step = 0; step <= STEPS; step++) {
  const loss = crossEntropy(model(train.inputs), train.targets);
  if (step % 20 === 0) console.log(`step ${String(step).padStart(3)}  loss ${loss.item().toFixed(4)}`);
  if (step === STEPS) break;
  const grads = gradients(loss, names.map((name) => params[name]));
  names.forEach((name, k) => {
    const theta = params[name].data;
    for (let i = 0; i < theta.length; i++) theta[i] -= LEARNING_RATE * grads[k].data[i];
  });
}

// --- Evaluation on sequences the model has never seen -------------------------------------------
const test = makeBatch(random, 200);
const testLogits = noGrad(() => model(test.inputs));
const { correct, total, predictions } = accuracy(testLogits, test.tokens);
console.log(`\nheld-out loss ${noGrad(() => crossEntropy(testLogits, test.targets)).item().toFixed(4)}`);
console.log(`held-out accuracy ${correct}/${total} = ${(correct / total).toFixed(3)}`);
for (let b = 0; b < 3; b++) {
  console.log(`input ${test.tokens[b].join(' ')}  →  predicted ${predictions[b].join(' ')}`);
}
