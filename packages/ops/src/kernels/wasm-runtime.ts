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

let simd: boolean | undefined;
/** Whether WebAssembly SIMD runs here, probed once for every module. */
function simdHere(): boolean {
  simd ??= simdSupported();
  return simd;
}
const PAGE = 65536;

/** Bytes from base64 text (the modules generated at build time, wasm-modules.generated.ts). */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  // Node's native decoder where there is one: a JavaScript loop here runs unoptimised at import.
  const nodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } }).Buffer;
  if (nodeBuffer !== undefined) return new Uint8Array(nodeBuffer.from(text, 'base64'));
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
 * Wraps a module's bytes. With `{ eager: true }` the module is compiled when the kernel is made
 * (at import), so the first kernel call finds it ready instead of paying the compilation. It
 * compiles synchronously where that is allowed (Node; browsers allow it on the main thread for
 * modules under 4 KB), else asynchronously (`WebAssembly.compile`), and a call that comes before
 * that finishes tries a synchronous compile itself and otherwise runs the TypeScript kernel. The
 * bytes are made (or decoded) once. Any other failure means "unavailable".
 */
export function wasmKernel<Exports>(
  moduleBytes: () => Uint8Array<ArrayBuffer>,
  retainedBytes = RETAINED_BYTES,
  { eager = false }: { eager?: boolean } = {},
): WasmKernel<Exports> {
  let module: WebAssembly.Module | null | undefined;
  let retained: WasmInstance<Exports> | null = null;
  let enabled = true;
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  let compiling = false; // an asynchronous compile is under way

  /** Compiles synchronously; a refusal (RangeError) leaves `module` undecided when `mayWait`. */
  const compileNow = (mayWait: boolean): void => {
    try {
      bytes ??= moduleBytes();
      module = new WebAssembly.Module(bytes);
    } catch (error) {
      if (!(mayWait && error instanceof RangeError)) module = null;
    }
    if (module !== undefined) bytes = undefined;
  };
  const compiled = (): WebAssembly.Module | null => {
    if (module === undefined) {
      if (!simdHere()) module = null;
      else compileNow(compiling);
    }
    return module ?? null;
  };
  if (eager) {
    if (!simdHere()) module = null;
    else compileNow(typeof WebAssembly.compile === 'function');
    if (module === undefined) {
      compiling = true;
      WebAssembly.compile(bytes!).then(
        (done) => {
          module ??= done;
          bytes = undefined;
        },
        () => {
          module ??= null;
        },
      );
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
