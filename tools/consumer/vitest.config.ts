import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Packs every package once, before any test file runs (see test/pack.ts).
    globalSetup: ['test/global-setup.ts'],
    // npm install of the tarballs (registry dependencies of the CLI included) and headless tools.
    hookTimeout: 240_000,
    testTimeout: 120_000,
  },
});
