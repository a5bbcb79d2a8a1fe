import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { registerWasmTrainingKernels } from '../wasm-kernels/register.js';

/** What `--backend` accepts. `tensorflow` means tfjs-node-gpu if it loads, else tfjs-node. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** The backend that was loaded, and why the faster ones were not. */
export interface BackendReport {
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** The package behind it, e.g. `@tensorflow/tfjs-node-gpu`. */
  detail: string;
  /** One line per faster backend that could not load. */
  fallbacks: string[];
}

const require = createRequire(import.meta.url);

async function tryTensorflow(): Promise<string> {
  // The native bindings register the 'tensorflow' backend when required; both download libtensorflow at install
  // time, so either may be missing. The GPU build is preferred where it loads (it needs CUDA).
  const errors: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require(pkg);
      if (await tf.setBackend('tensorflow')) return pkg;
      errors.push(`${pkg}: loaded but the backend did not initialise`);
    } catch (error) {
      errors.push(`${pkg}: ${firstLine(error)}`);
    }
  }
  throw new Error(errors.join('; '));
}

async function tryWasm(): Promise<string> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Under Node the .wasm binaries are read from the package's dist folder, not fetched over HTTP.
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  wasm.setWasmPaths(`${dist}${path.sep}`);
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('the WASM backend did not initialise');
  return '@tensorflow/tfjs-backend-wasm';
}

async function tryCpu(): Promise<string> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the CPU backend did not initialise');
  return '@tensorflow/tfjs-backend-cpu (plain JavaScript, slow)';
}

const LOADERS = { tensorflow: tryTensorflow, wasm: tryWasm, cpu: tryCpu } as const;

/**
 * Loads the fastest backend available (tfjs-node-gpu → tfjs-node → WASM → CPU), or exactly the one asked for.
 * A forced backend that cannot load is an error; in `auto` each failure is recorded and the next is tried.
 */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendReport> {
  const order = choice === 'auto' ? (['tensorflow', 'wasm', 'cpu'] as const) : [choice];
  const fallbacks: string[] = [];
  for (const name of order) {
    try {
      const detail = await LOADERS[name]();
      return { name, detail, fallbacks };
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
