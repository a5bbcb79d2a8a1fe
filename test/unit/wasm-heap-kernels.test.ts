import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/ml/backends/select-backend.js';
import { BatchNormReLU } from '../../src/ml/batch-norm-relu-layer.js';
import { hasFusedBatchNormRelu } from '../../src/ml/wasm-kernels/batch-norm-relu.js';

function seeded(n: number, seed: number, scale = 1, shift = 0): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * scale + shift;
  });
}

async function onBackend<T>(name: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  await tf.setBackend(name);
  return fn();
}

function worstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** The tfjs-layers pair the fused layer replaces, with the same settings as the U-Net's. */
function referenceLayers(input: tf.SymbolicTensor) {
  const norm = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(input) as tf.SymbolicTensor;
  return tf.layers.reLU().apply(norm) as tf.SymbolicTensor;
}

function fusedLayer(input: tf.SymbolicTensor) {
  return new BatchNormReLU({ name: 'fused', momentum: 0.9, epsilon: 1e-5 }).apply(input) as tf.SymbolicTensor;
}

interface Trained {
  output: Float32Array;
  gradients: Float32Array[];
  weights: Float32Array[];
  inference: Float32Array;
  weightNames: string[];
}

/**
 * One training-mode forward and backward pass through [BN + ReLU] of a 4-channel input whose channels have
 * different means and spreads, then an inference pass with the updated running statistics.
 */
function trainOnce(build: (input: tf.SymbolicTensor) => tf.SymbolicTensor): Trained {
  const shape: [number, number, number, number] = [2, 5, 3, 4];
  const size = shape.reduce((a, b) => a * b);
  const input = tf.input({ shape: shape.slice(1) });
  const model = tf.model({ inputs: input, outputs: build(input) });
  // Non-trivial scale and offset, so their gradients and use are checked too.
  const initial = model.getWeights().map((w, i) => (i < 2 ? tf.tensor(seeded(w.size, 20 + i, 0.5, 1 - i), w.shape) : w.clone()));
  model.setWeights(initial);
  tf.dispose(initial);
  const x = tf.tensor4d(seeded(size, 1, 4, 0.5), shape);
  const weighting = tf.tensor4d(seeded(size, 2), shape);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let output: Float32Array | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const y = model.apply(x, { training: true }) as tf.Tensor;
    output = y.dataSync() as Float32Array;
    return tf.sum(tf.mul(y, weighting)) as tf.Scalar;
  }, variables);
  const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(model.apply(input, { training: true }) as tf.Tensor, weighting)))(x);
  const inference = model.predict(x) as tf.Tensor;
  const result: Trained = {
    output: output!,
    gradients: [...variables.map((v) => grads[v.name]!.dataSync() as Float32Array), dx.dataSync() as Float32Array],
    weights: model.getWeights().map((w) => w.dataSync() as Float32Array),
    inference: inference.dataSync() as Float32Array,
    weightNames: model.weights.map((w) => w.name.replace(/^.*\//, '')),
  };
  tf.dispose([x, weighting, dx, inference, value, ...Object.values(grads)]);
  model.dispose();
  return result;
}

describe('fused batch norm + ReLU (WASM)', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('runs fused on WASM only, so the comparison below compares two implementations', async () => {
    expect(await onBackend('wasm', hasFusedBatchNormRelu)).toBe(true);
    expect(await onBackend('cpu', hasFusedBatchNormRelu)).toBe(false);
  });

  it('matches tfjs-layers BatchNormalization + ReLU: output, gradients, running statistics, inference', async () => {
    const reference = await onBackend('cpu', () => trainOnce(referenceLayers));
    const fused = await onBackend('wasm', () => trainOnce(fusedLayer));
    // Same weights under the same names in the same order: model files written before the fused layer load.
    expect(fused.weightNames).toEqual(reference.weightNames);
    expect(fused.weightNames).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance']);
    expect(worstDifference(fused.output, reference.output)).toBeLessThan(1e-5);
    expect(Math.max(...reference.output)).toBeGreaterThan(0.1);
    expect(reference.output.filter((v) => v === 0).length).toBeGreaterThan(5); // the ReLU cut some values
    fused.gradients.forEach((g, i) => {
      expect(worstDifference(g, reference.gradients[i]!)).toBeLessThan(1e-4);
      expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(1e-3);
    });
    fused.weights.forEach((w, i) => expect(worstDifference(w, reference.weights[i]!)).toBeLessThan(1e-5));
    expect(worstDifference(fused.inference, reference.inference)).toBeLessThan(1e-5);
  });

  it('gives the same numbers through the primitive-op path on other backends', async () => {
    const fused = await onBackend('wasm', () => trainOnce(fusedLayer));
    const fallback = await onBackend('cpu', () => trainOnce(fusedLayer));
    expect(worstDifference(fused.output, fallback.output)).toBeLessThan(1e-5);
    fused.gradients.forEach((g, i) => expect(worstDifference(g, fallback.gradients[i]!)).toBeLessThan(1e-4));
  });

  it('leaks no tensors', async () => {
    await tf.setBackend('wasm');
    trainOnce(fusedLayer);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) trainOnce(fusedLayer);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('WASM Concat and Identity replacements', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each([
    { name: 'channels (the skip connection)', shapes: [[2, 3, 4, 5], [2, 3, 4, 2]], axis: 3 },
    { name: 'rows', shapes: [[2, 3, 4, 5], [2, 1, 4, 5], [2, 2, 4, 5]], axis: 1 },
    { name: 'batch', shapes: [[1, 3, 4], [2, 3, 4]], axis: 0 },
  ])('concatenates along $name like the CPU backend, gradient included', async ({ shapes, axis }) => {
    const run = () => {
      const parts = shapes.map((s, i) => tf.tensor(seeded(s.reduce((a, b) => a * b), 30 + i), s));
      const joined = tf.concat(parts, axis);
      const weighting = tf.tensor(seeded(joined.size, 40), joined.shape);
      const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(tf.concat(xs, axis), weighting)))(parts);
      const out = { joined: joined.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array) };
      tf.dispose([...parts, joined, weighting, ...grads]);
      return out;
    };
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expect(Array.from(wasm.joined)).toEqual(Array.from(cpu.joined));
    wasm.grads.forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(cpu.grads[i]!)));
  });

  it('keeps int32 and bool concatenation working (left to the original kernel)', async () => {
    await tf.setBackend('wasm');
    const ints = tf.concat([tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3], 'int32')]);
    expect(Array.from(ints.dataSync())).toEqual([1, 2, 3]);
    const bools = tf.concat([tf.tensor2d([[1], [0]], [2, 1], 'bool'), tf.tensor2d([[0], [1]], [2, 1], 'bool')], 1);
    expect(Array.from(bools.dataSync())).toEqual([1, 0, 0, 1]);
    tf.dispose([ints, bools]);
  });

  it('shares data on clone: the copy keeps its values after the original is disposed, and frees them after', async () => {
    await tf.setBackend('wasm');
    const buffers = () => tf.backend().numDataIds();
    const before = buffers();
    const original = tf.tensor1d(seeded(1000, 5));
    const expected = Array.from(original.dataSync());
    const copy = tf.clone(original);
    expect(buffers() - before).toBe(1); // one buffer for both
    original.dispose();
    expect(Array.from(copy.dataSync())).toEqual(expected);
    copy.dispose();
    expect(buffers()).toBe(before);
  });
});

