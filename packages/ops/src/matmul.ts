import { type Op, allocate, broadcastIndex, broadcastShapes, defineOp, formatShape, rangeError, sizeOf, Tensor } from '@attograd/tensor';
import { checkMinRank, checkTensor } from './checks';
import type { Derivation } from './derivation';
import { matmulInto } from './kernels/matmul';

export const derivation: Derivation = {
  op: 'matmul',
  definition:
    'C = A·B, C_ij = Σ_p A_ip B_pj; A: [..., m, k], B: [..., k, n] → C: [..., m, n] (m rows of A, inner length k, n columns of B; leading axes broadcast)',
  kind: 'bilinear',
  backward: { a: 'dA = dC·Bᵀ', b: 'dB = Aᵀ·dC' },
  steps: [
    'C_ij = Σ_p A_ip B_pj (p = 0 … k − 1), so ∂C_ij/∂A_ip = B_pj and ∂C_ij/∂B_pj = A_ip',
    'A_ip enters every C_ij of row i: dA_ip = Σ_j dC_ij B_pj = (dC·Bᵀ)_ip, shapes [m, n]·[n, k] = [m, k]',
    'B_pj enters every C_ij of column j: dB_pj = Σ_i A_ip dC_ij = (Aᵀ·dC)_pj, shapes [k, m]·[m, n] = [k, n]',
    'an input broadcast along a leading axis receives the sum over that axis (done once, by the engine)',
  ],
  saves: 'inputs A and B',
  ko: {
    definition:
      'C = A·B, C_ij = Σ_p A_ip B_pj; A: [..., m, k], B: [..., k, n] → C: [..., m, n] (m은 A의 행 수, k는 공통 안쪽 길이, n은 B의 열 수; 앞쪽 축은 브로드캐스트된다)',
    steps: [
      'C_ij = Σ_p A_ip B_pj (p = 0 … k − 1)이므로 ∂C_ij/∂A_ip = B_pj, ∂C_ij/∂B_pj = A_ip',
      'A_ip는 i번째 행의 모든 C_ij에 들어간다: dA_ip = Σ_j dC_ij B_pj = (dC·Bᵀ)_ip, 모양 [m, n]·[n, k] = [m, k]',
      'B_pj는 j번째 열의 모든 C_ij에 들어간다: dB_pj = Σ_i A_ip dC_ij = (Aᵀ·dC)_pj, 모양 [k, m]·[m, n] = [k, n]',
      '앞쪽 축을 따라 브로드캐스트된 입력은 그 축을 따라 더한 값을 받는다 (엔진이 한 곳에서 처리한다)',
    ],
    saves: '입력 A와 B',
  },
};

interface MatmulAttrs {
  /** Multiply by Aᵀ (the last two axes of A swapped) instead of A. */
  transposeA: boolean;
  /** Multiply by Bᵀ instead of B. */
  transposeB: boolean;
}

/** The last two axes of x, after an optional transpose: [rows, columns]. */
function matrixDims(x: Tensor, transpose: boolean): [number, number] {
  const rows = x.shape[x.rank - 2];
  const columns = x.shape[x.rank - 1];
  return transpose ? [columns, rows] : [rows, columns];
}

const matmulOp: Op<MatmulAttrs> = defineOp<MatmulAttrs>(
  {
    name: 'matmul',
    inputNames: ['a', 'b'],
    forward([a, b], { transposeA, transposeB }) {
      const [m, k] = matrixDims(a, transposeA);
      const n = matrixDims(b, transposeB)[1];
      if (a.rank === 2 && b.rank === 2) {
        // No batch axes: skip the broadcasting bookkeeping (it shows on small products).
        const out = allocate(a.dtype, m * n);
        matmulInto(a.data, 0, transposeA, b.data, 0, transposeB, out, 0, m, n, k);
        return new Tensor(out, [m, n]);
      }
      const batchA = a.shape.slice(0, -2);
      const batchB = b.shape.slice(0, -2);
      const batch = broadcastShapes('matmul', batchA, batchB, ['batch axes of a', 'batch axes of b']);
      const count = sizeOf(batch);
      const out = allocate(a.dtype, count * m * n);
      // Which matrix of A and of B each output matrix reads (broadcast batch axes repeat one).
      const indexA = broadcastIndex(batchA, batch);
      const indexB = broadcastIndex(batchB, batch);
      for (let t = 0; t < count; t++) {
        matmulInto(a.data, indexA[t] * m * k, transposeA, b.data, indexB[t] * k * n, transposeB, out, t * m * n, m, n, k);
      }
      return new Tensor(out, [...batch, m, n]);
    },
    backward(dC, { inputs: [a, b], attrs: { transposeA, transposeB }, needsGrad }) {
      // With op(M) = M or Mᵀ: d op(A) = dC·op(B)ᵀ and d op(B) = op(A)ᵀ·dC; undo op on each side.
      const dA = !needsGrad[0]
        ? null
        : transposeA
          ? matmulOp([b, dC], { transposeA: transposeB, transposeB: true })
          : matmulOp([dC, b], { transposeA: false, transposeB: !transposeB });
      const dB = !needsGrad[1]
        ? null
        : transposeB
          ? matmulOp([dC, a], { transposeA: true, transposeB: transposeA })
          : matmulOp([a, dC], { transposeA: !transposeA, transposeB: false });
      return [dA, dB];
    },
  },
  { keepsNoGradients: true },
);

/**
 * Matrix product over the last two axes, with leading (batch) axes broadcast as in `torch.matmul`.
 * Both inputs need at least 2 axes.
 *
 * @example
 * matmul(randn([2, 3, 4]), randn([4, 5])) // shape [2, 3, 5]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return matmulTransposed(a, b, false, false);
}

/**
 * op(a)·op(b) where op transposes the last two axes when asked, without materialising the
 * transpose: `matmulTransposed(q, k, false, true)` is Q·Kᵀ. Shapes and errors are those of
 * `matmul` applied to op(a) and op(b).
 *
 * @throws TypeError when a or b is not a Tensor; RangeError when either has fewer than 2 axes, the
 * inner sizes differ, or the batch axes do not broadcast.
 * @example
 * matmulTransposed(randn([4, 8]), randn([6, 8]), false, true) // Q·Kᵀ: shape [4, 6]
 */
export function matmulTransposed(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  checkTensor('matmul', 'a', a);
  checkTensor('matmul', 'b', b);
  checkMinRank('matmul', 'a', a, 2);
  checkMinRank('matmul', 'b', b, 2);
  const inner = matrixDims(a, transposeA)[1];
  const innerB = matrixDims(b, transposeB)[0];
  if (inner !== innerB) {
    throw rangeError(
      'matmul',
      `inner dimensions differ: a${transposeA ? 'ᵀ' : ''} has shape ${formatShape(a.shape)} (k = ${inner}) and ` +
        `b${transposeB ? 'ᵀ' : ''} has shape ${formatShape(b.shape)} (k = ${innerB})`,
    );
  }
  return matmulOp([a, b], { transposeA, transposeB });
}
