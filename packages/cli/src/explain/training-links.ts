import { type Bilingual, multiHeadAttentionBackward, multiHeadAttention, type StageInputs } from '@attograd/attention';
import { add, crossEntropy, embedding, erf, gelu, layerNorm, slice } from '@attograd/ops';
import { noGrad, Tensor } from '@attograd/tensor';
import { linear } from 'attograd';

/**
 * The links of explain's training topics: one function of a training step each (a loss, a layer
 * norm, the attention of a block, an MLP, an embedding lookup), with the ops whose derivation
 * records state its local rule, a forward pass with autograd (`run`) and a backward pass derived
 * by hand (`manualBackward`, plain arithmetic on the arrays, no autograd and no op's gradient
 * rule). `compareStage` puts the hand-derived gradient beside autograd's and finite differences'.
 * The formulas a learner reads are the records' (`derivations[op]`); nothing here restates them.
 */

/** One link of a chain. */
export interface Link {
  /** Stable identifier within its topic. */
  readonly key: string;
  readonly title: Bilingual<string>;
  /** What the link computes and where its gradient goes: prose, formulas come from `ops`. */
  readonly what: Bilingual<string>;
  /** The @attograd/ops derivation records whose rules this link applies. */
  readonly ops: readonly string[];
  /** Keys of the attention registry stages this link runs (the attention of a block), in the order its backward pass applies them. */
  readonly stages?: readonly string[];
  /** The differentiable inputs. */
  readonly inputNames: readonly string[];
  /** How each input and the output (`out`) is printed. */
  readonly display: Readonly<Record<string, string>>;
  run(inputs: StageInputs): Tensor;
  manualBackward(inputs: StageInputs, dOut: Tensor): Record<string, Tensor>;
}

type Names = Readonly<Record<string, string>>;

/** The last axis' length and the number of rows before it. */
function rowsOf(t: Tensor): { rows: number; width: number } {
  const width = t.shape[t.rank - 1];
  return { rows: t.size / width, width };
}

/** A tensor of `shape` from plain numbers. */
function fromArray(values: Float64Array, shape: readonly number[]): Tensor {
  return new Tensor(values, shape);
}

/**
 * C = op(A)·op(B) on flat row-major arrays, op = transpose when the flag is set: A is [m, k]
 * (stored [k, m] when transposed), B is [k, n] (stored [n, k] when transposed).
 */
function product(a: ArrayLike<number>, transposeA: boolean, b: ArrayLike<number>, transposeB: boolean, m: number, k: number, n: number) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let p = 0; p < k; p++) total += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = total;
    }
  return c;
}

/**
 * The loss link: L = crossEntropy(X, t) with mean reduction. By hand, per counted row r:
 * p = softmax(X_r) with the maximum subtracted, q = (1 − ε) onehot(t_r) + ε/C, dX_r = dL (p − q)/N.
 */
export function crossEntropyLink(
  options: { ignoreIndex: number; labelSmoothing: number },
  names: Names,
  text: Pick<Link, 'key' | 'title' | 'what'>,
): Link {
  return {
    ...text,
    ops: ['crossEntropy'],
    inputNames: ['logits'],
    display: names,
    run: ({ logits, targets }) => crossEntropy(logits, targets, options),
    manualBackward({ logits, targets }, dOut) {
      const { rows, width } = rowsOf(logits);
      const counted = Array.from(targets.data).filter((t) => t !== options.ignoreIndex).length;
      const scale = dOut.data[0] / Math.max(counted, 1);
      const dX = new Float64Array(logits.size);
      for (let r = 0; r < rows; r++) {
        const target = targets.data[r];
        if (target === options.ignoreIndex) continue;
        const row = logits.data.subarray(r * width, (r + 1) * width);
        const top = Math.max(...row);
        const exps = Array.from(row, (v) => Math.exp(v - top));
        const total = exps.reduce((s, v) => s + v, 0);
        for (let c = 0; c < width; c++) {
          const q = (c === target ? 1 - options.labelSmoothing : 0) + options.labelSmoothing / width;
          dX[r * width + c] = scale * (exps[c] / total - q);
        }
      }
      return { logits: fromArray(dX, logits.shape) };
    },
  };
}

/**
 * The embedding link: Y = E[ids] (+ P[0 … T−1] when `positions`). By hand: a scatter-add of dY's
 * rows into a zero table (a repeated id adds), and dP's first T rows are dY.
 */
