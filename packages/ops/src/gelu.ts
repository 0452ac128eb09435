import { allocate, type Op, defineOp, Tensor, typeError } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { add } from './add';
import { erf } from './erf';
import { exp } from './exp';
import { erfcScalar } from './kernels/erf';
import { mul } from './mul';
import { scale } from './scale';
import { tanh } from './tanh';

export const derivation: Derivation = {
  op: 'gelu',
  definition:
    'Y = X·Φ(X) with Φ(x) = ½(1 + erf(x/√2)) the standard normal CDF;  approximate: "tanh": Y = ½X(1 + tanh(√(2/π)(X + 0.044715X³)))',
  kind: 'nonlinear',
  backward: { x: 'dX = dY ⊙ (Φ(X) + X·φ(X)),  φ(x) = e^{−x²/2}/√(2π)' },
  steps: [
    'product rule: ∂(xΦ(x))/∂x = Φ(x) + x·Φ′(x), and Φ′ = φ, the normal density',
    'dX = dY ⊙ (Φ(X) + X·φ(X)), written with erf and exp so it is differentiable again',
    'forward computes Φ(x) = ½erfc(−x/√2), which stays accurate relative to itself for very negative x',
    'the tanh form is a composite of mul, add and tanh: autograd differentiates it through their rules',
  ],
  saves: 'input X',
};

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

const geluOp: Op<Record<string, never>> = defineOp({
  name: 'gelu',
  inputNames: ['x'],
  forward([x]) {
    const y = allocate(x.dtype, x.size);
    for (let i = 0; i < y.length; i++) {
      const v = x.data[i];
      y[i] = v * 0.5 * erfcScalar(-v * SQRT_HALF);
    }
    return new Tensor(y, x.shape);
  },
  backward(dY, { inputs: [x] }) {
    const cdf = scale(add(erf(scale(x, SQRT_HALF)), 1), 0.5);
    const density = scale(exp(scale(mul(x, x), -0.5)), INV_SQRT_2PI);
    return [mul(dY, add(cdf, mul(x, density)))];
  },
});

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** ½x(1 + tanh(√(2/π)(x + 0.044715x³))), as PyTorch's approximate='tanh'. */
function geluTanh(x: Tensor): Tensor {
  const inner = scale(add(x, scale(mul(mul(x, x), x), 0.044715)), SQRT_2_OVER_PI);
  return mul(scale(x, 0.5), add(tanh(inner), 1));
}

/**
 * The Gaussian error linear unit x·Φ(x) (Φ the standard normal CDF), element-wise, with erf in
 * double precision; `{ approximate: 'tanh' }` gives the tanh approximation of GPT-2. NaN gives NaN.
 *
 * @throws TypeError when x is not a float Tensor or approximate is neither 'none' nor 'tanh'.
 * @example
 * gelu(tensor([-1, 0, 1]))                          // [-0.1587, 0, 0.8413]
 * gelu(tensor([-1, 0, 1]), { approximate: 'tanh' }) // [-0.1588, 0, 0.8412]
 */
export function gelu(x: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  checkTensor('gelu', 'x', x);
  const approximate = options.approximate ?? 'none';
  if (approximate === 'tanh') return geluTanh(x);
  if (approximate !== 'none') throw typeError('gelu', `approximate must be 'none' or 'tanh', got ${String(approximate)}`);
  return geluOp([x], {});
}
