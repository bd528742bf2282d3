import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests that spawn servers and browsers need room; 2 cores on CI.
    maxWorkers: 4,
    reporters: ['default'],
  },
});
