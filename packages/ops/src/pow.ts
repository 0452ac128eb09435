import { allocate, broadcastShapes, type Op, defineOp, sizeOf, Tensor, zeros } from '@attograd/tensor';
import { checkFinite, checkTensor, operands } from './checks';
import type { Derivation } from './derivation';
import { mapBroadcast } from './kernels/elementwise';
import { log } from './log';
import { mul } from './mul';
import { scale } from './scale';
import { sub } from './sub';
import { where } from './where';

export const derivation: Derivation = {
  op: 'pow',
  definition: 'C = A^B element-wise, shapes broadcast; B a number (any base) or a tensor (bases > 0 for the gradient in B)',
  kind: 'nonlinear',
  backward: { a: 'dA = where(B ≠ 0, dC ⊙ B ⊙ A^(B−1), 0)', b: 'dB = where(A = 0 ∧ B ≥ 0, 0, dC ⊙ C ⊙ log A)' },
  steps: [
    '∂(a^b)/∂a = b a^(b−1): the power rule',
    '∂(a^b)/∂b = ∂e^{b log a}/∂b = a^b log a, defined for a > 0 (NaN for a < 0, as PyTorch)',
    'as PyTorch: where B = 0 the gradient in A is 0 (not 0 a^(−1), NaN at a = 0); where A = 0 and B ≥ 0 the gradient in B is 0',
    'a number exponent p gives one input: dA = dC ⊙ p A^(p−1), itself a pow, so second order works',
    'special values as C’s pow and PyTorch (not JavaScript’s **): 1^b = 1 for every b, NaN and ±∞ included; (−1)^±∞ = 1; a^0 = 1 for every a, NaN included',
    'the rules above hold there unchanged: at (1, NaN) dA = NaN·1^(NaN−1) = NaN and dB = 1·log 1 = 0; at (NaN, 0) dA = 0 (B = 0) and dB = 1·log NaN = NaN; at (1, ±∞) dA = ±∞ and dB = 0; at (−1, ±∞) dA = ±∞ and dB = 1·log(−1) = NaN',
  ],
  saves: 'inputs A and B, output C',
  notes: ['the gradient in A is 0 where B = 0, and the gradient in B is 0 where A = 0 and B ≥ 0'],
  ko: {
    definition: 'C = A^B, 원소별, 모양은 브로드캐스트된다; B는 수 (밑은 무엇이든) 또는 텐서 (B에 대한 기울기는 밑 > 0에서)',
    steps: [
      '∂(a^b)/∂a = b a^(b−1): 거듭제곱 법칙',
      '∂(a^b)/∂b = ∂e^{b log a}/∂b = a^b log a, a > 0에서 정의된다 (a < 0이면 NaN, PyTorch와 같다)',
      'PyTorch처럼 B = 0인 곳에서 A에 대한 기울기는 0이고 (0 a^(−1)이 아니다; a = 0에서 NaN이 된다), A = 0이고 B ≥ 0인 곳에서 B에 대한 기울기는 0이다',
      '수 지수 p이면 입력은 하나이고 dA = dC ⊙ p A^(p−1)이며, 이것도 pow이므로 2계 미분이 된다',
      '특수값은 C의 pow와 PyTorch를 따른다 (JavaScript의 **와 다르다): 모든 b에 대해 1^b = 1 (NaN과 ±∞ 포함); (−1)^±∞ = 1; 모든 a에 대해 a^0 = 1 (NaN 포함)',
      '그 점들에서도 위 규칙이 그대로 성립한다: (1, NaN)에서 dA = NaN·1^(NaN−1) = NaN, dB = 1·log 1 = 0; (NaN, 0)에서 dA = 0 (B = 0), dB = 1·log NaN = NaN; (1, ±∞)에서 dA = ±∞, dB = 0; (−1, ±∞)에서 dA = ±∞, dB = 1·log(−1) = NaN',
    ],
    saves: '입력 A와 B, 출력 C',
    notes: ['B = 0인 곳에서 A에 대한 기울기는 0, A = 0이고 B ≥ 0인 곳에서 B에 대한 기울기는 0이다'],
  },
};

