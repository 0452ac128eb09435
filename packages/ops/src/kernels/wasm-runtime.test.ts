import { describe, expect, it, vi } from 'vitest';
import { softmaxModuleBytes } from './softmax-wasm';
import { fromBase64, wasmKernel } from './wasm-runtime';

const MB = 2 ** 20;

describe('wasm kernel runtime', () => {
  it('reuses one growing instance up to the retained size, and gives larger requests their own', () => {
    const kernel = wasmKernel<{ softmax64: (rows: number, count: number, length: number) => void }>(softmaxModuleBytes, 4 * MB);
    expect(kernel.available()).toBe(true);
    const small = kernel.instance(0.5 * MB)!;
    const grown = kernel.instance(3 * MB)!;
    expect(grown).toBe(small);
    expect(grown.memory.buffer.byteLength).toBeGreaterThanOrEqual(3 * MB);
    // The views follow the grown memory (growing detaches the old buffer).
    expect(grown.f64.buffer).toBe(grown.memory.buffer);
    expect(grown.f64.length).toBe(grown.memory.buffer.byteLength / 8);

    const huge = kernel.instance(10 * MB)!;
    expect(huge).not.toBe(small);
    expect(huge.memory.buffer.byteLength).toBeGreaterThanOrEqual(10 * MB);
    expect(small.memory.buffer.byteLength).toBeLessThan(4 * MB); // the retained one did not grow

    // Both instances run the same kernel: a softmax of [0, ln 3] is [1/4, 3/4].
    for (const instance of [small, huge]) {
      instance.f64.set([0, Math.log(3)]);
      instance.exports.softmax64(0, 1, 2);
      expect(Math.abs(instance.f64[0] - 0.25)).toBeLessThan(1e-15);
      expect(Math.abs(instance.f64[1] - 0.75)).toBeLessThan(1e-15);
    }
  });

  it('is unavailable and hands out nothing when switched off', () => {
    const kernel = wasmKernel(softmaxModuleBytes);
    kernel.setEnabled(false);
    expect(kernel.available()).toBe(false);
    expect(kernel.instance(1024)).toBeNull();
    kernel.setEnabled(true);
    expect(kernel.instance(1024)).not.toBeNull();
  });

  it('eager: compiles synchronously at creation where allowed (the bytes are made once, no asynchronous compile)', () => {
    const compile = vi.spyOn(WebAssembly, 'compile');
    let made = 0;
    const counted = () => {
      made++;
      return softmaxModuleBytes();
    };
    const kernel = wasmKernel<{ softmax64: (rows: number, count: number, length: number) => void }>(counted, MB, { eager: true });
    expect(made).toBe(1);
    expect(compile).not.toHaveBeenCalled();
    compile.mockRestore();
    const instance = kernel.instance(1024)!;
    expect(made).toBe(1); // the first call compiles nothing
    instance.f64.set([0, Math.log(3)]);
    instance.exports.softmax64(0, 1, 2);
    expect(Math.abs(instance.f64[1] - 0.75)).toBeLessThan(1e-15);
  });

  it('eager: when synchronous compilation is refused (a browser main thread, a large module), compiles asynchronously; calls meanwhile fall back', async () => {
    const RealModule = WebAssembly.Module;
    let refuse = true;
    // Refuse as Chrome does on the main thread for a module over 4 KB: a RangeError from the constructor.
    const refusing = function (this: unknown, bytes: BufferSource) {
      if (refuse) throw new RangeError('WebAssembly.Module is disallowed on the main thread, if the buffer size is larger than 4KB');
      return new RealModule(bytes);
    } as unknown as typeof WebAssembly.Module;
    const compile = vi.spyOn(WebAssembly, 'compile');
    (WebAssembly as { Module: typeof WebAssembly.Module }).Module = refusing;
    try {
      let made = 0;
      const counted = () => {
        made++;
        return softmaxModuleBytes();
      };
      const kernel = wasmKernel<{ softmax64: (rows: number, count: number, length: number) => void }>(counted, MB, { eager: true });
      expect(compile).toHaveBeenCalledTimes(1);
      expect(kernel.instance(1024)).toBeNull(); // not compiled yet and refused: the caller runs TypeScript
      await compile.mock.results[0].value;
      await Promise.resolve(); // the kernel's own continuation runs after the compile settles
      refuse = false;
      expect(kernel.available()).toBe(true);
      expect(made).toBe(1);
      const instance = kernel.instance(1024)!;
      instance.f64.set([0, Math.log(3)]);
      instance.exports.softmax64(0, 1, 2);
      expect(Math.abs(instance.f64[1] - 0.75)).toBeLessThan(1e-15);
    } finally {
      (WebAssembly as { Module: typeof WebAssembly.Module }).Module = RealModule;
      compile.mockRestore();
    }
  });

  it('without eager, compiles on first use', () => {
    let made = 0;
    const counted = () => {
      made++;
      return softmaxModuleBytes();
    };
    const kernel = wasmKernel(counted, MB);
    expect(made).toBe(0);
    expect(kernel.instance(1024)).not.toBeNull();
    expect(made).toBe(1);
  });
  it("fromBase64 decodes alike with Node's Buffer and with the atob path browsers take", () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256);
    const text = Buffer.from(bytes).toString('base64');
    const withBuffer = fromBase64(text);
    const saved = globalThis.Buffer;
    (globalThis as { Buffer?: unknown }).Buffer = undefined;
    try {
      expect(Array.from(fromBase64(text))).toEqual(Array.from(bytes));
    } finally {
      globalThis.Buffer = saved;
    }
    expect(Array.from(withBuffer)).toEqual(Array.from(bytes));
    expect(withBuffer.buffer).toBeInstanceOf(ArrayBuffer);
  });
});
