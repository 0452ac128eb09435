/**
 * Adam — adaptive moment estimation (Kingma & Ba, 2015), step for step as PyTorch 1.13's
 * `torch.optim.Adam`, with its weight decay as an L2 term added to the gradient.
 *
 * For each parameter p with gradient g (negated when `maximize`), at step t = 1, 2, …:
 *   g ← g + λ·p                                    (weight decay λ, if λ ≠ 0: L2, coupled)
 *   m ← β₁·m + (1 − β₁)·g                          (first moment, m₀ = 0)
 *   v ← β₂·v + (1 − β₂)·g²                         (second moment, v₀ = 0)
 *   v̄ ← max(v̄, v)                                  (amsgrad only; the update then uses v̄ for v)
 *   p ← p − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * The bias corrections 1 − βᵗ undo the pull of the zero start towards 0; ε is added after the
 * square root. AdamW (adamw.ts) differs only in its weight decay.
 * State: `step` (t), `expAvg` (m), `expAvgSq` (v), and `maxExpAvgSq` (v̄) with amsgrad.
 */
import { type Tensor, describe, typeError, zeros, type TensorData } from '@attograd/tensor';
import { checkBoolean, checkInteger, checkNonNegative, checkUnitInterval } from './checks';
import { Optimizer, type ParamGroup, type ParamState, type Params } from './optimizer';
import { loadStateTensor } from './sgd';

/** The options of Adam and AdamW (PyTorch's names in camelCase). */
export interface AdamOptions {
  /** Learning rate η. Default 1e-3. */
  lr: number;
  /** Decay rates [β₁, β₂] of the moment estimates, each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to the denominator after the square root, for stability. Default 1e-8. */
  eps: number;
  /** Weight decay λ: L2 (added to the gradient) in Adam, default 0; decoupled in AdamW, default 1e-2. */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad). Default false. */
  amsgrad: boolean;
  /** Ascend instead of descend. Default false. */
  maximize: boolean;
}

const ADAM_OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'] as const;

/**
 * What Adam and AdamW share: options, state and the fused update; `decoupled` selects AdamW's
 * weight decay. Use it as a type for "either of them".
 *
 * @example
 * const pick = (decoupled: boolean): AdamFamily => (decoupled ? new AdamW(params) : new Adam(params));
 */
export abstract class AdamFamily extends Optimizer<AdamOptions> {
  protected constructor(
    name: string,
    params: Params<AdamOptions>,
    options: Partial<AdamOptions>,
    private readonly decoupled: boolean,
  ) {
    const defaults: AdamOptions = {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: decoupled ? 1e-2 : 0,
      amsgrad: false,
      maximize: false,
      ...options,
    };
    super(name, params, defaults, ADAM_OPTIONS);
  }

  protected checkOptions(owner: string, options: AdamOptions, where: string): void {
    checkNonNegative(owner, `lr${where}`, options.lr);
    const { betas } = options;
    if (!Array.isArray(betas) || betas.length !== 2)
      throw typeError(owner, `betas${where} must be an array of two numbers [β₁, β₂], got ${describe(betas)}`);
    checkUnitInterval(owner, `betas[0]${where}`, betas[0]);
    checkUnitInterval(owner, `betas[1]${where}`, betas[1]);
    checkNonNegative(owner, `eps${where}`, options.eps);
    checkNonNegative(owner, `weightDecay${where}`, options.weightDecay);
    checkBoolean(owner, `amsgrad${where}`, options.amsgrad);
    checkBoolean(owner, `maximize${where}`, options.maximize);
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<AdamOptions>): void {
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = zeros(param.shape, { dtype: param.dtype });
      state.expAvgSq = zeros(param.shape, { dtype: param.dtype });
    }
    if (group.amsgrad && state.maxExpAvgSq === undefined) state.maxExpAvgSq = zeros(param.shape, { dtype: param.dtype });
    state.step = (state.step as number) + 1;
    const expAvg = state.expAvg as Tensor;
    const expAvgSq = state.expAvgSq as Tensor;
    const maxExpAvgSq = group.amsgrad ? (state.maxExpAvgSq as Tensor) : null;
    const settings = { ...group, step: state.step, decoupled: this.decoupled };
    // One fused pass; each buffer changed goes through its tensor's in-place hook (versions bumped).
    expAvg.update_((m) => {
      expAvgSq.update_((v) => {
        const update = (vMax: TensorData | null) => param.update_((p) => adamKernel(p, grad.data, m, v, settings, vMax));
        if (maxExpAvgSq === null) update(null);
        else maxExpAvgSq.update_((vMax) => void update(vMax));
      });
    });
  }

  protected loadParamState(owner: string, where: string, entry: unknown, param: Tensor): ParamState {
    if (typeof entry !== 'object' || entry === null) throw typeError(owner, `${where} must be an object, got ${describe(entry)}`);
    const { step, expAvg, expAvgSq, maxExpAvgSq, ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
      throw typeError(
        owner,
        `${where} has unknown entr${unknown.length === 1 ? 'y' : 'ies'} ${unknown.map((k) => `'${k}'`).join(', ')}; ${this.name} keeps 'step', 'expAvg', 'expAvgSq' and 'maxExpAvgSq'`,
      );
    }
    const state: ParamState = {
      step: checkInteger(owner, `${where}.step`, step, 1),
      expAvg: loadStateTensor(owner, `${where}.expAvg`, expAvg, param),
      expAvgSq: loadStateTensor(owner, `${where}.expAvgSq`, expAvgSq, param),
    };
    if (maxExpAvgSq !== undefined) state.maxExpAvgSq = loadStateTensor(owner, `${where}.maxExpAvgSq`, maxExpAvgSq, param);
    return state;
  }
}

/** The per-element update of one step (m, v, v̄ and p changed in place), in float64 arithmetic. */
function adamKernel(
  p: TensorData,
  g: TensorData,
  m: TensorData,
  v: TensorData,
  settings: AdamOptions & { step: number; decoupled: boolean },
  vMax: TensorData | null = null,
): void {
  const {
    lr,
    betas: [beta1, beta2],
    eps,
    weightDecay,
    maximize,
    step,
    decoupled,
  } = settings;
  const stepSize = lr / (1 - beta1 ** step);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
  const shrink = 1 - lr * weightDecay; // AdamW's decoupled decay (PyTorch multiplies even when λ = 0)
  for (let i = 0; i < p.length; i++) {
    let gi = maximize ? -g[i] : g[i];
    if (decoupled) p[i] = p[i] * shrink;
    else if (weightDecay !== 0) gi = gi + weightDecay * p[i];
    m[i] = m[i] * beta1 + (1 - beta1) * gi;
    v[i] = v[i] * beta2 + (1 - beta2) * (gi * gi);
    let second = v[i];
    if (vMax !== null) second = vMax[i] = Math.max(vMax[i], v[i]);
    const denominator = Math.sqrt(second) / bias2Sqrt + eps;
    p[i] = p[i] - stepSize * (m[i] / denominator);
  }
}

/**
 * Adam with PyTorch's L2 weight decay (added to the gradient, so it is rescaled by the adaptive
 * denominator like the gradient is). For decoupled decay use `AdamW`.
 *
 * @example
 * const optimizer = new Adam(params, { lr: 1e-3 });
 */
export class Adam extends AdamFamily {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, options, false);
  }
}
