import { defineConfig } from 'vitest/config';

// 60 s per test bounds a hung test; it asserts nothing about speed (see packages/ops/vitest.config.ts).
export default defineConfig({ test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000 } });
