import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.library';

export default defineConfig([
  // The library: one import for the whole public API.
  libraryConfig,
  {
    // The command and its worker threads (Node only, ESM).
    entry: ['src/cli.ts', 'src/check/worker.ts'],
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
