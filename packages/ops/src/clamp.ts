import { allocate, type Op, defineOp, rangeError, Tensor } from '@attograd/tensor';
import { checkTensor, checkFinite } from './checks';
import type { Derivation } from './derivation';
import { mul } from './mul';

export const derivation: Derivation = {
  op: 'clamp',
  definition: 'Y = min(max(X, low), high) element-wise (either bound may be omitted);  NaN stays NaN',
  kind: 'nonlinear',
  backward: { x: 'dX = dY ⊙ [low ≤ X ≤ high]' },
  steps: [
    '∂Y/∂X = 1 strictly between the bounds and 0 outside them',
    'at X = low or X = high the gradient is 1 (the bounds count as inside, as PyTorch); at NaN it is 0',
    'low > high makes every output high with zero gradient (min applied last, as PyTorch)',
    'dX = dY ⊙ M with M a constant 0/1 mask',
  ],
  saves: 'the mask M = [low ≤ X ≤ high]',
  ko: {
    definition: 'Y = min(max(X, low), high), 원소별 (둘 중 한 경계는 생략할 수 있다); NaN은 NaN으로 남는다',
    steps: [
      '두 경계 사이에서는 ∂Y/∂X = 1, 바깥에서는 0',
      'X = low 또는 X = high에서 기울기는 1이다 (PyTorch처럼 경계를 안쪽으로 친다); NaN에서는 0',
      'low > high이면 모든 출력이 high이고 기울기는 0이다 (PyTorch처럼 min을 마지막에 적용)',
      'M을 상수 0/1 마스크로 두고 dX = dY ⊙ M',
    ],
    saves: '마스크 M = [low ≤ X ≤ high]',
  },
};

const clampOp: Op<{ low: number; high: number }> = defineOp<{ low: number; high: number }, Tensor>(
  {
    name: 'clamp',
    inputNames: ['x'],
    forward([x], { low, high }) {
      const y = allocate(x.dtype, x.size);
      const inside = allocate(x.dtype, x.size);
      for (let i = 0; i < y.length; i++) {
        const v = x.data[i];
        // Comparisons with NaN are false, so NaN passes through both steps unchanged.
        // biome-ignore lint/complexity/useMathMinMax: Math.max/min differ on −0 (and cost a call per element in this loop).
        const raised = v < low ? low : v;
        // biome-ignore lint/complexity/useMathMinMax: as above.
        y[i] = raised > high ? high : raised;
        inside[i] = v >= low && v <= high ? 1 : 0;
      }
      return { output: new Tensor(y, x.shape), saved: new Tensor(inside, x.shape) };
    },
    backward: (dY, { saved: inside }) => [mul(dY, inside)],
  },
  { keepsNoGradients: true },
);

/**
 * Limits x to [low, high] element-wise (`undefined` for no bound on that side). The gradient is 1
 * on the closed interval, 0 outside; NaN stays NaN.
 *
 * @throws TypeError when x is not a float Tensor or a bound is not a number; RangeError when
 * neither bound is given.
 * @example
 * clamp(tensor([-2, 0.5, 3]), 0, 1)      // [0, 0.5, 1]
 * clamp(tensor([-2, 3]), undefined, 1)   // [-2, 1]
 */
export function clamp(x: Tensor, low?: number, high?: number): Tensor {
  checkTensor('clamp', 'x', x);
  if (low === undefined && high === undefined) throw rangeError('clamp', 'at least one of low and high must be given');
  if (low !== undefined && (typeof low !== 'number' || Number.isNaN(low))) checkFinite('clamp', 'low', low);
  if (high !== undefined && (typeof high !== 'number' || Number.isNaN(high))) checkFinite('clamp', 'high', high);
  return clampOp([x], { low: low ?? -Infinity, high: high ?? Infinity });
}
