import { tf } from '../tf.js';

/**
 * The two BackendWasm methods its own JavaScript kernels use (Concat, Transpose…): tensors live in the WASM heap,
 * and a kernel reads and writes them through typed-array views, without copying them out and back.
 */
interface WasmHeapBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

function heapBackend(backend: tf.KernelBackend): WasmHeapBackend {
  const candidate = backend as Partial<WasmHeapBackend>;
  if (typeof candidate.makeOutput !== 'function' || typeof candidate.typedArrayFromHeap !== 'function') {
    throw new Error('this kernel needs the WASM backend');
  }
  return candidate as WasmHeapBackend;
}

/** A new float32 tensor in the WASM heap (one reference, owned by the caller), its values unset. */
export function allocate(backend: tf.KernelBackend, shape: number[]): tf.TensorInfo {
  return heapBackend(backend).makeOutput(shape, 'float32');
}

/**
 * A view of a float32 tensor's values in the WASM heap. Allocating may grow (and so move) the heap, which
 * detaches earlier views: take views only after the last {@link allocate} of a kernel.
 */
export function heapView(backend: tf.KernelBackend, info: tf.TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return heapBackend(backend).typedArrayFromHeap(info);
}

/** Wraps a tensor from {@link allocate} as a Tensor that owns its only reference (disposing it frees the data). */
export function adopt(backend: tf.KernelBackend, info: tf.TensorInfo): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}
