import type { TensorData } from '@attograd/tensor';

/**
 * One matrix product C = op(A)·op(B) into `c` (overwritten), where op(M) is M or Mᵀ. A and B are
 * row-major at the given offsets; `m`, `n`, `k` are the sizes of op(A): [m, k] and op(B): [k, n].
 * The transposed variants exist so backward never materialises a transpose.
 */
export function matmulInto(
  a: TensorData, aOffset: number, transposeA: boolean,
  b: TensorData, bOffset: number, transposeB: boolean,
  c: TensorData, cOffset: number,
  m: number, n: number, k: number,
): void {
  // Element (i, p) of op(A) sits at aOffset + i·aRow + p·aCol; likewise op(B).
  const aRow = transposeA ? 1 : k;
  const aCol = transposeA ? m : 1;
  c.fill(0, cOffset, cOffset + m * n);
  if (!transposeB) {
    // i-p-j order: the inner loop runs along contiguous rows of B and C.
    for (let i = 0; i < m; i++) {
      const cRow = cOffset + i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[aOffset + i * aRow + p * aCol];
        const bRow = bOffset + p * n;
        for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
      }
    }
    return;
  }
  // op(B) = Bᵀ: column j of op(B) is row j of B, so each C element is a contiguous dot product
  // when A is not transposed.
  for (let i = 0; i < m; i++) {
    const cRow = cOffset + i * n;
    for (let j = 0; j < n; j++) {
      const bRow = bOffset + j * k;
      let total = 0;
      for (let p = 0; p < k; p++) total += a[aOffset + i * aRow + p * aCol] * b[bRow + p];
      c[cRow + j] = total;
    }
  }
}
