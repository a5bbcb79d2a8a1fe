// The two kinds of test file, for vitest.config.ts (`npm test`: both) and vitest.unit.config.ts (`npm run
// test:unit`: the first).

/** Test files (test/unit/<name>.test.ts) that start processes, servers, training or fixture tools. */
export const INTEGRATION_TESTS = [
  'bench-rounds', 'bundled-model', 'click-service', 'bundled-model-quality', 'catalog-engines', 'cli-basics', 'concurrent-writers',
  'crash-safety', 'dicom-reader', 'dicom-seg-validators', 'dicom-third-party', 'export-roundtrip', 'import', 'lint',
  'import-bad-input', 'interactive-model', 'masks-cli', 'mixed-sources', 'nifti-reader', 'nifti-scan', 'nifti-writer',
  'retrain-toward-edits', 'scanner-equivalence', 'scanner-export-roundtrip', 'scanner-import-bench', 'serve',
  'serve-hostile-input', 'split-steps', 'train-loop', 'trainer-cli', 'compute-host', 'training-chaos',
  'training-recipe-cli', 'until-stopped', 'validation-scores', 'warm-predictor', 'webgpu-device-loss', 'webgpu-training',
];

const integrationFiles = INTEGRATION_TESTS.map((name) => `test/unit/${name}.test.ts`);

/**
 * The core's logic, the contract, the renderer's pure logic, the editor, the kernels against the CPU backend: in
 * one process per worker, module cache shared (Vitest's `isolate: false`). A fresh process per file cost ~1 s of
 * CPU each, more than most of these files' tests; they hold no state between files (no mocks, no globals they leave
 * changed), and run the same in either mode.
 */
export const UNIT_GROUP = { include: ['test/unit/**/*.test.ts'], exclude: integrationFiles, isolate: false } as const;

/**
 * The tests that start processes, servers, Chromium, PostgreSQL, fixture tools or a WebGPU device: each file in a
 * process of its own (Vitest's default), since process-wide state (a TensorFlow.js backend, a lost GPU device,
 * environment variables) must not carry from one file to the next.
 */
export const INTEGRATION_GROUP = { include: [...integrationFiles, 'test/e2e/**/*.test.ts'], isolate: true } as const;
