import { attentionWeights, composites, residualLayerNorm, scaleScores, scores, selfAttention } from '@attograd/attention';
import { layerNorm } from '@attograd/ops';
import { gradients, randn, rng, type Tensor } from '@attograd/tensor';

/**
 * Textbook claims as experiments: measured curves, not assertions. Shared by the explorer page and
 * `attograd explain scaling --experiment`. Every draw is seeded, so the numbers are reproducible.
 */

function norm(t: Tensor): number {
  let total = 0;
  for (let i = 0; i < t.size; i++) total += t.data[i] * t.data[i];
  return Math.sqrt(total);
}

function std(t: Tensor): number {
  let mean = 0;
  for (let i = 0; i < t.size; i++) mean += t.data[i];
  mean /= t.size;
  let variance = 0;
  for (let i = 0; i < t.size; i++) variance += (t.data[i] - mean) ** 2;
  return Math.sqrt(variance / t.size);
}

/** Mean over rows of the softmax entropy −Σ_j p_j log p_j (nats; log T is uniform, 0 is one-hot). */
function meanRowEntropy(p: Tensor): number {
  const cols = p.shape[p.rank - 1];
  const rows = p.size / cols;
  let total = 0;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const v = p.data[r * cols + c];
      if (v > 0) total -= v * Math.log(v);
    }
  return total / rows;
}

export interface ScalingRow {
  dK: number;
  scaled: boolean;
  /** Standard deviation of the scores that enter the softmax (mean over draws). */
  scoreSpread: number;
  /** Mean row entropy of the softmax, nats (mean over draws). */
  entropy: number;
  /** ‖(dQ, dK)‖ for a random unit-variance cotangent of P (mean over draws). */
  gradNorm: number;
}

export interface ScalingOptions {
  dKs?: readonly number[];
  draws?: number;
  seq?: number;
  seed?: number;
}

export const DEFAULT_DKS: readonly number[] = [4, 8, 16, 32, 64, 128, 256, 512, 1024];

/**
 * Why divide by √d_k: for each d_k, Q and K with independent standard normal entries, scores
 * S = Q·Kᵀ with and without the 1/√d_k, softmax, and a seeded random cotangent of P. Returns the
 * spread of the softmax's input, its entropy and the norm of the gradient reaching Q and K.
 *
 * @example
 * scalingExperiment({ dKs: [4, 64], draws: 5 })
 */
export function scalingExperiment(options: ScalingOptions = {}): ScalingRow[] {
  const { dKs = DEFAULT_DKS, draws = 20, seq = 8, seed = 0 } = options;
  const rows: ScalingRow[] = [];
  for (const dK of dKs) {
    for (const scaled of [true, false]) {
      let scoreSpread = 0;
      let entropy = 0;
      let gradNorm = 0;
      for (let draw = 0; draw < draws; draw++) {
        const random = rng(seed * 7919 + draw * 104729 + dK);
        const q = randn([seq, dK], { rng: random, requiresGrad: true });
        const k = randn([seq, dK], { rng: random, requiresGrad: true });
        const s = scores(q, k);
        const input = scaled ? scaleScores(s, dK) : s;
        const p = attentionWeights(input);
        const [dQ, dKey] = gradients(p, [q, k], { gradOutput: randn([seq, seq], { rng: random }) });
        scoreSpread += std(input) / draws;
        entropy += meanRowEntropy(p) / draws;
        gradNorm += Math.hypot(norm(dQ), norm(dKey)) / draws;
      }
      rows.push({ dK, scaled, scoreSpread, entropy, gradNorm });
    }
  }
  return rows;
}

export interface RowMaxRow {
  offset: number;
  naive: number;
  shifted: number;
  difference: number;
}

/**
 * "Subtracting the row max changes nothing but overflow": softmax by the plain formula
 * e^{x_i}/Σ e^{x_j} and by the shifted one e^{x_i − m}/Σ e^{x_j − m}, on the same seeded row moved
 * by an offset. Returns one probability of each (NaN once e^{x} overflows) and the largest
 * difference between the two rows.
 */
export function rowMaxExperiment(offsets: readonly number[] = [0, 10, 100, 500, 700, 710, 1000], seed = 0): RowMaxRow[] {
  const base = randn([8], { rng: rng(seed) });
  return offsets.map((offset) => {
    const x = Array.from(base.data, (v) => v + offset);
    const m = Math.max(...x);
    const plainTotal = x.reduce((a, v) => a + Math.exp(v), 0);
    const shiftedTotal = x.reduce((a, v) => a + Math.exp(v - m), 0);
    const naive = x.map((v) => Math.exp(v) / plainTotal);
    const shifted = x.map((v) => Math.exp(v - m) / shiftedTotal);
    const difference = Math.max(...naive.map((v, i) => Math.abs(v - shifted[i])));
    return { offset, naive: naive[0], shifted: shifted[0], difference };
  });
}

export interface ResidualRow {
  depth: number;
  withResidual: number;
  withoutResidual: number;
}

/**
 * The residual's effect on the gradient reaching x: `depth` attention blocks stacked (seeded
 * weights per block), Y = LayerNorm(X + Z) against Y = LayerNorm(Z), and ‖∂⟨Y, c⟩/∂X‖ for a
 * seeded random cotangent c.
 */
export function residualExperiment(
  depths: readonly number[] = [1, 2, 4, 8],
  options: { seq?: number; dModel?: number; seed?: number } = {},
): ResidualRow[] {
  const { seq = 6, dModel = 8, seed = 0 } = options;
  const block = composites.find((c) => c.key === 'attentionBlock')!;
  return depths.map((depth) => {
    const measure = (residual: boolean): number => {
      const x = randn([seq, dModel], { rng: rng(seed), requiresGrad: true });
      let h: Tensor = x;
      for (let layer = 0; layer < depth; layer++) {
        const w = block.makeInputs({ seq, dModel, seed: seed + 1 + layer });
        const z = selfAttention(h, { wq: w.wq, wk: w.wk, wv: w.wv });
        h = residual ? residualLayerNorm(h, z, { gamma: w.gamma, beta: w.beta }) : layerNorm(z, w.gamma, w.beta);
      }
      const [dX] = gradients(h, [x], { gradOutput: randn(h.shape, { rng: rng(seed + 99) }) });
      return norm(dX);
    };
    return { depth, withResidual: measure(true), withoutResidual: measure(false) };
  });
}
