import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derivations } from '@attograd/ops';
import { beforeAll, describe, expect, it } from 'vitest';

const examplesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function runTutorial(file: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(examplesDir, file)], { cwd: examplesDir, encoding: 'utf8' });
}

/** The values printed on the line `label [shape] = ...`. */
function printed<T = number[]>(output: string, label: string): T {
  const line = output.split('\n').find((l) => l.startsWith(`${label} [`));
  if (line === undefined) throw new Error(`no line "${label}" in the output`);
  return JSON.parse(line.slice(line.indexOf('] = ') + 4));
}

const number = (output: string, pattern: RegExp): number => Number(pattern.exec(output)![1]);

describe('examples/02-softmax-jacobian.ts', () => {
  let output = '';
  beforeAll(() => {
    output = runTutorial('02-softmax-jacobian.ts');
  });

  it('prints p = softmax(x), recomputed here from the printed x', () => {
    const x = printed(output, 'x');
    const exps = x.map((v) => Math.exp(v - Math.max(...x)));
    const total = exps.reduce((a, b) => a + b, 0);
    printed(output, 'p = softmax(x)').forEach((v, i) => expect(v).toBeCloseTo(exps[i] / total, 5));
  });

  it('builds J with autograd equal to p_i (δ_ij − p_j), recomputed here from the printed p', () => {
    const p = printed(output, 'p = softmax(x)');
    const jacobian = printed<number[][]>(output, 'J autograd');
    jacobian.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(p[i] * ((i === j ? 1 : 0) - p[j]), 5)));
    expect(number(output, /autograd vs by hand\): (\S+)/)).toBeLessThan(1e-14);
  });

  it('shows J symmetric with zero row sums', () => {
    printed(output, 'row sums of J').forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-6));
    expect(number(output, /largest \|J − Jᵀ\| = (\S+)/)).toBeLessThan(1e-15);
  });

  it('prints the exported rule and its steps, and dx = J·dy recomputed here', () => {
    expect(output).toContain(`softmax backward rule: ${derivations.softmax.backward.x}`);
    for (const step of derivations.softmax.steps) expect(output).toContain(`· ${step}`);
    const jacobian = printed<number[][]>(output, 'J by hand = diag(p) − p pᵀ');
    const dy = printed(output, 'dy (random cotangent)');
    const dx = printed(output, 'dx autograd');
    jacobian.forEach((row, i) =>
      expect(dx[i]).toBeCloseTo(
        row.reduce((s, v, j) => s + v * dy[j], 0),
        5,
      ),
    );
    expect(printed(output, 'dx = p ⊙ (dy − Σ dy ⊙ p)')).toEqual(dx);
    expect(number(output, /autograd vs J·dy\): (\S+)/)).toBeLessThan(1e-14);
  });

  it('shows that a sum loss has a zero gradient', () => {
    expect(printed(output, 'gradient of Σ softmax(x) (always 0: never test with a sum loss)').map(Math.abs)).toEqual([0, 0, 0, 0]);
  });
});
