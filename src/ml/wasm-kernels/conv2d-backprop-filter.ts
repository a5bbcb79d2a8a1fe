import { tf } from '../tf.js';
import { adopt, allocate, heapView } from './heap.js';
import { borrow, handBack, type ConvGradientAttrs } from './kernel-tensors.js';

/** Attributes of this kernel: the shared convolution ones, and the shape to produce. */
interface BackpropFilterAttrs extends ConvGradientAttrs {
  filterShape: [number, number, number, number];
}

/**
 * How the filter gradient is computed (both give the same numbers):
 * - `correlation`: one XNNPACK convolution of the input with the output gradient as its filter. Reads the input
 *   once; fastest on large images, where the alternative copies too much.
 * - `product`: the input's patches laid out as a matrix (im2col), times the output gradient, as one 1×1
 *   convolution (XNNPACK's GEMM). Fastest on small images with many channels, where the correlation's inner
 *   loop runs over just `batch` values per filter tap.
 */
export type FilterGradientMethod = 'correlation' | 'product';

type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * When `product` wins, measured on every 3×3 layer of both presets' U-Nets (batch 2, WASM, 2-core x86; minimum
 * of 8 interleaved runs): always for the first layer's few input channels (2–3× faster); for wide layers
 * (≥ 64 output channels) unless a large image meets more input than output channels (there the patch matrix
 * outgrows the cache: 128² 128→64 took 20 % longer); never for narrow layers on large images (up to 2.5× slower).
 * The product on nearly every layer wins alone but lost in the real two-thread training step (0.67–0.70 s against
 * 0.63–0.65 s): its patch matrices' memory traffic costs more when both cores compete for memory.
 */
function productWins(info: ConvInfo): boolean {
  const { inChannels, outChannels, outHeight, outWidth } = info;
  if (inChannels <= 4) return true;
  return outChannels >= 64 && (inChannels <= outChannels || outHeight * outWidth <= 64 * 64);
}

function convInfo(xShape: number[], attrs: BackpropFilterAttrs): ConvInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
  );
}

/** The method {@link conv2dBackpropFilter} uses for a layer of this shape. */
export function filterGradientMethod(xShape: number[], attrs: BackpropFilterAttrs): FilterGradientMethod {
  return productWins(convInfo(xShape, attrs)) ? 'product' : 'correlation';
}

/**
 * The gradient of a 2-D convolution with respect to its filter on the WASM backend (which ships no
 * Conv2DBackpropFilter, so without this a U-Net cannot train on it):
 * dW[kh, kw, ci, co] = Σ_{b, oh, ow} xPadded[b, oh·s + kh, ow·s + kw, ci] · dy[b, oh, ow, co].
 * The data rearrangements run in JavaScript on views of the WASM heap: one pass each, where the backend's own
 * Pad, Transpose and Concat took several.
 */
export function conv2dBackpropFilter(
  backend: tf.KernelBackend,
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: BackpropFilterAttrs,
  method = filterGradientMethod(x.shape, attrs),
): tf.Tensor4D {
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter for wasm supports NHWC only');
  const info = convInfo(x.shape, attrs);
  return method === 'product' ? byMatrixProduct(backend, x, dy, info) : byCorrelation(backend, x, dy, info);
}

/**
 * Swapping the roles of batch and channels turns the sum into a convolution: the padded input as a batch of
 * `inC` images with `batch` channels [inC, H, W, batch], the output gradient as a filter [outH, outW, batch, outC]
 * dilated by the stride. Its output [inC, kh, kw, outC] is the filter gradient, transposed.
 */