describe('WASM Slice and SplitV replacements', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each([
    { name: '4-D, inner box', shape: [2, 5, 4, 6], begin: [1, 1, 0, 2], size: [1, 3, 4, 3] },
    { name: '4-D, whole rows', shape: [2, 5, 4, 6], begin: [0, 2, 0, 0], size: [2, 2, -1, -1] },
    { name: '2-D', shape: [7, 9], begin: [2, 3], size: [4, 5] },
    { name: '1-D', shape: [10], begin: [3], size: [4] },
  ])('slices $name like the CPU backend', async ({ shape, begin, size }) => {
    const run = () => {
      const x = tf.tensor(seeded(shape.reduce((a, b) => a * b), 50), shape);
      const part = tf.slice(x, begin, size);
      const out = { shape: part.shape, values: Array.from(part.dataSync()) };
      tf.dispose([x, part]);
      return out;
    };
    expect(await onBackend('wasm', run)).toEqual(await onBackend('cpu', run));
  });

  it('splits along channels like the CPU backend (the gradient of the skip concatenation)', async () => {
    const run = () => {
      const x = tf.tensor4d(seeded(2 * 3 * 4 * 7, 51), [2, 3, 4, 7]);
      const parts = tf.split(x, [3, 4], 3);
      const out = parts.map((p) => ({ shape: p.shape, values: Array.from(p.dataSync()) }));
      tf.dispose([x, ...parts]);
      return out;
    };
    expect(await onBackend('wasm', run)).toEqual(await onBackend('cpu', run));
  });

  it('leaves int32 slices to the original kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const part = tf.slice(x, [1, 1], [1, 2]);
    expect(Array.from(part.dataSync())).toEqual([5, 6]);
    tf.dispose([x, part]);
  });
});
