import { tf } from '../tf.js';

/** What `brainseg backends` and the backend report say about a WebGPU adapter. */
export interface GpuAdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation of the GPU (SwiftShader, llvmpipe/lavapipe, WARP): slower than WASM for training. */
  software: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** The loaded WebGPU backend's device and what happened to it. */
export interface WebGpuRuntime {
  adapter: GpuAdapterReport;
  device: GPUDevice;
  /** Set once the device is lost (destroyed, driver reset, GPU unplugged); resolved by `lost`. */
  lostReason: string | null;
  lost: Promise<string>;
  /** Simulated GPU memory (bytes in use by tfjs' buffers) past which an allocation fails as out of memory. */
  memoryLimitBytes: number | null;
  /** The most bytes tfjs' buffers held at once since the backend loaded (reset it to measure a span). */
  peakBytesUsed: number;
}

/** A GPU allocation failed: the caller may retry with less memory (a smaller batch). */
export class GpuOutOfMemoryError extends Error {
  constructor(detail: string) {
    super(`the GPU ran out of memory (${detail})`);
    this.name = 'GpuOutOfMemoryError';
  }
}

/** The GPU device went away; nothing on it can be used again in this process. */
export class GpuDeviceLostError extends Error {
  constructor(readonly reason: string, advice = '') {
    super(`the GPU device was lost (${reason})${advice ? `: ${advice}` : ''}`);
    this.name = 'GpuDeviceLostError';
  }
}

/** Environment variable that caps simulated GPU memory (bytes), to exercise the out-of-memory path without a GPU. */
export const MEMORY_LIMIT_ENV = 'BRAINSEG_WEBGPU_MEMORY_LIMIT';

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|\bwarp\b|basic render/i;

let runtime: WebGpuRuntime | null = null;
let instance: GPU | null = null;

/** The WebGPU runtime if the `webgpu` backend was loaded in this process. */
export function webGpuRuntime(): WebGpuRuntime | null {
  return runtime;
}

function describeAdapter(adapter: GPUAdapter): GpuAdapterReport {
  const info = adapter.info;
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description,
    software: fallback || SOFTWARE_ADAPTER.test(text),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/** Dawn for Node (the `webgpu` package), its globals (GPUBufferUsage …) installed once. */
async function dawn(): Promise<GPU> {
  if (instance) return instance;
  const { create, globals } = await import('webgpu');
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  instance = create([]);
  // tfjs-backend-webgpu checks `navigator.gpu` (Node 20 has no navigator; Node 21+ has one without gpu).
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  g.navigator!.gpu = instance;
  return instance;
}

/** Why no adapter was found, with what to install. */
const NO_ADAPTER = 'no WebGPU adapter: no Vulkan driver found (install the GPU vendor\'s Vulkan driver and libvulkan1; ' +
  'without a GPU, SwiftShader: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json with Debian\'s chromium)';

function softwareRefused(adapter: GpuAdapterReport): Error {
  return new Error(`only a software adapter (${adapter.description || adapter.device}), slower than WASM: ask for it with --backend webgpu`);
}

/** The adapter this machine offers WebGPU on, or why there is none. Opens no device. */
export async function probeWebGpuAdapter(): Promise<GpuAdapterReport> {
  const gpu = await dawn();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(NO_ADAPTER);
  return describeAdapter(adapter);
}

/**
 * Loads tfjs-backend-webgpu on Dawn with a device we own (so we see its loss and its errors) and the training
 * kernels it lacks. A software adapter is refused unless `allowSoftware` (it trains slower than WASM).
 */
export async function loadWebGpu({ allowSoftware }: { allowSoftware: boolean }): Promise<WebGpuRuntime> {
  if (runtime && !runtime.lostReason) {
    if (runtime.adapter.software && !allowSoftware) throw softwareRefused(runtime.adapter);
    if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend did not initialise');
    return runtime;
  }
  const gpu = await dawn();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(NO_ADAPTER);
  const report = describeAdapter(adapter);
  if (report.software && !allowSoftware) throw softwareRefused(report);
  // The limits tfjs-backend-webgpu asks for: the adapter's own, so large activations fit one binding.
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    // Lets `tf.profile` time each kernel on the GPU (tfjs-backend-webgpu uses it when present).
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  const envLimit = Number(process.env[MEMORY_LIMIT_ENV]);
  const state: WebGpuRuntime = {
    adapter: report, device, lostReason: null, lost: Promise.resolve(''),
    memoryLimitBytes: Number.isFinite(envLimit) && envLimit > 0 ? envLimit : null,
    peakBytesUsed: 0,
  };
  state.lost = device.lost.then((info) => {
    state.lostReason = `${info.reason}${info.message ? `: ${info.message.split('\n')[0]}` : ''}`;
    return state.lostReason;
  });

  const [{ WebGPUBackend }, { registerWebGpuTrainingKernels }] = await Promise.all([
    import('@tensorflow/tfjs-backend-webgpu'),
    import('../webgpu-kernels/register.js'),
  ]);
  registerWebGpuTrainingKernels();
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => {
    const backend = new WebGPUBackend(device, adapter.info);
    limitMemory(backend as unknown as { bufferManager: BufferManagerLike }, state);
    return backend;
  });
  if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend did not initialise');
  runtime = state;
  return state;
}

