import { afterEach, describe, expect, it, vi } from 'vitest';
import { gemmModuleBytes } from './gemm-wasm';
import { layerNormModuleBytes } from './layer-norm-wasm';
import { softmaxModuleBytes } from './softmax-wasm';
import { assembleModule, i32, op, signedLeb, simdSupported, unsignedLeb } from './wasm-assembler';

describe('wasm assembler', () => {
  afterEach(() => vi.restoreAllMocks());

  it('encodes LEB128 as the WebAssembly spec examples', () => {
    expect(unsignedLeb(0)).toEqual([0x00]);
    expect(unsignedLeb(127)).toEqual([0x7f]);
    expect(unsignedLeb(128)).toEqual([0x80, 0x01]);
    expect(unsignedLeb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(signedLeb(-1)).toEqual([0x7f]);
    expect(signedLeb(63)).toEqual([0x3f]);
    expect(signedLeb(64)).toEqual([0xc0, 0x00]);
    expect(signedLeb(-64)).toEqual([0x40]);
    expect(signedLeb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('assembles a module that runs: a loop storing i·3 into memory', () => {
    // fill(pointer, count): for i in 0..count: memory32[pointer/4 + i] = 3·i (i32.store = 0x36)
    const [POINTER, COUNT, I] = [0, 1, 2];
    const body = [
      ...op.const(0),
      ...op.set(I),
      ...op.loop,
      ...op.get(POINTER),
      ...op.get(I),
      ...op.const(2),
      ...op.shl,
      ...op.add,
      ...op.get(I),
      ...op.const(3),
      ...op.mul,
      0x36,
      0x02,
      0x00,
      ...op.get(I),
      ...op.const(1),
      ...op.add,
      ...op.tee(I),
      ...op.get(COUNT),
      ...op.ltS,
      ...op.brIf(0),
      ...op.end,
    ];
    const bytes = assembleModule([{ exportName: 'fill', parameters: 2, locals: [[1, i32]], body }]);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    (instance.exports.fill as (pointer: number, count: number) => void)(16, 5);
    expect(Array.from(new Int32Array(memory.buffer, 16, 6))).toEqual([0, 3, 6, 9, 12, 0]);
  });

  it('detects SIMD here, and reports none when the engine rejects v128 (so the kernels fall back)', () => {
    expect(simdSupported()).toBe(true);
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    expect(simdSupported()).toBe(false);
  });

  it('keeps each kernel module under the 4 KB that browsers compile synchronously on the main thread', () => {
    for (const bytes of [gemmModuleBytes(), softmaxModuleBytes(), layerNormModuleBytes()]) {
      expect(WebAssembly.validate(bytes)).toBe(true);
      expect(bytes.length).toBeLessThan(4096);
    }
  });
});
