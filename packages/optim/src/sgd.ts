/**
 * SGD — stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
 * step for step as PyTorch 1.13's `torch.optim.SGD`.
 *
 * For each parameter p with gradient g (negated when `maximize`), at step t:
 *   g ← g + λ·p                                   (weight decay λ, if λ ≠ 0)
 *   b ← g                                         (t = 1: the buffer starts as the first gradient)
 *   b ← μ·b + (1 − τ)·g                           (t > 1: momentum μ, dampening τ)
 *   d ← g + μ·b  (Nesterov)   or   d ← b          (if μ ≠ 0; else d ← g)
 *   p ← p − η·d                                   (learning rate η)
 * State: `momentumBuffer` (b), only when μ ≠ 0.
 */
import { Tensor, noGrad, rangeError, typeError, zeros, describe, formatShape } from '@attograd/tensor';
import { checkBoolean, checkFinite, checkNonNegative } from './checks';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer';

/** SGD's options (PyTorch's names in camelCase). */
export interface SGDOptions {
  /** Learning rate η. Required (no default, as in PyTorch). */
  lr: number;
  /** Momentum factor μ. Default 0 (plain gradient descent). */
  momentum: number;
  /** Dampening τ of the momentum: the new gradient enters with weight 1 − τ. Default 0. */
  dampening: number;
  /** Nesterov momentum (needs μ > 0 and τ = 0). Default false. */
  nesterov: boolean;
  /** L2 penalty λ, added to the gradient as λ·p. Default 0. */
  weightDecay: number;
  /** Ascend instead of descend. Default false. */
  maximize: boolean;
}

const SGD_OPTIONS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize'] as const;

/**
 * Stochastic gradient descent, with momentum, Nesterov momentum and weight decay as options.
 *
 * @example
 * const optimizer = new SGD(params, { lr: 0.1, momentum: 0.9, nesterov: true });
 * optimizer.zeroGrad();
 * loss.backward();
 * optimizer.step();
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    const defaults = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, ...options } as SGDOptions;
    super('SGD', params, defaults, SGD_OPTIONS);
  }

  protected checkOptions(owner: string, options: SGDOptions, where: string): void {
    checkNonNegative(owner, `lr${where}`, options.lr);
    checkNonNegative(owner, `momentum${where}`, options.momentum);
    checkFinite(owner, `dampening${where}`, options.dampening);
    checkNonNegative(owner, `weightDecay${where}`, options.weightDecay);
    checkBoolean(owner, `nesterov${where}`, options.nesterov);
    checkBoolean(owner, `maximize${where}`, options.maximize);
    if (options.nesterov && (options.momentum <= 0 || options.dampening !== 0)) {
      throw rangeError(
        owner,
        `nesterov${where} needs momentum > 0 and dampening 0, got momentum ${options.momentum} and dampening ${options.dampening}`,
      );
    }
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<SGDOptions>): void {
    const { lr, momentum, dampening, nesterov, weightDecay, maximize } = group;
    const g = grad.data;
    const first = state.momentumBuffer === undefined;
    if (momentum !== 0 && first) state.momentumBuffer = zeros(param.shape, { dtype: param.dtype });
    const buffer = state.momentumBuffer as Tensor | undefined;
    const b = momentum !== 0 && buffer ? buffer.data : null;
    const step = (p: typeof g) => {
      for (let i = 0; i < p.length; i++) {
        let d = maximize ? -g[i] : g[i];
        if (weightDecay !== 0) d = d + weightDecay * p[i];
        if (b !== null) {
          b[i] = first ? d : momentum * b[i] + (1 - dampening) * d;
          d = nesterov ? d + momentum * b[i] : b[i];
        }
        p[i] = p[i] - lr * d;
      }
    };
    if (b !== null && buffer) buffer.update_(() => void param.update_(step));
    else param.update_(step);
  }

  protected loadParamState(owner: string, where: string, entry: unknown, param: Tensor): ParamState {
    if (typeof entry !== 'object' || entry === null) throw typeError(owner, `${where} must be an object, got ${describe(entry)}`);
    const { momentumBuffer, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0)
      throw typeError(
        owner,
        `${where} has unknown entr${unknown.length === 1 ? 'y' : 'ies'} ${unknown.map((k) => `'${k}'`).join(', ')}; SGD keeps only 'momentumBuffer'`,
      );
    if (momentumBuffer === undefined) return {};
    return { momentumBuffer: loadStateTensor(owner, `${where}.momentumBuffer`, momentumBuffer, param) };
  }
}

/** Checks a saved state tensor against its parameter's shape; returns a copy in the parameter's dtype. */
export function loadStateTensor(owner: string, where: string, value: unknown, param: Tensor): Tensor {
  if (!(value instanceof Tensor)) throw typeError(owner, `${where} must be a Tensor, got ${describe(value)}`);
  if (formatShape(value.shape) !== formatShape(param.shape)) {
    throw rangeError(owner, `${where} has shape ${formatShape(value.shape)} but its parameter has shape ${formatShape(param.shape)}`);
  }
  return noGrad(() => value.detach().to(param.dtype));
}
