import { describe, noGrad, rangeError, Tensor, typeError, withLabel } from '@attograd/tensor';
import { LAYER_NORM_EPS, stack } from '@attograd/ops';
import { attentionWeights, attentionWeightsBackward } from './attention-weights';
import {
  outputProjectionText,
  projectionText,
  residualLayerNormText,
  scalingText,
  scoresText,
  softmaxText,
  weightedSumText,
} from './explanations';
import { affine, leaf, maskInputs, probabilities, resolveSizes, weight, constant } from './make-inputs';
import { project, projectBackward } from './projection';
import { outputProjection, outputProjectionBackward } from './multi-head-attention';
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
  display: { x: 'X', wq: 'W_q', wk: 'W_k', wv: 'W_v', q: 'Q', k: 'K', v: 'V' },
  outputNames: ['q', 'k', 'v'],
  splitOutput: (output) => Object.values(unstackProjections(output)),
  joinOutputs: ([dQ, dK, dV]) => noGrad(() => stackProjections(dQ, dK, dV)),
  ...projectionText,
  forward: 'Q = X·W_q, K = X·W_k, V = X·W_v;  X: [..., T, d]; W_q, W_k: [d, d_k]; W_v: [d, d_v] → Q, K: [..., T, d_k]; V: [..., T, d_v]',
  backward: {
    x: 'dX_qkv = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ',
    wq: 'dW_q = Σ_batch Xᵀ·dQ',
    wk: 'dW_k = Σ_batch Xᵀ·dK',
    wv: 'dW_v = Σ_batch Xᵀ·dV',
  },
  ops: ['matmul'],
  opSymbols: {
    matmul: {
      en: 'A = X, B = W_q (or W_k, W_v), C = Q (or K, V); m = T, k = d, n = d_k (or d_v)',
      ko: 'A = X, B = W_q (또는 W_k, W_v), C = Q (또는 K, V); m = T, k = d, n = d_k (또는 d_v)',
    },
  },
  steps: {
    en: [
      'the rule of matmul with A = X, B = W_q gives dW_q = Xᵀ·dQ for each batch entry; one W_q serves every batch entry, so its gradient is the sum over them: dW_q = Σ_batch Xᵀ·dQ (the same for W_k, W_v)',
      'X is used three times, so the three contributions dQ·W_qᵀ, dK·W_kᵀ, dV·W_vᵀ add up (multivariable chain rule)',
    ],
    ko: [
      'A = X, B = W_q로 matmul 규칙을 쓰면 배치 원소마다 dW_q = Xᵀ·dQ이다. W_q 하나가 모든 배치 원소에 쓰이므로 기울기는 그 합이다: dW_q = Σ_batch Xᵀ·dQ (W_k, W_v도 같다)',
      'X는 세 번 쓰이므로 세 기여 dQ·W_qᵀ, dK·W_kᵀ, dV·W_vᵀ를 더한다 (다변수 연쇄 법칙)',
    ],
  },
  notes: {
    en: [
      'run returns Q, K and V stacked on a new first axis, [3, ..., T, d_k] (so d_v = d_k here), so that the stage has a single output to check',
      'W is stored [in, out] and applied as X·W; PyTorch’s nn.Linear stores its weight as [out, in] and computes X·weightᵀ, so W = weightᵀ',
      'dX_qkv is the part of the block’s dX that flows through Q, K and V; stage 5 adds the residual part dX_res',
    ],
    ko: [
      'run은 Q, K, V를 새 첫 축에 쌓아 [3, ..., T, d_k]로 돌려준다 (그래서 여기서는 d_v = d_k). 단계의 출력을 하나로 만들어 검사하기 위해서이다',
      'W는 [입력, 출력] 모양으로 저장하고 X·W로 적용한다. PyTorch의 nn.Linear는 weight를 [출력, 입력]으로 저장하고 X·weightᵀ를 계산하므로 W = weightᵀ이다',
      'dX_qkv는 블록 전체의 dX 가운데 Q, K, V를 거쳐 오는 몫이다. 5단계가 잔차 몫 dX_res를 더한다',
    ],
  },
  inputNames: ['x', 'wq', 'wk', 'wv'],
  constantNames: [],
  makeInputs(sizes) {
    const r = resolveSizes('projection.makeInputs', sizes);
    const x = leaf(r.random, [...r.batch, r.seq, r.dModel]);
    return {
      x,
      wq: weight(r.random, r.dModel, r.dModel),
      wk: weight(r.random, r.dModel, r.dModel),
      wv: weight(r.random, r.dModel, r.dModel),
    };
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
  display: { q: 'Q_heads', k: 'K_heads', s: 'S' },
  outputNames: ['s'],
  fromRun: { q: 'qHeads', k: 'kHeads' },
  ...scoresText,
  forward: 'S = Q·Kᵀ, S_ij = Σ_c Q_ic K_jc;  Q, K: [..., T, d_k] → S: [..., T, T]',
  backward: { q: 'dQ = dS·K', k: 'dK = dSᵀ·Q' },
  ops: ['matmul'],
  opSymbols: {
    matmul: { en: 'A = Q, B = Kᵀ, C = S; m = T, k = d_k, n = T', ko: 'A = Q, B = Kᵀ, C = S; m = T, k = d_k, n = T' },
  },
  steps: {
    en: [
      'with A = Q and B = Kᵀ the rule of matmul gives dQ = dS·Bᵀ = dS·(Kᵀ)ᵀ = dS·K, shapes [T, T]·[T, d_k] = [T, d_k], like Q',
      'it also gives dB = d(Kᵀ) = Aᵀ·dS = Qᵀ·dS, shape [d_k, T]: the gradient of Kᵀ, not of K (read as dK it would have the wrong shape)',
      'Kᵀ is the transpose of K, and the rule of transpose swaps the gradient back: dK = (Qᵀ·dS)ᵀ = dSᵀ·Q, shapes [T, T]·[T, d_k] = [T, d_k], like K',
      'dS is not symmetric in general: key j meets query i through S_ij, so dK_j collects column j of dS',
    ],
    ko: [
      'A = Q, B = Kᵀ로 matmul 규칙을 쓰면 dQ = dS·Bᵀ = dS·(Kᵀ)ᵀ = dS·K, 모양 [T, T]·[T, d_k] = [T, d_k]로 Q와 같다',
      '같은 규칙에서 dB = d(Kᵀ) = Aᵀ·dS = Qᵀ·dS, 모양 [d_k, T]가 나온다. 이것은 K가 아니라 Kᵀ의 기울기이다 (dK로 읽으면 모양부터 틀린다)',
      'Kᵀ는 K의 전치이고, 전치의 규칙은 기울기를 다시 전치한다: dK = (Qᵀ·dS)ᵀ = dSᵀ·Q, 모양 [T, T]·[T, d_k] = [T, d_k]로 K와 같다',
      'dS는 일반적으로 대칭이 아니다. 키 j는 S_ij를 통해 쿼리 i와 만나므로 dK_j는 dS의 j번째 열을 모은다',
    ],
  },
  notes: {
    en: ['the code never forms Kᵀ: matmulTransposed multiplies by the transpose directly'],
    ko: ['코드는 Kᵀ를 따로 만들지 않는다: matmulTransposed가 전치를 곱셈 안에서 처리한다'],
  },
  inputNames: ['q', 'k'],
  constantNames: [],
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
  display: { s: 'S', dK: 'd_k', sHat: 'Ŝ' },
  outputNames: ['sHat'],
  ...scalingText,
  forward: 'Ŝ = S / √d_k;  S: [..., T, T] → Ŝ: [..., T, T]',
  backward: { s: 'dS = dŜ / √d_k' },
  ops: ['scale'],
  opSymbols: { scale: { en: 'X = S, Y = Ŝ, c = 1/√d_k', ko: 'X = S, Y = Ŝ, c = 1/√d_k' } },
  steps: {
    en: ['the rule of scale with c = 1/√d_k: dS = c dŜ = dŜ / √d_k'],
    ko: ['c = 1/√d_k로 scale 규칙을 쓰면 dS = c dŜ = dŜ / √d_k'],
  },
  inputNames: ['s'],
  constantNames: ['dK'],
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
  display: { sHat: 'Ŝ', mask: 'M', p: 'P' },
  outputNames: ['p'],
  ...softmaxText,
  forward: 'P = softmax_row(where(M, Ŝ, −∞)), P_ij = M_ij exp(Ŝ_ij) / Σ_l M_il exp(Ŝ_il) (M_ij ∈ {0, 1});  Ŝ: [..., T, T] → P: [..., T, T]',
  backward: { sHat: 'dŜ = P ⊙ (dP − rowsum(dP ⊙ P))' },
  ops: ['where', 'softmax'],
  opSymbols: {
    softmax: {
      en: 'x = Ŝ_i (masked), y = P_i, dy = dP_i, dx = dŜ_i, for one row i at a time',
      ko: '한 번에 한 행 i씩: x = Ŝ_i (마스크 적용 후), y = P_i, dy = dP_i, dx = dŜ_i',
    },
    where: { en: 'condition = M, A = Ŝ, B = −∞ (a constant)', ko: 'condition = M, A = Ŝ, B = −∞ (상수)' },
  },
  notes: {
    en: [
      'mask polarity: M_ij ≠ 0 means query i may attend to key j (PyTorch’s boolean attn_mask); the causal mask has M_ij = 1 for j ≤ i and 0 for j > i',
      'P_ij = 0 wherever M_ij = 0, so dŜ_ij = 0 there too: the rule multiplies by P',
      'fully masked row, by attograd’s convention: P_i = 0 and dŜ_i = 0 instead of 0/0 (PyTorch’s F.softmax gives NaN); then Z_i = 0 and the row adds nothing to dV, dQ or dK',
    ],
    ko: [
      '마스크 극성: M_ij ≠ 0은 쿼리 i가 키 j를 볼 수 있다는 뜻이다 (PyTorch의 불리언 attn_mask와 같다). 인과 마스크는 j ≤ i이면 M_ij = 1, j > i이면 0이다',
      'M_ij = 0인 곳에서는 P_ij = 0이므로 dŜ_ij도 0이다: 규칙이 P를 곱하기 때문이다',
      '완전히 가려진 행은 attograd의 규약에 따라 0/0 대신 P_i = 0, dŜ_i = 0이 된다 (PyTorch의 F.softmax는 NaN을 낸다). 그러면 Z_i = 0이고 그 행은 dV, dQ, dK에 아무것도 보태지 않는다',
    ],
  },
  inputNames: ['sHat'],
  constantNames: ['mask'],
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
  display: { p: 'P', v: 'V_heads', zHeads: 'Z_heads' },
  outputNames: ['zHeads'],
  fromRun: { v: 'vHeads' },
  ...weightedSumText,
  forward: 'Z = P·V, Z_i = Σ_j P_ij V_j;  P: [..., T, T], V: [..., T, d_v] → Z: [..., T, d_v]',
  backward: { p: 'dP = dZ·Vᵀ', v: 'dV = Pᵀ·dZ' },
  ops: ['matmul'],
  opSymbols: { matmul: { en: 'A = P, B = V, C = Z; m = T, k = T, n = d_v', ko: 'A = P, B = V, C = Z; m = T, k = T, n = d_v' } },
  notes: {
    en: ['row j of dV = Σ_i P_ij dZ_i collects dZ from every query i in proportion to how much i attended to j'],
    ko: ['dV의 j번째 행 = Σ_i P_ij dZ_i는 모든 쿼리 i의 dZ를 i가 j에 준 주의만큼 모은다'],
  },
  inputNames: ['p', 'v'],
  constantNames: [],
  makeInputs(sizes) {
    const r = resolveSizes('weightedSum.makeInputs', sizes);
    return { p: probabilities(r.random, [...r.headBatch, r.seq, r.seq]), v: leaf(r.random, [...r.headBatch, r.seq, r.headDim]) };
  },
  run: ({ p, v }) => weightedSum(p, v),
  manualBackward: ({ p, v }, dOut) => weightedSumBackward(p, v, dOut),
};

