import { tf } from '../tf.js';
import { batchGradientTensors, optimizeBatch, type Batch, type GradientConfig } from '../gradients.js';
import { INPUT_CHANNELS } from '../config.js';
import { GpuDeviceLostError, GpuOutOfMemoryError, releaseGpuBufferPool, webGpuRuntime, type GpuAdapterReport, type WebGpuRuntime } from './webgpu.js';

/** What the step needs to know about the network to plan its memory. */
export type StepConfig = GradientConfig & { features: number; batchSize: number };

/**
 * The largest single buffer of a U-Net training step, in bytes: the first level's skip concatenation (and its
 * gradient), [batch, size, size, 2·features] float32. Every other activation is at most half of it.
 */
export function largestStepBuffer(batch: number, inputSize: number, features: number): number {
  return batch * inputSize * inputSize * Math.max(2 * features, INPUT_CHANNELS) * 4;
}

/**
 * The micro-batch to train with on a GPU: the whole batch (0) wherever the adapter can bind its largest
 * buffer, else the largest micro-batch that fits. The presets' micro-batches exist for WASM's 4 GB heap (the
 * `full` preset steps in pairs there); a GPU with the limits for it runs the batch in one pass.
 */
export function planGpuMicroBatch(config: StepConfig, adapter: Pick<GpuAdapterReport, 'maxBufferSize' | 'maxStorageBufferBindingSize'>): number {
  const limit = Math.min(adapter.maxBufferSize, adapter.maxStorageBufferBindingSize);
  for (let micro = config.batchSize; micro >= 1; micro = Math.ceil(micro / 2)) {
    if (largestStepBuffer(micro, config.inputSize, config.features) <= limit) return micro >= config.batchSize ? 0 : micro;
    if (micro === 1) break;
  }
  return 1;
}

/** Rejects as soon as the device is lost, so nothing waits forever on a dead GPU. */
function unlessLost<T>(promise: Promise<T>, gpu: WebGpuRuntime): Promise<T> {
  return Promise.race([promise, gpu.lost.then((reason) => Promise.reject(new GpuDeviceLostError(reason)))]);
}

/**
 * tfjs-core frees the tensors a gradient saved for its backward pass only when the backward pass completes; a
 * kernel that throws part-way (out of memory) leaves them on the engine's tape, kept. Free them.
 */
function discardAbandonedTape(): void {
  const state = (tf.engine() as unknown as { state: { gradientDepth: number; activeTape: { saved?: tf.Tensor[] }[] | null } }).state;
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) tf.dispose(node.saved ?? []);
  state.activeTape = null;
}

/**
 * One optimizer step on WebGPU: forward, loss, backward and Adam queued on the GPU, then the loss read back
 * asynchronously (Node has no synchronous read from WebGPU). An allocation the device refuses (an
 * out-of-memory error scope, or the simulated limit) becomes {@link GpuOutOfMemoryError}; a lost device
 * {@link GpuDeviceLostError}.
 */
async function gpuStep(gpu: WebGpuRuntime, model: tf.LayersModel, optimizer: tf.Optimizer, batch: Batch, config: GradientConfig): Promise<number> {
  if (gpu.lostReason) throw new GpuDeviceLostError(gpu.lostReason);
  gpu.device.pushErrorScope('out-of-memory');
  let losses: tf.Tensor[] = [];
  let failure: unknown = null;
  let loss = Number.NaN;
  try {
    // One scope over the queued work: a failed allocation part-way leaves nothing behind (tidy frees what it made).
    losses = tf.tidy(() => {
      const result = batchGradientTensors(model, batch, config);
      optimizer.applyGradients(result.grads);
      return result.losses;
    });
    const values = await unlessLost(Promise.all(losses.map((l) => l.data())), gpu);
    loss = values.reduce((sum, v) => sum + v[0]!, 0) / values.length;
  } catch (error) {
    failure = error;
    discardAbandonedTape();
  } finally {
    tf.dispose(losses);
  }
  const scopeError = gpu.lostReason ? null : await unlessLost(gpu.device.popErrorScope(), gpu).catch(() => null);
  if (gpu.lostReason) throw new GpuDeviceLostError(gpu.lostReason);
  if (scopeError) throw new GpuOutOfMemoryError(scopeError.message.split('\n')[0]!);
  if (failure) throw failure;
  return loss;
}

/**
 * Runs training steps on the active backend. On WebGPU the batch goes whole where the adapter allows
 * ({@link planGpuMicroBatch}), and a step that runs out of GPU memory is retried in micro-batches half the size
 * (the optimizer has not moved: an allocation fails in the forward or backward pass, before Adam), with a notice;
 * at one slice per micro-batch it gives up with advice. Elsewhere it is {@link optimizeBatch}.
 */
export class TrainingStepper {
  private microBatchSize: number;
  private readonly gpu: WebGpuRuntime | null;

  constructor(private readonly config: StepConfig, private readonly notice: (message: string) => void = () => undefined) {
    this.gpu = tf.getBackend() === 'webgpu' ? webGpuRuntime() : null;
    this.microBatchSize = config.microBatchSize;
    if (this.gpu) {
      this.microBatchSize = planGpuMicroBatch(config, this.gpu.adapter);
      if (this.microBatchSize !== config.microBatchSize) {
        notice(`WebGPU: ${this.microBatchSize === 0 ? `batch of ${config.batchSize} in one pass` : `micro-batches of ${this.microBatchSize}`} ` +
          `(the adapter binds buffers up to ${(Math.min(this.gpu.adapter.maxBufferSize, this.gpu.adapter.maxStorageBufferBindingSize) / 2 ** 20).toFixed(0)} MB)`);
      }
    }
  }

  /** The micro-batch in use (0: the whole batch at once). */
  get micro(): number {
    return this.microBatchSize;
  }

  async step(model: tf.LayersModel, optimizer: tf.Optimizer, batch: Batch): Promise<number> {
    if (!this.gpu) return optimizeBatch(model, optimizer, batch, this.config);
    for (;;) {
      try {
        return await gpuStep(this.gpu, model, optimizer, batch, { ...this.config, microBatchSize: this.microBatchSize });
      } catch (error) {
        if (error instanceof GpuDeviceLostError) {
          throw new GpuDeviceLostError(error.reason, 'training stopped and its last checkpoint is kept; resume with --resume ' +
            '(add --backend wasm to go on without the GPU)');
        }
        if (!(error instanceof GpuOutOfMemoryError)) throw error;
        const current = this.microBatchSize || batch.count;
        if (current <= 1) {
          throw new GpuOutOfMemoryError(`${error.message.replace(/^the GPU ran out of memory \(|\)$/g, '')}; even one slice at a time does not fit: ` +
            'train with --backend wasm, or a smaller preset');
        }
        releaseGpuBufferPool();
        this.microBatchSize = Math.ceil(current / 2);
        this.notice(`${error.message}: retrying the step in micro-batches of ${this.microBatchSize}`);
      }
    }
  }
}
