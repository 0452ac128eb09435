/**
 * Example 03 — self-attention, stage by stage.
 *
 * Builds a tiny attention block (T = 3 tokens, d = 4, seeded), prints the values every stage
 * produces, then the gradient of a loss L = Σ Y ⊙ C (C a seeded random cotangent) with respect to
 * every input, and finally checks those gradients three ways: hand-derived, autograd and finite
 * differences.
 *
 * Run it from the repository root after building:  npx tsx examples/03-attention-stage-by-stage.ts
 */
import { gradients, randn, rng, type Rng, type Tensor } from '@attograd/tensor';
import { compareThreeWays, composites, stages, traceSelfAttention } from '@attograd/attention';

const T = 3;
const d = 4;
const seed = 7;

/** A leaf of normal values times `factor` plus `offset`, drawn from `random`. */
function draw(random: Rng, shape: number[], factor = 1, offset = 0): Tensor {
  const t = randn(shape, { rng: random });
  for (let i = 0; i < t.size; i++) t.data[i] = offset + factor * t.data[i];
  t.requiresGrad = true;
  return t;
}

/** A matrix (or a vector, as one row) with its shape, values to 4 decimals. */
function show(name: string, t: Tensor): void {
  console.log(`${name}  [${t.shape.join(', ')}]`);
  const columns = t.shape[t.rank - 1];
  for (let start = 0; start < t.size; start += columns) {
    const row = Array.from(t.data.slice(start, start + columns), (v) => v.toFixed(4).padStart(9));
    console.log(`  ${row.join(' ')}`);
  }
  console.log('');
}

function heading(title: string): void {
  console.log(`=== ${title} ===`);
}

// Inputs, drawn in this order from one generator: X, W_q, W_k, W_v (scaled by 1/√d so that X·W
// keeps X's scale), γ ≈ 1 and β ≈ 0 (a little noise, so neither gradient is special).
const random = rng(seed);
const x = draw(random, [T, d]);
const [wq, wk, wv] = [0, 1, 2].map(() => draw(random, [d, d], 1 / Math.sqrt(d)));
const gamma = draw(random, [d], 0.1, 1);
const beta = draw(random, [d], 0.1);

console.log(`attograd example 03: self-attention stage by stage (T = ${T}, d = ${d}, seed ${seed})\n`);
heading('inputs');
show('X', x);
show('W_q', wq);
show('W_k', wk);
show('W_v', wv);
show('γ', gamma);
show('β', beta);

// One forward pass that keeps every intermediate.
const trace = traceSelfAttention(x, { wq, wk, wv, gamma, beta });
const outputs: [string, Tensor][][] = [
  [
    ['Q', trace.q],
    ['K', trace.k],
    ['V', trace.v],
  ],
  [['S', trace.s]],
  [['Ŝ', trace.sHat]],
  [['P', trace.p]],
  [['Z', trace.z]],
  [['Y', trace.y!]],
];
for (const stage of stages) {
  // Single-head attention has no output projection (the multi-head stage W_o): skip stages this
  // trace does not run.
  if (outputs[stage.id] === undefined) continue;
  heading(`stage ${stage.id}: ${stage.title.en}`);
  console.log(`what:    ${stage.explanation.en.what}`);
  console.log(`forward: ${stage.forward}\n`);
  for (const [name, value] of outputs[stage.id]) show(name, value);
}

// The loss: a random projection of Y. (Σ Y would be a poor choice: with γ = 1 each row of a layer
// norm's output sums to Σβ whatever X is, so the gradient with respect to X would be zero.)
const cotangent = randn(trace.y!.shape, { rng: rng(seed + 1) });
heading('loss L = Σ Y ⊙ C');
show('C', cotangent);
let loss = 0;
for (let i = 0; i < cotangent.size; i++) loss += trace.y!.data[i] * cotangent.data[i];
console.log(`L = ${loss.toFixed(4)}\n`);

heading('gradients of L');
const inputs: [string, Tensor][] = [
  ['X', x],
  ['W_q', wq],
  ['W_k', wk],
  ['W_v', wv],
  ['γ', gamma],
  ['β', beta],
];
const grads = gradients(
  trace.y!,
  inputs.map(([, t]) => t),
  { gradOutput: cotangent },
);
inputs.forEach(([name], i) => show(`dL/d${name}`, grads[i]));

heading('three ways to the same gradients');
const block = composites.find((c) => c.key === 'attentionBlock')!;
const report = compareThreeWays(block, { x, wq, wk, wv, gamma, beta }, { seed: seed + 1 });
for (const g of report.gradients) {
  console.log(
    `${g.name.padEnd(5)} hand vs autograd ${g.manualVsAutograd.relative.toExponential(1)}   ` +
      `autograd vs finite differences ${g.autogradVsNumeric.relative.toExponential(1)}`,
  );
}
console.log(`largest relative difference: ${report.maxRelative.toExponential(1)}`);
