/**
 * Causal single-head self-attention written with plain loops and nothing from attograd, to check
 * the installed package's numbers against: Z = softmax(Q·Kᵀ/√d, causal)·V and, for a cotangent
 * dZ, dW_v = Xᵀ·(Pᵀ·dZ). Matrices are row-major arrays.
 */
export interface AttentionCase {
  x: number[];
  wq: number[];
  wk: number[];
  wv: number[];
  dZ: number[];
}

/** a [rows, inner] · b [inner, cols] → [rows, cols]. */
function product(a: number[], b: number[], rows: number, inner: number, cols: number): number[] {
  const out = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < inner; k++) {
      for (let j = 0; j < cols; j++) out[i * cols + j] += a[i * inner + k] * b[k * cols + j];
    }
  }
  return out;
}

/** m [rows, cols] → mᵀ [cols, rows]. */
function transposed(m: number[], rows: number, cols: number): number[] {
  const out = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j];
  return out;
}

/** Row i of P attends to keys 0…i only (causal), scaled by 1/√d, normalised with the max trick. */
function causalSoftmax(scores: number[], tokens: number, d: number): number[] {
  const p = new Array<number>(tokens * tokens).fill(0);
  for (let i = 0; i < tokens; i++) {
    const row = scores.slice(i * tokens, i * tokens + i + 1).map((s) => s / Math.sqrt(d));
    const top = Math.max(...row);
    const exps = row.map((s) => Math.exp(s - top));
    const total = exps.reduce((a, b) => a + b, 0);
    exps.forEach((e, j) => (p[i * tokens + j] = e / total));
  }
  return p;
}

export function referenceAttention({ x, wq, wk, wv, dZ }: AttentionCase, tokens: number, d: number): { z: number[]; p: number[]; dWv: number[] } {
  const q = product(x, wq, tokens, d, d);
  const k = product(x, wk, tokens, d, d);
  const v = product(x, wv, tokens, d, d);
  const p = causalSoftmax(product(q, transposed(k, tokens, d), tokens, d, tokens), tokens, d);
  const z = product(p, v, tokens, tokens, d);
  const dV = product(transposed(p, tokens, tokens), dZ, tokens, tokens, d);
  const dWv = product(transposed(x, tokens, d), dV, d, tokens, d);
  return { z, p, dWv };
}
