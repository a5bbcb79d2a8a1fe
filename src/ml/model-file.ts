import { tf } from './tf.js';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { ModelShape } from './config.js';
import { headerLength, MAGIC, type CheckpointState, type Header } from './model-file-header.js';
import { buildUNet } from './unet.js';

/** A tensor with the name an optimizer gave it (tfjs-core's NamedTensor, which tfjs does not re-export). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
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

/** Loads a model file written by {@link saveModelFile}; the caller owns (and disposes) what it returns. */
export async function loadModelFile(file: string): Promise<LoadedModelFile> {
  const bytes = await readFile(file);
  const length = headerLength(bytes, file);
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + length)) as Header;
  const start = 8 + length;
  const slice = (from: number, to: number) => bytes.buffer.slice(bytes.byteOffset + from, bytes.byteOffset + to);
  const decoded = tf.io.decodeWeights(slice(start, start + header.weightBytes), header.weights);
  const model = buildUNet(header.shape, undefined, { weightsFollow: true });
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
