import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest test files of the last clean CI run, slowest first (seconds on an idle 2-core machine, rounded). Two
 * workers finish together when the longest files start first; on a clean clone Vitest knows no durations and starts
 * the largest files first, which put a 3-minute file (then crash-safety) last. Keep this roughly current: a file
 * missing from it only runs later, nothing is skipped.
 */
export const SLOWEST_FILES = [
  'test/unit/webgpu-training.test.ts', // 72 (load ~4; was 124 beside it): SwiftShader running the kernels
  'test/unit/trainer-cli.test.ts', // ~65 (61 s CPU): 8 training runs through the CLI
  'test/e2e/editing.e2e.test.ts', // 100
  'test/e2e/overlay-truth.e2e.test.ts', // 90
  'test/unit/training-chaos.test.ts', // ~50 (25–33 s CPU)
  'test/unit/scanner-equivalence.test.ts', // 75
  'test/unit/retrain-toward-edits.test.ts', // ~58 (73 before its CLI runs moved in-process)
  'test/e2e/click-segment.e2e.test.ts', // 72
  'test/e2e/team-worker.e2e.test.ts', // 52
  'test/unit/crash-safety.test.ts', // ~43 (50 before the bundled writer)
  'test/e2e/review-loop.e2e.test.ts', // 49
  'test/unit/warm-predictor.test.ts', // ~33 (45 before one shared predictor)
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
