import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest test files of the last clean CI run, slowest first (seconds on an idle 2-core machine, rounded). The
 * workers finish together when the longest files start first; on a clean clone Vitest knows no durations and starts
 * the largest files first, which put a 3-minute file (then crash-safety, retrain-toward-edits and mixed-sources)
 * last. Keep this roughly current: a file missing from it only runs later, nothing is skipped.
 */
export const SLOWEST_FILES = [
  // Seconds in a clean `npm test` at b929762 (3 workers, this machine, nothing else running), setup excluded.
  'test/unit/webgpu-training.test.ts', // 75 (SwiftShader runs the kernels on the CPU)
  'test/unit/trainer-cli.test.ts', // 69 (12 training runs through the CLI)
  'test/e2e/review-loop.e2e.test.ts', // 60
  'test/unit/lint.test.ts', // 55 (eslint ., all CPU)
  'test/unit/training-chaos.test.ts', // 54
  'test/e2e/team-worker.e2e.test.ts', // 42
  'test/e2e/editing.e2e.test.ts', // 36
  'test/e2e/overlay-truth.e2e.test.ts', // 35
  'test/unit/click-service.test.ts', // 31
  'test/unit/retrain-toward-edits.test.ts', // 30
  'test/e2e/first-view.e2e.test.ts', // 30
  'test/unit/crash-safety.test.ts', // 28
  'test/unit/validation-scores.test.ts', // 27
  'test/unit/scanner-equivalence.test.ts', // 27
  'test/e2e/workstation-layout.e2e.test.ts', // 24
  'test/e2e/training-resume.e2e.test.ts', // 23
  'test/e2e/model-scores.e2e.test.ts', // 22
  'test/unit/mixed-sources.test.ts', // 21
  'test/unit/warm-predictor.test.ts', // 54 then, ~22 since its scheduling runs predict without test-time flipping
  'test/unit/train-loop.test.ts', // 20
  'test/unit/bundled-model-quality.test.ts', // 19
  'test/e2e/training-progress.e2e.test.ts', // 17
  'test/unit/export-roundtrip.test.ts', // 16
  'test/e2e/viewer.e2e.test.ts', // 16
  'test/unit/bundled-model.test.ts', // 15
  'test/e2e/team-mode.e2e.test.ts', // 14
  'test/unit/masks-cli.test.ts', // 13
  'test/e2e/rejected-retrain.e2e.test.ts', // 13
  'test/unit/nifti-writer.test.ts', // 12
  'test/e2e/scanner-formats.e2e.test.ts', // 11
];

/** Vitest's order (failed first, then by duration where it has a record), with the known slowest files ahead. */
export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = SLOWEST_FILES.indexOf(path.relative(this.ctx.config.root, file.moduleId).split(path.sep).join('/'));
      return index < 0 ? SLOWEST_FILES.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b)); // stable: the rest keep Vitest's order
  }
}
