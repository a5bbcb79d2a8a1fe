import { registerBatchNormGradient } from './batch-norm-gradient.js';
import { registerWasmConv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { registerWasmConv2dBackpropInput } from './conv2d-backprop-input.js';

/** Everything the WASM backend needs to train a U-Net fast; call before the backend initialises. */
export function registerWasmTrainingKernels(): void {
  registerWasmConv2dBackpropFilter();
  registerWasmConv2dBackpropInput();
  registerBatchNormGradient();
}
