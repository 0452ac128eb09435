import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: one import for the whole public API.
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
  },
  {
    // The command and its worker threads (Node only, ESM).
    entry: ['src/cli.ts', 'src/check/worker.ts'],
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
