import type { TensorData } from '@attograd/tensor';
import { layerNormWasm } from './layer-norm-wasm';
import { layerNorm32Wasm, layerNormBackward32Wasm } from './layer-norm32-wasm';

/**
 * Fused layer-norm kernels over rows of length d (the last axis). Forward writes Y and keeps N
 * and rstd for backward; backward makes dX, dγ and dβ in two passes per row.
 */

/** Below this many elements the TypeScript loop beats copying into WebAssembly memory. */
const WASM_MIN_SIZE = 64;

/**
 * Y = γ ⊙ N + β with N = (x − μ)·rstd per row. Float64 and float32 rows of even length go to the
 * WebAssembly SIMD kernels where they run (layer-norm-wasm.ts, layer-norm32-wasm.ts: the same
 * float64 operations in the same order, so the same bits); everything else to the loop below.
 */
export function layerNormForward(
  x: TensorData,
  gamma: TensorData,
  beta: TensorData,
  eps: number,
  d: number,
  y: TensorData,
  normalized: TensorData,
  rstd: TensorData,
  useWasm = true,
): void {
  const float64 =
    x instanceof Float64Array &&
    gamma instanceof Float64Array &&
    beta instanceof Float64Array &&
    y instanceof Float64Array &&
    normalized instanceof Float64Array &&
    rstd instanceof Float64Array;
  if (useWasm && float64 && x.length >= WASM_MIN_SIZE && layerNormWasm(x, gamma, beta, eps, d, y, normalized, rstd)) return;
  const float32 =
    x instanceof Float32Array &&
    gamma instanceof Float32Array &&
    beta instanceof Float32Array &&
    y instanceof Float32Array &&
    normalized instanceof Float32Array &&
    rstd instanceof Float32Array;
  if (useWasm && float32 && x.length >= WASM_MIN_SIZE && layerNorm32Wasm(x, gamma, beta, eps, d, y, normalized, rstd)) return;
  const rows = d === 0 ? 0 : x.length / d;
  for (let row = 0, start = 0; row < rows; row++, start += d) {
    // Both sums run in two interleaved accumulators (even and odd i), added at the end: the
    // order of the WebAssembly kernel's two lanes, so the paths agree to the last bit even where
    // the order decides (a huge row that sums to 0 one way and overflows the other).
    let even = 0;
    let odd = 0;
    for (let i = 0; i + 1 < d; i += 2) {
      even += x[start + i];
      odd += x[start + i + 1];
    }
    if (d % 2 === 1) even += x[start + d - 1];
    const mu = (even + odd) / d;
    even = 0;
    odd = 0;
    for (let i = 0; i + 1 < d; i += 2) {
      const centeredEven = x[start + i] - mu;
      const centeredOdd = x[start + i + 1] - mu;
      even += centeredEven * centeredEven;
      odd += centeredOdd * centeredOdd;
    }
    if (d % 2 === 1) {
      const centered = x[start + d - 1] - mu;
      even += centered * centered;
    }
    const r = reciprocalStd((even + odd) / d, eps);
    rstd[row] = r;
    for (let i = 0; i < d; i++) {
      const n = (x[start + i] - mu) * r;
      normalized[start + i] = n;
      y[start + i] = gamma[i] * n + beta[i];
    }
  }
}

/**
 * rstd = 1/√(var + ε), but NaN when var is +∞ (the squares overflowed, |x − μ| > 1.3e154) instead
 * of a silent 0 that would make N = 0: the row's statistics are lost, as PyTorch says with NaN.
 * ∞ − ∞ is NaN and v − v is 0 for finite v, so adding it changes nothing else.
 */
function reciprocalStd(variance: number, eps: number): number {
  return 1 / Math.sqrt(variance + eps) + (variance - variance);
}

/**
 * dN = dY ⊙ γ;  dX = rstd ⊙ (dN − mean(dN) − N ⊙ mean(dN ⊙ N));  dγ = Σ_rows dY ⊙ N;  dβ = Σ_rows dY.
 * Any of dX, dγ, dβ may be null when that gradient is not needed; dγ and dβ must be zero-filled.
 */
export function layerNormBackward(
  dY: TensorData,
  normalized: TensorData,
  rstd: TensorData,
  gamma: TensorData,
  d: number,
  dX: TensorData | null,
  dGamma: TensorData | null,
  dBeta: TensorData | null,
  useWasm = true,
): void {
  const rows = d === 0 ? 0 : dY.length / d;
  if (
    useWasm &&
    dY.length >= WASM_MIN_SIZE &&
    dY instanceof Float32Array &&
    normalized instanceof Float32Array &&
    rstd instanceof Float32Array &&
    gamma instanceof Float32Array &&
    (dX === null || dX instanceof Float32Array) &&
    (dGamma === null || dGamma instanceof Float32Array) &&
    (dBeta === null || dBeta instanceof Float32Array) &&
    layerNormBackward32Wasm(dY, normalized, rstd, gamma, d, dX, dGamma, dBeta)
  ) {
    return;
  }
  // dγ and dβ sum over every row: accumulated in float64 whatever the dtype, rounded once.
  const gammaTotals = dGamma === null || dGamma instanceof Float64Array ? dGamma : new Float64Array(d);
  const betaTotals = dBeta === null || dBeta instanceof Float64Array ? dBeta : new Float64Array(d);
  for (let row = 0, start = 0; row < rows; row++, start += d) {
    // Pass 1: dγ, dβ and the two row means dX needs, each row sum in two partial sums (even and
    // odd i) added at the end: the order of the float32 WebAssembly kernel's two lanes.
    const dNTotal = [0, 0];
    const dNDotN = [0, 0];
    for (let i = 0; i < d; i++) {
      const dy = dY[start + i];
      const n = normalized[start + i];
      const dN = dy * gamma[i];
      dNTotal[i & 1] += dN;
      dNDotN[i & 1] += dN * n;
      if (gammaTotals !== null) gammaTotals[i] += dy * n;
      if (betaTotals !== null) betaTotals[i] += dy;
    }
    if (dX === null) continue;
    // Pass 2: dX = rstd ⊙ (dN − mean(dN) − N ⊙ mean(dN ⊙ N)).
    const dNMean = (dNTotal[0] + dNTotal[1]) / d;
    const dNDotNMean = (dNDotN[0] + dNDotN[1]) / d;
    const r = rstd[row];
    for (let i = 0; i < d; i++) {
      dX[start + i] = r * (dY[start + i] * gamma[i] - dNMean - normalized[start + i] * dNDotNMean);
    }
  }
  if (dGamma !== null && gammaTotals !== dGamma) dGamma.set(gammaTotals!);
  if (dBeta !== null && betaTotals !== dBeta) dBeta.set(betaTotals!);
}
