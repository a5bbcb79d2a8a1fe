import { defineConfig } from 'vitest/config';
import { SlowestFirst } from './test/setup/slowest-first.js';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    setupFiles: ['test/setup/no-bundled-model.ts'],
    globalSetup: ['test/setup/postgres-cluster.ts', 'test/setup/browser-server.ts', 'test/setup/fixture-cache.ts'],
    // Native modules (better-sqlite3, sharp) are happiest in separate processes rather than worker threads.
    pool: 'forks',
    // Two files at a time on a 2-core machine (Vitest's default is cores − 1: one). Most of a test's time is spent in
    // the processes it starts — the trainer, brainseg serve, Chromium — waiting on each other, not in its worker.
    maxWorkers: 2,
    minWorkers: 1,
    // Longest files first, so the two workers end together (test/setup/slowest-first.ts).
    sequence: { sequencer: SlowestFirst },
    // Hang guards, not timing targets (those are benchmarks): generous, since two files share two cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
