import { defineConfig } from 'tsup';

// The Node entry (the server, the static writer, the experiments); the page itself is built by build.ts.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: false,
  target: 'node20',
  sourcemap: true,
});
