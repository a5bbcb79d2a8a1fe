import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest test files of the last clean CI run, slowest first (seconds on an idle 2-core machine, rounded). Two
 * workers finish together when the longest files start first; on a clean clone Vitest knows no durations and starts
 * the largest files first, which put a 3-minute file (then crash-safety) last. Keep this roughly current: a file
 * missing from it only runs later, nothing is skipped.
 */
export const SLOWEST_FILES = [
  // Seconds in the full run at c29f10d (2 workers, this machine, nothing else running), setup included.
  'test/e2e/editing.e2e.test.ts', // 71
  'test/unit/trainer-cli.test.ts', // 63: 8 training runs through the CLI
  'test/unit/lint.test.ts', // ~60 alone (eslint ., all CPU): early, so the waits of the browser files absorb it
  'test/unit/training-chaos.test.ts', // 60
  'test/e2e/team-worker.e2e.test.ts', // 59
  'test/e2e/review-loop.e2e.test.ts', // 59
  'test/unit/scanner-equivalence.test.ts', // 54
  'test/unit/warm-predictor.test.ts', // 51
  'test/unit/webgpu-training.test.ts', // 99 then; ~45 alone since the convolutions are ours (SwiftShader)
  'test/e2e/model-scores.e2e.test.ts', // 41
  'test/e2e/workstation-layout.e2e.test.ts', // 40
  'test/e2e/overlay-truth.e2e.test.ts', // 39
  'test/e2e/team-mode.e2e.test.ts', // 35
  'test/e2e/click-segment.e2e.test.ts', // 35
  'test/unit/dicom-reader.test.ts', // 33
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
