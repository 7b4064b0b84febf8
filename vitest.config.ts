import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    pool: 'forks',
    // One file at a time: on a 2-core machine the lab, the server package's native build and Chromium
    // starve each other when files run side by side, and lab files queue on the lab lock anyway.
    maxWorkers: 1,
    testTimeout: 20_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
