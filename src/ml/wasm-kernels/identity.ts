import { tf } from '../tf.js';
import { overrideWasmKernel } from './kernel-tensors.js';

/**
 * Identity that shares its input's data, as the CPU backend's and the WASM backend's own Reshape do. The WASM
 * Identity copies, and tfjs-core runs Identity for every tensor a gradient keeps for the backward pass
 * (engine.saveTensorsForBackwardMode clones them): a full copy of nearly every U-Net activation per training
 * step, ~8 % of the step. Sharing is safe because kernels never write into their inputs.
 */
export function registerWasmSharingIdentity(): void {
  overrideWasmKernel('Identity', (args, original) => {
    const x = args.inputs['x']!;
    if (x.dtype === 'string') return original(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
