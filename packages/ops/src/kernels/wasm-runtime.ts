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

/** Bytes from base64 text (the modules generated at build time, wasm-modules.generated.ts). */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A module's bytes: those generated at build time (base64) when present, else made now by the
 * assembler (the generated file is checked against the assembler by wasm-modules.test.ts).
 */
export function prebuiltOr(base64: string, assemble: () => Uint8Array<ArrayBuffer>): () => Uint8Array<ArrayBuffer> {
  return () => (base64 === '' ? assemble() : fromBase64(base64));
}

/**
 * Wraps a module's bytes. With `{ eager: true }` compilation starts asynchronously right away
 * (`WebAssembly.compile`, off the main thread), so a program that awaits anything before its
 * first kernel call finds the module compiled; a call that comes first compiles synchronously
 * (the modules are under the 4 KB browsers allow on the main thread) and the late asynchronous
 * result is ignored. Any failure means "unavailable".
 */
export function wasmKernel<Exports>(
  moduleBytes: () => Uint8Array<ArrayBuffer>,
  retainedBytes = RETAINED_BYTES,
  { eager = false }: { eager?: boolean } = {},
): WasmKernel<Exports> {
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
  if (eager && typeof WebAssembly.compile === 'function') {
    try {
      if (simdSupported()) {
        WebAssembly.compile(moduleBytes()).then(
          (done) => {
            if (module === undefined) module = done;
          },
          () => {}, // the synchronous path will meet (and record) the same failure
        );
      }
    } catch {
      // as above: first use decides
    }
  }
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
