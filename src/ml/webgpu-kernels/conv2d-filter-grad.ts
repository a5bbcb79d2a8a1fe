import { tf } from '../tf.js';
import { replaceWebGpuKernel } from './replace-kernel.js';
import { elementwiseProgram, flatDispatch, type ConvolutionAttrs, type KernelArgs, type WebGpuBackendLike, type WebGpuProgram } from './program.js';

/**
 * The filter gradient of a 2-D convolution (Conv2DBackpropFilter) for the WebGPU backend, channels last.
 * tfjs-backend-webgpu's own runs one invocation per filter weight, each reading two scalars per multiply-add over
 * every pixel of the batch: most of a U-Net training step's GPU time (60 % of the `fast` preset's step on
 * SwiftShader), and on a real GPU too few invocations for the small filters ([3, 3, 16, 16]: 2304). Here each
 * invocation computes a 4 × 4 block of the filter (4 input × 4 output channels: 16 multiply-adds per 8 reads)
 * over a slice of the rows, and a second pass sums the slices. Channels that are not multiples of 4 (the input
 * layer's 3, the 1-channel output) and channels-first data go to the package's kernel.
 */
const KERNEL = 'Conv2DBackpropFilter';

/** About how many invocations to spread one filter gradient over: enough for a GPU, the rows split to get there. */
const TARGET_INVOCATIONS = 8192;

interface Attrs extends ConvolutionAttrs {
  filterShape: [number, number, number, number];
}

/** Partial sums [chunks, filterHeight·filterWidth·inChannels·outChannels], one chunk per slice of the rows. */
function partialSums(outputShape: number[], invocations: number): WebGpuProgram {
  return {
    variableNames: ['x', 'dy'], outputShape, shaderKey: 'brainseg_conv2d_filter_grad_4x4', size: true,
    uniforms: 'pads : vec2<i32>, strides : vec2<i32>, outHeight : i32, outWidth : i32, inHeight : i32, inWidth : i32, ' +
      'inChannels : i32, outChannels : i32, filterWidth : i32, blocks : i32, invocations : i32, rows : i32, rowsPerChunk : i32,',
    ...flatDispatch(outputShape, invocations),
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.invocations) {
          return;
        }
        let chunk = index / uniforms.blocks;
        let block = index % uniforms.blocks;
        let outBlocks = uniforms.outChannels / 4;
        let inBlocks = uniforms.inChannels / 4;
        let d2 = (block % outBlocks) * 4;
        let d1 = ((block / outBlocks) % inBlocks) * 4;
        let tap = block / (outBlocks * inBlocks);
        let wR = tap / uniforms.filterWidth;
        let wC = tap % uniforms.filterWidth;
        var acc0 = vec4<f32>(0.0);
        var acc1 = vec4<f32>(0.0);
        var acc2 = vec4<f32>(0.0);
        var acc3 = vec4<f32>(0.0);
        let rowEnd = min(uniforms.rows, (chunk + 1) * uniforms.rowsPerChunk);
        for (var row = chunk * uniforms.rowsPerChunk; row < rowEnd; row = row + 1) {
          // A row is (batch, output row); x's row is the tap's, shifted by the stride and padding.
          let b = row / uniforms.outHeight;
          let yR = row % uniforms.outHeight;
          let xR = wR + yR * uniforms.strides[0] - uniforms.pads[0];
          if (xR < 0 || xR >= uniforms.inHeight) {
            continue;
          }
          let xRow = (b * uniforms.inHeight + xR) * uniforms.inWidth;
          let dyRow = row * uniforms.outWidth;
          for (var yC = 0; yC < uniforms.outWidth; yC = yC + 1) {
            let xC = wC + yC * uniforms.strides[1] - uniforms.pads[1];
            if (xC < 0 || xC >= uniforms.inWidth) {
              continue;
            }
            let xi = (xRow + xC) * uniforms.inChannels + d1;
            let di = (dyRow + yC) * uniforms.outChannels + d2;
            let g = vec4<f32>(dy[di], dy[di + 1], dy[di + 2], dy[di + 3]);
            acc0 = acc0 + x[xi] * g;
            acc1 = acc1 + x[xi + 1] * g;
            acc2 = acc2 + x[xi + 2] * g;
            acc3 = acc3 + x[xi + 3] * g;
          }
        }
        let filterSize = uniforms.size / ((uniforms.rows + uniforms.rowsPerChunk - 1) / uniforms.rowsPerChunk);
        let base = chunk * filterSize + (tap * uniforms.inChannels + d1) * uniforms.outChannels + d2;
        var sums = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
        for (var i = 0; i < 4; i = i + 1) {
          for (var j = 0; j < 4; j = j + 1) {
            setOutputAtIndex(base + i * uniforms.outChannels + j, sums[i][j]);
          }
        }
      }`,
  };
}

/** The filter gradient as the sum of the chunks' partial sums. */
function sumChunks(filterShape: number[]): WebGpuProgram {
  return elementwiseProgram('brainseg_conv2d_filter_grad_sum', ['partials'], filterShape, `
    var total = 0.0;
    for (var c = 0; c < uniforms.chunks; c = c + 1) {
      total = total + partials[c * uniforms.size + index];
    }
    setOutputAtIndex(index, total);`, `chunks : i32,`);
}

/** Builds the kernel over `fallback`, tfjs-backend-webgpu's own (used where ours does not apply). */
function filterGradient(fallback: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo => {
    const { inputs, backend, attrs } = args;
    const gpu = backend as WebGpuBackendLike;
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Attrs;
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad,
      dimRoundingMode, false, tf.backend_util.convertConv2DDataFormat(dataFormat));
    if (info.dataFormat !== 'channelsLast' || info.inChannels % 4 !== 0 || info.outChannels % 4 !== 0) return fallback(args as never) as tf.TensorInfo;

    const blocks = info.filterHeight * info.filterWidth * (info.inChannels / 4) * (info.outChannels / 4);
    const rows = info.batchSize * info.outHeight;
    const wanted = Math.min(rows, Math.max(1, Math.ceil(TARGET_INVOCATIONS / blocks)));
    const rowsPerChunk = Math.ceil(rows / wanted);
    const chunks = Math.ceil(rows / rowsPerChunk);
    const filterSize = tf.util.sizeFromShape(filterShape);
    const invocations = blocks * chunks;
    const partials = gpu.runWebGPUProgram(partialSums(chunks === 1 ? [...filterShape] : [chunks, filterSize], invocations), [x, dy], 'float32', [
      { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
      { type: 'int32', data: [info.strideHeight, info.strideWidth] },
      ...[info.outHeight, info.outWidth, info.inHeight, info.inWidth, info.inChannels, info.outChannels, info.filterWidth,
        blocks, invocations, rows, rowsPerChunk].map((v) => ({ type: 'int32' as const, data: [v] })),
    ]);
    if (chunks === 1) return partials;
    try {
      return gpu.runWebGPUProgram(sumChunks([...filterShape]), [partials], 'float32', [{ type: 'int32', data: [chunks] }]);
    } finally {
      gpu.disposeData(partials.dataId);
    }
  };
}

/** Puts ours in place of tfjs-backend-webgpu's Conv2DBackpropFilter (once; the package must be loaded). */
export function registerWebGpuConv2dFilterGradient(): void {
  replaceWebGpuKernel(KERNEL, filterGradient);
}
