import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const examplesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function runTutorial(file: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(examplesDir, file)], { cwd: examplesDir, encoding: 'utf8' });
}

function printed(output: string, label: string): number[][] {
  const line = output.split('\n').find((l) => l.startsWith(`${label} [`));
  if (line === undefined) throw new Error(`no line "${label}" in the output`);
  return JSON.parse(line.slice(line.indexOf('] = ') + 4));
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

describe('examples/04-check-your-own-op.ts', () => {
  let output = '';
  beforeAll(() => {
    output = runTutorial('04-check-your-own-op.ts');
  });

  it('prints swish(x) = x·σ(x), recomputed here from the printed x', () => {
    const x = printed(output, 'x');
    const y = printed(output, 'swish(x)');
    x.forEach((row, i) => row.forEach((v, j) => expect(y[i][j]).toBeCloseTo(v * sigmoid(v), 5)));
  });

  it('passes gradcheck with the right rule, alone and inside a matmul with two inputs', () => {
    expect(output).toContain('swish: ok = true');
    expect(output).toContain('swish inside matmul: ok = true');
    expect(output).toMatch(/gradcheck PASS: 1 checked input passed/);
    expect(output).toMatch(/gradcheck PASS: 2 checked inputs passed/);
  });

  it('fails gradcheck with the broken rule and names an element whose two values are σ(x) and σ + xσ(1 − σ)', () => {
    expect(output).toContain('buggySwish: ok = false');
    const match = /worst element: x\[(\d+), (\d+)\] → y\[(\d+), (\d+)\], autograd (\S+), finite differences (\S+)/.exec(output)!;
    const [row, col, outRow, outCol] = match.slice(1, 5).map(Number);
    expect([outRow, outCol]).toEqual([row, col]); // swish is element-wise: the Jacobian is diagonal
    const v = printed(output, 'x')[row][col];
    const s = sigmoid(v);
    expect(Number(match[5])).toBeCloseTo(s, 5); // what the broken rule says
    expect(Number(match[6])).toBeCloseTo(s + v * s * (1 - s), 5); // the true derivative
  });
});
