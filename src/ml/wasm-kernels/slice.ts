import { tf } from '../tf.js';
import { allocate, heapView } from './heap.js';
import { overrideWasmKernel } from './kernel-tensors.js';

/**
 * Slice of a float32 tensor read in place in the WASM heap. The backend's own Slice (and SplitV, which calls
 * it) first copies the whole input out of the heap with `readSync`: splitting the gradient of the U-Net's
 * skip concatenation copied every such activation three times per step.
 */
export function sliceFloat32(backend: tf.KernelBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = allocate(backend, size);
  const source = heapView(backend, x);
  const target = heapView(backend, out);
  // As a 4-D slice of [a, b, c, d], leading dimensions of 1 added; the last dimension is copied as runs.
  const pad = 4 - x.shape.length;
  const shape = [...Array<number>(pad).fill(1), ...x.shape];
  const start = [...Array<number>(pad).fill(0), ...begin];
  const extent = [...Array<number>(pad).fill(1), ...size];
  const [s1, s2, s3] = tf.util.computeStrides(shape) as [number, number, number];
  copyBlock(source, target, start, extent, s1, s2, s3);
  return out;
}

function copyBlock(source: Float32Array, target: Float32Array, start: number[], extent: number[], s1: number, s2: number, s3: number): void {
  const [b0, b1, b2, b3] = start as [number, number, number, number];
  const [e0, e1, e2, e3] = extent as [number, number, number, number];
  let to = 0;
  for (let i = 0; i < e0; i++) {
    for (let j = 0; j < e1; j++) {
      for (let k = 0; k < e2; k++) {
        let from = (b0 + i) * s1 + (b1 + j) * s2 + (b2 + k) * s3 + b3;
        for (let l = 0; l < e3; l++) target[to++] = source[from++]!;
      }
    }
  }
}

const handles = (x: tf.TensorInfo) => x.dtype === 'float32' && x.shape.length <= 4;

/** Replaces the WASM backend's Slice and SplitV for float32 tensors of rank ≤ 4, keeping the originals otherwise. */
export function registerWasmSlice(): void {
  overrideWasmKernel('Slice', (args, original) => {
    const x = args.inputs['x']!;
    if (!handles(x)) return original(args);
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [start, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
    return sliceFloat32(args.backend as tf.KernelBackend, x, start, extent);
  });
  overrideWasmKernel('SplitV', (args, original) => {
    const x = args.inputs['x']!;
    if (!handles(x)) return original(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const dimension = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, dimension);
    const begin = x.shape.map(() => 0);
    return sizes.map((length) => {
      const extent = [...x.shape];
      extent[dimension] = length;
      const part = sliceFloat32(args.backend as tf.KernelBackend, x, [...begin], extent);
      begin[dimension]! += length;
      return part;
    });
  });
}