function byCorrelation(backend: tf.KernelBackend, x: tf.Tensor4D, dy: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
  const { batchSize: batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { top, bottom, left, right } = info.padInfo;
  const height = inHeight + top + bottom;
  const width = inWidth + left + right;
  const imagesInfo = allocate(backend, [inChannels, height, width, batch]);
  const kernelInfo = allocate(backend, [outHeight, outWidth, batch, outChannels]);
  const images = heapView(backend, imagesInfo);
  const kernel = heapView(backend, kernelInfo);
  const xs = heapView(backend, x);
  const dys = heapView(backend, dy);

  relayoutImages(xs, images, batch, inHeight, inWidth, inChannels, height, width, top, left);
  relayoutKernel(dys, kernel, batch, outHeight * outWidth, outChannels);

  const imagesTensor = adopt(backend, imagesInfo) as tf.Tensor4D;
  const kernelTensor = adopt(backend, kernelInfo) as tf.Tensor4D;
  try {
    return tf.tidy(() => {
      const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
      const correlated = tf.conv2d(imagesTensor, kernelTensor, 1, 'valid', 'NHWC', [strideHeight, strideWidth]);
      // A 'valid' convolution whose stride skipped trailing rows leaves extra positions: keep the filter's own.
      const exact = correlated.shape[1] === filterHeight && correlated.shape[2] === filterWidth;
      const taps = exact ? correlated : tf.slice(correlated, [0, 0, 0, 0], [inChannels, filterHeight, filterWidth, outChannels]);
      return tf.transpose(taps, [1, 2, 0, 3]);
    });
  } finally {
    imagesTensor.dispose();
    kernelTensor.dispose();
  }
}

/**
 * im2col: patches[(kh, kw, ci), (b, oh, ow)] = xPadded[b, oh·s + kh, ow·s + kw, ci], so that
 * dW = patches · dy[(b, oh, ow), co], computed as a 1×1 convolution of patches (a 1-wide image of
 * kh·kw·inC rows with b·oh·ow channels) with dy as its filter. The result is already in dW's layout.
 */
function byMatrixProduct(backend: tf.KernelBackend, x: tf.Tensor4D, dy: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
  const { batchSize: batch, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const rows = filterHeight * filterWidth * inChannels;
  const positions = batch * outHeight * outWidth;
  const patchesInfo = allocate(backend, [1, rows, 1, positions]);
  const patches = heapView(backend, patchesInfo);
  gatherPatches(heapView(backend, x), patches, info);

  const patchesTensor = adopt(backend, patchesInfo) as tf.Tensor4D;
  try {
    return tf.tidy(() => {
      const product = tf.conv2d(patchesTensor, tf.reshape(dy, [1, 1, positions, outChannels]) as tf.Tensor4D, 1, 'valid');
      return tf.reshape(product, [filterHeight, filterWidth, inChannels, outChannels]);
    });
  } finally {
    patchesTensor.dispose();
  }
}

// The rearrangements below each run as a function of their own (V8 keeps small hot loops compiled) and walk the
// input one image row at a time, so what they read stays in cache while they write long contiguous runs.

/**
 * x [batch, H, W, C] → images [C, top + H + bottom, left + W + right, batch], the padding zeroed as each row is
 * written (the allocation is not zeroed, and zeroing it all first would write every value twice).
 */
function relayoutImages(
  xs: Float32Array, images: Float32Array, batch: number, inHeight: number, inWidth: number, channels: number,
  height: number, width: number, top: number, left: number,
): void {
  const row = width * batch;
  const rightStart = (left + inWidth) * batch;
  for (let c = 0; c < channels; c++) {
    const plane = c * height * row;
    images.fill(0, plane, plane + top * row);
    images.fill(0, plane + (top + inHeight) * row, plane + height * row);
  }
  for (let h = 0; h < inHeight; h++) {
    for (let c = 0; c < channels; c++) {
      const start = (c * height + h + top) * row;
      images.fill(0, start, start + left * batch);
      images.fill(0, start + rightStart, start + row);
      let to = start + left * batch;
      for (let w = 0; w < inWidth; w++) {
        for (let b = 0; b < batch; b++) images[to++] = xs[((b * inHeight + h) * inWidth + w) * channels + c]!;
      }
    }
  }
}

/** dy [batch, positions, C] → kernel [positions, batch, C]. */
function relayoutKernel(dys: Float32Array, kernel: Float32Array, batch: number, positions: number, channels: number): void {
  for (let p = 0; p < positions; p++) {
    for (let b = 0; b < batch; b++) {
      const from = (b * positions + p) * channels;
      const to = (p * batch + b) * channels;
      for (let o = 0; o < channels; o++) kernel[to + o] = dys[from + o]!;
    }
  }
}

/**
 * patches[(kh, kw, c), (b, oh, ow)] = xPadded[b, oh·s + kh, ow·s + kw, c], zero in the padding. The columns
 * that fall in the padding are known per filter tap, so the inner loop is a plain strided copy.
 */
function gatherPatches(xs: Float32Array, patches: Float32Array, info: ConvInfo): void {
  const { batchSize: batch, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const positions = batch * outHeight * outWidth;
  const step = strideWidth * inChannels;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const column = (b * outHeight + oh) * outWidth;
      for (let kh = 0; kh < filterHeight; kh++) {
        const ih = oh * strideHeight + kh - top;
        const rowInside = ih >= 0 && ih < inHeight;
        for (let kw = 0; kw < filterWidth; kw++) {
          // Output columns whose input column ow·s + kw − left lies inside the image.
          const first = Math.min(outWidth, Math.max(0, Math.ceil((left - kw) / strideWidth)));
          const end = rowInside ? Math.max(first, Math.min(outWidth, Math.floor((inWidth - 1 + left - kw) / strideWidth) + 1)) : first;
          const rowStart = ((b * inHeight + ih) * inWidth + first * strideWidth + kw - left) * inChannels;
          for (let c = 0; c < inChannels; c++) {
            const to = ((kh * filterWidth + kw) * inChannels + c) * positions + column;
            copyStrided(xs, rowStart + c, step, patches, to, first, end, outWidth);
          }
        }
      }
    }
  }
}

/** target[to + i] = source[from + (i − first)·step] for first ≤ i < end, and 0 for the rest of [0, count). */
function copyStrided(source: Float32Array, from: number, step: number, target: Float32Array, to: number, first: number, end: number, count: number): void {
  for (let i = 0; i < first; i++) target[to + i] = 0;
  for (let i = first; i < end; i++, from += step) target[to + i] = source[from]!;
  for (let i = end; i < count; i++) target[to + i] = 0;
}

let registered = false;

/** Registers {@link conv2dBackpropFilter} as the WASM backend's Conv2DBackpropFilter kernel (once). */
export function registerWasmConv2dBackpropFilter(): void {
  if (registered || tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  registered = true;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const wasm = backend as tf.KernelBackend;
      const x = borrow(wasm, inputs['x']!) as tf.Tensor4D;
      const dy = borrow(wasm, inputs['dy']!) as tf.Tensor4D;
      try {
        return handBack(wasm, conv2dBackpropFilter(wasm, x, dy, attrs as unknown as BackpropFilterAttrs));
      } finally {
        x.dispose();
        dy.dispose();
      }
    },
  });
}
