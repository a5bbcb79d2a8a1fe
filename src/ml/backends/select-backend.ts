import { tf } from '../tf.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import { registerWasmTrainingKernels } from '../wasm-kernels/register.js';
import { missingCudaLibraries } from './cuda-probe.js';
import { CPU_DEVICE_LABEL, tensorflowDeviceLabel, wasmDeviceLabel, webGpuDeviceLabel } from './device-label.js';
import { loadWebGpu } from './webgpu.js';
import type { BackendChoice, BackendName, BackendReport } from './backend-choice.js';

const require = createRequire(import.meta.url);

/** In `auto`, native TensorFlow on the CPU only: tried after WebGPU on a hardware adapter, which is faster. */
let tensorflowWithoutGpu: string | null = null;

/** What a loader found: the package, and the device it computes on. */
interface Loaded {
  detail: string;
  device: string;
}

async function tryTensorflow(auto: boolean): Promise<Loaded> {
  // The native bindings register the 'tensorflow' backend when required; both download libtensorflow at install
  // time, so either may be missing. The GPU build is preferred where it loads (it needs CUDA).
  const errors: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require(pkg);
      if (auto && (pkg === '@tensorflow/tfjs-node' || missingCudaLibraries().length > 0)) {
        // Loaded, but on the CPU: a GPU through WebGPU comes first.
        tensorflowWithoutGpu = pkg;
        errors.push(`${pkg}: loads, but without a CUDA GPU (${missingCudaLibraries().join(', ') || 'CPU build'}); tried after WebGPU`);
        break;
      }
      if (await tf.setBackend('tensorflow')) return { detail: pkg, device: tensorflowDeviceLabel(missingCudaLibraries().length === 0 && pkg.endsWith('-gpu')) };
      errors.push(`${pkg}: loaded but the backend did not initialise`);
    } catch (error) {
      errors.push(`${pkg}: ${firstLine(error)}`);
    }
  }
  throw new Error(errors.join('; '));
}

async function tryTensorflowOnCpu(): Promise<Loaded> {
  if (!tensorflowWithoutGpu) throw new Error('not installed (see above)');
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${tensorflowWithoutGpu}: loaded but the backend did not initialise`);
  return { detail: `${tensorflowWithoutGpu} (CPU)`, device: tensorflowDeviceLabel(false) };
}

async function tryWebGpu(auto: boolean): Promise<Loaded> {
  const { adapter } = await loadWebGpu({ allowSoftware: !auto });
  const name = [adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(' ');
  return {
    detail: `@tensorflow/tfjs-backend-webgpu on ${name}${adapter.software ? ' (software adapter)' : ''}`,
    device: webGpuDeviceLabel(adapter),
  };
}

async function tryWasm(): Promise<Loaded> {
  // require(), not import(): see ../tf.ts (an ES import scans the package's source first, ~0.15 s of CPU).
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  // Under Node the .wasm binaries are read from the package's dist folder, not fetched over HTTP.
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  wasm.setWasmPaths(`${dist}${path.sep}`);
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('the WASM backend did not initialise');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { detail: '@tensorflow/tfjs-backend-wasm', device: wasmDeviceLabel(wasm.getThreadsCount(), simd === true) };
}

async function tryCpu(): Promise<Loaded> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the CPU backend did not initialise');
  return { detail: '@tensorflow/tfjs-backend-cpu (plain JavaScript, slow)', device: CPU_DEVICE_LABEL };
}

type Step = { name: BackendName; load: (auto: boolean) => Promise<Loaded> };

/** `auto`'s order: CUDA, a hardware GPU through WebGPU, native TensorFlow on the CPU, WASM, plain JavaScript. */
const AUTO_ORDER: readonly Step[] = [
  { name: 'tensorflow', load: tryTensorflow },
  { name: 'webgpu', load: tryWebGpu },
  { name: 'tensorflow', load: tryTensorflowOnCpu },
  { name: 'wasm', load: tryWasm },
  { name: 'cpu', load: tryCpu },
];

const LOADERS: Record<BackendName, (auto: boolean) => Promise<Loaded>> = { tensorflow: tryTensorflow, webgpu: tryWebGpu, wasm: tryWasm, cpu: tryCpu };

/**
 * Loads the fastest backend available (tfjs-node-gpu with CUDA → WebGPU on a hardware adapter → tfjs-node on the
 * CPU → WASM → CPU), or exactly the one asked for. A forced backend that cannot load is an error; in `auto` each
 * failure is recorded and the next is tried. A software WebGPU adapter is used only when asked for.
 */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendReport> {
  const auto = choice === 'auto';
  const order = auto ? AUTO_ORDER : [{ name: choice, load: LOADERS[choice] }];
  const fallbacks: string[] = [];
  for (const { name, load } of order) {
    if (auto && load === tryTensorflowOnCpu && !tensorflowWithoutGpu) continue;
    try {
      const { detail, device } = await load(auto);
      return { name, detail, device, fallbacks };
    } catch (error) {
      if (choice !== 'auto') throw new Error(`backend "${name}" is not available here: ${firstLine(error)}`, { cause: error });
      fallbacks.push(`${name}: ${firstLine(error)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded (${fallbacks.join('; ')})`);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
