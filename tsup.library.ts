import type { Options } from 'tsup';

/**
 * How every attograd library package is built: ESM + CommonJS + .d.ts from src/index.ts, for any
 * platform (no Node-only API), with source maps.
 */
export const libraryConfig: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
};
