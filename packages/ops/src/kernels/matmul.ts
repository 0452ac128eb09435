import type { TensorData } from '@attograd/tensor';
import { leftOperand, rightOperand } from './gemm-pack';
import { gemmTs } from './gemm-ts';
import { gemmWasm } from './gemm-wasm';

/** Which kernel runs a product: chosen by size ('auto'), or forced (tests compare the paths). */
export type MatmulKernel = 'auto' | 'wasm' | 'typescript' | 'reference';

/**
 * Products with fewer multiply-adds than this stay in TypeScript, where copying into WebAssembly
 * memory and back would cost more than SIMD saves. WebAssembly already wins at 16 × 32 × 32: the
 * full gradcheck of attention T = 16, d = 32 takes 0.30 s with it and 0.45 s without.
 */
export const WASM_MIN_MULTIPLY_ADDS = 8 * 8 * 8;

/**
 * One matrix product C = op(A)·op(B) into `c` (overwritten), where op(M) is M or Mᵀ. A and B are
 * row-major at the given offsets; `m`, `n`, `k` are the sizes of op(A): [m, k] and op(B): [k, n].
 * The transposed variants exist so backward never materialises a transpose: the packing step of
 * the blocked kernels reads A or B along whichever axis op() asks for.
 */
export function matmulInto(
  a: TensorData,
  aOffset: number,
  transposeA: boolean,
  b: TensorData,
  bOffset: number,
  transposeB: boolean,
  c: TensorData,
  cOffset: number,
  m: number,
  n: number,
  k: number,
  kernel: MatmulKernel = 'auto',
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    c.fill(0, cOffset, cOffset + m * n);
    return;
  }
  if (kernel === 'reference') {
    matmulReference(a, aOffset, transposeA, b, bOffset, transposeB, c, cOffset, m, n, k);
    return;
  }
  const left = leftOperand(a, aOffset, transposeA, m, k);
  const right = rightOperand(b, bOffset, transposeB, k, n);
  const useWasm = kernel === 'wasm' || (kernel === 'auto' && m * n * k >= WASM_MIN_MULTIPLY_ADDS);
  if (useWasm && gemmWasm(left, right, c, cOffset, k)) return;
  gemmTs(left, right, c, cOffset, k);
}

/** The textbook triple loop, kept as the reference the fast kernels are tested against. */
export function matmulReference(
  a: TensorData,
  aOffset: number,
  transposeA: boolean,
  b: TensorData,
  bOffset: number,
  transposeB: boolean,
  c: TensorData,
  cOffset: number,
  m: number,
  n: number,
  k: number,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let p = 0; p < k; p++) {
        const aip = transposeA ? a[aOffset + p * m + i] : a[aOffset + i * k + p];
        const bpj = transposeB ? b[bOffset + j * k + p] : b[bOffset + p * n + j];
        total += aip * bpj;
      }
      c[cOffset + i * n + j] = total;
    }
  }
}
