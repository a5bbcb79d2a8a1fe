import { tf } from '../tf.js';

/**
 * Wraps a kernel input as a Tensor so ops can run on it. The wrapper takes its own reference to the data:
 * disposing it must not free the caller's tensor (which would corrupt the engine's bookkeeping).
 */
export function borrow(backend: tf.KernelBackend, info: tf.TensorInfo): tf.Tensor {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend);
}

/** Turns a result tensor into the bare TensorInfo a kernel returns, owning one reference, as native kernels do. */
export function handBack(backend: tf.KernelBackend, result: tf.Tensor): tf.TensorInfo {
  backend.incRef(result.dataId);
  result.dispose();
  return { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
}

/** Attributes shared by the convolution gradient kernels, as tfjs-core's conv2d gradient passes them. */
export interface ConvGradientAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** What a kernel function is called with. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

const overridden = new Set<string>();

/**
 * Replaces one of the WASM backend's kernels (once), handing the replacement the original so it can defer to it
 * for the cases it does not cover (other dtypes, shapes it was not written for).
 */
export function overrideWasmKernel(kernelName: string, kernelFunc: (args: KernelArgs, original: tf.KernelFunc) => tf.TensorInfo | tf.TensorInfo[]): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original || overridden.has(kernelName)) return;
  overridden.add(kernelName);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: (args) => kernelFunc(args, original.kernelFunc) });
}
