import { describe, noGrad, Tensor, typeError, withLabel } from '@attograd/tensor';
import { stack } from '@attograd/ops';
import { attentionWeights, attentionWeightsBackward } from './attention-weights';
import {
  projectionText, residualLayerNormText, scalingText, scoresText, softmaxText, weightedSumText,
} from './explanations';
import { affine, leaf, maskInputs, probabilities, resolveSizes, weight, constant } from './make-inputs';
import { project, projectBackward } from './projection';
import type { Stage, StageInputs } from './registry-types';
import { residualLayerNorm, residualLayerNormBackward } from './residual-layer-norm';
import { scaleScores, scaleScoresBackward } from './scaling';
import { scores, scoresBackward } from './scores';
import { weightedSum, weightedSumBackward } from './weighted-sum';

/**
 * The registry of the six stages, numbered as in the seed document. Tests, the command-line tools
 * and the docs iterate this one list, so a stage cannot be added without its explanation,
 * formulas, input maker and hand-derived backward.
 */

/** A constant given to `run` as a one-element tensor (`dK`, `heads`). */
export function constantValue(inputs: StageInputs, name: string, key: string): number {
  const value = inputs[name];
  if (!(value instanceof Tensor) || value.size !== 1) {
    throw typeError(`${key}.run`, `inputs.${name} must be a one-element tensor, got ${describe(value)}`);
  }
  return value.item();
}

/**
 * Q, K and V stacked along a new leading axis: [3, ..., T, d_k], so that stage 0 has one output
 * for gradient checks (the `stack` op).
 *
 * @example
 * const qkv = stackProjections(q, k, v); // q, k, v: [4, 8] → [3, 4, 8]
 */
export function stackProjections(q: Tensor, k: Tensor, v: Tensor): Tensor {
  return stack([q, k, v]);
}

/**
 * The three slots of a stacked [3, ...] tensor (copies, not recorded): the inverse of
 * `stackProjections`.
 *
 * @example
 * const { q, k, v } = unstackProjections(stackProjections(q0, k0, v0));
 */
export function unstackProjections(stacked: Tensor): { q: Tensor; k: Tensor; v: Tensor } {
  const shape = stacked.shape.slice(1);
  const size = stacked.size / 3;
  const slot = (i: number): Tensor => new Tensor(stacked.data.slice(i * size, (i + 1) * size), shape);
  return { q: slot(0), k: slot(1), v: slot(2) };
}

const projection: Stage = {
  id: 0,
  key: 'projection',
  ...projectionText,
  forward: 'Q = X·W_q, K = X·W_k, V = X·W_v;  X: [..., T, d], W: [d, d_k] → Q, K, V: [..., T, d_k]  (run returns them stacked: [3, ..., T, d_k])',
  backward: {
    x: 'dX = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ',
    wq: 'dW_q = Xᵀ·dQ (summed over batch axes)',
    wk: 'dW_k = Xᵀ·dK (summed over batch axes)',
    wv: 'dW_v = Xᵀ·dV (summed over batch axes)',
  },
  ops: ['matmul'],
  inputNames: ['x', 'wq', 'wk', 'wv'],
  constantNames: [],
  traceInputs: ({ x, wq, wk, wv }) => ({ x, wq, wk, wv }),
  traceOutput: ({ q, k, v }) => noGrad(() => stackProjections(q, k, v)),
  makeInputs(sizes) {
    const r = resolveSizes('projection.makeInputs', sizes);
    const x = leaf(r.random, [...r.batch, r.seq, r.dModel]);
    return { x, wq: weight(r.random, r.dModel, r.dModel), wk: weight(r.random, r.dModel, r.dModel), wv: weight(r.random, r.dModel, r.dModel) };
  },
  run({ x, wq, wk, wv }) {
    const { q, k, v } = project(x, { wq, wk, wv });
    return withLabel('projection', () => stackProjections(q, k, v));
  },
  manualBackward({ x, wq, wk, wv }, dOut) {
    return projectBackward(x, { wq, wk, wv }, unstackProjections(dOut));
  },
};

const scoresStage: Stage = {
  id: 1,
  key: 'scores',
  ...scoresText,
  forward: 'S = Q·Kᵀ, S_ij = Σ_c Q_ic K_jc;  Q, K: [..., T, d_k] → S: [..., T, T]',
  backward: { q: 'dQ = dS·K', k: 'dK = dSᵀ·Q' },
  ops: ['matmul'],
  inputNames: ['q', 'k'],
  constantNames: [],
  traceInputs: ({ qHeads, kHeads }) => ({ q: qHeads, k: kHeads }),
  traceOutput: ({ s }) => s,
  makeInputs(sizes) {
    const r = resolveSizes('scores.makeInputs', sizes);
    const shape = [...r.headBatch, r.seq, r.headDim];
    return { q: leaf(r.random, shape), k: leaf(r.random, shape) };
  },
  run: ({ q, k }) => scores(q, k),
  manualBackward: ({ q, k }, dOut) => scoresBackward(q, k, dOut),
};

