import { registerBatchNormGradient } from '../wasm-kernels/batch-norm-gradient.js';
import { registerWebGpuBatchNormRelu } from './batch-norm-relu.js';
import { registerWebGpuConv2dFilterGradient } from './conv2d-filter-grad.js';
import { registerWebGpuConv2dForward } from './conv2d-forward.js';
import { registerWebGpuConv2dInputGradient } from './conv2d-input-grad.js';

/**
 * Kernels tfjs-backend-webgpu lacks for training our U-Net, and the convolution's forward pass, filter gradient and
 * input gradient (the package's are most of a step's time on SwiftShader), written in WGSL. Everything else the
 * training step runs (transposed convolution, max-pool and its gradient, concat, slice, the loss's reductions,
 * Adam's element-wise ops) is the package's own: see {@link WEBGPU_CUSTOM_KERNELS}.
 */
export function registerWebGpuTrainingKernels(): void {
  registerWebGpuBatchNormRelu();
  registerBatchNormGradient();
  registerWebGpuConv2dFilterGradient();
  registerWebGpuConv2dForward();
  registerWebGpuConv2dInputGradient();
}

/** Kernels of the training step that are ours rather than tfjs-backend-webgpu's (all native WGSL). */
export const WEBGPU_CUSTOM_KERNELS: readonly string[] = [
  'BrainSegBatchNormRelu', 'BrainSegBatchNormReluGrad', 'Conv2DBackpropFilter', 'Conv2D', 'FusedConv2D', 'Conv2DBackpropInput',
];

/**
 * Every kernel one U-Net training step and prediction run (recorded with `tf.profile`; the test
 * webgpu-training.test.ts keeps the list honest). `brainseg backends` checks each is registered for WebGPU.
 */
export const UNET_KERNELS: readonly string[] = [
  'Add', 'BrainSegBatchNormRelu', 'BrainSegBatchNormReluGrad', 'Cast', 'ClipByValue', 'Concat', 'Conv2D',
  'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'FusedConv2D', 'GreaterEqual', 'Identity', 'LessEqual', 'Log',
  'LogicalAnd', 'MaxPool', 'MaxPoolGrad', 'Mean', 'Multiply', 'Neg', 'RealDiv', 'Reshape', 'Select', 'Sigmoid',
  'SplitV', 'Sqrt', 'Square', 'Sub', 'Sum', 'ZerosLike',
  // Prediction with the training network (batch norm in inference mode); `brainseg predict` folds it away.
  'FusedBatchNorm', 'Relu', 'Slice',
];
