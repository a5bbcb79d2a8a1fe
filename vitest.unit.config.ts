// `npm run test:unit`: the edit-test loop. The tests that need no browser, no server, no compute process, no
// PostgreSQL and no fixture tools — the core's logic, the contract, the renderer's pure logic, the editor, the
// kernels against the CPU backend. `npm test` (vitest.config.ts) runs these and everything else.
import { defineConfig } from 'vitest/config';
import { UNIT_GROUP } from './test/setup/test-groups.js';

export default defineConfig({
  test: {
    ...UNIT_GROUP,
    setupFiles: ['test/setup/no-bundled-model.ts', 'test/setup/temp-cleanup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