/**
 * x^y with the special values of C's pow (IEEE 754, and so PyTorch) where JavaScript's `**`
 * differs: 1^y = 1 for every y (NaN and ±∞ included) and (−1)^±∞ = 1, where `**` gives NaN.
 * `**` already gives x^0 = 1 for every x, NaN included.
 */
function power(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return x ** y;
}

const powScalarOp: Op<{ exponent: number }> = defineOp<{ exponent: number }>(
  {
    name: 'pow',
    inputNames: ['a'],
    forward([a], { exponent }) {
      const c = allocate(a.dtype, a.size);
      for (let i = 0; i < c.length; i++) c[i] = power(a.data[i], exponent);
      return new Tensor(c, a.shape);
    },
    backward(dC, { inputs: [a], attrs: { exponent } }) {
      if (exponent === 0) return [mul(dC, zeros(a.shape, { dtype: a.dtype }))];
      const slope = powScalarOp([a], { exponent: exponent - 1 });
      // scale takes finite factors; p = ±∞ (defined: 1^±∞ = (−1)^±∞ = 1) multiplies as a number operand.
      return [mul(dC, Number.isFinite(exponent) ? scale(slope, exponent) : mul(slope, exponent))];
    },
  },
  { keepsNoGradients: true },
);

/** A constant 0/1 tensor of the broadcast shape of a and b, 1 where `test(a_i, b_i)` holds. */
function pairMask(a: Tensor, b: Tensor, test: (x: number, y: number) => boolean): Tensor {
  const shape = broadcastShapes('pow', a.shape, b.shape, ['a', 'b']);
  const mask = allocate(a.dtype, sizeOf(shape));
  mapBroadcast(mask, a, b, shape, (x, y) => (test(x, y) ? 1 : 0));
  return new Tensor(mask, shape);
}

const powOp: Op<Record<string, never>> = defineOp(
  {
    name: 'pow',
    inputNames: ['a', 'b'],
    forward([a, b]) {
      const shape = broadcastShapes('pow', a.shape, b.shape, ['a', 'b']);
      const c = allocate(a.dtype, sizeOf(shape));
      mapBroadcast(c, a, b, shape, power);
      return new Tensor(c, shape);
    },
    backward(dC, { inputs: [a, b], output: c, needsGrad }) {
      const dA = needsGrad[0]
        ? mul(
            dC,
            where(
              pairMask(a, b, (_, y) => y === 0),
              0,
              mul(b, powOp([a, sub(b, 1)], {})),
            ),
          )
        : null;
      let dB: Tensor | null = null;
      if (needsGrad[1]) {
        const zeroBase = pairMask(a, b, (x, y) => x === 0 && y >= 0);
        // log(1) = 0 at the masked bases, so no −∞ enters (its NaN would reach second derivatives).
        dB = mul(dC, where(zeroBase, 0, mul(c, log(where(zeroBase, 1, a)))));
      }
      return [dA, dB];
    },
  },
  { keepsNoGradients: true },
);

/**
 * a^b element-wise with broadcasting; either may be a number (not both). With a number
 * exponent any base works (C's pow rules, as PyTorch: 1^y = 1 for every y; a negative base needs an integer exponent, else
 * NaN); with a tensor exponent the gradient in b is c·log a, defined for positive bases.
 *
 * @throws TypeError when a or b is neither a float Tensor nor a number, or both are numbers;
 * RangeError when the shapes do not broadcast.
 * @example
 * pow(x, 2)                              // x²
 * pow(tensor([4, 9]), tensor([0.5, 2]))  // [2, 81]
 * pow(2, x)                              // 2^x
 */
export function pow(a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof b === 'number' && a instanceof Tensor) {
    checkTensor('pow', 'a', a);
    if (Number.isNaN(b)) checkFinite('pow', 'b', b);
    return powScalarOp([a], { exponent: b });
  }
  return powOp(operands('pow', a, b), {});
}
