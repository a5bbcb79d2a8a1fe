import * as tf from '@tensorflow/tfjs';
import { borrow, handBack, type ConvGradientAttrs } from './kernel-tensors.js';

/** Attributes of this kernel: the shared convolution ones, and the shape to produce. */
interface BackpropFilterAttrs extends ConvGradientAttrs {
  filterShape: [number, number, number, number];
}

/**
 * The gradient of a 2-D convolution with respect to its filter, as one forward convolution that XNNPACK runs
 * fast (tfjs-backend-wasm ships no Conv2DBackpropFilter, so without this a U-Net cannot train on it).
 *
 * dW[kh, kw, ci, co] = Σ_{b, oh, ow} xPadded[b, oh·s + kh, ow·s + kw, ci] · dy[b, oh, ow, co]. Swapping the roles of
 * batch and channels turns that sum into a convolution: the padded input as a batch of `inC` one-channel-per-
 * sample images [inC, H, W, batch], the output gradient as a filter [outH, outW, batch, outC] dilated by the
 * stride. Its output [inC, kh, kw, outC] is the filter gradient, transposed. Compared with gathering im2col
 * windows this skips copying the input nine times, 4–7× faster on the U-Net's large layers.
 */
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: BackpropFilterAttrs): tf.Tensor4D {
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter for wasm supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
  );
  const { top, bottom, left, right } = info.padInfo;
  const { strideHeight, strideWidth, filterHeight, filterWidth, inChannels, outChannels } = info;
  return tf.tidy(() => {
    const padded = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const images = tf.transpose(padded, [3, 1, 2, 0]); // [inC, H, W, batch]
    const kernel = tf.transpose(dy, [1, 2, 0, 3]); // [outH, outW, batch, outC]
    const correlated = tf.conv2d(images as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'valid', 'NHWC', [strideHeight, strideWidth]);
    // A 'valid' convolution whose stride skipped trailing rows leaves extra positions: keep the filter's own.
    const taps = tf.slice(correlated, [0, 0, 0, 0], [inChannels, filterHeight, filterWidth, outChannels]);
    return tf.transpose(taps, [1, 2, 0, 3]) as tf.Tensor4D;
  });
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
        return handBack(wasm, conv2dBackpropFilter(x, dy, attrs as unknown as BackpropFilterAttrs));
      } finally {
        x.dispose();
        dy.dispose();
      }
    },
  });
}
