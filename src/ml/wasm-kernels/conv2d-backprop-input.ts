import { tf } from '../tf.js';
import { adopt, allocate, heapView } from './heap.js';
import { borrow, handBack, overrideWasmKernel, type ConvGradientAttrs } from './kernel-tensors.js';

/** Attributes of this kernel: the shared convolution ones, and the shape to produce. */
interface BackpropInputAttrs extends ConvGradientAttrs {
  inputShape: [number, number, number, number];
}

/**
 * The gradient of a convolution with respect to its input, rewritten as operations XNNPACK runs fast, or null
 * when the case is not one of them (the caller then uses the backend's own kernel):
 * - stride 1: a forward convolution of the output gradient with the filter flipped in space and its channels
 *   swapped, padded so the result has the input's size;
 * - stride = filter size, no padding (the U-Net's 2×2 up-convolution): every output gradient pixel spreads over
 *   its own filter-sized block, so one matrix product and a depth-to-space shuffle (a transpose) give it exactly.
 */
export function conv2dBackpropInput(backend: tf.KernelBackend, dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: BackpropInputAttrs): tf.Tensor4D | null {
  if (attrs.dataFormat === 'NCHW') return null;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
  );
  const { strideHeight, strideWidth, filterHeight, filterWidth, inHeight, inWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  const [batch, , , inChannels] = attrs.inputShape;
  const outChannels = filter.shape[3];

  if (strideHeight === 1 && strideWidth === 1) {
    const padTop = filterHeight - 1 - top;
    const padLeft = filterWidth - 1 - left;
    const padBottom = inHeight - outHeight - padTop + filterHeight - 1;
    const padRight = inWidth - outWidth - padLeft + filterWidth - 1;
    if (Math.min(padTop, padLeft, padBottom, padRight) < 0) return null;
    return tf.tidy(() => {
      const flipped = flippedFilter(backend, filter);
      return tf.conv2d(dy, flipped, 1, [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]]);
    });
  }

  const blocks = strideHeight === filterHeight && strideWidth === filterWidth && strideHeight === strideWidth;
  if (blocks && top === 0 && left === 0 && outHeight * strideHeight <= inHeight && outWidth * strideWidth <= inWidth) {
    return tf.tidy(() => {
      // [kh, kw, in, out] → [out, kh·kw·in], so each output pixel's block comes out as (kh, kw, in).
      const weights = tf.reshape(tf.transpose(filter, [3, 0, 1, 2]), [outChannels, filterHeight * filterWidth * inChannels]);
      const spread = tf.matMul(tf.reshape(dy, [batch * outHeight * outWidth, outChannels]), weights);
      // Depth-to-space as a 6-D transpose: the WASM backend's DepthToSpace is twice as slow as its Transpose.
      const blocks6d = tf.reshape(spread, [batch, outHeight, outWidth, filterHeight, filterWidth, inChannels]);
      const dx = tf.reshape(tf.transpose(blocks6d, [0, 1, 3, 2, 4, 5]), [batch, outHeight * filterHeight, outWidth * filterWidth, inChannels]) as tf.Tensor4D;
      // Rows or columns a 'valid' stride skipped at the end got no gradient.
      const extraRows = inHeight - outHeight * strideHeight;
      const extraCols = inWidth - outWidth * strideWidth;
      return extraRows || extraCols ? tf.pad(dx, [[0, 0], [0, extraRows], [0, extraCols], [0, 0]]) : dx;
    });
  }
  return null;
}

/**
 * [kh, kw, in, out] → [kh, kw, out, in] flipped in both spatial axes: the transpose of the forward operator.
 * Done in one JavaScript pass over the filter's values: the WASM backend's Reverse and Gather take ~30 ns per
 * element (17 ms for a 3×3×256×256 filter, 8 % of a `fast` training step); this takes a few ns.
 */
export function flipAndSwapChannels(source: Float32Array, target: Float32Array, [kh, kw, inChannels, outChannels]: readonly number[]): void {
  const taps = kh! * kw!;
  const block = inChannels! * outChannels!;
  for (let t = 0; t < taps; t++) {
    const from = t * block;
    const to = (taps - 1 - t) * block;
    for (let i = 0; i < inChannels!; i++) {
      const row = from + i * outChannels!;
      for (let o = 0; o < outChannels!; o++) target[to + o * inChannels! + i] = source[row + o]!;
    }
  }
}

/** {@link flipAndSwapChannels} of a filter in the WASM heap into a new tensor there, read and written through heap views. */
function flippedFilter(backend: tf.KernelBackend, filter: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, inChannels, outChannels] = filter.shape;
  const info = allocate(backend, [kh, kw, outChannels, inChannels]);
  flipAndSwapChannels(heapView(backend, filter), heapView(backend, info), filter.shape);
  return adopt(backend, info) as tf.Tensor4D;
}

/** Replaces the WASM backend's Conv2DBackpropInput with {@link conv2dBackpropInput}, keeping it as the fallback. */
export function registerWasmConv2dBackpropInput(): void {
  overrideWasmKernel('Conv2DBackpropInput', (args, original) => {
    const backend = args.backend as tf.KernelBackend;
    const dy = borrow(backend, args.inputs['dy']!) as tf.Tensor4D;
    const filter = borrow(backend, args.inputs['filter']!) as tf.Tensor4D;
    try {
      const result = conv2dBackpropInput(backend, dy, filter, args.attrs as unknown as BackpropInputAttrs);
      return result ? handBack(backend, result) : original(args);
    } finally {
      dy.dispose();
      filter.dispose();
    }
  });
}
