import { defineConfig } from 'vitest/config';

// Browser end-to-end: Debian Chromium driven by playwright-core against `vanthu start --browser`.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e-web/**/*.e2e.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
