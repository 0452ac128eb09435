import { type Op, allocate, broadcastPlan, broadcastShapes, defineOp, sizeOf, Tensor, tensor, type TensorData } from '@attograd/tensor';
import { checkAnyTensor, tensorOrNumber } from './checks';
import type { Derivation } from './derivation';

export const derivation: Derivation = {
  op: 'where',
  definition: 'Y_i = A_i if condition_i ≠ 0, else B_i; condition, A and B broadcast together; condition is a constant',
  kind: 'linear',
  backward: { a: 'dA = where(condition, dY, 0)', b: 'dB = where(condition, 0, dY)' },
  steps: ['each Y_i is A_i or B_i, chosen by a constant condition', 'the gradient goes to whichever was chosen; the other gets 0'],
  saves: 'the condition',
  ko: {
    definition: 'condition_i ≠ 0이면 Y_i = A_i, 아니면 Y_i = B_i; condition, A, B는 함께 브로드캐스트되며 condition은 상수이다',
    steps: ['각 Y_i는 상수 condition이 고른 A_i 또는 B_i이다', '기울기는 선택된 쪽으로만 가고, 다른 쪽은 0을 받는다'],
    saves: 'condition',
  },
};

const whereOp: Op<{ condition: Tensor }> = defineOp<{ condition: Tensor }>({
  name: 'where',
  inputNames: ['a', 'b'],
  forward([a, b], { condition }) {
    const shape = broadcastShapes('where', broadcastShapes('where', condition.shape, a.shape, ['condition', 'a']), b.shape, [
      'condition and a',
      'b',
    ]);
    const out = allocate(a.dtype, sizeOf(shape));
    const { outer, inner, offsets, innerStrides } = broadcastPlan([condition.shape, a.shape, b.shape], shape);
    const [sc, sa, sb] = innerStrides;
    const c = condition.data;
    const x = a.data;
    const y = b.data;
    // Block by block (see broadcastPlan): a [T, T] mask against [B, H, T, T] scores is blocks of T·T.
    // A condition made of long runs (a causal mask) is copied run by run with memcpy and fill.
    const runs = sc === 1 ? conditionRuns(c, offsets[0], inner) : null;
    for (let o = 0; o < outer; o++) {
      const start = o * inner;
      const ci = offsets[0][o];
      const blockRuns = runs?.get(ci);
      if (blockRuns !== undefined) copyRuns(out, start, blockRuns, x, offsets[1][o], sa, y, offsets[2][o], sb);
      else whereBlock(out, start, inner, c, ci, sc, x, offsets[1][o], sa, y, offsets[2][o], sb);
    }
    return new Tensor(out, shape);
  },
  backward(dY, { attrs: { condition }, needsGrad }) {
    const zero = tensor(0, { dtype: dY.dtype });
    return [needsGrad[0] ? whereOp([dY, zero], { condition }) : null, needsGrad[1] ? whereOp([zero, dY], { condition }) : null];
  },
});

/** Runs shorter than this on average are not worth a memcpy or fill each. */
const MIN_MEAN_RUN = 16;

/**
 * For each distinct block of the condition (a [T, T] mask read by every [T, T] block of the
 * scores is one), where its value switches between zero and nonzero: boundaries [0, e₁, e₂, …,
 * inner], the first run being nonzero when `startsNonzero`. Null when the runs are short (a random
 * condition), so the element loop is used.
 */
function conditionRuns(c: TensorData, blockStarts: Int32Array, inner: number): Map<number, ConditionRuns> | null {
  const runs = new Map<number, ConditionRuns>();
  let count = 0;
  for (const ci of blockStarts) {
    if (runs.has(ci)) continue;
    // Gives up as soon as the runs so far are too many for the blocks so far, so a random
    // condition costs a fraction of a pass, not a whole one.
    const budget = ((runs.size + 1) * inner) / MIN_MEAN_RUN - count;
    const ends: number[] = [];
    let nonzero = c[ci] !== 0;
    const startsNonzero = nonzero;
    for (let j = 1; j < inner; j++) {
      if ((c[ci + j] !== 0) !== nonzero) {
        if (ends.push(j) >= budget) return null;
        nonzero = !nonzero;
      }
    }
    ends.push(inner);
    count += ends.length;
    runs.set(ci, { startsNonzero, ends });
  }
  return runs;
}

interface ConditionRuns {
  startsNonzero: boolean;
  ends: number[];
}

/** One block, run by run: a stretch of x or y (stride 1) is copied, one value (stride 0) filled. */
function copyRuns(
  out: TensorData,
  start: number,
  { startsNonzero, ends }: ConditionRuns,
  x: TensorData,
  ai: number,
  sa: number,
  y: TensorData,
  bi: number,
  sb: number,
): void {
  let from = start;
  let nonzero = startsNonzero;
  for (const end of ends) {
    const to = start + end;
    const source = nonzero ? x : y;
    const shift = (nonzero ? ai : bi) - start;
    if ((nonzero ? sa : sb) === 0) out.fill(source[shift + start], from, to);
    else if (to - from >= 256) out.set(source.subarray(from + shift, to + shift), from);
    else for (let j = from; j < to; j++) out[j] = source[j + shift];
    from = to;
    nonzero = !nonzero;
  }
}

/**
 * out[start + j] = c[ci + j·sc] ≠ 0 ? x[ai + j·sa] : y[bi + j·sb] for j < n; strides are 0 or 1.
 * The common blocks get loops of their own with no stride arithmetic: everything advancing (same
 * shapes), and a mask choosing between a run and one value (maskedFill, the causal mask).
 */
function whereBlock(
  out: TensorData,
  start: number,
  n: number,
  c: TensorData,
  ci: number,
  sc: number,
  x: TensorData,
  ai: number,
  sa: number,
  y: TensorData,
  bi: number,
  sb: number,
): void {
  const end = start + n;
  const shiftC = ci - start;
  if (sc === 1 && sa === 1 && sb === 1) {
    const shiftA = ai - start;
    const shiftB = bi - start;
    for (let j = start; j < end; j++) out[j] = c[j + shiftC] !== 0 ? x[j + shiftA] : y[j + shiftB];
  } else if (sc === 1 && sa === 0 && sb === 1) {
    const value = x[ai];
    const shiftB = bi - start;
    for (let j = start; j < end; j++) out[j] = c[j + shiftC] !== 0 ? value : y[j + shiftB];
  } else if (sc === 1 && sa === 1 && sb === 0) {
    const value = y[bi];
    const shiftA = ai - start;
    for (let j = start; j < end; j++) out[j] = c[j + shiftC] !== 0 ? x[j + shiftA] : value;
  } else {
    for (let j = 0; j < n; j++) out[start + j] = c[ci + j * sc] !== 0 ? x[ai + j * sa] : y[bi + j * sb];
  }
}

/**
 * Picks a where `condition` is nonzero, b elsewhere, with broadcasting. The condition is a
 * constant (no gradient flows to it); a or b may be numbers.
 *
 * @example
 * where(mask, scores, -Infinity)
 */
export function where(condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  checkAnyTensor('where', 'condition', condition);
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : condition.dtype === 'int32' ? tensor(0) : condition;
  return whereOp([tensorOrNumber('where', 'a', a, like), tensorOrNumber('where', 'b', b, like)], { condition });
}