const outputProjectionStage: Stage = {
  id: 6,
  key: 'outputProjection',
  ...outputProjectionText,
  display: { zHeads: 'Z_heads', wo: 'W_o', z: 'Z' },
  outputNames: ['z'],
  forward:
    'Z = concat_h(Z_h)·W_o;  Z_heads: [..., n_h, T, d_k] → concat_h(Z_h): [..., T, n_h·d_k] = [..., T, d]; W_o: [d, d_out] → Z: [..., T, d_out]',
  backward: {
    zHeads: 'dZ_heads = split_h(dZ·W_oᵀ)',
    wo: 'dW_o = Σ_batch concat_h(Z_h)ᵀ·dZ',
  },
  ops: ['permute', 'reshape', 'matmul'],
  opSymbols: {
    permute: {
      en: 'X = Z_heads, axes = (…, T, n_h, d_k) order: the head axis moves next to the column axis',
      ko: 'X = Z_heads, axes = (…, T, n_h, d_k) 순서: 헤드 축을 열 축 옆으로 옮긴다',
    },
    reshape: {
      en: 'X = the permuted Z_heads [..., T, n_h, d_k], Y = concat_h(Z_h) [..., T, n_h·d_k]',
      ko: 'X = 축을 옮긴 Z_heads [..., T, n_h, d_k], Y = concat_h(Z_h) [..., T, n_h·d_k]',
    },
    matmul: {
      en: 'A = concat_h(Z_h), B = W_o, C = Z; m = T, k = d, n = d_out',
      ko: 'A = concat_h(Z_h), B = W_o, C = Z; m = T, k = d, n = d_out',
    },
  },
  steps: {
    en: [
      'the rule of matmul with A = concat_h(Z_h), B = W_o gives dW_o = concat_h(Z_h)ᵀ·dZ for each batch entry; one W_o serves them all, so dW_o = Σ_batch concat_h(Z_h)ᵀ·dZ, shapes [d, T]·[T, d_out] = [d, d_out], like W_o',
      'the same rule gives d concat_h(Z_h) = dZ·W_oᵀ, shapes [T, d_out]·[d_out, d] = [T, d]',
      'reshape and permute only move entries, so their backward moves the gradient back: column block h d_k … (h+1) d_k − 1 of dZ·W_oᵀ becomes head h, dZ_heads = split_h(dZ·W_oᵀ), shape [..., n_h, T, d_k], like Z_heads',
    ],
    ko: [
      'A = concat_h(Z_h), B = W_o로 matmul 규칙을 쓰면 배치 원소마다 dW_o = concat_h(Z_h)ᵀ·dZ이다. W_o 하나가 모든 배치 원소에 쓰이므로 dW_o = Σ_batch concat_h(Z_h)ᵀ·dZ, 모양 [d, T]·[T, d_out] = [d, d_out]로 W_o와 같다',
      '같은 규칙에서 d concat_h(Z_h) = dZ·W_oᵀ, 모양 [T, d_out]·[d_out, d] = [T, d]가 나온다',
      'reshape와 permute는 원소의 자리만 옮기므로 역전파는 기울기를 제자리로 되돌린다: dZ·W_oᵀ의 열 블록 h d_k … (h+1) d_k − 1이 헤드 h가 되어 dZ_heads = split_h(dZ·W_oᵀ), 모양 [..., n_h, T, d_k]로 Z_heads와 같다',
    ],
  },
  notes: {
    en: ['with one head (n_h = 1) the merge only drops the head axis, and W_o is still applied'],
    ko: ['헤드가 하나(n_h = 1)이면 합치기는 헤드 축을 없애기만 하고, W_o는 그대로 곱한다'],
  },
  inputNames: ['zHeads', 'wo'],
  constantNames: [],
  makeInputs(sizes) {
    const r = resolveSizes('outputProjection.makeInputs', sizes);
    const heads = sizes.heads ?? 1;
    return { zHeads: leaf(r.random, [...r.batch, heads, r.seq, r.headDim]), wo: weight(r.random, r.dModel, r.dModel) };
  },
  run: ({ zHeads, wo }) => outputProjection(zHeads, wo).out,
  manualBackward: ({ zHeads, wo }, dOut) => outputProjectionBackward(zHeads, wo, dOut),
};

