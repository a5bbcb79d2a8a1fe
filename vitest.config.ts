import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    setupFiles: ['test/setup/no-bundled-model.ts'],
    globalSetup: ['test/setup/postgres-cluster.ts'],
    // Native modules (better-sqlite3, sharp) are happiest in separate processes rather than worker threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
