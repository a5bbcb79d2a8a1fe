import { tf } from '../tf.js';
import { allocate, heapView } from './heap.js';

/**
 * Training-mode batch normalisation followed by ReLU, as one kernel and one gradient kernel, for the WASM
 * backend. Written in primitive ops (moments, FusedBatchNorm, Relu, and their gradients) one layer costs ~26
 * passes over its activations, each a separate WASM kernel; here the forward pass reads the input twice and the
 * backward pass reads it and the output gradient twice. JavaScript loops over views of the WASM heap, statistics summed in float64.
 *
 * Inputs x [..., C], scale [C], offset [C]; outputs y = relu((x − mean)/√(variance + ε)·scale + offset) and the
 * batch mean and (biased) variance [C], which the layer folds into its running averages.
 */
export const BATCH_NORM_RELU = 'BrainSegBatchNormRelu';
const BATCH_NORM_RELU_GRAD = 'BrainSegBatchNormReluGrad';

interface Attrs {
  varianceEpsilon: number;
}

// Each loop nest is a function of its own: V8 compiles a hot loop on the fly (on-stack replacement) and throws
// that code away when it meets later statements it has no type feedback for; small functions stay compiled.
// The loops have no data-dependent branches: a ReLU's sign is a coin flip to the branch predictor, and
// `v > 0 ? v : 0` ran 4× slower than `(v + |v|)/2` (exact: v + |v| is 2v or +0) or `g·+(v > 0)`.
// They read as little as they can: with two threads training, memory traffic costs more than arithmetic, so the
// statistics take one pass and the backward pass recomputes the ReLU's mask from x instead of reading y.

/**
 * Σ(x − k) and Σ(x − k)² per channel, with k the channel's first value: shifted, the float64 sums do not cancel
 * the way Σx² − n·mean² can when the mean is large against the spread.
 */
function shiftedSums(xs: Float32Array, channels: number, shift: Float64Array, sums: Float64Array, squares: Float64Array): void {
  for (let i = 0; i < xs.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const d = xs[i + c]! - shift[c]!;
      sums[c]! += d;
      squares[c]! += d * d;
    }
  }
}

function scaleShiftRelu(xs: Float32Array, ys: Float32Array, channels: number, multiplier: Float32Array, shift: Float32Array): void {
  for (let i = 0; i < xs.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = xs[i + c]! * multiplier[c]! + shift[c]!;
      ys[i + c] = (v + Math.abs(v)) * 0.5;
    }
  }
}

/** Σg and Σg·x per channel, with g the output gradient where the ReLU passed (x·multiplier + shift > 0). */
function gradientSums(
  dys: Float32Array, xs: Float32Array, channels: number, multiplier: Float32Array, shift: Float32Array,
  sumG: Float64Array, sumGX: Float64Array,
): void {
  for (let i = 0; i < xs.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const x = xs[i + c]!;
      const g = dys[i + c]! * +(x * multiplier[c]! + shift[c]! > 0);
      sumG[c]! += g;
      sumGX[c]! += g * x;
    }
  }
}

/** dx = a·g + b·x + d per channel (the gradient's formula, expanded so each value costs two products). */
function inputGradient(
  dys: Float32Array, xs: Float32Array, dxs: Float32Array, channels: number, multiplier: Float32Array, shift: Float32Array,
  a: Float32Array, b: Float32Array, d: Float32Array,
): void {
  for (let i = 0; i < xs.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const x = xs[i + c]!;
      const passed = +(x * multiplier[c]! + shift[c]! > 0);
      dxs[i + c] = a[c]! * dys[i + c]! * passed + b[c]! * x + d[c]!;
    }
  }
}

/**
 * The per-channel affine map of the normalisation, y = relu(x·multiplier + shift), from the float32 statistics
 * the forward kernel outputs: the backward kernel computes it from the same values, so it finds the same mask.
 */
function affine(gamma: Float32Array, beta: Float32Array, mean: Float32Array, variance: Float32Array, varianceEpsilon: number) {
  const channels = gamma.length;
  const multiplier = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    multiplier[c] = gamma[c]! / Math.sqrt(variance[c]! + varianceEpsilon);
    shift[c] = beta[c]! - mean[c]! * multiplier[c]!;
  }
  return { multiplier, shift };
}

