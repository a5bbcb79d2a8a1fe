import { tf } from '../tf.js';
import { replaceWebGpuKernel } from './replace-kernel.js';
import { flatDispatch, type ConvolutionAttrs, type KernelArgs, type WebGpuBackendLike, type WebGpuProgram } from './program.js';

/**
 * The forward 2-D convolution (Conv2D, and FusedConv2D with a bias and ReLU or no activation) for the WebGPU
 * backend, channels last, no dilation. tfjs-backend-webgpu's Conv2DMMProgram tiles the convolution as a
 * matrix product through workgroup memory and barriers, which a CPU implementation of WebGPU such as SwiftShader
 * runs at ~0.3 GFLOP/s: a forward pass of the `fast` U-Net took seconds there. Here each invocation computes 4 output
 * channels of {@link PIXELS} adjacent output pixels straight from the inputs, looping over the taps and the input
 * channels in vec4 steps (4 filter reads + 4 input reads per 64 multiply-adds), with no shared memory; input
 * channels that are not a multiple of 4 (the input layer's 3) one at a time, output channels that are not (the
 * 1-channel output) one per invocation. Dilations, channels-first data and other activations (and PReLU weights)
 * go to the package's kernel.
 */
const KERNELS = ['Conv2D', 'FusedConv2D'] as const;

/** Adjacent output pixels (along a row) per invocation: they share every filter read. */
const PIXELS = 4;

/** Activations ours applies after the bias (to a value of WGSL type `type`); the package's kernel does the rest. */
const ACTIVATIONS: Record<string, (type: string) => string> = { linear: () => 'v', relu: (type) => `max(v, ${type}(0.0))` };

interface Attrs extends ConvolutionAttrs {
  dilations: [number, number] | number;
  activation?: string | null;
}

const pixels = Array.from({ length: PIXELS }, (_, p) => p);

/** The input channels 4 at a time: 4 filter reads (one per input channel, 4 output channels each) per x read. */
const VEC4_INPUT_LOOP = `for (var c = 0; c < uniforms.inChannels; c = c + 4) {
              let wi = (wBase + c) * uniforms.outGroups + d;
              let w0 = W[wi];
              let w1 = W[wi + uniforms.outGroups];
              let w2 = W[wi + 2 * uniforms.outGroups];
              let w3 = W[wi + 3 * uniforms.outGroups];
              ${pixels.map((p) => `if (in${p}) {
                let v = x[(xi${p} + c) / 4];
                acc${p} = acc${p} + v.x * w0 + v.y * w1 + v.z * w2 + v.w * w3;
              }`).join('\n              ')}
            }`;

/** Input channels one at a time (the input layer's 3), x read as scalars. */
const SCALAR_INPUT_LOOP = `for (var c = 0; c < uniforms.inChannels; c = c + 1) {
              let w = W[(wBase + c) * uniforms.outGroups + d];
              ${pixels.map((p) => `if (in${p}) {
                acc${p} = acc${p} + x[xi${p} + c] * w;
              }`).join('\n              ')}
            }`;

/** How a program reads x: 4 channels at a time, or 1. */
export type ConvolutionMode = 'vec4' | 'scalar';

/**
 * The shader: x read as vec4s where its channels are a multiple of 4; filter, bias and result as vec4s (a group of 4
 * output channels per invocation) where the output channels are, else one output channel per invocation (the
 * 1-channel output layer). The filter index is the same either way, in units of the group.
 */