interface BufferManagerLike {
  numBytesUsed: number;
  acquireBuffer(size: number, ...rest: unknown[]): GPUBuffer;
}

/**
 * Makes an allocation past the simulated limit fail as a real out-of-memory would, before it reaches the device
 * (so the backend's buffers stay valid). Only active with a limit set (tests, or a user capping the GPU's share).
 */
function limitMemory(backend: { bufferManager: BufferManagerLike }, state: WebGpuRuntime): void {
  const manager = backend.bufferManager;
  const acquire = manager.acquireBuffer.bind(manager);
  manager.acquireBuffer = (size, ...rest) => {
    const limit = state.memoryLimitBytes;
    if (limit !== null && manager.numBytesUsed + size > limit) {
      throw new GpuOutOfMemoryError(`${((manager.numBytesUsed + size) / 2 ** 20).toFixed(1)} MB asked for, limit ${(limit / 2 ** 20).toFixed(1)} MB`);
    }
    const buffer = acquire(size, ...rest);
    state.peakBytesUsed = Math.max(state.peakBytesUsed, manager.numBytesUsed);
    return buffer;
  };
}

interface WebGpuBackendInternals {
  bufferManager: { freeBuffers: Map<string, GPUBuffer[]>; numFreeBuffers: number; numBytesAllocated: number };
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

/**
 * After an out-of-memory: submits what the failed step recorded (tfjs frees a disposed tensor's buffer only at
 * the next submit, so the failed step's tensors would otherwise still count) and destroys the pooled free
 * buffers, so the retry starts from the memory the model and optimizer hold.
 */
export function releaseGpuBufferPool(): void {
  if (tf.getBackend() !== 'webgpu') return;
  const backend = tf.backend() as unknown as WebGpuBackendInternals;
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.submitQueue();
  const manager = backend.bufferManager;
  for (const buffers of manager.freeBuffers.values()) {
    for (const buffer of buffers) {
      manager.numBytesAllocated -= buffer.size;
      buffer.destroy();
    }
    buffers.length = 0;
  }
  manager.numFreeBuffers = 0;
}

/**
 * Lets the process exit: Dawn keeps Node's event loop alive while its instance is referenced. The backend (if
 * loaded) is removed first; nothing may use WebGPU afterwards.
 */
export function releaseWebGpu(): void {
  if (tf.findBackend('webgpu')) tf.removeBackend('webgpu');
  runtime?.device.destroy();
  runtime = null;
  instance = null;
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (g.navigator) delete g.navigator.gpu;
}
