import { tf } from './tf.js';
import { open, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { ModelShape } from './config.js';
import { buildUNet } from './unet.js';

// File layout: "BSM1" | uint32 header length | header JSON | model weights | optimizer weights (checkpoints only).
const MAGIC = 'BSM1';

/** A tensor with the name an optimizer gave it (tfjs-core's NamedTensor, which tfjs does not re-export). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

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

interface Header {
  shape: ModelShape;
  weights: tf.io.WeightsManifestEntry[];
  weightBytes: number;
  optimizer: tf.io.WeightsManifestEntry[] | null;
  state: CheckpointState | null;
}

/** A loaded model file: the network, and for checkpoints the optimizer weights and training state. */
export interface LoadedModelFile {
  shape: ModelShape;
  model: tf.LayersModel;
  optimizerWeights: NamedTensor[] | null;
  state: CheckpointState | null;
}

/** Saves a model (weights in layer order, batch-norm statistics included) and optionally optimizer and state. */
export async function saveModelFile(
  file: string,
  shape: ModelShape,
  model: tf.LayersModel,
  checkpoint?: { optimizer: tf.Optimizer; state: CheckpointState },
): Promise<void> {
  const weights = await tf.io.encodeWeights(model.getWeights().map((tensor, i) => ({ name: `w${i}`, tensor })));
  let optimizer: { data: ArrayBuffer; specs: tf.io.WeightsManifestEntry[] } | null = null;
  if (checkpoint) {
    const named = await checkpoint.optimizer.getWeights();
    optimizer = (await tf.io.encodeWeights(named)) as { data: ArrayBuffer; specs: tf.io.WeightsManifestEntry[] };
    // getWeights() hands back the slot variables themselves plus fresh tensors (the iteration count): free those.
    tf.dispose(named.map((n) => n.tensor).filter((t) => !(t instanceof tf.Variable)));
  }
  const weightData = new Uint8Array(weights.data as ArrayBuffer);
  const header: Header = {
    shape,
    weights: weights.specs,
    weightBytes: weightData.byteLength,
    optimizer: optimizer?.specs ?? null,
    state: checkpoint?.state ?? null,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  const chunks: Uint8Array[] = [Buffer.from(MAGIC, 'latin1'), length, headerBytes, weightData];
  if (optimizer) chunks.push(new Uint8Array(optimizer.data));
  await writeFileAtomic(file, chunks);
}

/** The header's length in bytes, from a file's first 8 bytes, once they are known to start a model file. */
function headerLength(prefix: Buffer, file: string): number {
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

/** Loads a model file written by {@link saveModelFile}; the caller owns (and disposes) what it returns. */
export async function loadModelFile(file: string): Promise<LoadedModelFile> {
  const bytes = await readFile(file);
  const length = headerLength(bytes, file);
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + length)) as Header;
  const start = 8 + length;
  const slice = (from: number, to: number) => bytes.buffer.slice(bytes.byteOffset + from, bytes.byteOffset + to);
  const decoded = tf.io.decodeWeights(slice(start, start + header.weightBytes), header.weights);
  const model = buildUNet(header.shape);
  try {
    const values = header.weights.map((spec) => decoded[spec.name]!);
    model.setWeights(values);
    tf.dispose(values);
  } catch (error) {
    model.dispose();
    throw new Error(`${file} does not fit a U-Net of ${header.shape.features} features: ${(error as Error).message}`, { cause: error });
  }
  let optimizerWeights: NamedTensor[] | null = null;
  if (header.optimizer) {
    const map = tf.io.decodeWeights(slice(start + header.weightBytes, bytes.length), header.optimizer);
    optimizerWeights = header.optimizer.map((spec) => ({ name: spec.name, tensor: map[spec.name]! }));
  }
  return { shape: header.shape, model, optimizerWeights, state: header.state };
}

/**
 * The network and shape of a model file, for a caller that only predicts or starts a new run from it: a
 * checkpoint's optimizer weights are freed at once (the caller owns and disposes the model).
 */
export async function loadModelWeights(file: string): Promise<Pick<LoadedModelFile, 'model' | 'shape'>> {
  const { model, shape, optimizerWeights } = await loadModelFile(file);
  optimizerWeights?.forEach((w) => w.tensor.dispose());
  return { model, shape };
}
