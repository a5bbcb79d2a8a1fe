import { tf } from '../tf.js';

const replaced = new Set<string>();

/**
 * Puts `wrap(stock)` in place of tfjs-backend-webgpu's kernel `name`, once (the package must be loaded): `stock` is
 * the package's own, which ours hands the cases it does not take.
 */
export function replaceWebGpuKernel(name: string, wrap: (stock: tf.KernelFunc) => unknown): void {
  if (replaced.has(name)) return;
  const stock = tf.getKernel(name, 'webgpu');
  if (!stock) throw new Error(`tfjs-backend-webgpu has no ${name} kernel to fall back on`);
  replaced.add(name);
  tf.unregisterKernel(name, 'webgpu');
  tf.registerKernel({ kernelName: name, backendName: 'webgpu', kernelFunc: wrap(stock.kernelFunc) as tf.KernelFunc });
}
