import { formatShape, noGrad, type Tensor } from '@attograd/tensor';
import { changeBetween } from './difference';
import { callFn, workingInputs } from './inputs';
import type { Settings } from './options';
import type { GradcheckFn, InputJacobians } from './types';

/**
 * Everything a check needs, prepared once: the working inputs, the recorded output at the
 * unperturbed point, and the warnings gathered so far. `sound` turns false when something makes
 * any comparison meaningless (non-finite values, a non-deterministic fn, a backward that threw).
 */
export interface Problem {
  op: string;
  fn: GradcheckFn;
  tensors: Tensor[];
  /** Indices (into `tensors`) of the inputs to check. */
  checked: number[];
  /** fn's output at the given inputs, recorded (its graph is kept for every backward pass). */
  output: Tensor;
  settings: Settings;
  warnings: string[];
  sound: boolean;
  /** What the finite differences call: fn, or its partial re-evaluation (made on first use). */
  columnsFn?: GradcheckFn;
  /** The compared Jacobian blocks, kept when `settings.jacobians` asks for them. */
  jacobians?: InputJacobians[];
}

/** Prepares the inputs and evaluates fn once recorded and once not, warning about what looks wrong. */
export function prepareProblem(op: string, fn: GradcheckFn, inputs: readonly Tensor[], checked: number[], settings: Settings): Problem {
  const { tensors, upcast } = workingInputs(inputs);
  const warnings: string[] = [];
  let sound = true;
  if (upcast.length > 0) {
    warnings.push(
      `${plural('input', upcast)} ${upcast.join(', ')} ${upcast.length === 1 ? 'is' : 'are'} float32: checked in float64 on ` +
        `upcast copies (fn receives float64 tensors), since float32 finite differences are too noisy for any useful tolerance`,
    );
  }
  tensors.forEach((input, index) => {
    const bad = countNonFinite(input.data);
    if (bad > 0) {
      sound = false;
      warnings.push(
        `input ${index} (shape ${formatShape(input.shape)}) holds ${bad} non-finite values (NaN or ±Infinity): derivatives there are meaningless`,
      );
    }
  });
  const output = callFn(op, fn, tensors);
  if (output.dtype === 'float32') {
    warnings.push(`fn returned a float32 output from float64 inputs: its round-off will dominate the finite differences`);
  }
  const badOutputs = countNonFinite(output.data);
  if (badOutputs > 0) {
    sound = false;
    warnings.push(
      `fn's output holds ${badOutputs} non-finite values (NaN or ±Infinity) at the given inputs: its derivatives cannot be checked there`,
    );
  }
  const again = noGrad(() => callFn(op, fn, tensors)).data;
  const drift = changeBetween(output.data, again);
  if (drift !== 0) {
    sound = false;
    warnings.push(
      `fn is not deterministic: two evaluations at the same inputs differ by up to ${drift.toExponential(2)}; ` +
        `finite differences need a deterministic function (seed or remove random ops such as dropout)`,
    );
  }
  return { op, fn, tensors, checked, output, settings, warnings, sound };
}

function countNonFinite(values: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
  return count;
}

/** Largest |value| (0 for none). */
export function maxMagnitude(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

/** `input` or `inputs` for a list. */
export function plural(word: string, list: readonly unknown[]): string {
  return list.length === 1 ? word : `${word}s`;
}
