import { tf } from '../tf.js';
import { BATCH_NORM_RELU, registerWasmBatchNormRelu } from '../wasm-kernels/batch-norm-relu.js';
import { elementwiseProgram, perChannelProgram, type WebGpuBackendLike } from './program.js';

/**
 * The fused training-mode batch norm + ReLU of `BatchNormReLU` (see wasm-kernels/batch-norm-relu.ts for the
 * formulas) as WGSL compute programs for the WebGPU backend. tfjs-backend-webgpu has no such kernel, and
 * without it the layer would run ~26 primitive kernels per layer; here the forward pass is two dispatches over the
 * activations (statistics, then normalise + ReLU) and the backward pass two (gradient sums, then dx), plus tiny
 * per-channel ones. Statistics are two-pass (mean, then Σ(x − mean)²) in float32 tree reductions, one
 * workgroup per channel.
 */
const BATCH_NORM_RELU_GRAD = 'BrainSegBatchNormReluGrad';

interface Attrs {
  varianceEpsilon: number;
}

type Args = { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap };

/** WGSL: the per-channel affine map y = relu(x·m + s) from the inputs scale, offset, mean, variance. */
const AFFINE = `
  let inverseStd = 1.0 / sqrt(variance[channel] + uniforms.eps);
  let m = scale[channel] * inverseStd;
  let s = offset[channel] - mean[channel] * m;`;

/** [2, C]: row 0 the batch mean, row 1 the biased variance, of x viewed as [count, C]. */
function statistics(channels: number, rows: number): ReturnType<typeof perChannelProgram> {
  return perChannelProgram('brainseg_bnr_stats', ['x'], [2, channels], channels, rows, (threads) => `
    let C = uniforms.channels;
    let n = uniforms.count;
    var sum = 0.0;
    for (var row = i32(threadId); row < n; row = row + ${threads}) {
      sum = sum + x[row * C + channel];
    }
    let mean = reduceBoth(sum, 0.0, threadId).x / f32(n);
    var squares = 0.0;
    for (var row = i32(threadId); row < n; row = row + ${threads}) {
      let d = x[row * C + channel] - mean;
      squares = squares + d * d;
    }
    let variance = reduceBoth(squares, 0.0, threadId).x / f32(n);
    if (threadId == 0u) {
      setOutputAtIndex(channel, mean);
      setOutputAtIndex(C + channel, variance);
    }`, 'channels : i32, count : i32,');
}

/** [2, C]: Σg and Σg·(x − mean) per channel, g = dy where the ReLU passed. */
function gradientSums(channels: number, rows: number): ReturnType<typeof perChannelProgram> {
  return perChannelProgram('brainseg_bnr_grad_sums', ['dy', 'x', 'scale', 'offset', 'mean', 'variance'], [2, channels], channels, rows, (threads) => `
    let C = uniforms.channels;
    let n = uniforms.count;
    ${AFFINE}
    let centre = mean[channel];
    var sumG = 0.0;
    var sumGX = 0.0;
    for (var row = i32(threadId); row < n; row = row + ${threads}) {
      let i = row * C + channel;
      let v = x[i];
      let g = select(0.0, dy[i], v * m + s > 0.0);
      sumG = sumG + g;
      sumGX = sumGX + g * (v - centre);
    }
    let totals = reduceBoth(sumG, sumGX, threadId);
    if (threadId == 0u) {
      setOutputAtIndex(channel, totals.x);
      setOutputAtIndex(C + channel, totals.y * inverseStd);
    }`, 'channels : i32, count : i32, eps : f32,');
}

