import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const examplesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LIMIT = 900_000; // no timing assertion; only a guard against a hung run

describe('examples/07-char-gpt.ts --short', () => {
  let output = '';
  // Asynchronous, so that the test worker stays responsive while the example runs.
  beforeAll(async () => {
    ({ stdout: output } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(examplesDir, '07-char-gpt.ts'), '--short'], {
      cwd: examplesDir,
      encoding: 'utf8',
      timeout: LIMIT,
    }));
  }, LIMIT);

  it('learns: the training and held-out losses fall well below chance, ln(alphabet size)', () => {
    const alphabet = Number(/an alphabet of (\d+)/.exec(output)![1]);
    expect(output).toContain(`chance: loss ln(${alphabet}) = ${Math.log(alphabet).toFixed(4)}`);
    const losses = [...output.matchAll(/^step +(\d+) +loss (\S+)$/gm)].map((m) => Number(m[2]));
    expect(losses[0]).toBeGreaterThan(0.9 * Math.log(alphabet));
    expect(losses[losses.length - 1]).toBeLessThan(0.8 * Math.log(alphabet));
    expect(Number(/held-out loss (\S+)/.exec(output)![1])).toBeLessThan(0.8 * Math.log(alphabet));
  });

  it('writes the same text after saving its weights as safetensors and loading them into a new model', () => {
    const first = /sample:\n([\s\S]*?)\n\nsaved/.exec(output)![1];
    const second = /sample from the reloaded model:\n([\s\S]*?)\n\nsame samples/.exec(output)![1];
    expect(first.startsWith('The gradient of ')).toBe(true);
    expect(first.length).toBe('The gradient of '.length + 160);
    expect(second).toBe(first);
    expect(output).toContain('same samples with the same seed: yes');
    const [, bytes, tensors] = /saved (\d+) bytes \((\d+) tensors\)/.exec(output)!.map(Number);
    expect(tensors).toBe(2 + 2 * 12 + 2); // embeddings, 2 blocks of 12 tensors, final norm; tied head
    expect(bytes).toBeGreaterThan(8 * 60000);
  });
});
