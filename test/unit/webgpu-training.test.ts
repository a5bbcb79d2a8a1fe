// WebGPU (tfjs-backend-webgpu on Dawn) against WASM and the CPU backend, on SwiftShader: Vulkan on the CPU, so
// this runs on machines without a GPU. SwiftShader is slow (a 16-feature U-Net step at 128² takes minutes on two
// shared cores), so the networks keep their presets' widths and depth but take small inputs.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/ml/backends/select-backend.js';
import { TrainingStepper, planGpuMicroBatch } from '../../src/ml/backends/gpu-step.js';
import { GpuOutOfMemoryError, webGpuRuntime } from '../../src/ml/backends/webgpu.js';
import { readSliceImage } from '../../src/ml/dataset.js';
import { batchGradientTensors, type Batch } from '../../src/ml/gradients.js';
import { loadModelFile } from '../../src/ml/model-file.js';
import { predictSlicesAsync, toNativeResolution } from '../../src/ml/predict.js';
import { normalizeVolume } from '../../src/ml/preprocess.js';
import { buildUNet, foldedCopy } from '../../src/ml/unet.js';
import { INPUT_CHANNELS } from '../../src/ml/config.js';
import { batchNormRelu } from '../../src/ml/wasm-kernels/batch-norm-relu.js';
import { UNET_KERNELS, WEBGPU_CUSTOM_KERNELS } from '../../src/ml/webgpu-kernels/register.js';
import { dice } from '../../src/ml/metrics.js';
import { REPO_ROOT, samplePatientFolder } from '../helpers/sample-data.js';
import { onOneSwiftShaderThread, swiftShaderAvailable } from '../helpers/swiftshader.js';

const available = swiftShaderAvailable();

/** A batch with structure everywhere (so every layer sees varied values) and a disc of "lesion" per target. */
function syntheticBatch(count: number, size: number, seed = 0): Batch {
  const xs = Float32Array.from({ length: count * size * size * INPUT_CHANNELS }, (_, i) => Math.sin(i * 0.37 + seed) + 0.3 * Math.cos(i * 0.011));
  const ys = new Float32Array(count * size * size);
  for (let b = 0; b < count; b++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) ys[(b * size + y) * size + x] = (x - size / 2 - b) ** 2 + (y - size / 3) ** 2 < (size / 6) ** 2 ? 1 : 0;
    }
  }
  return { xs, ys, count };
}

/** The loss and per-variable gradients (in trainable-weight order) of one step on `backend`, from `weights`. */
async function gradientsOn(backend: string, shape: { features: number; inputSize: number }, weights: Float32Array[], batch: Batch, bceWeight: number) {
  await tf.setBackend(backend);
  const model = buildUNet(shape, 3);
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i]!, w.shape)));
  const names = model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
  const started = performance.now();
  const { losses, grads } = batchGradientTensors(model, batch, { inputSize: shape.inputSize, bceWeight, microBatchSize: 0 });
  const loss = (await losses[0]!.data())[0]!;
  const values = await Promise.all(names.map((n) => grads[n]!.data() as Promise<Float32Array>));
  const ms = performance.now() - started;
  tf.dispose([...losses, ...Object.values(grads)]);
  model.dispose();
  return { loss, grads: values, ms };
}

/** Every value within `tolerance` of the reference, relative to the reference's largest magnitude (at least 1). */
function expectCloseTo(mine: Float32Array, reference: Float32Array, tolerance: number): void {
  expect(mine.length).toBe(reference.length);
  const scaleOf = reference.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  const worst = mine.reduce((m, v, j) => Math.max(m, Math.abs(v - reference[j]!)), 0);
  expect(worst / scaleOf).toBeLessThan(tolerance);
}

/** One input of {@link compareWithCpu}: its shape, and the standard deviation and seed of its normal draw. */
type Draw = readonly [shape: readonly number[], std: number, seed: number];

/**
 * `run` on the CPU backend and on WebGPU over the same seeded inputs: WebGPU's values within `tolerance` of the
 * CPU's, and no tensor left behind. Returns the shader key of every program WebGPU ran (whose kernel ran: ours or
 * the package's).
 */
