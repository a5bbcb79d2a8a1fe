import { tf } from '../tf.js';
import { Worker } from 'node:worker_threads';
import type { BackendChoice } from '../backends/backend-choice.js';
import { INPUT_CHANNELS, type ModelShape } from '../config.js';
import { batchGradients, shardBatch, shardRanges, type Batch, type GradientConfig } from '../gradients.js';
import { builtScript } from '../../util/built-script.js';
import { predictSlices, type PredictionPool } from '../predict.js';
import type { FromGradientWorker, ToGradientWorker } from './protocol.js';

/** The worker script, beside this file once built (`dist/`). */
export const GRADIENT_WORKER = builtScript('./gradient-worker.js', import.meta.url);

/** One worker thread and the request it is serving. */
class GradientWorker {
  private pending: { resolve: (m: FromGradientWorker) => void; reject: (e: Error) => void } | null = null;

  constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromGradientWorker) => {
      const pending = this.pending;
      this.pending = null;
      if (!pending) return;
      if (message.type === 'error') pending.reject(new Error(`gradient worker: ${message.message}`));
      else pending.resolve(message);
    });
    worker.on('error', (error) => {
      this.pending?.reject(error);
      this.pending = null;
    });
  }

  request(message: ToGradientWorker): Promise<FromGradientWorker> {
    if (this.pending) return Promise.reject(new Error('gradient worker is busy'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * Data-parallel training over worker threads: the calling thread computes one shard of each batch while every
 * worker computes another with its own WASM instance (one core each); the shards' gradients are averaged and
 * applied in one optimizer step. A shard's loss and batch-norm statistics are its own, as in micro-batching.
 */
export class GradientWorkerPool implements PredictionPool {
  private constructor(private readonly workers: GradientWorker[]) {}

  /** Starts `count` workers with the same network shape on the given backend. */
  static async start(count: number, backend: BackendChoice, shape: ModelShape, script = GRADIENT_WORKER): Promise<GradientWorkerPool> {
    const workers = Array.from({ length: count }, () => new GradientWorker(new Worker(script)));
    const pool = new GradientWorkerPool(workers);
    try {
      await Promise.all(workers.map((w) => w.request({ type: 'init', backend, shape })));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Threads that compute gradients, the caller's included. */
  get parallelism(): number {
    return this.workers.length + 1;
  }

  /** One optimizer step on a batch split into `parallelism` shards; returns the mean of the shards' losses. */
  async step(model: tf.LayersModel, optimizer: tf.Optimizer, batch: Batch, config: GradientConfig): Promise<number> {
    const shards = shardBatch(batch, this.parallelism, config.inputSize);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const weights = variables.map((v) => v.dataSync() as Float32Array);
    // Copies of the shards' own ranges: posting a view would clone the whole batch buffer behind it.
    const remote = this.workers.slice(0, shards.length - 1).map((worker, i) => {
      const shard = shards[i + 1]!;
      return worker.request({ type: 'gradients', weights, batch: { xs: shard.xs.slice(), ys: shard.ys.slice(), count: shard.count }, config });
    });
    const local = batchGradients(model, shards[0]!, config);
    let answers: FromGradientWorker[];
    try {
      answers = await Promise.all(remote);
    } catch (error) {
      tf.dispose(Object.values(local.grads));
      throw error;
    }
    let loss = local.loss;
    const averaged = tf.tidy(() => {
      const sums = variables.map((v) => local.grads[v.name]!);
      for (const answer of answers) {
        if (answer.type !== 'gradients') throw new Error('gradient worker answered out of turn');
        loss += answer.loss;
        answer.gradients.forEach((g, i) => (sums[i] = tf.add(sums[i]!, tf.tensor(g, variables[i]!.shape))));
      }
      return Object.fromEntries(variables.map((v, i) => [v.name, tf.div(sums[i]!, answers.length + 1)]));
    });
    tf.dispose(Object.values(local.grads));
    optimizer.applyGradients(averaged);
    tf.dispose(Object.values(averaged));
    return loss / (answers.length + 1);
  }

  /** Copies every weight of `model` (batch-norm statistics included) into the workers, for predicting. */
  async loadWeights(model: tf.LayersModel): Promise<void> {
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    await Promise.all(this.workers.map((w) => w.request({ type: 'load-weights', weights })));
  }

  /**
   * Predicts slices with the calling thread and every worker sharing them ({@link loadWeights} first). Returns
   * probabilities [count, size, size] in input order.
   */
  async predict(model: tf.LayersModel, images: Float32Array, count: number, size: number): Promise<Float32Array> {
    const perSlice = size * size * INPUT_CHANNELS;
    const [local, ...others] = shardRanges(count, this.parallelism).map(({ start, count: n }) => ({
      images: images.subarray(start * perSlice, (start + n) * perSlice),
      count: n,
    }));
    const remote = others.map((shard, i) =>
      this.workers[i]!.request({ type: 'predict', images: shard.images.slice(), count: shard.count }),
    );
    const out = new Float32Array(count * size * size);
    out.set(predictSlices(model, local!.images, local!.count, size));
    let offset = local!.count;
    for (const answer of await Promise.all(remote)) {
      if (answer.type !== 'probabilities') throw new Error('worker answered out of turn');
      out.set(answer.probabilities, offset * size * size);
      offset += answer.probabilities.length / (size * size);
    }
    if (offset !== count) throw new Error('prediction shards do not add up');
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
