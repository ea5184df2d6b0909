import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start dynalite servers and child processes: keep them in separate forks.
    pool: 'forks',
    // Generous: tests assert order and counts, never time, and must pass on a loaded machine (four
    // busy loops beside them); a timeout only ends a test that hangs.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    setupFiles: ['test/setup.ts'],
  },
});
