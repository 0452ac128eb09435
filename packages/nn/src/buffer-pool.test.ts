import { describe, expect, it } from 'vitest';
import { allocationStats, noGrad, rng, setBufferPoolLimit, type Tensor, tensor, topologicalOrder } from '@attograd/tensor';
import { GPT } from './index';

/**
 * The engine's buffer pool (tensor/src/buffer-pool.ts) under a real workload: GPT training steps
 * (forward, cross-entropy, backward, SGD update) that keep a reference to every value of every
 * recorded graph and to every gradient handed out. Each held tensor must end, and be after every
 * step, exactly what it is in the same run with the pool turned off — a reused buffer is never
 * visible through anything a user holds.
 */
function train(dtype: 'float32' | 'float64'): Float64Array[][] {
  const model = new GPT({ vocabSize: 32, blockSize: 16, dModel: 32, heads: 2, layers: 2, dtype, rng: rng(5) });
  const random = rng(6);
  const draw = () => Int32Array.from({ length: 4 * 16 }, () => Math.floor(random.uniform() * 32));
  const params = new Set(model.parameters());
  const held: Tensor[] = [];
  const seen: Float64Array[][] = [];
  for (let step = 0; step < 3; step++) {
    const ids = tensor(draw(), { shape: [4, 16], dtype: 'int32' });
    const targets = tensor(draw(), { shape: [4, 16], dtype: 'int32' });
    for (const p of params) p.grad = null;
    const { loss } = model.forward(ids, targets);
    held.push(...topologicalOrder(loss!));
    loss!.backward();
    for (const p of params) held.push(p.grad!);
    noGrad(() => {
      for (const p of params) p.addScaled_(p.grad!, -0.1);
    });
    seen.push(held.filter((t) => !params.has(t)).map((t) => Float64Array.from(t.data)));
  }
  return seen;
}

/** Where two runs' snapshots differ (step, tensor, first element), as text; [] when identical. */
function differences(on: Float64Array[][], off: Float64Array[][]): string[] {
  const found: string[] = [];
  if (on.length !== off.length) return [`${on.length} snapshots against ${off.length}`];
  for (let s = 0; s < on.length; s++) {
    if (on[s].length !== off[s].length) found.push(`step ${s}: ${on[s].length} tensors against ${off[s].length}`);
    for (let t = 0; t < Math.min(on[s].length, off[s].length); t++) {
      const [a, b] = [on[s][t], off[s][t]];
      const i = a.findIndex((v, k) => !Object.is(v, b[k]));
      if (a.length !== b.length || i >= 0) found.push(`step ${s}, tensor ${t}, element ${i}: ${a[i]} vs ${b[i]}`);
    }
  }
  return found.slice(0, 5);
}

describe('buffer pool in GPT training', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: every held value and gradient equals the run without the pool, and the pool was used`, () => {
      setBufferPoolLimit(0);
      let off: Float64Array[][];
      try {
        off = train(dtype);
      } finally {
        setBufferPoolLimit(64 * 2 ** 20); // the default limit, also when the run without the pool throws
      }
      const before = allocationStats();
      const on = train(dtype);
      const after = allocationStats();
      expect(after.reuses).toBeGreaterThan(before.reuses);
      expect(after.releasedBytes).toBeGreaterThan(before.releasedBytes);
      expect(differences(on, off)).toEqual([]);
    });
  }
});
