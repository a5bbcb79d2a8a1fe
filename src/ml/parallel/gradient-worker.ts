// A data-parallel training worker (a worker thread with its own TensorFlow.js and WASM instance): it holds a
// copy of the U-Net, takes the current weights and a shard of the batch, and returns that shard's gradients.
import * as tf from '@tensorflow/tfjs';
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../backends/select-backend.js';
import { batchGradients } from '../gradients.js';
import { buildUNet } from '../unet.js';
import type { FromGradientWorker, ToGradientWorker } from './protocol.js';

let model: tf.LayersModel | null = null;

function reply(message: FromGradientWorker, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

async function handle(message: ToGradientWorker): Promise<void> {
  if (message.type === 'init') {
    const report = await selectBackend(message.backend);
    model?.dispose();
    model = buildUNet(message.shape);
    reply({ type: 'ready', backend: report.name });
    return;
  }
  if (!model) throw new Error('gradient worker used before init');
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
