import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64 } from './wasm-runtime';
import { GEMM_MODULE, LAYER_NORM_MODULE, SOFTMAX_MODULE, SOFTMAX32_MODULE, LAYER_NORM32_MODULE } from './wasm-modules.generated';
import { ASSEMBLERS, wasmModulesSource } from './wasm-modules';

describe('the module bytes generated at build time', () => {
  it('are what the assembler makes now (regenerate with `pnpm build` when this fails)', () => {
    const committed = readFileSync(new URL('./wasm-modules.generated.ts', import.meta.url), 'utf8');
    expect(committed).toBe(wasmModulesSource());
  });

  it.each(Object.keys(ASSEMBLERS) as (keyof typeof ASSEMBLERS)[])('%s decodes to the assembled bytes', (name) => {
    const assembled = ASSEMBLERS[name]();
    expect(assembled.length).toBeGreaterThan(100);
    const generated = { GEMM_MODULE, SOFTMAX_MODULE, LAYER_NORM_MODULE, SOFTMAX32_MODULE, LAYER_NORM32_MODULE }[name];
    expect(Array.from(fromBase64(generated))).toEqual(Array.from(assembled));
  });
});
