import { defineConfig } from 'vitest/config';

// The browser test drives a real Chromium on a shared 2-core machine: generous timeouts (not a speed test).
export default defineConfig({ test: { testTimeout: 180_000, hookTimeout: 60_000 } });
