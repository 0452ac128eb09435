import { allocate, type Op, defineOp, Tensor, typeError } from '@attograd/tensor';
import { checkTensor } from './checks';
import type { Derivation } from './derivation';
import { add } from './add';
import { exp } from './exp';
import { erfcScalar, expNegSquare } from './kernels/erf';
import { mul } from './mul';
import { scale } from './scale';
import { sub } from './sub';
import { tanh } from './tanh';

export const derivation: Derivation = {
  op: 'gelu',
  definition:
    'Y = X ⊙ Φ(X) with Φ(x) = ½(1 + erf(x/√2)) the standard normal CDF;  approximate: "tanh": Y = ½X ⊙ (1 + tanh(√(2/π)(X + 0.044715X³)))',
  kind: 'nonlinear',
  backward: { x: 'dX = dY ⊙ (Φ(X) + X ⊙ φ(X)),  φ(x) = e^{−x²/2}/√(2π)' },
  steps: [
    'product rule: ∂(xΦ(x))/∂x = Φ(x) + x Φ′(x), and Φ′ = φ, the normal density',
    'dX = dY ⊙ G(X), G(X) = Φ(X) + X ⊙ φ(X) computed in one fused op whose own rule G′ = φ(X) ⊙ (2 − X²) is written with ops, so gelu is differentiable again',
    'forward computes Φ(x) = ½erfc(−x/√2), which stays accurate relative to itself for very negative x',
    'the tanh form is a composite of mul, add and tanh: autograd differentiates it through their rules',
    'tanh form by hand: with u = √(2/π)(x + 0.044715x³), u′ = √(2/π)(1 + 0.134145x²) and product and chain rules, dX = dY ⊙ (½(1 + tanh u) + ½x (1 − tanh²u) u′)',
  ],
  saves: 'input X',
  ko: {
    definition:
      'Y = X ⊙ Φ(X), Φ(x) = ½(1 + erf(x/√2))는 표준 정규 분포의 누적 분포 함수; 근사 "tanh": Y = ½X ⊙ (1 + tanh(√(2/π)(X + 0.044715X³)))',
    steps: [
      '곱의 미분법: ∂(xΦ(x))/∂x = Φ(x) + x Φ′(x)이고 Φ′ = φ (정규 분포의 밀도 함수)',
      'dX = dY ⊙ G(X), G(X) = Φ(X) + X ⊙ φ(X)는 하나의 융합 연산으로 계산하고, 그 규칙 G′ = φ(X) ⊙ (2 − X²)를 연산으로 쓰므로 다시 미분할 수 있다',
      '순전파는 Φ(x) = ½erfc(−x/√2)로 계산해 x가 아주 작은 음수여도 상대 정확도를 유지한다',
      'tanh 형태는 mul, add, tanh의 합성이며 자동 미분이 그 규칙들로 미분한다',
      '손으로 구한 tanh 형태의 도함수: u = √(2/π)(x + 0.044715x³), u′ = √(2/π)(1 + 0.134145x²)로 두고 곱의 미분법과 연쇄 법칙을 쓰면 dX = dY ⊙ (½(1 + tanh u) + ½x (1 − tanh²u) u′)',
    ],
    saves: '입력 X',
  },
};

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * G(X) = Φ(X) + X ⊙ φ(X), gelu's derivative, as one op: one loop, one result buffer (instead of
 * the ten temporaries of composing erf, exp, scale, add and mul). Its own rule, written with ops,
 * keeps gelu differentiable again: G′(x) = 2φ(x) + xφ′(x) = φ(x)(2 − x²).
 */
const geluDerivativeOp: Op<Record<string, never>> = defineOp({
  name: 'geluDerivative',
  inputNames: ['x'],
  forward([x]) {
    const source = x.data;
    const g = allocate(x.dtype, x.size);
    for (let i = 0; i < g.length; i++) {
      const v = source[i];
      // φ(v) = e^{−v²/2}/√(2π) = e^{−t²}/√(2π) with t = v/√2, the same t the CDF uses.
      const t = v * SQRT_HALF;
      g[i] = 0.5 * erfcScalar(-t) + v * INV_SQRT_2PI * expNegSquare(Math.abs(t));
    }
    return new Tensor(g, x.shape);
  },
  backward(dG, { inputs: [x] }) {
    const square = mul(x, x);
    const density = scale(exp(scale(square, -0.5)), INV_SQRT_2PI);
    return [mul(dG, mul(density, sub(2, square)))];
  },
});

const geluOp: Op<Record<string, never>> = defineOp({
  name: 'gelu',
  inputNames: ['x'],
  forward([x]) {
    const source = x.data;
    const y = allocate(x.dtype, x.size);
    for (let i = 0; i < y.length; i++) {
      const v = source[i];
      y[i] = v * 0.5 * erfcScalar(-v * SQRT_HALF);
    }
    return new Tensor(y, x.shape);
  },
  backward: (dY, { inputs: [x] }) => [mul(dY, geluDerivativeOp([x], {}))],
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