export function embeddingLink(withPositions: boolean, names: Names, text: Pick<Link, 'key' | 'title' | 'what'>): Link {
  return {
    ...text,
    ops: withPositions ? ['embedding', 'slice', 'add'] : ['embedding'],
    inputNames: withPositions ? ['table', 'positions'] : ['table'],
    display: names,
    run: ({ table, positions, ids }) => {
      const tokens = embedding(table, ids);
      return withPositions ? add(tokens, slice(positions, 0, 0, ids.size)) : tokens;
    },
    manualBackward({ table, positions, ids }, dOut) {
      const width = table.shape[1];
      const dTable = new Float64Array(table.size);
      for (let p = 0; p < ids.size; p++) for (let c = 0; c < width; c++) dTable[ids.data[p] * width + c] += dOut.data[p * width + c];
      const result: Record<string, Tensor> = { table: fromArray(dTable, table.shape) };
      if (withPositions) {
        const dPositions = new Float64Array(positions.size);
        dPositions.set(dOut.data.subarray(0, ids.size * width));
        result.positions = fromArray(dPositions, positions.shape);
      }
      return result;
    },
  };
}

/**
 * A layer-norm link: Y = γ ⊙ N + β, N = (X − μ) rstd per row. By hand, per row:
 * dN = dY ⊙ γ, dX = rstd (dN − mean(dN) − N mean(dN ⊙ N)); dγ, dβ summed over rows.
 */
export function layerNormLink(eps: number, names: Names, text: Pick<Link, 'key' | 'title' | 'what'>): Link {
  return {
    ...text,
    ops: ['layerNorm'],
    inputNames: ['x', 'gamma', 'beta'],
    display: names,
    run: ({ x, gamma, beta }) => layerNorm(x, gamma, beta, eps),
    manualBackward({ x, gamma }, dOut) {
      const { rows, width } = rowsOf(x);
      const dX = new Float64Array(x.size);
      const dGamma = new Float64Array(width);
      const dBeta = new Float64Array(width);
      for (let r = 0; r < rows; r++) {
        const row = Array.from(x.data.subarray(r * width, (r + 1) * width));
        const mean = row.reduce((s, v) => s + v, 0) / width;
        const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / width;
        const rstd = 1 / Math.sqrt(variance + eps);
        const n = row.map((v) => (v - mean) * rstd);
        const dY = Array.from(dOut.data.subarray(r * width, (r + 1) * width));
        const dN = dY.map((g, c) => g * gamma.data[c]);
        const meanDN = dN.reduce((s, v) => s + v, 0) / width;
        const meanDNN = dN.reduce((s, v, c) => s + v * n[c], 0) / width;
        for (let c = 0; c < width; c++) {
          dX[r * width + c] = rstd * (dN[c] - meanDN - n[c] * meanDNN);
          dGamma[c] += dY[c] * n[c];
          dBeta[c] += dY[c];
        }
      }
      return { x: fromArray(dX, x.shape), gamma: fromArray(dGamma, gamma.shape), beta: fromArray(dBeta, gamma.shape) };
    },
  };
}

/**
 * The attention link: the registry's multi-head attention (stages 0–4 and 6, W_o included) with
 * weights stored [in, out]; its hand-derived backward is the attention package's
 * `multiHeadAttentionBackward`, the stages' own rules chained.
 */
export function attentionLink(heads: number, names: Names, text: Pick<Link, 'key' | 'title' | 'what'>): Link {
  return {
    ...text,
    ops: [],
    // in the order the backward pass applies them
    stages: ['outputProjection', 'weightedSum', 'softmax', 'scaling', 'scores', 'projection'],
    inputNames: ['x', 'wq', 'wk', 'wv', 'wo'],
    display: names,
    run: ({ x, wq, wk, wv, wo, mask }) => multiHeadAttention(x, { wq, wk, wv, wo }, { heads, mask }),
    manualBackward: ({ x, wq, wk, wv, wo, mask }, dOut) => multiHeadAttentionBackward(x, { wq, wk, wv, wo }, { heads, mask }, dOut),
  };
}

