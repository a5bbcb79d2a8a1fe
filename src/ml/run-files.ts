import path from 'node:path';

// Apart from train-loop.ts so that the catalog side (registering a run's model, finding an interrupted run) can
// name a run's files without loading TensorFlow.js.

/** Where a run keeps its files. */
export function runFiles(runDir: string) {
  return { checkpoint: path.join(runDir, 'checkpoint.bsm'), best: path.join(runDir, 'best.bsm') };
}
