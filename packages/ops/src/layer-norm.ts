import { allocate, defineOp, formatShape, isGradEnabled, ones, rangeError, Tensor, tensor, zeros } from '@attograd/tensor';
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
    'Y = γ ⊙ N + β, N = (X − μ)·rstd, μ = mean(X), rstd = 1/√(var(X) + ε) over the last axis (biased variance);  X: [..., d], γ, β: [d]',
  kind: 'nonlinear',
  backward: {
    x: 'dX = rstd ⊙ (dN − mean(dN) − N ⊙ mean(dN ⊙ N)), dN = dY ⊙ γ',
    gamma: 'dγ = Σ_rows dY ⊙ N',
    beta: 'dβ = Σ_rows dY',
  },
  steps: [
    'dβ = Σ_rows dY and dγ = Σ_rows dY ⊙ N, since Y = γ ⊙ N + β',
    'dN = dY ⊙ γ',
    'N_i = (X_i − μ)·rstd with ∂μ/∂X_j = 1/d and ∂rstd/∂X_j = −rstd³ (X_j − μ)/d',
    '∂N_i/∂X_j = rstd (δ_ij − 1/d − N_i N_j / d)',
    'dX_j = Σ_i dN_i ∂N_i/∂X_j = rstd (dN_j − mean(dN) − N_j mean(dN ⊙ N))',
  ],
  saves: 'N and rstd',
};

interface Saved {
  normalized: Tensor;
  rstd: Tensor;
}

const layerNormOp = defineOp<{ eps: number }, Saved>({
  name: 'layerNorm',
  inputNames: ['x', 'gamma', 'beta'],
  forward([x, gamma, beta], { eps }) {
    const d = x.shape[x.rank - 1];
    const out = allocate(x.dtype, x.size);
    const normalized = allocate(x.dtype, x.size);
    const rstd = allocate(x.dtype, d === 0 ? 0 : x.size / d);
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
    const dX = needsGrad[0]
      ? mul(rstd, sub(sub(dN, mean(dN, -1, true)), mul(normalized, mean(mul(dN, normalized), -1, true))))
      : null;
    return [dX, needsGrad[1] ? mul(dY, normalized) : null, needsGrad[2] ? dY : null];
  },
});

/** The same rule as the recorded path, computed by the fused kernel (dγ and dβ already summed). */
function fusedBackward(dY: Tensor, gamma: Tensor, { normalized, rstd }: Saved, needsGrad: readonly boolean[]): (Tensor | null)[] {
  const d = gamma.size;
  const dX = needsGrad[0] ? allocate(dY.dtype, dY.size) : null;
  const dGamma = needsGrad[1] ? allocate(dY.dtype, d) : null;
  const dBeta = needsGrad[2] ? allocate(dY.dtype, d) : null;
  layerNormBackward(dY.data, normalized.data, rstd.data, gamma.data, d, dX, dGamma, dBeta);
  return [
    dX && new Tensor(dX, dY.shape),
    dGamma && new Tensor(dGamma, gamma.shape),
    dBeta && new Tensor(dBeta, gamma.shape),
  ];
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
  for (const [name, value] of [['gamma', weight], ['beta', bias]] as const) {
    checkTensor('layerNorm', name, value);
    if (value.rank !== 1 || value.shape[0] !== d) {
      throw rangeError('layerNorm', `${name} must have shape [${d}] to match the last axis of x ${formatShape(x.shape)}, got ${formatShape(value.shape)}`);
    }
  }
  return layerNormOp([x, weight, bias], { eps });
}
