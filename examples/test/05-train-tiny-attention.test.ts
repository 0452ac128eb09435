import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const examplesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function runTutorial(file: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(examplesDir, file)], {
    cwd: examplesDir,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('examples/05-train-tiny-attention.ts', () => {
  let output = '';
  beforeAll(() => {
    output = runTutorial('05-train-tiny-attention.ts');
  }, 120_000);

  it('trains with the library, not by hand: crossEntropy from logits and AdamW, no log(softmax) and no raw update loop', () => {
    const source = readFileSync(join(examplesDir, '05-train-tiny-attention.ts'), 'utf8');
    expect(source).toMatch(/crossEntropy\(model\(/);
    expect(source).toMatch(/new AdamW\(/);
    expect(source).toMatch(/optimizer\.step\(\)/);
    expect(source).not.toMatch(/^[^*]*\blog\(softmax/m); // in code; the header comment explains why not
    expect(source).not.toMatch(/-= LEARNING_RATE/);
  });

  it('prints the loss as it trains, and it clearly falls: every checkpoint below the last, the end far below chance', () => {
    const losses = [...output.matchAll(/^step +(\d+) +loss (\S+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(losses.length).toBeGreaterThanOrEqual(10);
    expect(losses[0][0]).toBe(0);
    for (let i = 1; i < losses.length; i++) expect(losses[i][1], `step ${losses[i][0]}`).toBeLessThan(losses[i - 1][1]);
    const chance = Math.log(5);
    expect(output).toContain(`loss ln(5) = ${chance.toFixed(4)}`);
    expect(losses[0][1]).toBeGreaterThan(0.8 * chance); // starts near chance: nothing learned yet
    expect(losses[losses.length - 1][1]).toBeLessThan(0.05 * losses[0][1]);
  });

  it('generalises to held-out sequences: accuracy recomputed from the printed counts', () => {
    const [, correct, total, ratio] = /held-out accuracy (\d+)\/(\d+) = (\S+)/.exec(output)!.map(Number);
    expect(total).toBe(200 * 6);
    expect(ratio).toBeCloseTo(correct / total, 3);
    expect(correct / total).toBeGreaterThan(0.9);
    expect(Number(/held-out loss (\S+)/.exec(output)![1])).toBeLessThan(0.3);
  });

  it('prints predictions that are mostly the previous token, checked here from the printed inputs', () => {
    const samples = [...output.matchAll(/^input ([\d ]+?) {2}→ {2}predicted ([\d ]+)$/gm)].map((m) =>
      [m[1], m[2]].map((s) => s.split(' ').map(Number)),
    );
    expect(samples).toHaveLength(3);
    let right = 0;
    for (const [input, predicted] of samples) {
      expect(predicted).toHaveLength(input.length);
      predicted.forEach((token, i) => (right += token === input[Math.max(0, i - 1)] ? 1 : 0));
    }
    expect(right).toBeGreaterThanOrEqual(15); // of 18
  });
});
