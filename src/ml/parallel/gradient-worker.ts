// A data-parallel worker (a worker thread with its own TensorFlow.js and WASM instance, so its own core): it
// holds a copy of the U-Net and, given the current weights, computes one shard's gradients or predictions.
import { tf } from '../tf.js';
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../backends/select-backend.js';
import { batchGradients } from '../gradients.js';
import type { ModelShape } from '../config.js';
import { predictSlices } from '../predict.js';
import { buildInferenceUNet, buildUNet, loadFoldedWeights } from '../unet.js';
import type { FromGradientWorker, ToGradientWorker } from './protocol.js';

let model: tf.LayersModel | null = null;
/** The same weights with batch norm folded in, for predicting (refreshed on every load-weights). */
let inference: tf.LayersModel | null = null;
let shape: ModelShape | null = null;

function reply(message: FromGradientWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

async function handle(message: ToGradientWorker): Promise<void> {
  if (message.type === 'init') {
    const report = await selectBackend(message.backend);
    model?.dispose();
    inference?.dispose();
    model = buildUNet(message.shape, undefined, { weightsFollow: true }); // every request brings its weights
    inference = buildInferenceUNet(message.shape);
    shape = message.shape;
    reply({ type: 'ready', backend: report.name });
    return;
  }
  if (!model) throw new Error('gradient worker used before init');
  if (message.type === 'load-weights') {
    const current = model;
    tf.tidy(() => current.setWeights(current.getWeights().map((w, i) => tf.tensor(message.weights[i]!, w.shape))));
    loadFoldedWeights(inference!, current);
    reply({ type: 'weights-loaded' });
    return;
  }
  if (message.type === 'predict') {
    const probabilities = predictSlices(inference!, message.images, message.count, shape!.inputSize);
    reply({ type: 'probabilities', probabilities }, [probabilities.buffer as ArrayBuffer]);
    return;
  }
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(message.weights[i]!, v.shape))));
  const { loss, grads } = batchGradients(model, message.batch, message.config);
  // Own, whole buffers, so they can be transferred rather than copied.
  const gradients = variables.map((v) => {
    const data = grads[v.name]!.dataSync() as Float32Array;
    return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  });
  tf.dispose(Object.values(grads));
  reply({ type: 'gradients', loss, gradients }, gradients.map((g) => g.buffer as ArrayBuffer));
}

parentPort!.on('message', (message: ToGradientWorker) => {
  handle(message).catch((error: unknown) => reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
});
