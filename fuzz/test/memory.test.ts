import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../src/memory-run.ts', import.meta.url));

describe('memory', () => {
  it('10,000 forward + backward iterations leave the heap flat and free every graph', () => {
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, '10000'], { encoding: 'utf8' });
    const { samples, kept, freed } = JSON.parse(output) as { samples: number[]; kept: number; freed: boolean };
    expect(kept).toBe(100);
    expect(freed).toBe(true);
    // After warm-up, the heap after a full GC must not grow with the iteration count: allow 4 MiB
    // of drift (JIT code, caches), far below what 10,000 retained graphs would take (~100s of MiB).
    const warm = samples[2];
    const last = samples[samples.length - 1];
    expect(last - warm).toBeLessThan(4 * 1024 * 1024);
  });
});
