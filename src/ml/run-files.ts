import path from 'node:path';

/** Where a run keeps its files: its checkpoint (every epoch) and the best epoch's model. */
export function runFiles(runDir: string) {
  return { checkpoint: path.join(runDir, 'checkpoint.bsm'), best: path.join(runDir, 'best.bsm') };
}
