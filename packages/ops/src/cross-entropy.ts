import { allocate, defineOp, type Op, rangeError, Tensor, typeError } from '@attograd/tensor';
import type { Derivation } from './derivation';
import { div } from './div';
import { checkClassTargets, checkReduction, type Reduction } from './loss-options';
import { mul } from './mul';
import { reshape } from './reshape';
import { softmax } from './softmax';
import { sub } from './sub';

export const derivation: Derivation = {
  op: 'crossEntropy',
  definition:
    'per row r of logits X [..., C] with class target t_r: ℓ_r = −Σ_c q_rc log softmax(X_r)_c, q_r = (1 − ε) onehot(t_r) + ε/C (ε = labelSmoothing); ' +
    "rows with t_r = ignoreIndex count as 0; reduction='mean': L = Σ_r ℓ_r / N, N the number of counted rows; reduction='sum': Σ_r ℓ_r; reduction='none': the ℓ_r",
  kind: 'nonlinear',
  backward: {
    logits: "dX_r = w_r (softmax(X_r) − q_r);  w_r = u_r dL/N (reduction='mean'), u_r dL (reduction='sum'), u_r dℓ_r (reduction='none')",
  },
  steps: [
    'log softmax(x)_c = x_c − lse(x) with lse(x) = log Σ_k e^{x_k}, and ∂lse/∂x_k = e^{x_k}/Σ_j e^{x_j} = p_k, the softmax',
    'ℓ = −Σ_c q_c (x_c − lse(x)) = lse(x) Σ_c q_c − Σ_c q_c x_c = lse(x) − qᵀx, since the target distribution q sums to 1',
    '∂ℓ/∂x_k = p_k − q_k: the gradient of the fused loss is "predicted minus target", bounded in [−1, 1], with no division by a probability',
    'with one-hot q (ε = 0) this is p − onehot(t): the classic softmax-cross-entropy gradient',
    'label smoothing only changes q: (1 − ε) onehot(t) + ε/C',
    'mean divides by N, the number of rows whose target is not ignoreIndex (as PyTorch): dX_r = dL (p_r − q_r)/N, and 0 on ignored rows',
    'the forward value is lse(x) − qᵀx with lse computed as m + log Σ e^{x − m}, so it never takes log of an underflowed probability',
  ],
  saves: 'the target distributions q (a constant) and the row weights (1 counted, 0 ignored)',
  notes: [
    'with no counted row (N = 0) the mean is 0/0 = NaN but the gradient is 0 (as PyTorch): the rule divides by max(N, 1)',
    'u_r = [t_r ≠ ignoreIndex] is 1 for counted rows and 0 for ignored ones',
  ],
  ko: {
    definition:
      "로짓 X [..., C]의 각 행 r과 클래스 목표 t_r에 대해 ℓ_r = −Σ_c q_rc log softmax(X_r)_c, q_r = (1 − ε) onehot(t_r) + ε/C (ε = labelSmoothing); t_r = ignoreIndex인 행은 0으로 센다; reduction='mean': L = Σ_r ℓ_r / N, N은 세는 행의 수; reduction='sum': Σ_r ℓ_r; reduction='none': ℓ_r 그대로",
    steps: [
      'log softmax(x)_c = x_c − lse(x), lse(x) = log Σ_k e^{x_k}이고 ∂lse/∂x_k = e^{x_k}/Σ_j e^{x_j} = p_k (소프트맥스)',
      'ℓ = −Σ_c q_c (x_c − lse(x)) = lse(x) Σ_c q_c − Σ_c q_c x_c = lse(x) − qᵀx. 목표 분포 q의 합이 1이기 때문이다',
      '∂ℓ/∂x_k = p_k − q_k: 합친 손실의 기울기는 "예측 − 목표"이며 [−1, 1] 안에 있고 확률로 나누는 일이 없다',
      'q가 원-핫이면 (ε = 0) p − onehot(t), 곧 잘 알려진 소프트맥스-크로스 엔트로피 기울기이다',
      '레이블 스무딩은 q만 바꾼다: (1 − ε) onehot(t) + ε/C',
      'mean은 목표가 ignoreIndex가 아닌 행의 수 N으로 나눈다 (PyTorch와 같다): dX_r = dL (p_r − q_r)/N, 무시된 행은 0',
      '순전파 값은 lse(x) − qᵀx이고 lse는 m + log Σ e^{x − m}으로 계산하므로, 언더플로한 확률의 로그를 취하는 일이 없다',
    ],
    saves: '목표 분포 q (상수)와 행 가중치 (세는 행 1, 무시한 행 0)',
    notes: [
      '세는 행이 없으면 (N = 0) mean 손실은 0/0 = NaN이지만 기울기는 0이다 (PyTorch와 같다): 규칙은 max(N, 1)로 나눈다',
      'u_r = [t_r ≠ ignoreIndex]는 세는 행이면 1, 무시하는 행이면 0이다',
    ],
  },
};

interface CrossEntropyAttrs {
  targets: Tensor;
  ignoreIndex: number;
  labelSmoothing: number;
  reduction: Reduction;
}

