import { defineConfig } from 'vitest/config';

// The end-to-end tests spawn the built CLI and start worker threads; on a loaded 2-core machine
// one can take several seconds, so the default 5 s timeout is too tight (it is not a speed test).
export default defineConfig({ test: { testTimeout: 60_000 } });