function forward({ inputs, backend, attrs }: Args): tf.TensorInfo[] {
  const gpu = backend as WebGpuBackendLike;
  const { x, scale, offset } = inputs as { x: tf.TensorInfo; scale: tf.TensorInfo; offset: tf.TensorInfo };
  const { varianceEpsilon } = attrs as unknown as Attrs;
  const channels = x.shape[x.shape.length - 1]!;
  const count = tf.util.sizeFromShape(x.shape) / channels;
  const stats = gpu.runWebGPUProgram(statistics(channels, count), [x], 'float32', [
    { type: 'int32', data: [channels] }, { type: 'int32', data: [count] },
  ]);
  try {
    const row = (r: number) => gpu.runWebGPUProgram(
      elementwiseProgram(`brainseg_bnr_row${r}`, ['stats'], [channels], `setOutputAtIndex(index, stats[${r} * uniforms.size + index]);`),
      [stats], 'float32');
    const mean = row(0);
    const variance = row(1);
    const y = gpu.runWebGPUProgram(
      elementwiseProgram('brainseg_bnr_apply', ['x', 'scale', 'offset', 'mean', 'variance'], [...x.shape], `
        let channel = index % uniforms.channels;
        ${AFFINE}
        setOutputAtIndex(index, max(x[index] * m + s, 0.0));`, 'channels : i32, eps : f32,'),
      [x, scale, offset, mean, variance], 'float32',
      [{ type: 'int32', data: [channels] }, { type: 'float32', data: [varianceEpsilon] }]);
    return [y, mean, variance];
  } finally {
    gpu.disposeData(stats.dataId);
  }
}

/**
 * dOffset = Σg, dScale = Σg·x̂ and dx = scale/σ · (g − Σg/n − x̂·Σg·x̂/n), x̂ = (x − mean)/σ: the gradient
 * through the batch statistics included, as the WASM kernel computes it.
 */
function backward({ inputs, backend, attrs }: Args): tf.TensorInfo[] {
  const gpu = backend as WebGpuBackendLike;
  const { dy, x, scale, offset, mean, variance } = inputs as Record<'dy' | 'x' | 'scale' | 'offset' | 'mean' | 'variance', tf.TensorInfo>;
  const { varianceEpsilon } = attrs as unknown as Attrs;
  const channels = x.shape[x.shape.length - 1]!;
  const count = tf.util.sizeFromShape(x.shape) / channels;
  const sums = gpu.runWebGPUProgram(gradientSums(channels, count), [dy, x, scale, offset, mean, variance], 'float32', [
    { type: 'int32', data: [channels] }, { type: 'int32', data: [count] }, { type: 'float32', data: [varianceEpsilon] },
  ]);
  try {
    const dx = gpu.runWebGPUProgram(
      elementwiseProgram('brainseg_bnr_dx', ['dy', 'x', 'scale', 'offset', 'mean', 'variance', 'sums'], [...x.shape], `
        let channel = index % uniforms.channels;
        ${AFFINE}
        let v = x[index];
        let g = select(0.0, dy[index], v * m + s > 0.0);
        let n = f32(uniforms.count);
        let xHat = (v - mean[channel]) * inverseStd;
        setOutputAtIndex(index, m * (g - sums[channel] / n - xHat * sums[uniforms.channels + channel] / n));`,
      'channels : i32, count : i32, eps : f32,'),
      [dy, x, scale, offset, mean, variance, sums], 'float32',
      [{ type: 'int32', data: [channels] }, { type: 'int32', data: [count] }, { type: 'float32', data: [varianceEpsilon] }]);
    const row = (r: number) => gpu.runWebGPUProgram(
      elementwiseProgram(`brainseg_bnr_row${r}`, ['stats'], [channels], `setOutputAtIndex(index, stats[${r} * uniforms.size + index]);`),
      [sums], 'float32');
    return [dx, row(1), row(0)];
  } finally {
    gpu.disposeData(sums.dataId);
  }
}

let registered = false;

/** Registers the fused kernel and its gradient kernel for the WebGPU backend (once). */
export function registerWebGpuBatchNormRelu(): void {
  if (registered) return;
  registered = true;
  // The gradient (registered per kernel, not per backend) runs BATCH_NORM_RELU_GRAD on the active backend: the
  // WASM module registers it once for every backend; its WASM kernels are inert here.
  registerWasmBatchNormRelu();
  tf.registerKernel({ kernelName: BATCH_NORM_RELU, backendName: 'webgpu', kernelFunc: forward as tf.KernelFunc });
  tf.registerKernel({ kernelName: BATCH_NORM_RELU_GRAD, backendName: 'webgpu', kernelFunc: backward as tf.KernelFunc });
}