const residualLayerNormStage: Stage = {
  id: 5,
  key: 'residualLayerNorm',
  display: { x: 'X', z: 'Z', gamma: 'γ', beta: 'β', y: 'Y' },
  outputNames: ['y'],
  ...residualLayerNormText,
  forward:
    'H = X + Z, μ = rowmean(H), var = rowmean((H − μ)²), rstd = 1/√(var + ε), N = (H − μ) ⊙ rstd, Y = γ ⊙ N + β;  X, Z: [..., T, d]; γ, β: [d] → Y: [..., T, d]',
  backward: {
    x: 'dX_res = dH = rstd ⊙ (dN − rowmean(dN) − N ⊙ rowmean(dN ⊙ N)), dN = dY ⊙ γ',
    z: 'dZ = dH',
    gamma: 'dγ = colsum(dY ⊙ N)',
    beta: 'dβ = colsum(dY)',
  },
  ops: ['add', 'layerNorm'],
  opSymbols: {
    add: { en: 'A = X, B = Z, C = H', ko: 'A = X, B = Z, C = H' },
    layerNorm: {
      en: 'X = H, dX = dH: the input X of the op is this stage’s H = X + Z, not the block’s X; N, rstd, γ, β, Y are the stage’s',
      ko: 'X = H, dX = dH: 연산의 입력 X는 이 단계의 H = X + Z이지 블록의 X가 아니다; N, rstd, γ, β, Y는 단계의 것과 같다',
    },
  },
  steps: {
    en: ['H = X + Z gives ∂H/∂X = ∂H/∂Z = I, so the rule of add passes dH unchanged to both: dX_res = dH and dZ = dH'],
    ko: ['H = X + Z에서 ∂H/∂X = ∂H/∂Z = I이므로 add 규칙은 dH를 두 입력에 그대로 넘긴다: dX_res = dH, dZ = dH'],
  },
  notes: {
    en: [
      'dX_res is only the residual path’s part of the block’s dX; the block adds dX_qkv from stage 0',
      'ε = 1e-5: each row of N has mean exactly 0 but variance var/(var + ε), so variance 1 holds exactly only when ε = 0',
    ],
    ko: [
      'dX_res는 블록 전체의 dX 가운데 잔차 경로의 몫일 뿐이다. 블록은 0단계의 dX_qkv를 더한다',
      'ε = 1e-5: N의 각 행의 평균은 정확히 0이지만 분산은 var/(var + ε)이므로, 분산 1은 ε = 0일 때만 정확히 성립한다',
    ],
  },
  inputNames: ['x', 'z', 'gamma', 'beta'],
  constantNames: [],
  makeInputs(sizes) {
    const r = resolveSizes('residualLayerNorm.makeInputs', sizes);
    const shape = [...r.batch, r.seq, r.dModel];
    return { x: leaf(r.random, shape), z: leaf(r.random, shape), ...affine(r.random, r.dModel) };
  },
  run: ({ x, z, gamma, beta }) => residualLayerNorm(x, z, { gamma, beta }),
  manualBackward: ({ x, z, gamma, beta }, dOut) => residualLayerNormBackward(x, z, { gamma, beta }, LAYER_NORM_EPS, dOut),
};

