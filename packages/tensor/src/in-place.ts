import { isTensor } from './brand';
import { describe, formatShape, rangeError, typeError } from './errors';
import { isGradEnabled } from './grad-mode';
import { shapesEqual } from './shape';
import type { Tensor } from './tensor';

/**
 * The checks behind the in-place methods of Tensor (`copy_`, `fill_`, `zero_`, `scale_`,
 * `addScaled_`, `update_`). As in PyTorch, a tensor that requires gradients cannot be changed in
 * place while ops are recorded: the change would be invisible to autograd. Optimizers update
 * parameters inside `noGrad`.
 */
export function checkInPlace(method: string, target: Tensor): void {
  if (!target.requiresGrad || !isGradEnabled()) return;
  const what = target.gradFn === null ? 'a leaf that requires gradients' : `the recorded output of '${target.gradFn.op}'`;
  throw new Error(
    `${method}: cannot change ${nameOf(target)} (shape ${formatShape(target.shape)}) in place: it is ${what}, and ` +
      `the change would not be recorded in the graph. Update it inside noGrad(() => …) (as an optimizer step does), ` +
      `or work on a clone()`,
  );
}

/** Checks that `other` is a tensor of the target's shape (and dtype, when `sameDtype`). */
export function checkOperand(
  method: string,
  argument: string,
  target: Tensor,
  other: unknown,
  sameDtype: boolean,
): asserts other is Tensor {
  if (!isTensor(other)) throw typeError(method, `${argument} must be a Tensor, got ${describe(other)}`);
  if (!shapesEqual(other.shape, target.shape)) {
    throw rangeError(
      method,
      `${argument} has shape ${formatShape(other.shape)} but the tensor updated has shape ${formatShape(target.shape)}`,
    );
  }
  if (sameDtype && other.dtype !== target.dtype) {
    throw typeError(
      method,
      `${argument} is ${other.dtype} but the tensor updated is ${target.dtype} (convert with .to('${target.dtype}'))`,
    );
  }
}

/** Checks that a scalar argument is a number (NaN and ±Infinity are allowed: masks use them). */
export function checkNumber(method: string, argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw typeError(method, `${argument} must be a number, got ${describe(value)}`);
}

function nameOf(target: Tensor): string {
  return target.name === undefined ? 'the tensor' : `'${target.name}'`;
}
