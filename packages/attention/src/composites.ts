import { LAYER_NORM_EPS } from '@attograd/ops';
import { attentionBlock, attentionBlockBackward } from './attention-block';
import { attentionBlockText, multiHeadAttentionText, selfAttentionText } from './explanations';
import { affine, constant, leaf, maskInputs, resolveSizes, weight, type ResolvedSizes } from './make-inputs';
import { multiHeadAttention, multiHeadAttentionBackward } from './multi-head-attention';
import type { Composite, StageInputs } from './registry-types';
import { selfAttention, selfAttentionBackward } from './self-attention';
import { constantValue } from './stages';

/**
 * The registry of composites: whole computations built from the stages, described in the same
 * shape as `stages` so that the same tools check and explain them.
 */

function projectionInputs(r: ResolvedSizes): StageInputs {
  const d = r.dModel;
  return { x: leaf(r.random, [...r.batch, r.seq, d]), wq: weight(r.random, d, d), wk: weight(r.random, d, d), wv: weight(r.random, d, d) };
}

const selfAttentionEntry: Composite = {
  key: 'selfAttention',
  stageIds: [0, 1, 2, 3, 4],
  ...selfAttentionText,
  forward: 'Z = softmax_row(mask(X·W_q·(X·W_k)ᵀ / √d_k))·X·W_v;  X: [..., T, d] → Z: [..., T, d_v]',
  backward: {
    x: 'dX = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ  (three paths)',
    wq: 'dW_q = Xᵀ·dQ, dQ = dS·K, dS = dŜ/√d_k, dŜ = P ⊙ (dP − rowsum(dP ⊙ P)), dP = dZ·Vᵀ',
    wk: 'dW_k = Xᵀ·dK, dK = dSᵀ·Q',
    wv: 'dW_v = Xᵀ·dV, dV = Pᵀ·dZ',
  },
  ops: ['matmul', 'scale', 'where', 'softmax'],
  inputNames: ['x', 'wq', 'wk', 'wv'],
  constantNames: ['mask'],
  makeInputs(sizes) {
    const r = resolveSizes('selfAttention.makeInputs', sizes);
    return { ...projectionInputs(r), ...maskInputs(r) };
  },
  run: ({ x, wq, wk, wv, mask }) => selfAttention(x, { wq, wk, wv }, { mask }),
  manualBackward: ({ x, wq, wk, wv, mask }, dOut) => selfAttentionBackward(x, { wq, wk, wv }, { mask }, dOut),
};

const multiHeadAttentionEntry: Composite = {
  key: 'multiHeadAttention',
  stageIds: [0, 1, 2, 3, 4],
  ...multiHeadAttentionText,
  forward: 'out = concat_h(Z_h)·W_o, Z_h = softmax_row(mask(Q_h·K_hᵀ/√d_k))·V_h, Q_h = columns h·d_k … (h+1)·d_k − 1 of X·W_q, d_k = d/H;  X: [..., T, d] → out: [..., T, d]',
  backward: {
    x: 'dX = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ, with dQ = concat_h(dQ_h) etc.',
    wq: 'dW_q = Xᵀ·concat_h(dQ_h), dQ_h = dS_h·K_h',
    wk: 'dW_k = Xᵀ·concat_h(dK_h), dK_h = dS_hᵀ·Q_h',
    wv: 'dW_v = Xᵀ·concat_h(dV_h), dV_h = P_hᵀ·dZ_h',
    wo: 'dW_o = concat_h(Z_h)ᵀ·dOut;  d concat_h(Z_h) = dOut·W_oᵀ',
  },
  ops: ['matmul', 'reshape', 'permute', 'scale', 'where', 'softmax'],
  inputNames: ['x', 'wq', 'wk', 'wv', 'wo'],
  constantNames: ['heads', 'mask'],
  makeInputs(sizes) {
    const r = resolveSizes('multiHeadAttention.makeInputs', sizes);
    return { ...projectionInputs(r), wo: weight(r.random, r.dModel, r.dModel), heads: constant(r.heads), ...maskInputs(r) };
  },
  run: (inputs) => {
    const { x, wq, wk, wv, wo, mask } = inputs;
    return multiHeadAttention(x, { wq, wk, wv, wo }, { heads: constantValue(inputs, 'heads', 'multiHeadAttention'), mask });
  },
  manualBackward: (inputs, dOut) => {
    const { x, wq, wk, wv, wo, mask } = inputs;
    const heads = constantValue(inputs, 'heads', 'multiHeadAttention');
    return multiHeadAttentionBackward(x, { wq, wk, wv, wo }, { heads, mask }, dOut);
  },
};

const attentionBlockEntry: Composite = {
  key: 'attentionBlock',
  stageIds: [0, 1, 2, 3, 4, 5],
  ...attentionBlockText,
  forward: `Y = LayerNorm(X + selfAttention(X)) with γ, β, ε = ${LAYER_NORM_EPS.toExponential()};  X: [..., T, d] → Y: [..., T, d]`,
  backward: {
    x: 'dX = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ + dH  (four paths: Q, K, V and the residual)',
    wq: 'dW_q = Xᵀ·dQ, with dZ = dH from the layer norm',
    wk: 'dW_k = Xᵀ·dK',
    wv: 'dW_v = Xᵀ·dV',
    gamma: 'dγ = Σ_rows dY ⊙ N',
    beta: 'dβ = Σ_rows dY',
  },
  ops: ['matmul', 'scale', 'where', 'softmax', 'add', 'layerNorm'],
  inputNames: ['x', 'wq', 'wk', 'wv', 'gamma', 'beta'],
  constantNames: ['mask'],
  makeInputs(sizes) {
    const r = resolveSizes('attentionBlock.makeInputs', sizes);
    return { ...projectionInputs(r), ...affine(r.random, r.dModel), ...maskInputs(r) };
  },
  run: ({ x, wq, wk, wv, gamma, beta, mask }) => attentionBlock(x, { wq, wk, wv, gamma, beta }, { mask }),
  manualBackward: ({ x, wq, wk, wv, gamma, beta, mask }, dOut) =>
    attentionBlockBackward(x, { wq, wk, wv, gamma, beta }, { mask }, dOut),
};

/**
 * The composites — selfAttention (stages 0–4), multiHeadAttention and attentionBlock (0–5) — in
 * the same shape as `stages`.
 *
 * @example
 * const block = composites.find((c) => c.key === 'attentionBlock')!;
 * const y = block.run(block.makeInputs({ seq: 3, dModel: 4 }));
 */
export const composites: readonly Composite[] = Object.freeze([selfAttentionEntry, multiHeadAttentionEntry, attentionBlockEntry]);
