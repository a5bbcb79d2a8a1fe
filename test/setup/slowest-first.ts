import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest test files of the last clean CI run, slowest first (seconds on an idle 2-core machine, rounded). The
 * workers finish together when the longest files start first; on a clean clone Vitest knows no durations and starts
 * the largest files first, which put a 3-minute file (then crash-safety, retrain-toward-edits and mixed-sources)
 * last. Keep this roughly current: a file missing from it only runs later, nothing is skipped.
 */
export const SLOWEST_FILES = [
  // Seconds in a clean-clone `npm test` at 3049059 (3 workers, this machine, nothing else running), setup excluded.
  'test/unit/trainer-cli.test.ts', // 93 (12 training runs through the CLI)
  'test/unit/lint.test.ts', // 92 (eslint ., all CPU)
  'test/unit/training-chaos.test.ts', // 87
  'test/e2e/review-loop.e2e.test.ts', // 71
  'test/e2e/team-worker.e2e.test.ts', // 69
  'test/e2e/overlay-truth.e2e.test.ts', // 68
  'test/unit/webgpu-training.test.ts', // 61
  'test/e2e/editing.e2e.test.ts', // 52
  'test/unit/warm-predictor.test.ts', // 50
  'test/unit/validation-scores.test.ts', // 48
  'test/unit/crash-safety.test.ts', // 46
  'test/unit/export-roundtrip.test.ts', // 43
  'test/unit/retrain-toward-edits.test.ts', // 40
  'test/e2e/team-mode.e2e.test.ts', // 39
  'test/unit/scanner-equivalence.test.ts', // 39
  'test/e2e/training-resume.e2e.test.ts', // 37
  'test/e2e/workstation-layout.e2e.test.ts', // 35
  'test/e2e/viewer.e2e.test.ts', // 35
  'test/unit/click-service.test.ts', // 34
  'test/e2e/first-view.e2e.test.ts', // 30
  'test/e2e/model-scores.e2e.test.ts', // 30
  'test/unit/mixed-sources.test.ts', // 27
  'test/unit/bundled-model-quality.test.ts', // 24
  'test/unit/bundled-model.test.ts', // 23
  'test/unit/nifti-writer.test.ts', // 22
  'test/e2e/training-progress.e2e.test.ts', // 22
  'test/unit/train-loop.test.ts', // 21
  'test/unit/masks-cli.test.ts', // 20
  'test/e2e/scanner-formats.e2e.test.ts', // 19
  'test/unit/training-recipe-cli.test.ts', // 18
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
