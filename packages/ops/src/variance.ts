import { type Tensor, typeError } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { div } from './div';
import { resolveReduction } from './kernels/reduce';
import { mean } from './mean';
import { sqrt } from './sqrt';
import { square } from './square';
import { sub } from './sub';
import { sum } from './sum';

export const derivation: Derivation = {
  op: 'variance',
  definition:
    'var(X) = Σ_i (X_i − X̄)² / (N − c) over the given axes, N their number of elements, c the correction (1: unbiased, 0: biased)',
  kind: 'composite',
  backward: { x: 'dX = broadcast(dY) ⊙ 2(X − X̄)/(N − c)' },
  steps: [
    '∂/∂X_k Σ_i (X_i − X̄)² = 2(X_k − X̄) − (2/N)Σ_i (X_i − X̄) = 2(X_k − X̄), because the deviations sum to 0',
    'so dX = broadcast(dY) ⊙ 2(X − X̄)/(N − c); autograd finds it through sub, square, sum and div',
    'N − c ≤ 0 gives Infinity or NaN, as PyTorch (with a warning there)',
  ],
  saves: 'what mean, sub, square and sum save',
  ko: {
    definition: '주어진 축들에 대해 var(X) = Σ_i (X_i − X̄)² / (N − c), N은 그 축들의 원소 수, c는 보정값 (1: 불편, 0: 편향)',
    steps: [
      '∂/∂X_k Σ_i (X_i − X̄)² = 2(X_k − X̄) − (2/N)Σ_i (X_i − X̄) = 2(X_k − X̄). 편차들의 합이 0이기 때문이다',
      '그러므로 dX = broadcast(dY) ⊙ 2(X − X̄)/(N − c); 자동 미분은 sub, square, sum, div를 거쳐 이를 얻는다',
      'N − c ≤ 0이면 Infinity나 NaN이 나온다 (PyTorch와 같다; PyTorch는 경고도 낸다)',
    ],
    saves: 'mean, sub, square, sum이 저장하는 값',
  },
};

export const stdDerivation: Derivation = {
  op: 'std',
  definition: 'std(X) = √var(X) over the given axes, with the correction c of var',
  kind: 'composite',
  backward: { x: 'dX = broadcast(dY) ⊙ (X − X̄)/((N − c) std(X))' },
  steps: ['d√v = dv/(2√v), and dv/dX = 2(X − X̄)/(N − c)', 'a constant X gives std 0 and an infinite or NaN gradient, as PyTorch'],
  saves: 'what variance and sqrt save',
  ko: {
    definition: '주어진 축들에 대해 std(X) = √var(X), 보정값 c는 var와 같다',
    steps: ['d√v = dv/(2√v)이고 dv/dX = 2(X − X̄)/(N − c)', 'X가 상수이면 std는 0이고 기울기는 무한대나 NaN이다 (PyTorch와 같다)'],
    saves: 'variance와 sqrt가 저장하는 값',
  },
};

/** Options of `variance` and `std`. */
export interface VarianceOptions {
  /** Subtracted from the count in the denominator: 1 (default, unbiased, as PyTorch) or 0 (biased). */
  correction?: number;
  /** Keep the reduced axes with size 1. Default false. */
  keepdims?: boolean;
}

function varianceOf(op: string, x: Tensor, axis: number | readonly number[] | undefined, options: VarianceOptions): Tensor {
  checkTensor(op, 'x', x);
  const correction = options.correction ?? 1;
  if (typeof correction !== 'number' || !Number.isFinite(correction))
    throw typeError(op, `correction must be a finite number, got ${String(correction)}`);
  const keepdims = options.keepdims ?? false;
  const { axes } = resolveReduction(op, x, axis, keepdims);
  const count = axes.reduce((size, d) => size * x.shape[d], 1);
  const deviations = sub(x, mean(x, axes, true));
  return div(sum(square(deviations), axes, keepdims), count - correction);
}

/**
 * The variance over `axis` (undefined: all axes) with Bessel's correction by default
 * (`{ correction: 0 }` for the biased one, as layer norm uses). Named `variance` since `var` is a
 * JavaScript keyword.
 *
 * @throws TypeError when x is not a float Tensor or correction not a number; RangeError for a bad axis.
 * @example
 * variance(tensor([1, 2, 3, 4]))                    // 1.6667
 * variance(tensor([1, 2, 3, 4]), 0, { correction: 0 }) // 1.25
 */
export function variance(x: Tensor, axis?: number | readonly number[], options: VarianceOptions = {}): Tensor {
  return varianceOf('variance', x, axis, options);
}

/**
 * The standard deviation √variance over `axis`, with the same correction (default 1).
 *
 * @throws as variance.
 * @example
 * std(tensor([[1, 3], [2, 2]]), 1) // [1.4142, 0]
 */
export function std(x: Tensor, axis?: number | readonly number[], options: VarianceOptions = {}): Tensor {
  return sqrt(varianceOf('std', x, axis, options));
}
