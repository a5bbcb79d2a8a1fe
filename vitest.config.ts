import { defineConfig } from 'vitest/config';
import { SlowestFirst } from './test/setup/slowest-first.js';
import { INTEGRATION_GROUP, UNIT_GROUP } from './test/setup/test-groups.js';

/** What both groups share. */
const common = {
  setupFiles: ['test/setup/no-bundled-model.ts', 'test/setup/temp-cleanup.ts'],
  // Native modules (better-sqlite3, sharp) are happiest in separate processes rather than worker threads.
  pool: 'forks',
  // Hang guards, not timing targets (those are benchmarks): generous, since three files share two cores.
  testTimeout: 180_000,
  hookTimeout: 180_000,
  // expect.poll waits for something another process does (a worker's job, a page's render): Vitest's default of 1 s
  // was too short twice in CI, with three files sharing two cores (a job left 'active', an undo not yet loaded).
  // A poll that should fail still fails, only later; a test's own { timeout } still wins.
  expect: { poll: { timeout: 15_000 } },
} as const;

export default defineConfig({
  test: {
    // Three files at a time on a 2-core machine (Vitest's default is cores − 1: one). Most of a test's time is spent
    // in the processes it starts — the trainer, brainseg serve, Chromium — waiting on each other, not in its worker:
    // with two files the cores were ~150 % busy, with three Vitest took 617–649 s instead of 677 s (CONTRIBUTING.md).
    maxWorkers: 3,
    minWorkers: 1,
    // Longest files first, so the workers end together (test/setup/slowest-first.ts).
    sequence: { sequencer: SlowestFirst },
    // Pure unit files share their workers' processes; the rest get one each (test/setup/test-groups.ts).
    projects: [
      { test: { name: 'unit', ...common, ...UNIT_GROUP } },
      {
        test: {
          name: 'integration', ...common, ...INTEGRATION_GROUP,
          globalSetup: ['test/setup/postgres-cluster.ts', 'test/setup/browser-server.ts', 'test/setup/fixture-cache.ts'],
        },
      },
    ],
  },
});
