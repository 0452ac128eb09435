/**
 * Writes src/kernels/wasm-modules.generated.ts: the bytes of the WebAssembly kernel modules, made
 * by the TypeScript assembler (gemm-wasm.ts, softmax-wasm.ts, layer-norm-wasm.ts) at build time so
 * nothing is assembled when a program starts. Run by `build`; wasm-modules.test.ts regenerates
 * the bytes and fails if the committed file is stale.
 *
 *   node --import tsx scripts/generate-wasm-modules.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { wasmModulesSource } from '../src/kernels/wasm-modules';

const target = fileURLToPath(new URL('../src/kernels/wasm-modules.generated.ts', import.meta.url));
writeFileSync(target, wasmModulesSource());
