import { defineConfig } from 'tsup';

// The command and its worker threads (Node only, ESM). The library is the `attograd` package
// (packages/attograd); this package only runs it.
export default defineConfig({
  entry: ['src/cli.ts', 'src/check/worker.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
