import { LAYER_NORM_EPS } from '@attograd/ops';
import { attentionBlock, attentionBlockBackward } from './attention-block';
import { attentionBlockText, multiHeadAttentionText, selfAttentionText } from './explanations';
import { affine, constant, leaf, maskInputs, resolveSizes, weight, type ResolvedSizes } from './make-inputs';
import { multiHeadAttention, multiHeadAttentionBackward } from './multi-head-attention';
import type { Composite, StageInputs } from './registry-types';
import { selfAttention, selfAttentionBackward } from './self-attention';
import { constantValue, stageByKey } from './stages';

/**
 * The registry of composites: whole computations built from the stages, described in the same
 * shape as `stages` so that the same tools check and explain them.
 */

/**
 * A stage's backward formula for one input, as its registry entry states it: the composites chain
 * these records instead of restating them.
 */
function rule(stage: string, input: string): string {
  return stageByKey(stage).backward[input];
}

/** The right side of a formula `lhs = rhs`. */
function rightSide(formula: string): string {
  return formula.slice(formula.indexOf(' = ') + 3);
}

function projectionInputs(r: ResolvedSizes): StageInputs {
  const d = r.dModel;
  return { x: leaf(r.random, [...r.batch, r.seq, d]), wq: weight(r.random, d, d), wk: weight(r.random, d, d), wv: weight(r.random, d, d) };
}

