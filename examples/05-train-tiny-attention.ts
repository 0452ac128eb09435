/**
 * Tutorial 5 — train a tiny attention model with cross-entropy and AdamW.
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
 *   logits = Z·W_out,  loss = crossEntropy(logits, targets) = mean over positions of
 *                              −log softmax(logits)[target]
 * crossEntropy works from the logits (log-sum-exp with the row maximum subtracted), so it stays
 * finite however confident the model gets — log(softmax(·)) would reach −∞ once a probability
 * underflows — and its gradient is the fused softmax(logits) − onehot(target), over the count.
 * The training loop is the one every PyTorch user knows:
 *   optimizer.zeroGrad();  loss.backward();  optimizer.step()
 * with AdamW: Adam's per-parameter step sizes plus weight decay applied directly to the weights.
 */
import { selfAttention } from '@attograd/attention';
import { add, crossEntropy, matmul } from '@attograd/ops';
import { AdamW } from '@attograd/optim';
import { noGrad, randn, rng, type Tensor, tensor, zeros, type Rng } from '@attograd/tensor';

const VOCAB = 5;
const SEQ = 6;
const D = 8;
const BATCH = 48;
const STEPS = 200;
const LEARNING_RATE = 0.01;
const random = rng(2025);

/** Random tokens as a [size, SEQ, VOCAB] one-hot input, and their targets as int32 class indices [size, SEQ]. */
function makeBatch(r: Rng, size: number): { tokens: number[][]; inputs: Tensor; targets: Tensor } {
  const tokens = Array.from({ length: size }, () => Array.from({ length: SEQ }, () => Math.floor(r.uniform() * VOCAB)));
  const inputs = zeros([size, SEQ, VOCAB]);
  tokens.forEach((row, b) => row.forEach((token, i) => (inputs.data[(b * SEQ + i) * VOCAB + token] = 1)));
  const targets = tensor(
    tokens.map((row) => row.map((_, i) => row[Math.max(0, i - 1)])),
    { dtype: 'int32' },
  );
  return { tokens, inputs, targets };
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

// --- Training: AdamW on one fixed training set -----------------------------------------------------
const train = makeBatch(random, BATCH);
const optimizer = new AdamW(Object.values(params), { lr: LEARNING_RATE, weightDecay: 0.01 });
console.log(`task: previous token, vocabulary ${VOCAB}, length ${SEQ}, width ${D}, ${BATCH} training sequences`);
console.log(`chance level: loss ln(${VOCAB}) = ${Math.log(VOCAB).toFixed(4)}`);
for (let step = 0; step <= STEPS; step++) {
  const loss = crossEntropy(model(train.inputs), train.targets);
  if (step % 20 === 0) console.log(`step ${String(step).padStart(3)}  loss ${loss.item().toFixed(4)}`);
  if (step === STEPS) break;
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step(); // θ ← AdamW update of θ, in place, with no graph recorded
}

// --- Evaluation on sequences the model has never seen -------------------------------------------
const test = makeBatch(random, 200);
const testLogits = noGrad(() => model(test.inputs));
const { correct, total, predictions } = accuracy(testLogits, test.tokens);
console.log(
  `\nheld-out loss ${noGrad(() => crossEntropy(testLogits, test.targets))
    .item()
    .toFixed(4)}`,
);
console.log(`held-out accuracy ${correct}/${total} = ${(correct / total).toFixed(3)}`);
for (let b = 0; b < 3; b++) {
  console.log(`input ${test.tokens[b].join(' ')}  →  predicted ${predictions[b].join(' ')}`);
}