function convolution(outputShape: number[], invocations: number, mode: ConvolutionMode, hasBias: boolean, activation: string): WebGpuProgram {
  const outputComponent = outputShape[3]! % 4 === 0 ? 4 : 1;
  const type = outputComponent === 4 ? 'vec4<f32>' : 'f32';
  return {
    variableNames: hasBias ? ['x', 'W', 'bias'] : ['x', 'W'], outputShape, size: true,
    shaderKey: `brainseg_conv2d_${PIXELS}px_${mode}_out${outputComponent}_${hasBias ? 'bias_' : ''}${activation}`,
    outputComponent, variableComponents: [mode === 'scalar' ? 1 : 4, outputComponent, outputComponent].slice(0, hasBias ? 3 : 2),
    uniforms: 'pads : vec2<i32>, strides : vec2<i32>, inHeight : i32, inWidth : i32, outHeight : i32, outWidth : i32, inChannels : i32, ' +
      'outGroups : i32, filterHeight : i32, filterWidth : i32, pixelGroups : i32, invocations : i32,',
    ...flatDispatch(outputShape, invocations),
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.invocations) {
          return;
        }
        // Output channels vary fastest between invocations (their writes are adjacent), then pixel groups.
        let d = index % uniforms.outGroups;
        let group = index / uniforms.outGroups;
        let row = group / uniforms.pixelGroups;
        let col0 = (group % uniforms.pixelGroups) * ${PIXELS};
        let b = row / uniforms.outHeight;
        let yR = row % uniforms.outHeight;
        ${pixels.map((p) => `var acc${p} = ${type}(0.0);`).join('\n        ')}
        for (var wR = 0; wR < uniforms.filterHeight; wR = wR + 1) {
          let xR = yR * uniforms.strides[0] + wR - uniforms.pads[0];
          if (xR < 0 || xR >= uniforms.inHeight) {
            continue;
          }
          let xRow = (b * uniforms.inHeight + xR) * uniforms.inWidth;
          for (var wC = 0; wC < uniforms.filterWidth; wC = wC + 1) {
            // A pixel past the row's end (the last group of a row) or a tap in the padding adds nothing.
            ${pixels.map((p) => `let xC${p} = (col0 + ${p}) * uniforms.strides[1] + wC - uniforms.pads[1];
            let in${p} = xC${p} >= 0 && xC${p} < uniforms.inWidth && col0 + ${p} < uniforms.outWidth;
            let xi${p} = (xRow + clamp(xC${p}, 0, uniforms.inWidth - 1)) * uniforms.inChannels;`).join('\n            ')}
            let wBase = (wR * uniforms.filterWidth + wC) * uniforms.inChannels;
            ${mode === 'vec4' ? VEC4_INPUT_LOOP : SCALAR_INPUT_LOOP}
          }
        }
        let rowOut = row * uniforms.outWidth;
        ${pixels.map((p) => `if (col0 + ${p} < uniforms.outWidth) {
          let v = acc${p}${hasBias ? ' + bias[d]' : ''};
          setOutputAtIndex((rowOut + col0 + ${p}) * uniforms.outGroups + d, ${ACTIVATIONS[activation]!(type)});
        }`).join('\n        ')}
      }`,
  };
}

/** The sizes a convolution program needs: source (x) and result as [height, width, channels]. */
export interface ConvolutionSizes {
  batch: number;
  source: [number, number, number];
  result: [number, number, number];
  filter: [number, number];
  /** Rows and columns of padding before the source. */
  pads: [number, number];
  strides: [number, number];
}

/** Runs {@link convolution} over `inputs` (source, filter[, bias]). */
export function runConvolution(gpu: WebGpuBackendLike, inputs: tf.TensorInfo[], mode: ConvolutionMode, sizes: ConvolutionSizes, activation = 'linear'): tf.TensorInfo {
  const [outHeight, outWidth, outChannels] = sizes.result;
  const pixelGroups = Math.ceil(outWidth / PIXELS);
  const outGroups = outChannels % 4 === 0 ? outChannels / 4 : outChannels;
  const invocations = sizes.batch * outHeight * pixelGroups * outGroups;
  const program = convolution([sizes.batch, ...sizes.result], invocations, mode, inputs.length > 2, activation);
  return gpu.runWebGPUProgram(program, inputs, 'float32', [
    { type: 'int32', data: sizes.pads },
    { type: 'int32', data: sizes.strides },
    ...[sizes.source[0], sizes.source[1], outHeight, outWidth, sizes.source[2], outGroups, ...sizes.filter, pixelGroups, invocations]
      .map((v) => ({ type: 'int32' as const, data: [v] })),
  ]);
}

/** Builds the kernel over `fallback`, tfjs-backend-webgpu's own (used where ours does not apply). */
function convolutionKernel(fallback: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo => {
    const { inputs, backend, attrs } = args;
    const gpu = backend as WebGpuBackendLike;
    const { x, filter, bias, preluActivationWeights } = inputs as Record<'x' | 'filter' | 'bias' | 'preluActivationWeights', tf.TensorInfo | undefined>;
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation } = attrs as unknown as Attrs;
    const info = tf.backend_util.computeConv2DInfo(x!.shape as [number, number, number, number], filter!.shape as [number, number, number, number],
      strides, dilations, pad, dimRoundingMode, false, tf.backend_util.convertConv2DDataFormat(dataFormat));
    const act = activation ?? 'linear';
    const ours = info.dataFormat === 'channelsLast' &&
      info.dilationHeight === 1 && info.dilationWidth === 1 &&
      act in ACTIVATIONS && !preluActivationWeights && (!bias || (bias.shape.length === 1 && bias.shape[0] === info.outChannels)) &&
      x!.dtype === 'float32' && filter!.dtype === 'float32';
    if (!ours) return fallback(args as never) as tf.TensorInfo;

    return runConvolution(gpu, bias ? [x!, filter!, bias] : [x!, filter!], info.inChannels % 4 === 0 ? 'vec4' : 'scalar', {
      batch: info.batchSize, source: [info.inHeight, info.inWidth, info.inChannels],
      result: [info.outHeight, info.outWidth, info.outChannels], filter: [info.filterHeight, info.filterWidth],
      pads: [info.padInfo.top, info.padInfo.left], strides: [info.strideHeight, info.strideWidth],
    }, act);
  };
}

/** Puts ours in place of tfjs-backend-webgpu's Conv2D and FusedConv2D (once; the package must be loaded). */
export function registerWebGpuConv2dForward(): void {
  for (const name of KERNELS) replaceWebGpuKernel(name, convolutionKernel);
}
