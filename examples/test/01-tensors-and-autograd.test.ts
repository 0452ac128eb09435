import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const examplesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a tutorial as a reader would (through tsx) and returns what it printed. */
function runTutorial(file: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(examplesDir, file)], { cwd: examplesDir, encoding: 'utf8' });
}

type Matrix = number[][];

/** The matrix printed on the line `label [shape] = [[...]]`. */
function printed(output: string, label: string): Matrix {
  const line = output.split('\n').find((l) => l.startsWith(`${label} [`));
  if (line === undefined) throw new Error(`no line "${label}" in the output`);
  return JSON.parse(line.slice(line.indexOf('] = ') + 4));
}

const matmul = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0].map((_, j) => row.reduce((s, v, p) => s + v * b[p][j], 0)));
const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));
const maxDiff = (a: Matrix, b: Matrix): number => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));

describe('examples/01-tensors-and-autograd.ts', () => {
  let output = '';
  beforeAll(() => {
    output = runTutorial('01-tensors-and-autograd.ts');
  });

  it('adds with broadcasting', () => {
    expect(printed(output, 'a + bias (bias broadcast over rows)')).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
  });

  it('prints dX = dY ⊙ (2x + 3), recomputed here from the printed x and dY', () => {
    const x = printed(output, 'x');
    const dY = printed(output, 'dY (random cotangent)');
    const expected = x.map((row, i) => row.map((v, j) => dY[i][j] * (2 * v + 3)));
    expect(maxDiff(printed(output, 'dX autograd'), expected)).toBeLessThan(1e-5);
    expect(printed(output, 'dX autograd')).toEqual(printed(output, 'dX by hand = dY ⊙ (2x + 3)'));
    const largest = Number(/largest difference: (\S+)/.exec(output)![1]);
    expect(largest).toBeLessThan(1e-12);
  });

  it('prints dA = dC·Bᵀ and dB = Aᵀ·dC, recomputed here from the printed A, B and dC', () => {
    const [A, B, dC] = [printed(output, 'A'), printed(output, 'B'), printed(output, 'dC (random cotangent)')];
    expect(maxDiff(printed(output, 'dA autograd'), matmul(dC, transpose(B)))).toBeLessThan(1e-5);
    expect(maxDiff(printed(output, 'dB autograd'), matmul(transpose(A), dC))).toBeLessThan(1e-5);
    expect(new Set(dC.flat()).size).toBe(4); // a random cotangent, not all ones
  });

  it('walks the recorded graph: two leaves, two matmuls, one add', () => {
    const nodes = output.split('\n').filter((l) => l.includes(' ← '));
    expect(nodes.map((l) => l.split('← ')[1].split('(')[0])).toEqual(['leaf', 'leaf', 'matmul', 'matmul', 'add']);
    expect(Number(/from 2·dA: (\S+)/.exec(output)![1])).toBeLessThan(1e-12);
  });
});
