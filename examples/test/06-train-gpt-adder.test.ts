import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const examplesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// No timing assertion: the short run takes ~25 s of CPU, but a machine shared with other jobs
// stretches the wall time, so the limit is only there to stop a hung run.
const LIMIT = 900_000;

describe('examples/06-train-gpt-adder.ts --short', () => {
  let output = '';
  // Asynchronous, so that the test worker stays responsive while the example runs.
  beforeAll(async () => {
    ({ stdout: output } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(examplesDir, '06-train-gpt-adder.ts'), '--short'],
      { cwd: examplesDir, encoding: 'utf8', timeout: LIMIT },
    ));
  }, LIMIT);

  it('gets at least 95 % of the 1,000 held-out sums exactly right (recomputed from the printed counts)', () => {
    const [, correct, total, ratio] = /held-out accuracy (\d+)\/(\d+) = (\S+)/.exec(output)!.map(Number);
    expect(total).toBe(1000);
    expect(ratio).toBeCloseTo(correct / total, 3);
    expect(correct / total).toBeGreaterThanOrEqual(0.95);
  });

  it('prints held-out problems with the model’s answer, mostly right, and the true sums are true', () => {
    const lines = [...output.matchAll(/^(\d+) \+ (\d+) = (\d{3}) \(model\) +(\d+) \(true\)$/gm)].map((m) => m.slice(1).map(Number));
    expect(lines).toHaveLength(5);
    for (const [a, b, , truth] of lines) expect(truth).toBe(a + b);
    expect(lines.filter(([a, b, answer]) => answer === a + b).length).toBeGreaterThanOrEqual(4);
  });

  it('the loss falls from chance (ln 10 ≈ 2.30) to near 0', () => {
    const losses = [...output.matchAll(/^step +(\d+) +loss (\S+)$/gm)].map((m) => Number(m[2]));
    expect(losses.length).toBeGreaterThanOrEqual(8);
    expect(losses[0]).toBeGreaterThan(0.8 * Math.log(10));
    expect(losses[losses.length - 1]).toBeLessThan(0.1);
  });
});