/** A residual link: Y = A + B. By hand, both inputs receive dY unchanged. */
export function residualLink(names: Names, text: Pick<Link, 'key' | 'title' | 'what'>): Link {
  return {
    ...text,
    ops: ['add'],
    inputNames: ['a', 'b'],
    display: names,
    run: ({ a, b }) => add(a, b),
    manualBackward: (_inputs, dOut) => ({ a: dOut.detach(), b: dOut.detach() }),
  };
}

/** Φ(x) and φ(x) of every element, Φ from the erf kernel (not from any gradient rule). */
function normal(x: Tensor): { cdf: number[]; density: number[] } {
  const erfValues = noGrad(() =>
    erf(
      new Tensor(
        x.data.map((v) => v / Math.SQRT2),
        x.shape,
      ),
    ),
  );
  return {
    cdf: Array.from(erfValues.data, (e) => 0.5 * (1 + e)),
    density: Array.from(x.data, (v) => Math.exp((-v * v) / 2) / Math.sqrt(2 * Math.PI)),
  };
}

/** gelu′(x) element by element: Φ + xφ (exact form), or the tanh form's derivative. */
export function geluSlope(x: Tensor, approximate: 'none' | 'tanh'): number[] {
  if (approximate === 'none') {
    const { cdf, density } = normal(x);
    return Array.from(x.data, (v, i) => cdf[i] + v * density[i]);
  }
  const c = Math.sqrt(2 / Math.PI);
  return Array.from(x.data, (v) => {
    const t = Math.tanh(c * (v + 0.044715 * v ** 3));
    return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v);
  });
}

/** The GELU link: Y = gelu(X). By hand: dX = dY ⊙ gelu′(X). */
export function geluLink(approximate: 'none' | 'tanh', names: Names, text: Pick<Link, 'key' | 'title' | 'what'>): Link {
  return {
    ...text,
    ops: ['gelu'],
    inputNames: ['x'],
    display: names,
    run: ({ x }) => gelu(x, { approximate }),
    manualBackward({ x }, dOut) {
      const slope = geluSlope(x, approximate);
      return {
        x: fromArray(
          Float64Array.from(dOut.data, (g, i) => g * slope[i]),
          x.shape,
        ),
      };
    },
  };
}

/** A linear map without bias, Y = X·Wᵀ with W stored [out, in] (nn's Linear). By hand: dX = dY·W, dW = dYᵀ·X. */
export function linearLink(names: Names, text: Pick<Link, 'key' | 'title' | 'what'>): Link {
  return {
    ...text,
    ops: ['matmul'],
    inputNames: ['x', 'w'],
    display: names,
    run: ({ x, w }) => linear(x, w, null),
    manualBackward({ x, w }, dOut) {
      const [out, inner] = w.shape;
      const rows = x.size / inner;
      return {
        x: fromArray(product(dOut.data, false, w.data, false, rows, out, inner), x.shape),
        w: fromArray(product(dOut.data, true, x.data, false, out, rows, inner), w.shape),
      };
    },
  };
}

/**
 * The MLP link: M = gelu(X·W₁ᵀ)·W₂ᵀ. By hand: U = X·W₁ᵀ, G = gelu(U); dG = dM·W₂, dW₂ = dMᵀ·G,
 * dU = dG ⊙ gelu′(U), dW₁ = dUᵀ·X, dX = dU·W₁.
 */
export function mlpLink(names: Names, text: Pick<Link, 'key' | 'title' | 'what'>): Link {
  return {
    ...text,
    ops: ['matmul', 'gelu', 'matmul'],
    inputNames: ['x', 'w1', 'w2'],
    display: names,
    run: ({ x, w1, w2 }) => linear(gelu(linear(x, w1, null)), w2, null),
    manualBackward({ x, w1, w2 }, dOut) {
      const [hidden, width] = w1.shape;
      const rows = x.size / width;
      const u = product(x.data, false, w1.data, true, rows, width, hidden);
      const uTensor = fromArray(u, [rows, hidden]);
      const g = noGrad(() => gelu(uTensor)).data;
      const dG = product(dOut.data, false, w2.data, false, rows, width, hidden);
      const slope = geluSlope(uTensor, 'none');
      const dU = dG.map((value, i) => value * slope[i]);
      return {
        x: fromArray(product(dU, false, w1.data, false, rows, hidden, width), x.shape),
        w1: fromArray(product(dU, true, x.data, false, hidden, rows, width), w1.shape),
        w2: fromArray(product(dOut.data, true, g, false, width, rows, hidden), w2.shape),
      };
    },
  };
}