interface Saved {
  /** The target distributions q, [..., C]; zero rows for ignored targets. */
  q: Tensor;
  /** 1 for a counted row, 0 for an ignored one, [..., 1]. */
  counted: Tensor;
  /** The number of counted rows N. */
  count: number;
}

const crossEntropyOp: Op<CrossEntropyAttrs> = defineOp<CrossEntropyAttrs, Saved>({
  name: 'crossEntropy',
  inputNames: ['logits'],
  forward([x], { targets, ignoreIndex, labelSmoothing, reduction }) {
    const classes = x.shape[x.rank - 1];
    const rows = targets.size;
    const q = allocate(x.dtype, x.size);
    const counted = allocate(x.dtype, rows);
    const losses = allocate(x.dtype, rows);
    let count = 0;
    for (let r = 0; r < rows; r++) {
      const target = targets.data[r];
      if (target === ignoreIndex) continue;
      count += 1;
      counted[r] = 1;
      const base = r * classes;
      let m = -Infinity;
      for (let c = 0; c < classes; c++) m = Math.max(m, x.data[base + c]);
      let total = 0;
      for (let c = 0; c < classes; c++) total += Math.exp(x.data[base + c] - m);
      const lse = m === Infinity || m === -Infinity ? m : m + Math.log(total);
      // ℓ = lse − q·x; the ε/C part only when ε > 0 (0·(−∞) would be NaN for masked logits).
      let qx = (1 - labelSmoothing) * x.data[base + target];
      q[base + target] = 1 - labelSmoothing;
      if (labelSmoothing > 0) {
        const share = labelSmoothing / classes;
        for (let c = 0; c < classes; c++) {
          qx += share * x.data[base + c];
          q[base + c] += share;
        }
      }
      losses[r] = lse - qx;
    }
    const rowShape = x.shape.slice(0, -1);
    const saved = { q: new Tensor(q, x.shape), counted: new Tensor(counted, [...rowShape, 1]), count };
    if (reduction === 'none') return { output: new Tensor(losses, rowShape), saved };
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += losses[r];
    // mean over no counted row is 0/0 = NaN, as PyTorch.
    const value = reduction === 'sum' ? sum : sum / count;
    const output = allocate(x.dtype, 1);
    output[0] = value;
    return { output: new Tensor(output, []), saved };
  },
  // With no counted row the loss is NaN but the gradient 0 (as PyTorch): divide by max(N, 1).
  backward(dL, { inputs: [x], attrs: { reduction }, saved: { q, counted, count } }) {
    const weights =
      reduction === 'none'
        ? mul(reshape(dL, counted.shape), counted)
        : mul(reduction === 'mean' ? div(dL, Math.max(count, 1)) : dL, counted);
    return [mul(weights, sub(softmax(x, -1), q))];
  },
});

/**
 * Options of `crossEntropy`.
 *
 * @example
 * const options: CrossEntropyOptions = { ignoreIndex: 0, labelSmoothing: 0.1, reduction: 'sum' };
 */
export interface CrossEntropyOptions {
  /** Rows whose target equals this are skipped (loss 0, not counted in the mean). Default −100, as PyTorch. */
  ignoreIndex?: number;
  /** ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C. Default 0. */
  labelSmoothing?: number;
  /** 'mean' (over counted rows, default), 'sum' or 'none' (one loss per row, 0 for ignored rows). */
  reduction?: Reduction;
}

/**
 * Cross-entropy of logits [..., C] (classes on the last axis) against int32 class indices [...],
 * computed from the logits (never log of a probability) with the fused gradient
 * (softmax − target)/N. PyTorch's F.cross_entropy puts classes on axis 1 for inputs of rank > 2;
 * here they are always last, as in a language model's [batch, time, vocabulary] logits.
 *
 * @throws TypeError when logits is not a float Tensor, targets not an int32 Tensor, or an option
 * has the wrong type; RangeError when targets' shape is not logits' without its last axis, a
 * target is outside [0, C) (and not ignoreIndex), or labelSmoothing is outside [0, 1].
 * @example
 * const logits = randn([4, 10], { requiresGrad: true });
 * const loss = crossEntropy(logits, tensor([1, 0, 9, 3], { dtype: 'int32' }));
 * loss.backward(); // logits.grad = (softmax(logits) − onehot)/4
 */
export function crossEntropy(logits: Tensor, targets: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const ignoreIndex = options.ignoreIndex ?? -100;
  checkClassTargets('crossEntropy', 'logits', logits, targets, ignoreIndex);
  const labelSmoothing = options.labelSmoothing ?? 0;
  if (typeof labelSmoothing !== 'number') throw typeError('crossEntropy', `labelSmoothing must be a number, got ${String(labelSmoothing)}`);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
    throw rangeError('crossEntropy', `labelSmoothing must lie in [0, 1], got ${labelSmoothing}`);
  const reduction = checkReduction('crossEntropy', options.reduction);
  return crossEntropyOp([logits], { targets, ignoreIndex, labelSmoothing, reduction });
}