const registry: Stage[] = [projection, scoresStage, scaling, softmaxStage, weightedSumStage, outputProjectionStage, residualLayerNormStage];

/**
 * The stages of self-attention, in the order the attention block runs them: projection, scores,
 * scaling, softmax, weightedSum, outputProjection (W_o), residualLayerNorm. Look a stage up by its
 * key (`stageByKey('softmax')`), never by position. `registerStage` adds to this list.
 *
 * @example
 * for (const stage of stages) {
 *   const inputs = stage.makeInputs({ seq: 3, dModel: 4, seed: 1 });
 *   console.log(stage.id, stage.title.en, stage.run(inputs).shape);
 * }
 */
export const stages: readonly Stage[] = registry;

/**
 * The stage with this key.
 *
 * @throws RangeError naming the known keys.
 * @example
 * stageByKey('softmax').id // 3
 */
export function stageByKey(key: string): Stage {
  const found = registry.find((s) => s.key === key);
  if (found === undefined) throw rangeError('stage', `no stage '${key}'; the stages are ${registry.map((s) => s.key).join(', ')}`);
  return found;
}

/**
 * Adds a stage to the registry (before the stage keyed `before`, else at the end): `attograd
 * check` and `attograd explain` then check and explain it with no other change.
 *
 * @throws RangeError when the key is taken or `before` is unknown.
 * @example
 * registerStage(myStage, { before: 'residualLayerNorm' });
 */
export function registerStage(entry: Stage, options: { before?: string } = {}): void {
  if (registry.some((s) => s.key === entry.key)) throw rangeError('registerStage', `a stage '${entry.key}' is already registered`);
  const at = options.before === undefined ? registry.length : registry.indexOf(stageByKey(options.before));
  registry.splice(at, 0, entry);
}

/**
 * Removes a stage added by `registerStage`.
 *
 * @example
 * unregisterStage('myStage');
 */
export function unregisterStage(key: string): void {
  registry.splice(registry.indexOf(stageByKey(key)), 1);
}
