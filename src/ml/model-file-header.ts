// A model file's header, read without TensorFlow.js (~0.8 s of CPU to load): what a resumable run's checkpoint says is
// asked by the CLI and the server, which never touch its weights. model-file.ts reads and writes the weights.
import type { tf } from './tf.js';
import { open } from 'node:fs/promises';
import type { ModelShape } from './config.js';

// File layout: "BSM1" | uint32 header length | header JSON | model weights | optimizer weights (checkpoints only).
export const MAGIC = 'BSM1';

/** Training state stored beside the weights in a checkpoint, so an interrupted run resumes where it stopped. */
export interface CheckpointState {
  epoch: number;
  bestValDice: number | null;
  /** Validation Dice of the starting model on this run's masks (retraining), to accept or reject the result. */
  baselineValDice: number | null;
  history: { epoch: number; loss: number; valDice: number | null }[];
  /**
   * Seconds this run has spent so far, over all its resumptions: a resumed run continues its time budget and its
   * learning-rate schedule where they were instead of starting both afresh. Absent in older checkpoints.
   */
  elapsedSeconds?: number;
}

export interface Header {
  shape: ModelShape;
  weights: tf.io.WeightsManifestEntry[];
  weightBytes: number;
  optimizer: tf.io.WeightsManifestEntry[] | null;
  state: CheckpointState | null;
}

/** The header's length in bytes, from a file's first 8 bytes, once they are known to start a model file. */
export function headerLength(prefix: Buffer, file: string): number {
  if (prefix.length < 8 || prefix.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${file} is not a BrainSeg model file`);
  return prefix.readUInt32LE(4);
}

/** A checkpoint's training state, read from its header alone (the weights, tens of MB, are not read). */
export async function readCheckpointState(file: string): Promise<CheckpointState | null> {
  const handle = await open(file, 'r');
  try {
    const prefix = Buffer.alloc(8);
    const { bytesRead } = await handle.read(prefix, 0, 8, 0);
    const headerBytes = Buffer.alloc(headerLength(prefix.subarray(0, bytesRead), file));
    await handle.read(headerBytes, 0, headerBytes.length, 8);
    return (JSON.parse(headerBytes.toString('utf8')) as Header).state;
  } finally {
    await handle.close();
  }
}
