import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { elementwiseLoopsSource, sumLoopsSource } from './elementwise-loops-source';

describe('the generated element-wise loops', () => {
  it('are what the generator writes now (regenerate with `pnpm generate:loops` when this fails)', () => {
    const committed = readFileSync(new URL('./elementwise-loops.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(elementwiseLoopsSource());
  });

  it("and @attograd/tensor's sumToShape loops are too (the same script writes them)", () => {
    const committed = readFileSync(new URL('../../../tensor/src/sum-loops.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(sumLoopsSource());
  });
});