const scaling: Stage = {
  id: 2,
  key: 'scaling',
  ...scalingText,
  forward: 'Ŝ = S / √d_k;  S: [..., T, T] → Ŝ: [..., T, T]',
  backward: { s: 'dS = dŜ / √d_k' },
  ops: ['scale'],
  inputNames: ['s'],
  constantNames: ['dK'],
  traceInputs: ({ s, dK }) => ({ s, dK }),
  traceOutput: ({ sHat }) => sHat,
  makeInputs(sizes) {
    const r = resolveSizes('scaling.makeInputs', sizes);
    // Raw scores of unit-variance vectors have standard deviation √d_k.
    return { s: leaf(r.random, [...r.headBatch, r.seq, r.seq], Math.sqrt(r.headDim)), dK: constant(r.headDim) };
  },
  run: (inputs) => scaleScores(inputs.s, constantValue(inputs, 'dK', 'scaling')),
  manualBackward: (inputs, dOut) => scaleScoresBackward(constantValue(inputs, 'dK', 'scaling'), dOut),
};

const softmaxStage: Stage = {
  id: 3,
  key: 'softmax',
  ...softmaxText,
  forward: 'P = softmax_row(where(mask, Ŝ, −∞)), P_ij = exp(Ŝ_ij) / Σ_l exp(Ŝ_il) over allowed l;  Ŝ: [..., T, T] → P: [..., T, T]',
  backward: { sHat: 'dŜ = P ⊙ (dP − rowsum(dP ⊙ P))  (0 where masked, since P = 0 there)' },
  ops: ['where', 'softmax'],
  inputNames: ['sHat'],
  constantNames: ['mask'],
  traceInputs: ({ sHat, mask }) => (mask === undefined ? { sHat } : { sHat, mask }) as StageInputs,
  traceOutput: ({ p }) => p,
  makeInputs(sizes) {
    const r = resolveSizes('softmax.makeInputs', sizes);
    return { sHat: leaf(r.random, [...r.headBatch, r.seq, r.seq]), ...maskInputs(r) };
  },
  run: ({ sHat, mask }) => attentionWeights(sHat, { mask }),
  manualBackward({ sHat, mask }, dOut) {
    const p = noGrad(() => attentionWeights(sHat, { mask }));
    return attentionWeightsBackward(p, dOut);
  },
};

const weightedSumStage: Stage = {
  id: 4,
  key: 'weightedSum',
  ...weightedSumText,
  forward: 'Z = P·V, Z_i = Σ_j P_ij V_j;  P: [..., T, T], V: [..., T, d_v] → Z: [..., T, d_v]',
  backward: { p: 'dP = dZ·Vᵀ', v: 'dV = Pᵀ·dZ' },
  ops: ['matmul'],
  inputNames: ['p', 'v'],
  constantNames: [],
  traceInputs: ({ p, vHeads }) => ({ p, v: vHeads }),
  traceOutput: ({ zHeads }) => zHeads,
  makeInputs(sizes) {
    const r = resolveSizes('weightedSum.makeInputs', sizes);
    return { p: probabilities(r.random, [...r.headBatch, r.seq, r.seq]), v: leaf(r.random, [...r.headBatch, r.seq, r.headDim]) };
  },
  run: ({ p, v }) => weightedSum(p, v),
  manualBackward: ({ p, v }, dOut) => weightedSumBackward(p, v, dOut),
};

const residualLayerNormStage: Stage = {
  id: 5,
  key: 'residualLayerNorm',
  ...residualLayerNormText,
  forward: 'H = X + Z, N = (H − μ)·rstd, rstd = 1/√(var(H) + ε), Y = γ ⊙ N + β (over the last axis);  X, Z: [..., T, d], γ, β: [d] → Y: [..., T, d]',
  backward: {
    x: 'dX = dH = rstd·(dN − mean(dN) − N ⊙ mean(dN ⊙ N)), dN = dY ⊙ γ',
    z: 'dZ = dH (the residual passes dH to both X and Z)',
    gamma: 'dγ = Σ_rows dY ⊙ N',
    beta: 'dβ = Σ_rows dY',
  },
  ops: ['add', 'layerNorm'],
  inputNames: ['x', 'z', 'gamma', 'beta'],
  constantNames: [],
  traceInputs: ({ x, z, gamma, beta }) => ({ x, z, gamma, beta }),
  traceOutput: ({ y }) => y,
  makeInputs(sizes) {
    const r = resolveSizes('residualLayerNorm.makeInputs', sizes);
    const shape = [...r.batch, r.seq, r.dModel];
    return { x: leaf(r.random, shape), z: leaf(r.random, shape), ...affine(r.random, r.dModel) };
  },
  run: ({ x, z, gamma, beta }) => residualLayerNorm(x, z, { gamma, beta }),
  manualBackward: ({ x, z, gamma, beta }, dOut) => residualLayerNormBackward(x, z, { gamma, beta }, 1e-5, dOut),
};

/**
 * The six stages of self-attention, in order (index = id):
 * projection, scores, scaling, softmax, weightedSum, residualLayerNorm.
 *
 * @example
 * for (const stage of stages) {
 *   const inputs = stage.makeInputs({ seq: 3, dModel: 4, seed: 1 });
 *   console.log(stage.id, stage.title.en, stage.run(inputs).shape);
 * }
 */
export const stages: readonly Stage[] = Object.freeze([projection, scoresStage, scaling, softmaxStage, weightedSumStage, residualLayerNormStage]);

