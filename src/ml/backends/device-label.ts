import os from 'node:os';
import type { GpuAdapterReport } from './webgpu.js';

// The device a backend computes on, in the words the training and models panels show: what a radiologist would
// recognise as "my graphics card" or "the processor", not a package name.

/** The graphics API Dawn drives on this platform (what WebGPU runs through). */
function nativeGpuApi(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Metal';
  if (platform === 'win32') return 'D3D12';
  return 'Vulkan';
}

/** "NVIDIA GeForce RTX 4070 (WebGPU/Vulkan)"; a software adapter says so. */
export function webGpuDeviceLabel(adapter: GpuAdapterReport, platform: NodeJS.Platform = process.platform): string {
  const name = adapter.description || [adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(' ') || 'unnamed GPU';
  return `${name} (WebGPU/${nativeGpuApi(platform)}${adapter.software ? ', a software GPU on the CPU' : ''})`;
}

/** "1 CPU thread (WASM, SIMD)": TensorFlow.js' WASM backend runs one thread under Node unless built threaded. */
export function wasmDeviceLabel(threads: number, simd: boolean): string {
  return `${threads} CPU thread${threads === 1 ? '' : 's'} (WASM${simd ? ', SIMD' : ''})`;
}

/** Native TensorFlow: on a CUDA GPU with tfjs-node-gpu, else on every core of the processor. */
export function tensorflowDeviceLabel(onGpu: boolean, cores = os.cpus().length): string {
  return onGpu ? 'NVIDIA GPU (CUDA, TensorFlow)' : `${cores} CPU threads (TensorFlow)`;
}

/** Plain JavaScript: one thread, and the slowest. */
export const CPU_DEVICE_LABEL = '1 CPU thread (JavaScript, slow)';
