import type { tf } from '../tf.js';

/**
 * The part of tfjs-backend-webgpu's program interface our kernels use. The backend prepends the bindings
 * (`result` and one `array<f32>` per name in `variableNames`), the uniforms (shapes, `size`, then ours) and
 * helpers such as `setOutputAtIndex`, and calls `main(index)` with the invocation's flat index.
 */
export interface WebGpuProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** Our uniforms, WGSL struct members (`eps : f32, count : i32,`), filled in this order at run time. */
  uniforms?: string;
  /** Adds `uniforms.size` (the output's element count, over `outputComponent`). */
  size: boolean;
  /** Components per element of `result` (4: `array<vec4<f32>>`, `setOutputAtIndex` takes a vec4); 1 if unset. */
  outputComponent?: number;
  /** Components per element of each input's array, in `variableNames` order; `outputComponent` if unset. */
  variableComponents?: number[];
  getUserCode(): string;
}

/** A uniform value as `runWebGPUProgram` takes it. */
export interface ProgramUniform {
  type: 'float32' | 'int32';
  data: number[];
}

/** The methods of the WebGPU backend our kernels call. */
export interface WebGpuBackendLike extends tf.KernelBackend {
  runWebGPUProgram(program: WebGpuProgram, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms?: ProgramUniform[]): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

/** One invocation per output value, in workgroups of {@link ELEMENTWISE_WORKGROUP}. */
export const ELEMENTWISE_WORKGROUP = 64;

/**
 * Threads of a workgroup that reduces one channel of `rows` values: enough to stride over them, no more (each
 * halving of the tree costs a barrier, and a CPU implementation such as SwiftShader runs barriers slowly).
 */
export function reduceWorkgroup(rows: number): number {
  return rows >= 4096 ? 256 : rows >= 256 ? 64 : 16;
}

function flatLayout(shape: number[]): { x: number[] } {
  return { x: shape.map((_, i) => i) };
}

/** The dispatch of `invocations` invocations in workgroups of {@link ELEMENTWISE_WORKGROUP}, over `outputShape`. */
export function flatDispatch(outputShape: number[], invocations: number): Pick<WebGpuProgram, 'dispatchLayout' | 'dispatch' | 'workgroupSize'> {
  return { dispatchLayout: flatLayout(outputShape), dispatch: [Math.ceil(invocations / ELEMENTWISE_WORKGROUP), 1, 1], workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1] };
}

/** The kernel arguments tfjs passes a kernel function. */
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap };

/** What every convolution kernel (forward and both gradients) is told of its geometry. */
export interface ConvolutionAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** A program with one invocation per output element. */
export function elementwiseProgram(key: string, variableNames: string[], outputShape: number[], body: string, uniforms?: string): WebGpuProgram {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    variableNames, outputShape, shaderKey: key, size: true, uniforms,
    ...flatDispatch(outputShape, size),
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }`,
  };
}

/**
 * A program with one workgroup per channel of an [n, channels] view of its inputs (channels last), each thread
 * striding over the rows; `body(threads)` sees `channel`, `threadId` and `workgroupBarrier` and ends with its own writes.
 */
export function perChannelProgram(
  key: string, variableNames: string[], outputShape: number[], channels: number, rows: number, body: (threads: number) => string, uniforms?: string,
): WebGpuProgram {
  const threads = reduceWorkgroup(rows);
  return {
    variableNames, outputShape, shaderKey: `${key}_${threads}`, size: true, uniforms,
    dispatchLayout: flatLayout(outputShape),
    dispatch: [channels, 1, 1],
    workgroupSize: [threads, 1, 1],
    getUserCode: () => `
      var<workgroup> partialA : array<f32, ${threads}>;
      var<workgroup> partialB : array<f32, ${threads}>;

      // Tree reduction of the workgroup's partial sums (A and B at once); every thread gets the totals.
      fn reduceBoth(a : f32, b : f32, threadId : u32) -> vec2<f32> {
        partialA[threadId] = a;
        partialB[threadId] = b;
        workgroupBarrier();
        for (var stride = ${threads / 2}u; stride > 0u; stride = stride / 2u) {
          if (threadId < stride) {
            partialA[threadId] = partialA[threadId] + partialA[threadId + stride];
            partialB[threadId] = partialB[threadId] + partialB[threadId + stride];
          }
          workgroupBarrier();
        }
        let totals = vec2<f32>(partialA[0], partialB[0]);
        workgroupBarrier();
        return totals;
      }

      fn main(index : i32) {
        let channel = index / ${threads};
        let threadId = u32(index % ${threads});
        ${body(threads)}
      }`,
  };
}
