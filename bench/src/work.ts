import { rng } from '@attograd/tensor';

/** What one benchmark row computes. Every engine runs the same work on the same random values. */
export type Work =
  | { kind: 'matmul'; n: number; dtype: 'float64' | 'float32' }
  | { kind: 'softmax'; rows: number; columns: number; backward: boolean }
  | { kind: 'layerNorm'; rows: number; d: number; backward: boolean }
  | { kind: 'attention'; T: number; d: number; heads: number; backward: boolean }
  | { kind: 'gradcheck'; T: number; d: number };

/** A prepared case: `run` does the work once (reading results back, so lazy engines finish). */
export interface Runner {
  /** The precision the engine computes this work in. */
  dtype: 'float64' | 'float32';
  run(): unknown;
  dispose(): void;
}

/** One engine under test. `prepare` returns null when the engine cannot do this work. */
export interface Engine {
  name: string;
  prepare(work: Work): Runner | null;
}

/** Seeded standard-normal values, scaled, so every engine sees identical inputs. */
export function randomValues(size: number, seed: number, scale = 1): Float64Array {
  const generator = rng(seed);
  const values = new Float64Array(size);
  for (let i = 0; i < size; i++) values[i] = generator.normal() * scale;
  return values;
}

/**
 * The inputs of attention: X [T, d], W_q, W_k, W_v (and W_o for several heads) [d, d] with
 * entries of variance 1/d, and the cotangent G [T, d] of the output.
 */
export function attentionInputs(T: number, d: number, heads: number) {
  const weightCount = heads > 1 ? 4 : 3;
  return {
    x: randomValues(T * d, 1),
    weights: Array.from({ length: weightCount }, (_, i) => randomValues(d * d, 10 + i, 1 / Math.sqrt(d))),
    cotangent: randomValues(T * d, 2),
  };
}

/** Multiply-adds ×2 of the work's matrix products, for GFLOP/s (null where not meaningful). */
export function flopsOf(work: Work): number | null {
  if (work.kind === 'matmul') return 2 * work.n ** 3;
  if (work.kind !== 'attention') return null;
  const { T, d, heads, backward } = work;
  const projections = (heads > 1 ? 4 : 3) * 2 * T * d * d;
  const scores = 2 * 2 * T * T * d; // QKᵀ and PV, over all heads together
  const forward = projections + scores;
  return backward ? 3 * forward : forward;
}

/** A short label: "matmul 256 f64", "attention T=128 d=64 h=4 fwd+bwd". */
export function labelOf(work: Work): string {
  switch (work.kind) {
    case 'matmul':
      return `matmul ${work.n} ${work.dtype === 'float64' ? 'f64' : 'f32'}`;
    case 'softmax':
      return `softmax [${work.rows}, ${work.columns}] ${work.backward ? 'fwd+bwd' : 'fwd'}`;
    case 'layerNorm':
      return `layer norm [${work.rows}, ${work.d}] ${work.backward ? 'fwd+bwd' : 'fwd'}`;
    case 'attention':
      return `attention${work.heads > 1 ? ` ${work.heads} heads` : ''} T=${work.T} d=${work.d} ${work.backward ? 'fwd+bwd' : 'fwd'}`;
    case 'gradcheck':
      return `gradcheck full, attention T=${work.T} d=${work.d}`;
  }
}
