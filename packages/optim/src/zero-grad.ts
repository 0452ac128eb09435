import { Tensor, describe, noGrad, typeError } from '@attograd/tensor';
import { checkBoolean } from './checks';

/**
 * Options of `zeroGrad`.
 *
 * @example
 * zeroGrad(params, { setToNone: false }); // keep the gradient tensors, filled with zeros
 */
export interface ZeroGradOptions {
  /**
   * Set each `grad` to null (default: true) instead of filling it with zeros. attograd's backward
   * writes a fresh tensor into `grad` either way, so zeros cost an addition and buy nothing,
   * except that a parameter the next backward does not reach keeps a (zero) gradient and is
   * still stepped by the optimizer (with momentum or weight decay, that moves it). PyTorch 1.13
   * zero-fills by default; PyTorch 2 switched to null, as here.
   */
  setToNone?: boolean;
}

/**
 * Clears the gradients of `params` before the next backward pass, which would otherwise add to
 * them. With `setToNone: false` each gradient is zeroed in place (its version bumped) and cut
 * from any graph it was part of (`backward(…, { createGraph: true })` records one).
 *
 * @example
 * zeroGrad(model.parameters());
 * loss.backward();
 */
export function zeroGrad(params: Iterable<Tensor> | Tensor, options: ZeroGradOptions = {}): void {
  const { setToNone = true } = options;
  checkBoolean('zeroGrad', 'setToNone', setToNone);
  const list = toParamList('zeroGrad', params);
  for (const param of list) {
    if (param.grad === null) continue;
    if (setToNone) {
      param.grad = null;
    } else {
      const grad = param.grad;
      grad.gradFn = null; // as PyTorch's detach_(): a recorded gradient becomes a plain leaf
      grad.requiresGrad = false;
      noGrad(() => grad.zero_());
    }
  }
}

/** A tensor or an iterable of tensors, as an array (checked). */
export function toParamList(owner: string, params: Iterable<Tensor> | Tensor): Tensor[] {
  if (params instanceof Tensor) return [params];
  if (params === null || typeof params !== 'object' || typeof (params as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
    throw typeError(owner, `params must be a Tensor or an iterable of tensors, got ${describe(params)}`);
  }
  const list = [...params];
  list.forEach((param: unknown, i) => {
    if (!(param instanceof Tensor)) throw typeError(owner, `params[${i}] must be a Tensor, got ${describe(param)}`);
  });
  return list;
}
