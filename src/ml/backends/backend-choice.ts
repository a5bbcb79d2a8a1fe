// The backend choices and report as words, apart from the loaders (select-backend.ts): the CLI's option parsing, the
// server and the protocol name them without loading TensorFlow.js, which costs ~0.8 s of CPU per process start.

/**
 * What `--backend` accepts. `tensorflow` means tfjs-node-gpu if it loads, else tfjs-node; `webgpu` is
 * tfjs-backend-webgpu on Dawn, on any adapter (a software one too, when asked for by name).
 */
export type BackendChoice = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

/** A backend that can be loaded (every choice but `auto`). */
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** The backend that was loaded, and why the faster ones were not. */
export interface BackendReport {
  name: BackendName;
  /** The package behind it, e.g. `@tensorflow/tfjs-node-gpu`. */
  detail: string;
  /** What it computes on, for people: "NVIDIA GeForce RTX 4070 (WebGPU/Vulkan)", "1 CPU thread (WASM, SIMD)". */
  device: string;
  /** One line per faster backend that could not load. */
  fallbacks: string[];
}
