import { tf } from '../tf.js';
import { allocate, heapView } from './heap.js';
import { overrideWasmKernel } from './kernel-tensors.js';

/**
 * Concatenation of float32 tensors with plain copy loops. The WASM backend's own Concat (JavaScript too) copies
 * each run with `subarray` + `set`, creating a typed-array object per run: joining the U-Net's skip connection
 * along channels means a run of 16–32 values per pixel, and 7 ms for a 2×128²×32 result (a loop takes ~1 ms).
 * Runs of other dtypes, and long runs, where `set` is the faster copy, are left to the original.
 */
export function concatFloat32(backend: tf.KernelBackend, inputs: tf.TensorInfo[], axis: number): tf.TensorInfo {
  const outer = tf.util.sizeFromShape(inputs[0]!.shape.slice(0, axis));
  const runs = inputs.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
  const outShape = tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis);
  const out = allocate(backend, outShape);
  const target = heapView(backend, out);
  const sources = inputs.map((t) => heapView(backend, t));
  let to = 0;
  for (let i = 0; i < outer; i++) {
    for (let k = 0; k < sources.length; k++) {
      const source = sources[k]!;
      const run = runs[k]!;
      let from = i * run;
      for (let j = 0; j < run; j++) target[to++] = source[from++]!;
    }
  }
  return out;
}

/** Longest run (values copied per input per outer index) for which the loop beats `set`. */
const LOOP_MAX_RUN = 256;

/** Replaces the WASM backend's Concat with {@link concatFloat32} for float32 runs, keeping the original otherwise. */
export function registerWasmConcat(): void {
  overrideWasmKernel('Concat', (args, original) => {
    const inputs = (Object.values(args.inputs) as tf.TensorInfo[]).filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    const axis = tf.util.parseAxisParam((args.attrs as { axis: number | number[] }).axis, inputs[0]?.shape ?? [])[0]!;
    const shortRuns = inputs.length > 1 && inputs.every((t) => t.dtype === 'float32' && tf.util.sizeFromShape(t.shape.slice(axis)) <= LOOP_MAX_RUN);
    if (!shortRuns) return original(args);
    tf.backend_util.assertParamsConsistent(inputs.map((t) => t.shape), axis);
    return concatFloat32(args.backend as tf.KernelBackend, inputs, axis);
  });
}
