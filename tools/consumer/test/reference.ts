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

export function referenceAttention(
  { x, wq, wk, wv, dZ }: AttentionCase,
  tokens: number,
  d: number,
): { z: number[]; p: number[]; dWv: number[] } {
  const q = product(x, wq, tokens, d, d);
  const k = product(x, wk, tokens, d, d);
  const v = product(x, wv, tokens, d, d);
  const p = causalSoftmax(product(q, transposed(k, tokens, d), tokens, d, tokens), tokens, d);
  const z = product(p, v, tokens, tokens, d);
  const dV = product(transposed(p, tokens, tokens), dZ, tokens, tokens, d);
  const dWv = product(transposed(x, tokens, d), dV, d, tokens, d);
  return { z, p, dWv };
}

/**
 * The training loop of fixtures/train.mjs in plain loops: loss Σ(w − t)², gradient 2(w − t),
 * clipped to norm 1 (PyTorch's c = min(1, 1 / (‖g‖ + 1e-6))), then AdamW (β = 0.9, 0.999,
 * ε = 1e-8, λ = 0.01) at the cosine-annealed rate 0.2·(1 + cos(π·step/50))/2.
 */
export function referenceTraining(steps = 50): { w: number[]; losses: number[]; norms: number[] } {
  const target = [1, -2, 3];
  const w = [0, 0, 0];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  const losses: number[] = [];
  const norms: number[] = [];
  for (let step = 0; step < steps; step++) {
    const lr = (0.2 * (1 + Math.cos((Math.PI * step) / 50))) / 2;
    const g = w.map((wi, i) => 2 * (wi - target[i]));
    losses.push(w.reduce((sum, wi, i) => sum + (wi - target[i]) ** 2, 0));
    const norm = Math.sqrt(g.reduce((sum, gi) => sum + gi * gi, 0));
    norms.push(norm);
    const c = Math.min(1, 1 / (norm + 1e-6));
    const t = step + 1;
    for (let i = 0; i < 3; i++) {
      const gi = g[i] * c;
      w[i] *= 1 - lr * 0.01;
      m[i] = 0.9 * m[i] + 0.1 * gi;
      v[i] = 0.999 * v[i] + 0.001 * gi * gi;
      w[i] -= (lr / (1 - 0.9 ** t)) * (m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - 0.999 ** t) + 1e-8));
    }
  }
  return { w, losses, norms };
}