const selfAttentionEntry: Composite = {
  key: 'selfAttention',
  stageKeys: ['projection', 'scores', 'scaling', 'softmax', 'weightedSum'],
  ...selfAttentionText,
  forward: 'Z = softmax_row(where(M, (X·W_q)·(X·W_k)ᵀ / √d_k, −∞))·(X·W_v);  X: [..., T, d] → Z: [..., T, d_v]',
  backward: {
    x: `dX = ${rightSide(rule('projection', 'x'))}`,
    wq: [rule('projection', 'wq'), rule('scores', 'q'), rule('scaling', 's'), rule('softmax', 'sHat'), rule('weightedSum', 'p')].join(', '),
    wk: [rule('projection', 'wk'), rule('scores', 'k')].join(', '),
    wv: [rule('projection', 'wv'), rule('weightedSum', 'v')].join(', '),
  },
  ops: ['matmul', 'scale', 'where', 'softmax'],
  notes: {
    en: ['X reaches Z by three paths (through Q, K and V), so dX has three terms', 'M ≠ 0 means may attend (see stage 3)'],
    ko: ['X는 세 경로(Q, K, V)로 Z에 닿으므로 dX는 세 항의 합이다', 'M ≠ 0은 볼 수 있다는 뜻이다 (3단계 참고)'],
  },
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
  stageKeys: ['projection', 'scores', 'scaling', 'softmax', 'weightedSum', 'outputProjection'],
  ...multiHeadAttentionText,
  forward:
    'out = concat_h(Z_h)·W_o, Z_h = softmax_row(where(M, Q_h·K_hᵀ / √d_k, −∞))·V_h, [Q_h] = split_h(X·W_q), [K_h] = split_h(X·W_k), [V_h] = split_h(X·W_v), d_k = d/n_h;  X: [..., T, d]; W_q, W_k, W_v: [d, d]; W_o: [d, d_out] → out: [..., T, d_out]',
  backward: {
    x: 'dX = dQ·W_qᵀ + dK·W_kᵀ + dV·W_vᵀ, dQ = concat_h(dQ_h), dK = concat_h(dK_h), dV = concat_h(dV_h)',
    wq: 'dW_q = Σ_batch Xᵀ·concat_h(dQ_h), dQ_h = dS_h·K_h',
    wk: 'dW_k = Σ_batch Xᵀ·concat_h(dK_h), dK_h = dS_hᵀ·Q_h',
    wv: 'dW_v = Σ_batch Xᵀ·concat_h(dV_h), dV_h = P_hᵀ·dZ_h',
    wo: 'dW_o = Σ_batch concat_h(Z_h)ᵀ·dOut, [dZ_h] = split_h(dOut·W_oᵀ)',
  },
  ops: ['matmul', 'reshape', 'permute', 'scale', 'where', 'softmax'],
  steps: {
    en: [
      'out = C·W_o with C = concat_h(Z_h): the rule of matmul gives dW_o = Cᵀ·dOut (summed over batch axes) and dC = dOut·W_oᵀ, shape [..., T, d]',
      'concat_h only places the columns of the heads side by side, so its backward splits dC back: dZ_h = columns h d_k … (h+1) d_k − 1 of dC (split_h is reshape and permute)',
      'each head then runs the backward of stages 4 to 1 on its own; dQ_h, dK_h, dV_h are concatenated into dQ, dK, dV, and stage 0 follows',
    ],
    ko: [
      'C = concat_h(Z_h)로 두면 out = C·W_o이므로 matmul 규칙에서 dW_o = Cᵀ·dOut (배치 축에 대해 합), dC = dOut·W_oᵀ, 모양 [..., T, d]',
      'concat_h는 헤드들의 열을 나란히 놓을 뿐이므로 역전파는 dC를 다시 나눈다: dZ_h = dC의 열 h d_k … (h+1) d_k − 1 (split_h는 reshape와 permute)',
      '그다음 각 헤드가 4단계부터 1단계까지의 역전파를 따로 실행한다. dQ_h, dK_h, dV_h를 이어 붙여 dQ, dK, dV를 만들고 0단계로 넘어간다',
    ],
  },
  notes: {
    en: [
      'head h takes columns h d_k … (h+1) d_k − 1 of Q, K and V (PyTorch’s view(B, T, n_h, d_k) layout); the code stacks the heads on an extra batch axis rather than looping',
      'cost: the matrix products take as many operations as one head of width d, but the exponentials and the storage for P grow from T² to n_h T² per batch entry',
    ],
    ko: [
      '헤드 h는 Q, K, V의 열 h d_k … (h+1) d_k − 1을 맡는다 (PyTorch의 view(B, T, n_h, d_k) 배치 방식). 코드는 반복문 대신 헤드들을 배치 축 하나에 쌓는다',
      '비용: 행렬곱의 연산량은 폭 d인 헤드 하나와 같지만, 지수 함수 계산과 P의 저장 공간은 배치 원소마다 T²에서 n_h T²로 늘어난다',
    ],
  },
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
  stageKeys: ['projection', 'scores', 'scaling', 'softmax', 'weightedSum', 'residualLayerNorm'],
  ...attentionBlockText,
  forward: `Y = LayerNorm(X + selfAttention(X); γ, β, ε = ${LAYER_NORM_EPS.toExponential()});  X: [..., T, d] → Y: [..., T, d]`,
  backward: {
    x: `dX = dX_qkv + dX_res = ${rightSide(rule('projection', 'x'))} + dH`,
    wq: [rule('projection', 'wq'), rule('residualLayerNorm', 'z')].join(', '),
    wk: rule('projection', 'wk'),
    wv: rule('projection', 'wv'),
    gamma: rule('residualLayerNorm', 'gamma'),
    beta: rule('residualLayerNorm', 'beta'),
  },
  ops: ['matmul', 'scale', 'where', 'softmax', 'add', 'layerNorm'],
  notes: {
    en: [
      'X reaches the loss by four paths: through Q, K and V (dX_qkv, stage 0) and through the residual (dX_res = dH, stage 5); the layer norm hands dZ = dH to the attention',
    ],
    ko: [
      'X는 네 경로로 손실에 닿는다: Q, K, V를 거치는 길 (dX_qkv, 0단계)과 잔차를 거치는 길 (dX_res = dH, 5단계). 레이어 정규화는 dZ = dH를 어텐션에 넘긴다',
    ],
  },
  inputNames: ['x', 'wq', 'wk', 'wv', 'gamma', 'beta'],
  constantNames: ['mask'],
  makeInputs(sizes) {
    const r = resolveSizes('attentionBlock.makeInputs', sizes);
    return { ...projectionInputs(r), ...affine(r.random, r.dModel), ...maskInputs(r) };
  },
  run: ({ x, wq, wk, wv, gamma, beta, mask }) => attentionBlock(x, { wq, wk, wv, gamma, beta }, { mask }),
  manualBackward: ({ x, wq, wk, wv, gamma, beta, mask }, dOut) => attentionBlockBackward(x, { wq, wk, wv, gamma, beta }, { mask }, dOut),
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
