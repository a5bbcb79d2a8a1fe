import { rm } from 'node:fs/promises';
import type { ResumableRun } from '../contract/index.js';
import type { CatalogDb } from '../catalog/db.js';
import type { HomePaths } from '../home.js';
import { readCheckpointState } from '../ml/model-file.js';
import { runFiles } from '../ml/run-files.js';
import { findInterruptedRun, readRun } from './training-service.js';

/**
 * The run the app offers to resume: the data folder's newest run, if it stopped before registering a model (the app
 * was closed, the machine restarted, it was cancelled) after at least one epoch's checkpoint. An older interrupted
 * run that a newer one followed is not offered: starting the newer one was the user's choice (`brainseg train
 * --resume` can still take it up).
 */
export async function findResumableRun(db: CatalogDb, home: HomePaths): Promise<{ dir: string; run: ResumableRun } | null> {
  const dir = await findInterruptedRun(db, home, { newestOnly: true });
  if (!dir) return null;
  const record = await readRun(dir);
  const state = await readCheckpointState(runFiles(dir).checkpoint);
  return {
    dir,
    run: {
      startedAt: record.createdAt,
      parentModelId: record.parentModelId,
      preset: record.config.preset,
      epochsDone: state?.epoch ?? 0,
      epochs: record.config.epochs,
      minutes: record.config.minutes,
    },
  };
}

/** Gives up a stopped run: its checkpoint goes (run.json stays, as a record), so it is no longer offered. */
export async function discardRun(dir: string): Promise<void> {
  await rm(runFiles(dir).checkpoint, { force: true });
}
