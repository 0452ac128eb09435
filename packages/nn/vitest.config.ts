import { defineConfig } from 'vitest/config';

// 60 s per test bounds a hung test; it asserts nothing about speed (a test that takes 1 s on an idle
// 2-core machine can take 10 s on a loaded one, past vitest's 5 s default).
export default defineConfig({ test: { testTimeout: 60_000 } });
