import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/ml/backends/select-backend.js';
import { conv2dBackpropFilter, type FilterGradientMethod } from '../../src/ml/wasm-kernels/conv2d-backprop-filter.js';
import { flipAndSwapChannels } from '../../src/ml/wasm-kernels/conv2d-backprop-input.js';

function seeded(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

interface Case {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { name: '3×3 same stride 1', x: [2, 9, 7, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { name: '3×3 valid stride 1', x: [1, 8, 8, 2], filter: [3, 3, 2, 5], stride: 1, pad: 'valid' },
  { name: '3×3 same stride 2, odd size', x: [2, 11, 9, 3], filter: [3, 3, 3, 2], stride: 2, pad: 'same' },
  { name: '2×2 valid stride 2', x: [2, 8, 6, 4], filter: [2, 2, 4, 3], stride: 2, pad: 'valid' },
  { name: '1×1 valid', x: [3, 5, 5, 6], filter: [1, 1, 6, 1], stride: 1, pad: 'valid' },
];

/** dLoss/dFilter for loss = sum(conv(x, f) · r), computed on the current backend. */
function filterGradient(c: Case, transpose: boolean): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(seeded(c.x.reduce((a, b) => a * b), 1), c.x);
    const f = tf.tensor4d(seeded(c.filter.reduce((a, b) => a * b), 2), c.filter);
    const loss = (filter: tf.Tensor) => {
      if (!transpose) {
        const y = tf.conv2d(x, filter as tf.Tensor4D, c.stride, c.pad);
        return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 3), y.shape)));
      }
      // conv2dTranspose reads filter as [kh, kw, outC, inC]: its input has filter[3] channels.
      const [batch, height, width] = c.x;
      const input = tf.tensor4d(seeded(batch * height * width * c.filter[3], 5), [batch, height, width, c.filter[3]]);
      const grow = (size: number, k: number) => (c.pad === 'same' ? size * c.stride : (size - 1) * c.stride + k);
      const out: [number, number, number, number] = [batch, grow(height, c.filter[0]), grow(width, c.filter[1]), c.filter[2]];
      const y = tf.conv2dTranspose(input, filter as tf.Tensor4D, out, c.stride, c.pad);
      return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 4), y.shape)));
    };
    return tf.grad(loss)(f).dataSync() as Float32Array;
  });
}

async function onBackend<T>(name: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  await tf.setBackend(name);
  return fn();
}

describe('WASM backward convolutions', () => {
  beforeAll(async () => {
    await selectBackend('wasm'); // registers the kernel
  });

  it('is registered for the wasm backend', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(CASES)('matches the CPU backend: conv2d $name', async (c) => {
    const cpu = await onBackend('cpu', () => filterGradient(c, false));
    const wasm = await onBackend('wasm', () => filterGradient(c, false));
    expect(wasm.length).toBe(cpu.length);
    const worst = Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i]!)));
    expect(worst).toBeLessThan(1e-4);
    expect(Math.max(...cpu.map(Math.abs))).toBeGreaterThan(0.01); // the comparison is not between zeros
  });

  const METHODS: FilterGradientMethod[] = ['correlation', 'product'];
  it.each(CASES.flatMap((c) => METHODS.map((method) => ({ ...c, method }))))('both filter-gradient methods match the CPU backend: $method, $name', async (c) => {
    // dLoss/dFilter of sum(conv(x, f) · r) is the filter gradient with dy = r.
    const inputs = () => {
      const x = tf.tensor4d(seeded(c.x.reduce((a, b) => a * b), 1), c.x);
      const f = tf.tensor4d(seeded(c.filter.reduce((a, b) => a * b), 2), c.filter);
      const y = tf.conv2d(x, f, c.stride, c.pad);
      return { x, dy: tf.tensor4d(seeded(y.size, 3), y.shape) };
    };
    const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC' as const, filterShape: c.filter };
    const values = (gradient: tf.Tensor) => {
      const data = gradient.dataSync() as Float32Array;
      gradient.dispose();
      return data;
    };
    const cpu = await onBackend('cpu', () =>
      values(tf.tidy(() => {
        const { x, dy } = inputs();
        return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      })));
    const wasm = await onBackend('wasm', () =>
      values(tf.tidy(() => {
        const { x, dy } = inputs();
        return conv2dBackpropFilter(tf.backend(), x, dy, attrs, c.method);
      })));
    expect(wasm.length).toBe(cpu.length);
    expect(Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i]!)))).toBeLessThan(1e-4);
    expect(Math.max(...cpu.map(Math.abs))).toBeGreaterThan(0.01);
  });

  it.each(CASES.filter((c) => c.stride === 1 || c.pad === 'valid'))('matches the CPU backend: conv2dTranspose $name', async (c) => {
    const cpu = await onBackend('cpu', () => filterGradient(c, true));
    const wasm = await onBackend('wasm', () => filterGradient(c, true));
    const worst = Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i]!)));
    expect(worst).toBeLessThan(1e-4);
  });

  it.each(CASES)('input gradient (Conv2DBackpropInput) matches the CPU backend: conv2d $name', async (c) => {
    const inputGradient = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(seeded(c.x.reduce((a, b) => a * b), 1), c.x);
        const f = tf.tensor4d(seeded(c.filter.reduce((a, b) => a * b), 2), c.filter);
        const loss = (input: tf.Tensor) => {
          const y = tf.conv2d(input as tf.Tensor4D, f, c.stride, c.pad);
          return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 3), y.shape)));
        };
        return tf.grad(loss)(x).dataSync() as Float32Array;
      });
    const cpu = await onBackend('cpu', inputGradient);
    const wasm = await onBackend('wasm', inputGradient);
    expect(Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i]!)))).toBeLessThan(1e-4);
  });

  it('runs conv2dTranspose forward (the U-Net up-convolution) like the CPU backend', async () => {
    const forward = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(seeded(2 * 5 * 3 * 6, 8), [2, 5, 3, 6]);
        const f = tf.tensor4d(seeded(2 * 2 * 4 * 6, 9), [2, 2, 4, 6]);
        return tf.conv2dTranspose(x, f, [2, 10, 6, 4], 2, 'valid').dataSync() as Float32Array;
      });
    const cpu = await onBackend('cpu', forward);
    const wasm = await onBackend('wasm', forward);
    expect(Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i]!)))).toBeLessThan(1e-5);
  });

  it('flips a filter in space and swaps its channels exactly as reverse + transpose do', async () => {
    await tf.setBackend('cpu');
    const filter = tf.tensor4d(seeded(3 * 2 * 4 * 5, 11), [3, 2, 4, 5]);
    const expected = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    const flipped = new Float32Array(filter.size);
    flipAndSwapChannels(filter.dataSync() as Float32Array, flipped, filter.shape);
    expect(expected.shape).toEqual([3, 2, 5, 4]);
    expect(Array.from(flipped)).toEqual(Array.from(expected.dataSync()));
    tf.dispose([filter, expected]);
  });

  it('leaks no tensors', async () => {
    await tf.setBackend('wasm');
    filterGradient(CASES[0]!, false);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) filterGradient(CASES[2]!, false);
    expect(tf.memory().numTensors).toBe(before);
  });
});
