import { defineConfig } from 'tsup';

// The Node entry (the server, the static writer, the experiments), ESM and CommonJS (import.meta.url
// shimmed); the page itself is built by build.ts.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  shims: true,
  clean: false,
  target: 'node20',
  platform: 'node',
  sourcemap: true,
});
