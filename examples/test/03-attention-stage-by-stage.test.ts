import { beforeAll, describe, expect, it } from 'vitest';
import { randn, rng, type Rng } from '@attograd/tensor';
import { stages } from '@attograd/attention';
import { parseMatrices, type PrintedMatrix, runExample } from './run-example';

/**
 * Runs example 03 and checks what it prints against an independent plain-JavaScript attention
 * block (no attograd ops): every stage's values to the 4 printed decimals, and every gradient
 * against central finite differences of that plain forward pass.
 */
type Matrix = number[][];

const T = 3;
const d = 4;
const seed = 7;

/** The example's inputs, drawn in the same order from the same generator. */
function regenerateInputs() {
  const random = rng(seed);
  const draw = (random: Rng, shape: number[], factor = 1, offset = 0): Matrix => {
    const t = randn(shape, { rng: random });
    const values = Array.from(t.data, (v) => offset + factor * v);
    const columns = shape[shape.length - 1];
    return Array.from({ length: values.length / columns }, (_, r) => values.slice(r * columns, (r + 1) * columns));
  };
  const x = draw(random, [T, d]);
  const [wq, wk, wv] = [0, 1, 2].map(() => draw(random, [d, d], 1 / Math.sqrt(d)));
  const gamma = draw(random, [d], 0.1, 1)[0];
  const beta = draw(random, [d], 0.1)[0];
  const c = draw(rng(seed + 1), [T, d]);
  return { x, wq, wk, wv, gamma, beta, c };
}

const matmul = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0].map((_, j) => row.reduce((total, v, k) => total + v * b[k][j], 0)));
const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));

/** The attention block written out with arrays: every intermediate, by its printed name. */
function plainForward(x: Matrix, wq: Matrix, wk: Matrix, wv: Matrix, gamma: number[], beta: number[]): Record<string, Matrix> {
  const q = matmul(x, wq);
  const k = matmul(x, wk);
  const v = matmul(x, wv);
  const s = matmul(q, transpose(k));
  const sHat = s.map((row) => row.map((value) => value / Math.sqrt(wq[0].length)));
  const p = sHat.map((row) => {
    const top = Math.max(...row);
    const e = row.map((value) => Math.exp(value - top));
    const total = e.reduce((a, b) => a + b);
    return e.map((value) => value / total);
  });
  const z = matmul(p, v);
  const y = x.map((row, i) => {
    const h = row.map((value, j) => value + z[i][j]);
    const mu = h.reduce((a, b) => a + b) / h.length;
    const variance = h.reduce((a, b) => a + (b - mu) ** 2, 0) / h.length;
    return h.map((value, j) => (gamma[j] * (value - mu)) / Math.sqrt(variance + 1e-5) + beta[j]);
  });
  return { Q: q, K: k, V: v, S: s, Ŝ: sHat, P: p, Z: z, Y: y };
}

/** Central differences of L = Σ Y ⊙ C with respect to every element of one input. */
function finiteDifference(inputs: ReturnType<typeof regenerateInputs>, name: 'x' | 'wq' | 'wk' | 'wv' | 'gamma' | 'beta'): Matrix {
  const loss = (): number => {
    const y = plainForward(inputs.x, inputs.wq, inputs.wk, inputs.wv, inputs.gamma, inputs.beta).Y;
    return y.reduce((total, row, i) => total + row.reduce((sum, v, j) => sum + v * inputs.c[i][j], 0), 0);
  };
  const target: Matrix = name === 'gamma' || name === 'beta' ? [inputs[name]] : inputs[name];
  return target.map((row) =>
    row.map((original, j) => {
      const h = 1e-6;
      row[j] = original + h;
      const plus = loss();
      row[j] = original - h;
      const minus = loss();
      row[j] = original;
      return (plus - minus) / (2 * h);
    }),
  );
}

