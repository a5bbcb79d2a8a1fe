import * as tf from '@tensorflow/tfjs';

/** Attributes of the Conv2DBackpropFilter kernel, as tfjs-core's conv2d gradient passes them. */
interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * The gradient of a 2-D convolution with respect to its filter, composed from kernels the WASM backend has:
 * for each filter tap (kh, kw), the strided window of the padded input that tap saw, reshaped to [N, inC],
 * times the output gradient [N, outC], gives dW[kh, kw] as one matrix product. tfjs-backend-wasm ships no
 * native Conv2DBackpropFilter, so without this a U-Net cannot train on it.
 */
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: BackpropFilterAttrs): tf.Tensor4D {
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter for wasm supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
  );
  const { top, bottom, left, right } = info.padInfo;
  const [batch] = x.shape;
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, inChannels, outChannels } = info;
  const rows = batch * outHeight * outWidth;
  return tf.tidy(() => {
    // Negative padding never occurs for 'same'/'valid'; a 'valid' window may leave rows unused at the end.
    const padded = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const dyMatrix = tf.reshape(dy, [rows, outChannels]);
    const taps: tf.Tensor2D[] = [];
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        taps.push(
          tf.tidy(() => {
            const window = tf.stridedSlice(
              padded,
              [0, kh, kw, 0],
              [batch, kh + (outHeight - 1) * strideHeight + 1, kw + (outWidth - 1) * strideWidth + 1, inChannels],
              [1, strideHeight, strideWidth, 1],
            );
            return tf.matMul(tf.reshape(window, [rows, inChannels]), dyMatrix, true, false) as tf.Tensor2D;
          }),
        );
      }
    }
    return tf.reshape(tf.stack(taps), [filterHeight, filterWidth, inChannels, outChannels]) as tf.Tensor4D;
  });
}

/**
 * Wraps a kernel input as a Tensor so ops can run on it. The wrapper takes its own reference to the data:
 * disposing it must not free the caller's tensor (which would corrupt the engine's bookkeeping).
 */
function borrow(backend: tf.KernelBackend, info: tf.TensorInfo): tf.Tensor {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
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
        const result = conv2dBackpropFilter(x, dy, attrs as unknown as BackpropFilterAttrs);
        // Hand the engine a bare TensorInfo that owns one reference to the data, as native kernels do.
        wasm.incRef(result.dataId);
        result.dispose();
        return { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
      } finally {
        x.dispose();
        dy.dispose();
      }
    },
  });
}
