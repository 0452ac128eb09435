/**
 * clipGradNorm — rescales gradients so that their joint norm is at most `maxNorm`, as PyTorch
 * 1.13's `torch.nn.utils.clip_grad_norm_`.
 *
 * All gradients together are treated as one long vector g (parameters without a gradient are
 * left out):
 *   ‖g‖ₚ = (Σ_tensors ‖g_k‖ₚᵖ)^(1/p)        computed as the p-norm of the per-tensor p-norms
 *   ‖g‖∞ = max_k max_i |g_k,i|
 *   c = min(1, maxNorm / (‖g‖ + 1e-6));  every g_k ← c·g_k        (in place)
 * The 1e-6 keeps c finite for zero gradients and makes the clipped norm land just under maxNorm.
 * A NaN or infinite norm gives c = NaN or 0 and spreads to every gradient, unless
 * `errorIfNonfinite` asks for an error instead. Returns ‖g‖ before clipping.
 */
import { type Tensor, noGrad, rangeError, typeError, describe, type TensorData } from '@attograd/tensor';
import { checkBoolean, checkNonNegative } from './checks';
import { toParamList } from './zero-grad';

/**
 * Options of `clipGradNorm`.
 *
 * @example
 * clipGradNorm(params, 1, { normType: Infinity });
 */
export interface ClipGradNormOptions {
  /** p of the p-norm: any number > 0, or `Infinity` for the largest absolute value. Default 2. */
  normType?: number;
  /** Throw (changing nothing) when the total norm is NaN or infinite. Default false, as PyTorch 1.13. */
  errorIfNonfinite?: boolean;
}

/** The gap PyTorch adds to the norm before dividing. */
export const CLIP_EPSILON = 1e-6;

/**
 * Scales the gradients of `params` down, in place, so that their joint `normType`-norm is at most
 * `maxNorm`; returns the norm they had.
 *
 * @example
 * loss.backward();
 * const norm = clipGradNorm(params, 1.0); // before optimizer.step()
 */
export function clipGradNorm(params: Iterable<Tensor> | Tensor, maxNorm: number, options: ClipGradNormOptions = {}): number {
  const { normType = 2, errorIfNonfinite = false } = options;
  const grads = toParamList('clipGradNorm', params).flatMap((param) => (param.grad === null ? [] : [param.grad]));
  checkNonNegative('clipGradNorm', 'maxNorm', maxNorm);
  if (typeof normType !== 'number') throw typeError('clipGradNorm', `normType must be a number > 0 or Infinity, got ${describe(normType)}`);
  if (!(normType > 0)) throw rangeError('clipGradNorm', `normType must be a number > 0 or Infinity, got ${normType}`);
  checkBoolean('clipGradNorm', 'errorIfNonfinite', errorIfNonfinite);
  if (grads.length === 0) return 0;

  const total = pNorm(
    Float64Array.from(grads, (grad) => pNorm(grad.data, normType)),
    normType,
  );
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw rangeError(
      'clipGradNorm',
      `the total ${normType}-norm of the gradients is ${total}, so they cannot be clipped (nothing was changed); errorIfNonfinite: false scales them by it anyway`,
    );
  }
  const coefficient = Math.min(maxNorm / (total + CLIP_EPSILON), 1); // Math.min keeps a NaN, like torch.clamp
  if (coefficient !== 1) noGrad(() => grads.forEach((grad) => grad.scale_(coefficient)));
  return total;
}

/** ‖x‖ₚ, accumulated in float64; a NaN element gives NaN. */
function pNorm(x: TensorData, p: number): number {
  let result = 0;
  if (p === Infinity) {
    for (let i = 0; i < x.length; i++) result = Math.max(result, Math.abs(x[i]));
    return result;
  }
  if (p === 2) {
    for (let i = 0; i < x.length; i++) result += x[i] * x[i];
    return Math.sqrt(result);
  }
  if (p === 1) {
    for (let i = 0; i < x.length; i++) result += Math.abs(x[i]);
    return result;
  }
  for (let i = 0; i < x.length; i++) result += Math.abs(x[i]) ** p;
  return result ** (1 / p);
}
