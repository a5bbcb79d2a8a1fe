import { tf } from '../tf.js';
import { createRequire } from 'node:module';
import { CUDA_INSTALL_HINT, missingCudaLibraries } from './cuda-probe.js';
import { tensorflowDeviceLabel, webGpuDeviceLabel } from './device-label.js';
import type { BackendName } from './backend-choice.js';
import { selectBackend } from './select-backend.js';
import { loadWebGpu, releaseWebGpu, type GpuAdapterReport } from './webgpu.js';

/** What `brainseg backends` reports about one backend. */
export interface BackendProbe {
  name: BackendName;
  loads: boolean;
  /** The package (and device) behind it when it loads. */
  detail: string | null;
  /** What it computes on, as the app's panels say it ("1 CPU thread (WASM, SIMD)"); null when it does not load. */
  device: string | null;
  /** Why it does not load, or runs slower than it could (tensorflow without CUDA). */
  reason: string | null;
  /** What to install to make it load (or use the GPU). */
  install: string | null;
  /** WebGPU: the adapter, when there is one. */
  adapter?: GpuAdapterReport | null;
  /** tensorflow: CUDA/cuDNN libraries tfjs-node-gpu needs that the loader cannot find. */
  missingLibraries?: string[];
  /** WebGPU: kernels of the U-Net's training step or prediction with no WebGPU kernel (each would fail, not fall back). */
  kernelsNotNative?: string[];
  /** WebGPU: kernels that are ours (WGSL in src/ml/webgpu-kernels), not tfjs-backend-webgpu's. */
  customKernels?: string[];
}

/** Every backend's probe, in `auto`'s order, and the one `auto` picks. */
export interface BackendsReport {
  backends: BackendProbe[];
  auto: BackendName | null;
}

const require = createRequire(import.meta.url);

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

function probeTensorflow(): BackendProbe {
  const missing = missingCudaLibraries();
  const errors: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require(pkg);
      const gpu = pkg.endsWith('-gpu') && missing.length === 0;
      return {
        name: 'tensorflow', loads: true, detail: `${pkg}${gpu ? ' (CUDA)' : ' (CPU)'}`, device: tensorflowDeviceLabel(gpu), missingLibraries: missing,
        reason: gpu ? null : pkg.endsWith('-gpu') ? `CUDA libraries not found: ${missing.join(', ')}; runs on the CPU` : 'CPU build',
        install: gpu ? null : CUDA_INSTALL_HINT,
      };
    } catch (error) {
      errors.push(`${pkg}: ${message(error)}`);
    }
  }
  return {
    name: 'tensorflow', loads: false, detail: null, device: null, reason: errors.join('; '), missingLibraries: missing,
    install: `npm install @tensorflow/tfjs-node-gpu@4.22.0 (downloads libtensorflow), plus ${CUDA_INSTALL_HINT}`,
  };
}

async function probeWebGpu(): Promise<BackendProbe> {
  try {
    const runtime = await loadWebGpu({ allowSoftware: true });
    const { UNET_KERNELS, WEBGPU_CUSTOM_KERNELS } = await import('../webgpu-kernels/register.js');
    const { adapter } = runtime;
    return {
      name: 'webgpu', loads: true, adapter, device: webGpuDeviceLabel(adapter),
      detail: `@tensorflow/tfjs-backend-webgpu on ${[adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(' ')}`,
      reason: adapter.software ? 'software adapter (slower than WASM): used only with --backend webgpu' : null,
      install: adapter.software ? 'a GPU with a Vulkan driver (Linux), Metal (macOS) or D3D12 (Windows)' : null,
      kernelsNotNative: UNET_KERNELS.filter((kernel) => !tf.getKernel(kernel, 'webgpu')),
      customKernels: [...WEBGPU_CUSTOM_KERNELS],
    };
  } catch (error) {
    return {
      name: 'webgpu', loads: false, detail: null, device: null, adapter: null, reason: message(error),
      install: 'libvulkan1 and the GPU vendor\'s Vulkan driver (or, for testing, SwiftShader: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)',
    };
  }
}

async function probeLoaded(name: 'wasm' | 'cpu'): Promise<BackendProbe> {
  try {
    const report = await selectBackend(name);
    return { name, loads: true, detail: report.detail, device: report.device, reason: null, install: null };
  } catch (error) {
    return { name, loads: false, detail: null, device: null, reason: message(error), install: name === 'wasm' ? 'npm install @tensorflow/tfjs-backend-wasm@4.22.0' : null };
  }
}

/** Tries every backend in this process (then lets WebGPU go, so the process can exit). */
export async function probeBackends(): Promise<BackendsReport> {
  const tensorflow = probeTensorflow();
  const webgpu = await probeWebGpu();
  const wasm = await probeLoaded('wasm');
  const cpu = await probeLoaded('cpu');
  releaseWebGpu();
  const cuda = tensorflow.loads && tensorflow.reason === null;
  const gpu = webgpu.loads && !webgpu.adapter?.software;
  const auto: BackendName | null = cuda ? 'tensorflow' : gpu ? 'webgpu' : tensorflow.loads ? 'tensorflow' : wasm.loads ? 'wasm' : cpu.loads ? 'cpu' : null;
  return { backends: [tensorflow, webgpu, wasm, cpu], auto };
}
