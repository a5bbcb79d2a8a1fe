import { tf } from '../tf.js';
import { replaceWebGpuKernel } from './replace-kernel.js';
import { runConvolution } from './conv2d-forward.js';
import { elementwiseProgram, type ConvolutionAttrs, type KernelArgs, type WebGpuBackendLike } from './program.js';

/**
 * The input gradient of a 2-D convolution (Conv2DBackpropInput) for the WebGPU backend, channels last, stride 1:
 * the convolution of dy with the filter flipped and its channels swapped (a small copy, made first), run by the
 * forward kernel's shader (conv2d-forward.ts). tfjs-backend-webgpu's Conv2DDerInputMMProgram is a tiled matrix
 * product as slow on SwiftShader as its forward one. Strides (the U-Net's transposed up-sampling) and
 * channels-first data go to the package's kernel.
 */
const KERNEL = 'Conv2DBackpropInput';

interface Attrs extends ConvolutionAttrs {
  inputShape: [number, number, number, number];
}

/** [fh, fw, in, out] → [fh, fw, out, in], the taps in reverse order: out[r, c, o, i] = W[fh−1−r, fw−1−c, i, o]. */
function flippedFilter(shape: number[]) {
  return elementwiseProgram('brainseg_conv2d_flip_filter', ['W'], [shape[0]!, shape[1]!, shape[3]!, shape[2]!], `
    let i = index % uniforms.inChannels;
    let o = (index / uniforms.inChannels) % uniforms.outChannels;
    let tap = index / (uniforms.inChannels * uniforms.outChannels);
    let r = uniforms.filterHeight - 1 - tap / uniforms.filterWidth;
    let c = uniforms.filterWidth - 1 - tap % uniforms.filterWidth;
    setOutputAtIndex(index, W[((r * uniforms.filterWidth + c) * uniforms.inChannels + i) * uniforms.outChannels + o]);`,
  'filterHeight : i32, filterWidth : i32, inChannels : i32, outChannels : i32,');
}

/** Builds the kernel over `fallback`, tfjs-backend-webgpu's own (used where ours does not apply). */
function inputGradient(fallback: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Attrs;
    const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad,
      dimRoundingMode, false, tf.backend_util.convertConv2DDataFormat(dataFormat));
    const ours = info.dataFormat === 'channelsLast' && info.strideHeight === 1 && info.strideWidth === 1 &&
      dy.dtype === 'float32' && filter.dtype === 'float32';
    if (!ours) return fallback(args as never) as tf.TensorInfo;
    const gpu = backend as WebGpuBackendLike;
    const flipped = gpu.runWebGPUProgram(flippedFilter(filter.shape), [filter], 'float32',
      [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels].map((v) => ({ type: 'int32', data: [v] })));
    try {
      // dy is the source and x's shape the result; padding before x's rows is padding after dy's, and vice versa.
      return runConvolution(gpu, [dy, flipped], info.outChannels % 4 === 0 ? 'vec4' : 'scalar', {
        batch: info.batchSize, source: [info.outHeight, info.outWidth, info.outChannels],
        result: [info.inHeight, info.inWidth, info.inChannels], filter: [info.filterHeight, info.filterWidth],
        pads: [info.filterHeight - 1 - info.padInfo.top, info.filterWidth - 1 - info.padInfo.left], strides: [1, 1],
      });
    } finally {
      gpu.disposeData(flipped.dataId);
    }
  };
}

/** Puts ours in place of tfjs-backend-webgpu's Conv2DBackpropInput (once; the package must be loaded). */
export function registerWebGpuConv2dInputGradient(): void {
  replaceWebGpuKernel(KERNEL, inputGradient);
}
