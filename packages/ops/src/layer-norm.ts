import { allocate, defineOp, formatShape, isGradEnabled, ones, rangeError, sizeOf, Tensor, tensor, zeros } from '@attograd/tensor';
import { add } from './add';
import { checkFinite, checkTensor } from './checks';
import type { Derivation } from './derivation';
import { layerNormBackward, layerNormForward } from './kernels/layer-norm';
import { div } from './div';
import { mean } from './mean';
import { mul } from './mul';
import { sqrt } from './sqrt';
import { sub } from './sub';

export const derivation: Derivation = {
  op: 'layerNorm',
  definition:
    'Y = γ ⊙ N + β, N = (X − μ) ⊙ rstd, μ = rowmean(X), var = rowmean((X − μ)²) (biased), rstd = 1/√(var + ε), along the last axis; X: [..., d]; γ, β: [d]; μ, var, rstd: [..., 1]',
  kind: 'nonlinear',
  backward: {
    x: 'dX = rstd ⊙ (dN − rowmean(dN) − N ⊙ rowmean(dN ⊙ N)), dN = dY ⊙ γ',
    gamma: 'dγ = colsum(dY ⊙ N)',
    beta: 'dβ = colsum(dY)',
  },
  steps: [
    'Y = γ ⊙ N + β, and γ, β are shared by every row: dβ = colsum(dY) and dγ = colsum(dY ⊙ N)',
    'dN = dY ⊙ γ; from here on take one row x of X (length d, elements x_k) and its row N',
    'μ = (1/d) Σ_k x_k, so ∂μ/∂x_j = 1/d',
    'var = (1/d) Σ_k (x_k − μ)², so ∂var/∂x_j = (2/d) Σ_k (x_k − μ)(δ_kj − 1/d) = (2/d)(x_j − μ) − (2/d²) Σ_k (x_k − μ) = (2/d)(x_j − μ), because Σ_k (x_k − μ) = 0',
    'rstd = (var + ε)^(−1/2), so ∂rstd/∂x_j = −½ (var + ε)^(−3/2) ∂var/∂x_j = −rstd³ (x_j − μ)/d = −rstd² N_j / d',
    'product rule on N_i = (x_i − μ) rstd: ∂N_i/∂x_j = (δ_ij − 1/d) rstd + (x_i − μ)(−rstd² N_j / d) = rstd (δ_ij − 1/d − N_i N_j / d)',
    'dx_j = Σ_i dN_i ∂N_i/∂x_j = rstd (dN_j − (1/d) Σ_i dN_i − N_j (1/d) Σ_i dN_i N_i) = rstd (dN_j − rowmean(dN) − N_j rowmean(dN ⊙ N))',
  ],
  saves: 'N and rstd',
  notes: [
    'each row of N has mean exactly 0, and the row sums of dX are exactly 0 (no response to a shift of the row)',
    'variance 1 and insensitivity to rescaling hold exactly only when ε = 0: with ε > 0 the variance of a row of N is var/(var + ε) < 1, and Σ_j dX_j N_j = rstd ε/(var + ε) Σ_j dN_j N_j ≠ 0 in general',
  ],
  ko: {
    definition:
      'Y = γ ⊙ N + β, N = (X − μ) ⊙ rstd, μ = rowmean(X), var = rowmean((X − μ)²) (편향 분산), rstd = 1/√(var + ε), 모두 마지막 축을 따라 계산한다; X: [..., d]; γ, β: [d]; μ, var, rstd: [..., 1]',
    steps: [
      'Y = γ ⊙ N + β이고 γ, β는 모든 행이 공유한다: dβ = colsum(dY), dγ = colsum(dY ⊙ N)',
      'dN = dY ⊙ γ. 이제부터 X의 한 행 x (길이 d, 원소 x_k)와 그에 해당하는 N의 행을 본다',
      'μ = (1/d) Σ_k x_k이므로 ∂μ/∂x_j = 1/d',
      'var = (1/d) Σ_k (x_k − μ)²이므로 ∂var/∂x_j = (2/d) Σ_k (x_k − μ)(δ_kj − 1/d) = (2/d)(x_j − μ) − (2/d²) Σ_k (x_k − μ) = (2/d)(x_j − μ). Σ_k (x_k − μ) = 0이기 때문이다',
      'rstd = (var + ε)^(−1/2)이므로 ∂rstd/∂x_j = −½ (var + ε)^(−3/2) ∂var/∂x_j = −rstd³ (x_j − μ)/d = −rstd² N_j / d',
      'N_i = (x_i − μ) rstd에 곱의 미분법을 쓰면 ∂N_i/∂x_j = (δ_ij − 1/d) rstd + (x_i − μ)(−rstd² N_j / d) = rstd (δ_ij − 1/d − N_i N_j / d)',
      'dx_j = Σ_i dN_i ∂N_i/∂x_j = rstd (dN_j − (1/d) Σ_i dN_i − N_j (1/d) Σ_i dN_i N_i) = rstd (dN_j − rowmean(dN) − N_j rowmean(dN ⊙ N))',
    ],
    saves: 'N과 rstd',
    notes: [
      'N의 각 행의 평균은 정확히 0이고, dX의 행 합도 정확히 0이다 (행 전체를 평행이동해도 반응하지 않는다)',
      '분산 1과 배율 변화에 대한 무반응은 ε = 0일 때만 정확히 성립한다. ε > 0이면 N의 한 행의 분산은 var/(var + ε) < 1이고, 일반적으로 Σ_j dX_j N_j = rstd ε/(var + ε) Σ_j dN_j N_j ≠ 0이다',
    ],
  },
};

