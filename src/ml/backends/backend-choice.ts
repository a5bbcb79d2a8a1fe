// What `--backend` accepts, apart from the loaders (select-backend.ts) so that a command that only parses the
// option — `brainseg train`'s host, which hands the run to a compute process — does not load TensorFlow.js.

/**
 * What `--backend` accepts. `tensorflow` means tfjs-node-gpu if it loads, else tfjs-node; `webgpu` is
 * tfjs-backend-webgpu on Dawn, on any adapter (a software one too, when asked for by name).
 */
export type BackendChoice = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];
