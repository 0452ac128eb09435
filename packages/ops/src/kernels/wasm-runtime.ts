import { simdSupported } from './wasm-assembler';

/** An instance of a kernel module with its memory and typed views of it. */
export interface WasmInstance<Exports> {
  readonly exports: Exports;
  readonly memory: WebAssembly.Memory;
  f64: Float64Array;
  f32: Float32Array;
}

/** How one kernel module is run: compiled once, instantiated on demand. */
export interface WasmKernel<Exports> {
  /** Whether the module can run here (SIMD supported, compiled, not switched off). */
  available(): boolean;
  /**
   * An instance whose memory holds at least `bytes`, or null when unavailable. Up to
   * `retainedBytes` (default RETAINED_BYTES) the one long-lived instance grows and is reused; a larger request gets an
   * instance of its own, dropped (and collected) after the call, so one huge product does not
   * keep its memory for the life of the program (WebAssembly memory never shrinks).
   */
  instance(bytes: number): WasmInstance<Exports> | null;
  /** Switches the module off (callers then fall back to TypeScript) or back on; for tests. */
  setEnabled(on: boolean): void;
}

export const RETAINED_BYTES = 64 * 2 ** 20;
const PAGE = 65536;

/**
 * Wraps a module's bytes. Compilation is synchronous (the modules are under the 4 KB browsers
 * allow on the main thread) and happens on first use; any failure means "unavailable".
 */
export function wasmKernel<Exports>(moduleBytes: () => Uint8Array<ArrayBuffer>, retainedBytes = RETAINED_BYTES): WasmKernel<Exports> {
  let module: WebAssembly.Module | null | undefined;
  let retained: WasmInstance<Exports> | null = null;
  let enabled = true;

  const compiled = (): WebAssembly.Module | null => {
    if (module === undefined) {
      try {
        module = simdSupported() ? new WebAssembly.Module(moduleBytes()) : null;
      } catch {
        module = null;
      }
    }
    return module;
  };
  const instantiate = (bytes: number): WasmInstance<Exports> => {
    const memory = new WebAssembly.Memory({ initial: Math.max(16, Math.ceil(bytes / PAGE)) });
    const exports = new WebAssembly.Instance(compiled()!, { env: { memory } }).exports as unknown as Exports;
    return { exports, memory, f64: new Float64Array(memory.buffer), f32: new Float32Array(memory.buffer) };
  };

  return {
    available: () => enabled && compiled() !== null,
    setEnabled(on) {
      enabled = on;
    },
    instance(bytes) {
      if (!enabled || compiled() === null) return null;
      try {
        if (bytes > retainedBytes) return instantiate(bytes);
        retained ??= instantiate(bytes);
        const have = retained.memory.buffer.byteLength;
        if (bytes > have) retained.memory.grow(Math.ceil((bytes - have) / PAGE));
      } catch {
        return null; // more than WebAssembly memory can hold (4 GB) or than the engine grants
      }
      if (retained.f64.buffer !== retained.memory.buffer) {
        // Growing detaches the old buffer: refresh the views.
        retained.f64 = new Float64Array(retained.memory.buffer);
        retained.f32 = new Float32Array(retained.memory.buffer);
      }
      return retained;
    },
  };
}