interface Saved {
  normalized: Tensor;
  rstd: Tensor;
}

const layerNormOp = defineOp<{ eps: number }, Saved>(
  {
    name: 'layerNorm',
    inputNames: ['x', 'gamma', 'beta'],
    forward([x, gamma, beta], { eps }) {
      const d = x.shape[x.rank - 1];
      const out = allocate(x.dtype, x.size);
      const normalized = allocate(x.dtype, x.size);
      // One rstd per row, also when rows are empty (d = 0: N and Y are empty, rstd stays unused).
      const rstd = allocate(x.dtype, sizeOf(x.shape.slice(0, -1)));
      layerNormForward(x.data, gamma.data, beta.data, eps, d, out, normalized, rstd);
      const saved = { normalized: new Tensor(normalized, x.shape), rstd: new Tensor(rstd, [...x.shape.slice(0, -1), 1]) };
      return { output: new Tensor(out, x.shape), saved };
    },
    backward(dY, { inputs: [x, gamma], attrs: { eps }, saved, needsGrad }) {
      // Not recording (first order): one fused pass over the values forward saved.
      if (!isGradEnabled()) return fusedBackward(dY, gamma, saved, needsGrad);
      // Recording (higher order): N and rstd must be functions of X in the graph, so recompute
      // them with ops and write the rule with ops.
      const { normalized, rstd } = normalize(x, eps);
      const dN = mul(dY, gamma);
      const dX = needsGrad[0] ? mul(rstd, sub(sub(dN, mean(dN, -1, true)), mul(normalized, mean(mul(dN, normalized), -1, true)))) : null;
      return [dX, needsGrad[1] ? mul(dY, normalized) : null, needsGrad[2] ? dY : null];
    },
  },
  { keepsNoGradients: true },
);

/** The same rule as the recorded path, computed by the fused kernel (dγ and dβ already summed). */
function fusedBackward(dY: Tensor, gamma: Tensor, { normalized, rstd }: Saved, needsGrad: readonly boolean[]): (Tensor | null)[] {
  const d = gamma.size;
  const dX = needsGrad[0] ? allocate(dY.dtype, dY.size) : null;
  const dGamma = needsGrad[1] ? allocate(dY.dtype, d) : null;
  const dBeta = needsGrad[2] ? allocate(dY.dtype, d) : null;
  layerNormBackward(dY.data, normalized.data, rstd.data, gamma.data, d, dX, dGamma, dBeta);
  return [dX && new Tensor(dX, dY.shape), dGamma && new Tensor(dGamma, gamma.shape), dBeta && new Tensor(dBeta, gamma.shape)];
}

/** N and rstd written with ops, so that they are differentiable. */
function normalize(x: Tensor, eps: number): Saved {
  const centered = sub(x, mean(x, -1, true));
  const rstd = div(tensor(1, { dtype: x.dtype }), sqrt(add(mean(mul(centered, centered), -1, true), eps)));
  return { normalized: mul(centered, rstd), rstd };
}

/**
 * The default ε of every layer norm in attograd (PyTorch's): added to the variance under the
 * square root. The attention stages and composites use this constant, never a copy of it.
 *
 * @example
 * layerNorm(x, gamma, beta, LAYER_NORM_EPS) // the default, spelled out
 */
export const LAYER_NORM_EPS = 1e-5;

/**
 * Layer normalisation over the last axis, as PyTorch's `layer_norm` (biased variance):
 * Y = γ ⊙ (X − μ)/√(var + ε) + β. γ and β have shape [d]; omitted, they are 1 and 0.
 * Statistics are computed in float64. A row holding NaN or ±Infinity, or whose variance overflows
 * (values beyond about ±1e154 apart), gives NaN, as in PyTorch, on every kernel path.
 *
 * @example
 * layerNorm(x, ones([4]), zeros([4]))
 */
export function layerNorm(x: Tensor, gamma?: Tensor | null, beta?: Tensor | null, eps = LAYER_NORM_EPS): Tensor {
  checkTensor('layerNorm', 'x', x);
  if (x.rank < 1) throw rangeError('layerNorm', `x must have at least 1 axis, got shape ${formatShape(x.shape)}`);
  checkFinite('layerNorm', 'eps', eps);
  if (eps <= 0) throw rangeError('layerNorm', `eps must be positive, got ${eps}`);
  const d = x.shape[x.rank - 1];
  const weight = gamma ?? ones([d], { dtype: x.dtype });
  const bias = beta ?? zeros([d], { dtype: x.dtype });
  for (const [name, value] of [
    ['gamma', weight],
    ['beta', bias],
  ] as const) {
    checkTensor('layerNorm', name, value);
    if (value.rank !== 1 || value.shape[0] !== d) {
      throw rangeError(
        'layerNorm',
        `${name} must have shape [${d}] to match the last axis of x ${formatShape(x.shape)}, got ${formatShape(value.shape)}`,
      );
    }
  }
  return layerNormOp([x, weight, bias], { eps });
}
