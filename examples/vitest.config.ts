import { defineConfig } from 'vitest/config';

// Each tutorial test runs its tutorial in a child process (through tsx) in `beforeAll`: on a
// loaded 2-core machine that takes longer than vitest's 10 s hook default. These limits bound a
// hung run; they assert nothing about speed.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], hookTimeout: 300_000, testTimeout: 120_000 },
});