function expectPrinted(printed: PrintedMatrix | undefined, expected: Matrix, tolerance: number, label: string): void {
  expect(printed, `${label} is printed`).toBeDefined();
  expect(printed!.shape, label).toEqual(
    expected.length === 1 && printed!.shape.length === 1 ? [expected[0].length] : [expected.length, expected[0].length],
  );
  expected.forEach((row, i) =>
    row.forEach((value, j) => {
      expect(
        Math.abs(printed!.rows[i][j] - value),
        `${label}[${i}][${j}] printed ${printed!.rows[i][j]}, expected ${value}`,
      ).toBeLessThanOrEqual(tolerance);
    }),
  );
}

describe('example 03: attention stage by stage', () => {
  let output = '';
  let printed: Map<string, PrintedMatrix>;
  const inputs = regenerateInputs();

  beforeAll(() => {
    output = runExample('03-attention-stage-by-stage.ts');
    printed = parseMatrices(output);
  }, 60_000);

  it('prints a heading for the inputs, every stage in order, the loss and the gradients', () => {
    const headings = output.split('\n').filter((line) => line.startsWith('=== '));
    expect(headings).toEqual([
      '=== inputs ===',
      // Every stage a single-head pass runs: all but the multi-head output projection (W_o).
      ...stages.filter((stage) => stage.key !== 'outputProjection').map((stage) => `=== stage ${stage.id}: ${stage.title.en} ===`),
      '=== loss L = Σ Y ⊙ C ===',
      '=== gradients of L ===',
      '=== three ways to the same gradients ===',
    ]);
    expect(output).not.toMatch(/NaN|Infinity/);
  });

  it('prints the seeded inputs', () => {
    // 4 decimals: a printed value is within 5e-5 of the true one.
    expectPrinted(printed.get('X'), inputs.x, 5e-5, 'X');
    expectPrinted(printed.get('W_q'), inputs.wq, 5e-5, 'W_q');
    expectPrinted(printed.get('W_v'), inputs.wv, 5e-5, 'W_v');
    expectPrinted(printed.get('γ'), [inputs.gamma], 5e-5, 'γ');
    expectPrinted(printed.get('C'), inputs.c, 5e-5, 'C');
  });

  it('prints every stage’s values as an independent plain-JavaScript forward pass computes them', () => {
    const expected = plainForward(inputs.x, inputs.wq, inputs.wk, inputs.wv, inputs.gamma, inputs.beta);
    const shapes: Record<string, number[]> = { Q: [3, 4], K: [3, 4], V: [3, 4], S: [3, 3], Ŝ: [3, 3], P: [3, 3], Z: [3, 4], Y: [3, 4] };
    for (const [name, shape] of Object.entries(shapes)) {
      expect(printed.get(name)?.shape, name).toEqual(shape);
      expectPrinted(printed.get(name), expected[name], 5e-5 + 1e-12, name);
    }
    for (const row of printed.get('P')!.rows) expect(Math.abs(row.reduce((a, b) => a + b) - 1)).toBeLessThan(2e-4);
    const loss = expected.Y.reduce((total, row, i) => total + row.reduce((sum, v, j) => sum + v * inputs.c[i][j], 0), 0);
    expect(Number(/^L = (-?\d+\.\d{4})$/m.exec(output)?.[1])).toBeCloseTo(loss, 4);
  });

  it('prints gradients that match finite differences of the plain forward pass', () => {
    const names = [
      ['X', 'x'],
      ['W_q', 'wq'],
      ['W_k', 'wk'],
      ['W_v', 'wv'],
      ['γ', 'gamma'],
      ['β', 'beta'],
    ] as const;
    for (const [printedName, name] of names) {
      expectPrinted(printed.get(`dL/d${printedName}`), finiteDifference(inputs, name), 5e-5 + 1e-7, `dL/d${printedName}`);
    }
  });

  it('reports hand-derived, autograd and finite-difference gradients in agreement', () => {
    const lines = output.split('\n').filter((line) => / hand vs autograd /.test(line));
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(['x', 'wq', 'wk', 'wv', 'gamma', 'beta']);
    const largest = Number(/^largest relative difference: (\S+)$/m.exec(output)?.[1]);
    expect(largest).toBeGreaterThanOrEqual(0);
    expect(largest).toBeLessThan(1e-8);
  });
});
