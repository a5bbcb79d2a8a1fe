// `npm run test:unit`: the edit-test loop. The tests that need no browser, no server, no compute process, no
// PostgreSQL and no fixture tools — the core's logic, the contract, the renderer's pure logic, the editor, the
// kernels against the CPU backend. `npm test` (vitest.config.ts) runs these and everything else.
import { defineConfig } from 'vitest/config';

/** Test files (test/unit/<name>.test.ts) that start processes, servers, training or fixture tools. */
export const INTEGRATION_TESTS = [
  'bench-rounds', 'bundled-model', 'click-service', 'bundled-model-quality', 'catalog-engines', 'cli-basics', 'concurrent-writers',
  'crash-safety', 'dicom-reader', 'dicom-seg-validators', 'dicom-third-party', 'export-roundtrip', 'import',
  'import-bad-input', 'interactive-model', 'masks-cli', 'mixed-sources', 'nifti-reader', 'nifti-scan', 'nifti-writer',
  'retrain-toward-edits', 'scanner-equivalence', 'scanner-export-roundtrip', 'scanner-import-bench', 'serve',
  'serve-hostile-input', 'split-steps', 'train-loop', 'trainer-cli', 'compute-host', 'training-chaos',
  'training-recipe-cli', 'validation-scores', 'warm-predictor', 'webgpu-device-loss', 'webgpu-training',
];

// The same settings as vitest.config.ts but for which files run and the PostgreSQL cluster (none of these needs it).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: INTEGRATION_TESTS.map((name) => `test/unit/${name}.test.ts`),
    setupFiles: ['test/setup/no-bundled-model.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