async function compareWithCpu<I extends tf.Tensor[]>(draws: readonly Draw[], run: (...inputs: I) => tf.Tensor, tolerance: number): Promise<string[]> {
  await tf.setBackend('cpu');
  const values = await Promise.all(draws.map(async ([shape, std, seed]) => {
    const drawn = tf.randomNormal([...shape], 0, std, 'float32', seed);
    const data = await drawn.data() as Float32Array;
    drawn.dispose();
    return data;
  }));
  const tensors = () => draws.map(([shape], i) => tf.tensor(values[i]!, [...shape])) as unknown as I;
  const reference = tf.tidy(() => run(...tensors()).dataSync() as Float32Array);

  await tf.setBackend('webgpu');
  const gpu = tf.backend() as unknown as { runWebGPUProgram: (program: { shaderKey: string }, ...rest: unknown[]) => unknown };
  const runProgram = gpu.runWebGPUProgram;
  const programs: string[] = [];
  gpu.runWebGPUProgram = function (program, ...rest) {
    programs.push(program.shaderKey);
    return runProgram.call(this, program, ...rest);
  };
  const before = tf.memory().numTensors;
  try {
    const inputs = tensors();
    const output = run(...inputs);
    const mine = await output.data() as Float32Array;
    tf.dispose([...inputs, output]);
    expect(tf.memory().numTensors).toBe(before);
    expectCloseTo(mine, reference, tolerance);
    return programs;
  } finally {
    gpu.runWebGPUProgram = runProgram;
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 && bb === 0 ? 1 : ab / Math.sqrt(aa * bb);
}

describe.skipIf(!available)('the WebGPU backend on SwiftShader', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
    const report = await onOneSwiftShaderThread(() => selectBackend('webgpu'));
    expect(report.name).toBe('webgpu');
    expect(webGpuRuntime()!.adapter.software).toBe(true);
    // What the panels show for it: the adapter by name, and that it is a GPU made of CPU.
    expect(report.device).toMatch(/^SwiftShader.* \(WebGPU\/Vulkan, a software GPU on the CPU\)$/);
  }, 120_000);

  it('is never picked by auto on a software adapter', async () => {
    const report = await selectBackend('auto');
    expect(report.name).not.toBe('webgpu');
    expect(report.fallbacks.join('\n')).toMatch(/webgpu: only a software adapter/);
  });

  it.each([[2, 5, 7, 6], [1, 70, 70, 3], [2, 16, 16, 8]])('runs the fused batch norm + ReLU and its gradient in WGSL as the CPU backend does (%i×%i×%i×%i)', async (...shape) => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal(shape, 1, 2, 'float32', 3);
    const scale = tf.randomNormal([shape[3]!], 1, 0.3, 'float32', 4);
    const offset = tf.randomNormal([shape[3]!], 0, 1, 'float32', 5);
    const weights = tf.randomNormal(shape, 0, 1, 'float32', 6);
    const inputs = await Promise.all([x, scale, offset, weights].map((t) => t.data() as Promise<Float32Array>));
    const reference = tf.tidy(() => {
      const f = (a: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return [tf.relu(tf.batchNorm(a, mean, variance, o, s, 1e-5)), mean, variance] as const;
      };
      const grads = tf.grads((a: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(f(a, s, o)[0], weights)))([x, scale, offset]);
      return [...f(x, scale, offset), ...grads].map((t) => t.dataSync() as Float32Array);
    });
    tf.dispose([x, scale, offset, weights]);

    await tf.setBackend('webgpu');
    const before = tf.memory().numTensors;
    const [gx, gs, go, gw] = [inputs[0]!, inputs[1]!, inputs[2]!, inputs[3]!].map((v, i) => tf.tensor(v, i === 1 || i === 2 ? [shape[3]!] : shape));
    const [y, mean, variance] = batchNormRelu(gx!, gs!, go!, 1e-5);
    const grads = tf.grads((a: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(batchNormRelu(a, s, o, 1e-5)[0], gw!)))([gx!, gs!, go!]);
    const mine = await Promise.all([y, mean, variance, ...grads].map((t) => t.data() as Promise<Float32Array>));
    tf.dispose([gx!, gs!, go!, gw!, y, mean, variance, ...grads]);
    expect(tf.memory().numTensors).toBe(before);
    mine.forEach((values, i) => expectCloseTo(values, reference[i]!, 1e-4));
  });

  // The U-Net's convolutions (3×3 same, stride 1; the transposed 2×2 stride 2 up-sampling; the 1×1 output) at sizes
  // that split the rows into chunks, plus channels ours leaves to the package's kernel (3 in: the input layer).
  it.each([
    ['3×3 same, 8 → 4 channels', [2, 9, 7, 8], [3, 3, 8, 4], 'conv'],
    ['3×3 same, 4 → 16 channels, one row per chunk', [1, 40, 40, 4], [3, 3, 4, 16], 'conv'],
    ['3×3 same, 16 → 16 channels, a shorter last chunk', [1, 75, 9, 16], [3, 3, 16, 16], 'conv'],
    ['3×3 same, 128 → 128 channels, one chunk', [1, 4, 4, 128], [3, 3, 128, 128], 'conv'],
    ['2×2 stride 2 transposed, 8 → 4 channels', [2, 6, 5, 8], [2, 2, 4, 8], 'transpose'],
    ['1×1, 12 → 4 channels', [1, 5, 5, 12], [1, 1, 12, 4], 'conv'],
    ['3×3 same, 3 → 4 channels (the package\'s kernel)', [1, 8, 8, 3], [3, 3, 3, 4], 'conv'],
  ] as const)('computes the convolution\'s filter gradient in WGSL as the CPU backend does (%s)', async (_, xShape, filterShape, kind) => {
    const run = (x: tf.Tensor4D, filter: tf.Tensor4D, weights: tf.Tensor) => tf.grad((f: tf.Tensor) => tf.sum(tf.mul(kind === 'conv'
      ? tf.conv2d(x, f as tf.Tensor4D, 1, 'same')
      : tf.conv2dTranspose(x, f as tf.Tensor4D, [xShape[0], xShape[1] * 2, xShape[2] * 2, filterShape[2]], 2, 'same'), weights)))(filter);
    const outShape = kind === 'conv' ? [xShape[0], xShape[1], xShape[2], filterShape[3]] : [xShape[0], xShape[1] * 2, xShape[2] * 2, filterShape[2]];
    await compareWithCpu([[xShape, 1, 7], [filterShape, 1, 8], [outShape, 1, 9]], run, 1e-4);
  });

  // The forward convolution at the U-Net's shapes (3×3 same): odd sizes, rows whose last group of 4 pixels is short,
  // the input layer's 3 channels, the 1-channel output layer, 2 channels, bias + ReLU as the folded network runs
  // them, strides; and convolutions ours leaves to the package's kernel (a dilation; an activation of its own).
  it.each([
    ['3×3 same, 16 → 16 channels, bias + ReLU, short last group', [1, 33, 30, 16], [3, 3, 16, 16], 'relu', true],
    ['3×3 same, 8 → 4 channels, plain, batch 2', [2, 9, 7, 8], [3, 3, 8, 4], null, true],
    ['3×3 same, 128 → 128 channels, bias', [1, 6, 5, 128], [3, 3, 128, 128], 'linear', true],
    ['3×3 same, 3 → 16 channels (the input layer), bias + ReLU', [1, 17, 19, 3], [3, 3, 3, 16], 'relu', true],
    ['1×1, 12 → 4 channels, bias', [1, 5, 5, 12], [1, 1, 12, 4], 'linear', true],
    ['1×1, 16 → 1 channel (the output layer), bias', [1, 9, 9, 16], [1, 1, 16, 1], 'linear', true],
    ['3×3 same, 2 → 2 channels, bias + ReLU', [2, 7, 9, 2], [3, 3, 2, 2], 'relu', true],
    ['3×3 stride 2, 8 → 8 channels', [1, 11, 10, 8], [3, 3, 8, 8], null, true],
    ['2×2 stride 2, 16 → 32 channels (the transposed up-sampling\'s input gradient)', [1, 9, 12, 16], [2, 2, 16, 32], null, true],
    ['3×3 dilation 2, 8 → 8 channels (the package\'s kernel)', [1, 10, 10, 8], [3, 3, 8, 8], null, false],
    ['3×3 same, 8 → 8 channels, bias + ELU (the package\'s kernel)', [1, 6, 6, 8], [3, 3, 8, 8], 'elu', false],
  ] as const)('computes the forward convolution in WGSL as the CPU backend does (%s)', async (name, xShape, filterShape, activation, ours) => {
    const strides = name.includes('stride 2') ? 2 : 1;
    const dilations = name.includes('dilation 2') ? 2 : 1;
    const run = (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) => activation === null
      ? tf.conv2d(x, filter, strides, 'same', 'NHWC', dilations)
      : tf.fused.conv2d({ x, filter, strides, pad: 'same', bias, activation });
    const programs = await compareWithCpu([[xShape, 1, 10], [filterShape, 0.5, 11], [[filterShape[3]], 1, 12]], run, 1e-5);
    // Ours are keyed brainseg_conv2d_… (the backend extends the key as it compiles).
    expect(programs.some((key) => key.startsWith('brainseg_conv2d_'))).toBe(ours);
  });

  // The convolution's input gradient (dy through the flipped filter): the U-Net's 3×3 same at odd sizes and a short
  // last group, 'valid' padding (mirrored), 1×1, channels not a multiple of 4; the stride-2 transposed up-sampling
  // stays with the package's kernel.
  it.each([
    ['3×3 same, 16 → 16 channels, short last group', [1, 13, 11, 16], [3, 3, 16, 16], 'conv', true],
    ['3×3 same, 8 → 4 channels, batch 2', [2, 9, 7, 8], [3, 3, 8, 4], 'conv', true],
    ['3×3 valid, 8 → 8 channels', [1, 9, 10, 8], [3, 3, 8, 8], 'valid', true],
    ['1×1, 12 → 4 channels', [1, 5, 5, 12], [1, 1, 12, 4], 'conv', true],
    ['3×3 same, 3 → 4 channels', [1, 8, 8, 3], [3, 3, 3, 4], 'conv', true],
    ['1×1, 16 → 1 channel', [1, 6, 7, 16], [1, 1, 16, 1], 'conv', true],
    ['3×3 same, 2 → 2 channels, batch 2', [2, 7, 9, 2], [3, 3, 2, 2], 'conv', true],
    ['2×2 stride 2 transposed, 8 → 4 channels (the package\'s kernel)', [2, 6, 5, 8], [2, 2, 4, 8], 'transpose', false],
  ] as const)('computes the convolution\'s input gradient in WGSL as the CPU backend does (%s)', async (_, xShape, filterShape, kind, ours) => {
    const outShape = kind === 'transpose' ? [xShape[0], xShape[1] * 2, xShape[2] * 2, filterShape[2]]
      : kind === 'valid' ? [xShape[0], xShape[1] - 2, xShape[2] - 2, filterShape[3]] : [xShape[0], xShape[1], xShape[2], filterShape[3]];
    // The transposed convolution's forward pass is itself an input gradient (Conv2DBackpropInput, stride 2).
    const run = (x: tf.Tensor4D, filter: tf.Tensor4D, weights: tf.Tensor) => kind === 'transpose'
      ? tf.conv2dTranspose(x, filter, outShape as [number, number, number, number], 2, 'same')
      : tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, filter, 1, kind === 'valid' ? 'valid' : 'same'), weights)))(x);
    const programs = await compareWithCpu([[xShape, 1, 13], [filterShape, 1, 14], [outShape, 1, 15]], run, 1e-5);
    expect(programs.includes('brainseg_conv2d_flip_filter')).toBe(ours);
  });

  it('runs every kernel of a training step natively on WebGPU (none missing, ours included)', async () => {
    await tf.setBackend('webgpu');
    const shape = { features: 4, inputSize: 32 };
    const model = buildUNet(shape, 1);
    const optimizer = tf.train.adam(1e-3);
    const stepper = new TrainingStepper({ ...shape, batchSize: 2, bceWeight: 1, microBatchSize: 0 });
    const profile = await tf.profile(async () => {
      await stepper.step(model, optimizer, syntheticBatch(2, 32));
      await predictSlicesAsync(model, syntheticBatch(1, 32).xs, 1, 32);
    });
    const used = [...new Set(profile.kernelNames.filter((name) => !name.endsWith('__op')))].sort();
    expect(used.filter((name) => !tf.getKernel(name, 'webgpu'))).toEqual([]);
    expect(used.filter((name) => !UNET_KERNELS.includes(name))).toEqual([]);
    expect(used).toEqual(expect.arrayContaining([...WEBGPU_CUSTOM_KERNELS]));
    model.dispose();
    optimizer.dispose();
  }, 300_000);

  // The `tiny` and `fast` presets' networks at their own input sizes (64², 128²). The fast step takes one slice, not
  // two: SwiftShader needs ~40 s per 128² slice for the step's gradients (80 s on a busy machine), and one slice
  // already runs every kernel at the size the preset trains at.
  it.each([
    ['tiny', { features: 4, inputSize: 64 }, 2],
    ['fast', { features: 16, inputSize: 128 }, 1],
  ] as const)('gives the same loss and gradients as WASM for one %s step', async (preset, shape, count) => {
    await tf.setBackend('wasm');
    const source = buildUNet(shape, 11);
    const weights = source.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    source.dispose();
    const batch = syntheticBatch(count, shape.inputSize);
    const wasm = await gradientsOn('wasm', shape, weights, batch, 1);
    const gpu = await gradientsOn('webgpu', shape, weights, batch, 1);
    const cosines = gpu.grads.map((g, i) => cosine(g, wasm.grads[i]!));
    const relative = Math.abs(gpu.loss - wasm.loss) / Math.abs(wasm.loss);
    console.log(`${preset} (${shape.features} features, ${shape.inputSize}², batch ${count}): loss WASM ${wasm.loss.toFixed(6)} ` +
      `WebGPU ${gpu.loss.toFixed(6)} (relative ${relative.toExponential(2)}), lowest gradient cosine ${Math.min(...cosines).toFixed(6)} ` +
      `over ${cosines.length} variables; gradients in ${wasm.ms.toFixed(0)} ms on WASM, ${gpu.ms.toFixed(0)} ms on WebGPU-SwiftShader`);
    expect(relative).toBeLessThanOrEqual(1e-3);
    for (const c of cosines) expect(c).toBeGreaterThanOrEqual(0.999);
  }, 600_000);

  it('lowers the loss over a short run', async () => {
    await tf.setBackend('webgpu');
    const shape = { features: 4, inputSize: 32 };
    const model = buildUNet(shape, 5);
    const optimizer = tf.train.adam(1e-2);
    // The batch of the kernel test above (two slices): its pipelines are compiled, and the size is not the point.
    const batch = syntheticBatch(2, 32, 1);
    const stepper = new TrainingStepper({ ...shape, batchSize: 2, bceWeight: 1, microBatchSize: 0 });
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    for (let i = 0; i < 8; i++) losses.push(await stepper.step(model, optimizer, batch));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.9);
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  }, 300_000);

  it('keeps the full preset\'s batch whole where the adapter allows, and splits it where it does not', () => {
    const full = { features: 32, inputSize: 256, batchSize: 4, bceWeight: 0, microBatchSize: 2 };
    expect(planGpuMicroBatch(full, { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 })).toBe(0);
    expect(planGpuMicroBatch(full, { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 48 * 2 ** 20 })).toBe(2);
    expect(planGpuMicroBatch(full, { maxBufferSize: 2 ** 24, maxStorageBufferBindingSize: 2 ** 24 })).toBe(1);
  });

  it('retries a step that runs out of GPU memory in smaller micro-batches, and gives up clearly at one slice', async () => {
    await tf.setBackend('webgpu');
    const gpu = webGpuRuntime()!;
    // Few features on a larger input, so activations (which micro-batches shrink) outweigh Adam's temporaries.
    const shape = { features: 2, inputSize: 64 };
    const model = buildUNet(shape, 5);
    const optimizer = tf.train.adam(1e-3);
    const batch = syntheticBatch(4, 64, 2);
    const notices: string[] = [];
    const stepper = new TrainingStepper({ ...shape, batchSize: 4, bceWeight: 1, microBatchSize: 0 }, (m) => notices.push(m));
    try {
      await stepper.step(model, optimizer, batch); // Adam's slots exist from here on
      const tensors = tf.memory().numTensors;
      gpu.peakBytesUsed = 0;
      await stepper.step(model, optimizer, batch);
      const whole = gpu.peakBytesUsed;
      // A device with 70 % of what the whole batch needs: the step fails, and passes in smaller micro-batches.
      gpu.memoryLimitBytes = Math.floor(whole * 0.7);
      const loss = await stepper.step(model, optimizer, batch);
      expect(Number.isFinite(loss)).toBe(true);
      // Halved until it fits: 2 usually, 1 where the step's peak holds more than the activations (allocation order
      // differs run to run), never the whole batch again.
      expect([1, 2]).toContain(stepper.micro);
      expect(notices.join('\n')).toMatch(/ran out of memory .* retrying the step in micro-batches of 2/);
      expect(tf.memory().numTensors).toBe(tensors);
      // Nearly nothing: even one slice fails, with advice, and the backend still works afterwards.
      gpu.memoryLimitBytes = 4096;
      const failure = await stepper.step(model, optimizer, batch).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(GpuOutOfMemoryError);
      expect((failure as Error).message).toMatch(/even one slice at a time does not fit: train with --backend wasm/);
      expect(tf.memory().numTensors).toBe(tensors);
      gpu.memoryLimitBytes = null;
      expect(Number.isFinite(await stepper.step(model, optimizer, batch))).toBe(true);
    } finally {
      gpu.memoryLimitBytes = null;
      model.dispose();
      optimizer.dispose();
    }
  }, 300_000);

  it('predicts a real LGG slice with the bundled model as WASM does (Dice ≥ 0.99)', async () => {
    // The patient's largest lesion, normalised over its whole volume as prediction does; one slice predicted.
    const caseId = 'TCGA_CS_6665_20010817';
    const slice = 18;
    const slices = readdirSync(samplePatientFolder(caseId)).filter((n) => /_\d+\.tif$/.test(n)).length;
    const files = Array.from({ length: slices }, (_, i) => path.join(samplePatientFolder(caseId), `${caseId}_${i + 1}.tif`));
    const predictOn = async (backend: string) => {
      await tf.setBackend(backend);
      const { model, shape } = await loadModelFile(path.join(REPO_ROOT, 'resources/models/lgg-unet-fast/model.bsm'));
      const inference = foldedCopy(model, shape);
      const plane = shape.inputSize ** 2 * INPUT_CHANNELS;
      const raw = new Uint8Array(slices * plane);
      for (const [i, file] of files.entries()) raw.set(await readSliceImage(file, shape.inputSize), i * plane);
      const images = normalizeVolume(raw, INPUT_CHANNELS).subarray((slice - 1) * plane, slice * plane);
      const started = performance.now();
      const probabilities = await predictSlicesAsync(inference, images, 1, shape.inputSize);
      const ms = performance.now() - started;
      const native = toNativeResolution(probabilities, shape.inputSize, 256, 256);
      model.dispose();
      inference.dispose();
      return { mask: Uint8Array.from(native, (p) => (p >= 0.5 ? 1 : 0)), ms };
    };
    const wasm = await predictOn('wasm');
    const gpu = await predictOn('webgpu');
    const agreement = dice(gpu.mask, wasm.mask);
    console.log(`bundled model, ${caseId} slice ${slice}: ${wasm.mask.reduce((a, b) => a + b, 0)} lesion pixels on WASM, ` +
      `${gpu.mask.reduce((a, b) => a + b, 0)} on WebGPU; Dice ${agreement.toFixed(5)}; ${wasm.ms.toFixed(0)} ms vs ${gpu.ms.toFixed(0)} ms`);
    expect(wasm.mask.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(agreement).toBeGreaterThanOrEqual(0.99);
  }, 600_000);
});
