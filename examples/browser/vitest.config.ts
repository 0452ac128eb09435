import { defineConfig } from 'vitest/config';

// `.e2e.ts`, not `.test.ts`: the examples package one folder up runs vitest with the default
// include, and must not pick this browser test up a second time.
export default defineConfig({ test: { include: ['test/**/*.e2e.ts'], hookTimeout: 120_000, testTimeout: 60_000 } });
