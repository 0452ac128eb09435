import type { TensorData } from '@attograd/tensor';

/**
 * Fused layer-norm kernels over rows of length d (the last axis). Forward writes Y and keeps N
 * and rstd for backward; backward makes dX, dγ and dβ in two passes per row.
 */
export function layerNormForward(
  x: TensorData, gamma: TensorData, beta: TensorData, eps: number, d: number,
  y: TensorData, normalized: TensorData, rstd: TensorData,
): void {
  const rows = d === 0 ? 0 : x.length / d;
  for (let row = 0, start = 0; row < rows; row++, start += d) {
    let total = 0;
    for (let i = 0; i < d; i++) total += x[start + i];
    const mu = total / d;
    let squares = 0;
    for (let i = 0; i < d; i++) {
      const centered = x[start + i] - mu;
      squares += centered * centered;
    }
    const r = 1 / Math.sqrt(squares / d + eps);
    rstd[row] = r;
    for (let i = 0; i < d; i++) {
      const n = (x[start + i] - mu) * r;
      normalized[start + i] = n;
      y[start + i] = gamma[i] * n + beta[i];
    }
  }
}

/**
 * dN = dY ⊙ γ;  dX = rstd ⊙ (dN − mean(dN) − N ⊙ mean(dN ⊙ N));  dγ = Σ_rows dY ⊙ N;  dβ = Σ_rows dY.
 * Any of dX, dγ, dβ may be null when that gradient is not needed; dγ and dβ must be zero-filled.
 */
export function layerNormBackward(
  dY: TensorData, normalized: TensorData, rstd: TensorData, gamma: TensorData, d: number,
  dX: TensorData | null, dGamma: TensorData | null, dBeta: TensorData | null,
): void {
  const rows = d === 0 ? 0 : dY.length / d;
  for (let row = 0, start = 0; row < rows; row++, start += d) {
    // Pass 1: dγ, dβ and the two row means dX needs.
    let dNTotal = 0;
    let dNDotN = 0;
    for (let i = 0; i < d; i++) {
      const dy = dY[start + i];
      const n = normalized[start + i];
      const dN = dy * gamma[i];
      dNTotal += dN;
      dNDotN += dN * n;
      if (dGamma !== null) dGamma[i] += dy * n;
      if (dBeta !== null) dBeta[i] += dy;
    }
    if (dX === null) continue;
    // Pass 2: dX = rstd ⊙ (dN − mean(dN) − N ⊙ mean(dN ⊙ N)).
    const dNMean = dNTotal / d;
    const dNDotNMean = dNDotN / d;
    const r = rstd[row];
    for (let i = 0; i < d; i++) {
      dX[start + i] = r * (dY[start + i] * gamma[i] - dNMean - normalized[start + i] * dNDotNMean);
    }
  }
}