function forward({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const wasm = backend as tf.KernelBackend;
  const { x, scale, offset } = inputs as { x: tf.TensorInfo; scale: tf.TensorInfo; offset: tf.TensorInfo };
  const { varianceEpsilon } = attrs as unknown as Attrs;
  const channels = x.shape[x.shape.length - 1]!;
  const yInfo = allocate(wasm, x.shape);
  const meanInfo = allocate(wasm, [channels]);
  const varianceInfo = allocate(wasm, [channels]);
  const xs = heapView(wasm, x);
  const count = xs.length / channels;
  const first = Float64Array.from(xs.subarray(0, channels));
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  shiftedSums(xs, channels, first, sums, squares);
  const mean = heapView(wasm, meanInfo);
  const variance = heapView(wasm, varianceInfo);
  for (let c = 0; c < channels; c++) {
    const meanShift = sums[c]! / count;
    mean[c] = first[c]! + meanShift;
    variance[c] = Math.max(0, squares[c]! / count - meanShift * meanShift);
  }
  const { multiplier, shift } = affine(heapView(wasm, scale), heapView(wasm, offset), mean, variance, varianceEpsilon);
  scaleShiftRelu(xs, heapView(wasm, yInfo), channels, multiplier, shift);
  return [yInfo, meanInfo, varianceInfo];
}

/**
 * With g = dy where the ReLU passed (else 0) and x̂ = (x − mean)/σ, over the n values of a channel:
 * dOffset = Σg, dScale = Σg·x̂, dx = scale/σ · (g − dOffset/n − x̂·dScale/n), the gradient through the batch
 * statistics included.
 */
function backward({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const wasm = backend as tf.KernelBackend;
  const { dy, x, scale, offset, mean, variance } = inputs as Record<'dy' | 'x' | 'scale' | 'offset' | 'mean' | 'variance', tf.TensorInfo>;
  const { varianceEpsilon } = attrs as unknown as Attrs;
  const channels = x.shape[x.shape.length - 1]!;
  const dxInfo = allocate(wasm, x.shape);
  const dScaleInfo = allocate(wasm, [channels]);
  const dOffsetInfo = allocate(wasm, [channels]);
  const [dys, xs, gamma, beta, means, variances] = [dy, x, scale, offset, mean, variance].map((t) => heapView(wasm, t)) as [
    Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array,
  ];
  const { multiplier, shift } = affine(gamma, beta, means, variances, varianceEpsilon);
  const sumG = new Float64Array(channels);
  const sumGX = new Float64Array(channels);
  gradientSums(dys, xs, channels, multiplier, shift, sumG, sumGX);
  const count = xs.length / channels;
  const dScale = new Float64Array(channels);
  const a = new Float32Array(channels);
  const b = new Float32Array(channels);
  const d = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const inverseStd = 1 / Math.sqrt(variances[c]! + varianceEpsilon);
    dScale[c] = (sumGX[c]! - means[c]! * sumG[c]!) * inverseStd; // Σg·x̂
    // dx = scale/σ · (g − Σg/n − x̂·Σg·x̂/n), with x̂ = (x − mean)/σ, gathered into a·g + b·x + d.
    const gain = gamma[c]! * inverseStd;
    a[c] = gain;
    b[c] = -gain * inverseStd * dScale[c]! / count;
    d[c] = -gain * sumG[c]! / count - b[c]! * means[c]!;
  }
  inputGradient(dys, xs, heapView(wasm, dxInfo), channels, multiplier, shift, a, b, d);
  heapView(wasm, dScaleInfo).set(dScale);
  heapView(wasm, dOffsetInfo).set(sumG);
  return [dxInfo, dScaleInfo, dOffsetInfo];
}

/** Whether the fused kernel exists for the active backend (the layer falls back to primitive ops elsewhere). */
export function hasFusedBatchNormRelu(): boolean {
  return tf.getKernel(BATCH_NORM_RELU, tf.getBackend()) !== undefined;
}

/** Runs the fused kernel: [y, batch mean, batch variance]. */
export function batchNormRelu(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor, varianceEpsilon: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const attrs: Attrs = { varianceEpsilon };
  return tf.engine().runKernel(BATCH_NORM_RELU, { x, scale, offset }, attrs as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
}

let registered = false;

/** Registers the fused kernel and its gradient for the WASM backend (once). */
export function registerWasmBatchNormRelu(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({ kernelName: BATCH_NORM_RELU, backendName: 'wasm', kernelFunc: forward as tf.KernelFunc });
  tf.registerKernel({ kernelName: BATCH_NORM_RELU_GRAD, backendName: 'wasm', kernelFunc: backward as tf.KernelFunc });
  tf.registerGradient({
    kernelName: BATCH_NORM_RELU,
    inputsToSave: ['x', 'scale', 'offset'],
    outputsToSave: [false, true, true],
    // The batch statistics only feed the running averages, which no loss sees: their gradients are zero and
    // ignored. The three gradients come from one kernel call, made here so each thunk only picks its own.
    gradFunc: (dy, saved, attrs) => {
      const [x, scale, offset, mean, variance] = saved as tf.Tensor[];
      const dyOfY = Array.isArray(dy) ? dy[0]! : dy;
      const [dx, dScale, dOffset] = tf.engine().runKernel(
        BATCH_NORM_RELU_GRAD, { dy: dyOfY, x: x!, scale: scale!, offset: offset!, mean: mean!, variance: variance! }, attrs,
      ) as unknown as tf.Tensor[];
      return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
    },
  });
}
