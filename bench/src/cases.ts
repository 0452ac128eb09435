import type { Work } from './work';

/** A row of the benchmark and, where the issue sets one, its goal. */
export interface Case {
  work: Work;
  goal?: { text: string; met: (medianMs: number, gflops: number | null) => boolean };
}

const gflopsAtLeast = (target: number) => ({
  text: `≥ ${target} GFLOP/s`,
  met: (_ms: number, gflops: number | null) => gflops !== null && gflops >= target,
});
const atMost = (ms: number) => ({ text: `≤ ${ms} ms`, met: (medianMs: number) => medianMs <= ms });

/** Every row of `pnpm bench`, in the order of the issue. */
export function fullCases(): Case[] {
  const rows: Case[] = [];
  for (const dtype of ['float64', 'float32'] as const) {
    for (const n of [64, 256, 512]) {
      const goal = dtype === 'float64' && n >= 256 ? gflopsAtLeast(8) : dtype === 'float32' && n === 512 ? gflopsAtLeast(35) : undefined;
      rows.push({ work: { kind: 'matmul', n, dtype }, goal });
    }
  }
  for (const backward of [false, true]) rows.push({ work: { kind: 'softmax', rows: 512, columns: 512, backward } });
  for (const backward of [false, true]) rows.push({ work: { kind: 'layerNorm', rows: 512, d: 512, backward } });
  for (const heads of [1, 4]) {
    for (const [T, d] of [
      [128, 64],
      [512, 128],
    ]) {
      for (const backward of [false, true]) {
        const goal = heads === 1 && backward ? atMost(T === 128 ? 3 : 60) : undefined;
        rows.push({ work: { kind: 'attention', T, d, heads, backward }, goal });
      }
    }
  }
  rows.push({ work: { kind: 'gradcheck', T: 16, d: 32 }, goal: atMost(720) });
  return rows;
}

/** The CI smoke test: the same kinds of work at small sizes, each run once. */
export function quickCases(): Case[] {
  const rows: Case[] = [];
  for (const dtype of ['float64', 'float32'] as const) rows.push({ work: { kind: 'matmul', n: 64, dtype } });
  for (const backward of [false, true]) {
    rows.push({ work: { kind: 'softmax', rows: 64, columns: 64, backward } });
    rows.push({ work: { kind: 'layerNorm', rows: 64, d: 32, backward } });
    for (const heads of [1, 4]) rows.push({ work: { kind: 'attention', T: 32, d: 16, heads, backward } });
  }
  rows.push({ work: { kind: 'gradcheck', T: 4, d: 8 } });
  return rows;
}
