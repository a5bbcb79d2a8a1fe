import { registerBatchNormGradient } from './batch-norm-gradient.js';
import { registerWasmBatchNormRelu } from './batch-norm-relu.js';
import { registerWasmConcat } from './concat.js';
import { registerWasmConv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { registerWasmConv2dBackpropInput } from './conv2d-backprop-input.js';
import { registerWasmSharingIdentity } from './identity.js';
import { registerWasmSlice } from './slice.js';

/** Everything the WASM backend needs to train a U-Net fast; call before the backend initialises. */
export function registerWasmTrainingKernels(): void {
  registerWasmConv2dBackpropFilter();
  registerWasmConv2dBackpropInput();
  registerWasmConcat();
  registerWasmSharingIdentity();
  registerWasmSlice();
  registerBatchNormGradient();
  registerWasmBatchNormRelu();
}
