import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMask } from '../../src/imaging/mask-codec.js';
import { selectBackend } from '../../src/ml/backends/select-backend.js';
import { prepareVolume, type PreparedVolume } from '../../src/ml/dataset.js';
import type { JobPatient } from '../../src/ml/jobs.js';
import { loadModelFile, saveModelFile } from '../../src/ml/model-file.js';
import { createRandom } from '../../src/ml/sampling.js';
import { drawSample, playRounds } from '../../src/ml/interactive/batch.js';
import { assembleInput, INTERACTIVE_CHANNELS } from '../../src/ml/interactive/encoding.js';
import { expandAutomaticModel, interactiveShape, interactiveStep, predictInteractive } from '../../src/ml/interactive/model.js';
import { proposeVolume } from '../../src/ml/interactive/proposals.js';
import { simulateClicks } from '../../src/ml/interactive/protocol.js';
import { validationCases } from '../../src/ml/interactive/validation.js';
import { predictSlices } from '../../src/ml/predict.js';
import { buildUNet, foldedCopy } from '../../src/ml/unet.js';
import { INPUT_CHANNELS } from '../../src/ml/config.js';
import { samplePatientFolder } from '../helpers/sample-data.js';

const SHAPE = { features: 4, inputSize: 64 };
const CASE = 'TCGA_CS_6666_20011109';
const LIMITS = { augmentScale: 0.05, augmentRotationDegrees: 15, augmentFlipProbability: 0.5, augmentIntensity: 0.1 };

/** A real sample patient as a training job sends it (slices in order, masks encoded). */
async function samplePatient(caseId: string): Promise<JobPatient> {
  const folder = samplePatientFolder(caseId);
  const numbers = readdirSync(folder).flatMap((n) => /_(\d+)_mask\.tif$/.exec(n)?.[1] ?? []).map(Number).sort((a, b) => a - b);
  const slices = await Promise.all(numbers.map(async (number, i) => {
    const file = path.join(folder, `${caseId}_${number}_mask.tif`);
    const { data, info } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const mask = encodeMask({ width: info.width, height: info.height, data: new Uint8Array(data).map((v) => (v > 127 ? 1 : 0)) });
    return { sliceId: i + 1, number, imagePath: path.join(folder, `${caseId}_${number}.tif`), width: info.width, height: info.height, mask, maskVersionId: null, edited: false };
  }));
  return { patientId: 1, caseId, split: 'train', slices };
}

/** A U-Net with non-trivial batch-norm statistics, standing in for a trained automatic model. */
function automaticModel(): tf.LayersModel {
  const model = buildUNet(SHAPE, 7);
  let s = 11;
  const noise = (n: number, scale: number, shift: number) => Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * scale + shift;
  });
  const values = model.weights.map((w) => {
    const kind = /\/(gamma|beta|moving_mean|moving_variance)(_\d+)?$/.exec(w.name)?.[1];
    const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    if (kind === 'gamma' || kind === 'moving_variance') return tf.tensor(noise(n, 0.8, 1), w.shape as number[]);
    if (kind === 'beta' || kind === 'moving_mean') return tf.tensor(noise(n, 0.6, 0), w.shape as number[]);
    return w.read().clone();
  });
  model.setWeights(values);
  tf.dispose(values);
  return model;
}

describe('interactive model', () => {
  let volume: PreparedVolume;
  let automatic: tf.LayersModel;
  const dir = mkdtempSync(path.join(tmpdir(), 'brainseg-interactive-'));

  beforeAll(async () => {
    await selectBackend('wasm');
    volume = await prepareVolume(await samplePatient(CASE), SHAPE.inputSize);
    automatic = automaticModel();
  });
  afterAll(() => {
    automatic.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts as the automatic model: new channels at zero, so clicks and mask change nothing', () => {
    const interactive = expandAutomaticModel(automatic, SHAPE);
    try {
      const plane = SHAPE.inputSize ** 2;
      const lesionSlice = volume.lesionAreas.indexOf(Math.max(...volume.lesionAreas));
      const image = volume.images.slice(lesionSlice * plane * INPUT_CHANNELS, (lesionSlice + 1) * plane * INPUT_CHANNELS);
      const expected = predictSlices(automatic, image, 1, SHAPE.inputSize);
      // The 0-click case of the issue: the mask channel holds the automatic model's own prediction.
      const proposal = expected.map((p) => (p >= 0.5 ? 1 : 0)) as unknown as Uint8Array;
      const zeroClick = assembleInput(image, [], Uint8Array.from(proposal), SHAPE.inputSize);
      const withClicks = assembleInput(image, [{ x: 30, y: 30, positive: true }, { x: 5, y: 5, positive: false }], new Uint8Array(plane).fill(1), SHAPE.inputSize);
      for (const input of [zeroClick, withClicks]) {
        const got = predictInteractive(interactive, input, 1, SHAPE.inputSize);
        let worst = 0;
        for (let i = 0; i < plane; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
        expect(worst).toBeLessThan(1e-5);
      }
      const kernel = interactive.getLayer('enc1_conv1').getWeights()[0]!;
      expect(kernel.shape).toEqual([3, 3, INTERACTIVE_CHANNELS, SHAPE.features]);
      const extra = tf.tidy(() => tf.slice(kernel, [0, 0, INPUT_CHANNELS, 0], [-1, -1, -1, -1]).abs().max().dataSync()[0]);
      expect(extra).toBe(0);
    } finally {
      interactive.dispose();
    }
  });

  it('saves and loads as a six-channel network, and folds for prediction to the same numbers', async () => {
    const interactive = expandAutomaticModel(automatic, SHAPE);
    const file = path.join(dir, 'interactive.bsm');
    try {
      await saveModelFile(file, interactiveShape(SHAPE), interactive);
      const loaded = await loadModelFile(file);
      const folded = foldedCopy(loaded.model, loaded.shape);
      try {
        expect(loaded.shape.inputChannels).toBe(INTERACTIVE_CHANNELS);
        const plane = SHAPE.inputSize ** 2;
        const input = assembleInput(volume.images.subarray(10 * plane * 3, 11 * plane * 3), [{ x: 20, y: 20, positive: true }], volume.masks.subarray(10 * plane, 11 * plane), SHAPE.inputSize);
        const a = predictInteractive(interactive, input, 1, SHAPE.inputSize);
        const b = predictInteractive(folded, input, 1, SHAPE.inputSize);
        let worst = 0;
        for (let i = 0; i < plane; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
        expect(worst).toBeLessThan(1e-4);
      } finally {
        loaded.model.dispose();
        folded.dispose();
      }
    } finally {
      interactive.dispose();
    }
  });

  it('trains on simulated click rounds without leaking tensors, and the loss goes down', async () => {
    const interactive = expandAutomaticModel(automatic, SHAPE);
    const optimizer = tf.train.adam(3e-3);
    const folded = foldedCopy(automatic, SHAPE);
    const proposals = await proposeVolume(folded, volume, true);
    folded.dispose();
    const random = createRandom(5);
    const lesionSlices = volume.lesionAreas.flatMap((a, i) => (a > 0 ? [i] : []));
    const config = { inputSize: SHAPE.inputSize, bceWeight: 1 };
    const predict = (inputs: Float32Array, count: number) => predictInteractive(interactive, inputs, count, SHAPE.inputSize);
    try {
      const step = async () => {
        const samples = [0, 1, 2, 3].map((b) => drawSample(volume, proposals, lesionSlices[b % lesionSlices.length]!, random, LIMITS));
        const batch = await playRounds(predict, samples, random, SHAPE.inputSize);
        expect(batch.xs.length).toBe(4 * SHAPE.inputSize ** 2 * INTERACTIVE_CHANNELS);
        return interactiveStep(interactive, optimizer, batch, config);
      };
      // Rounds: a proposal's sample takes its first click, then up to `maxRounds` more, never beyond.
      const capped = [0, 1, 2, 3].map((b) => drawSample(volume, proposals, lesionSlices[b % lesionSlices.length]!, random, LIMITS));
      expect((await playRounds(predict, capped, random, SHAPE.inputSize, 0)).clicks).toBeLessThanOrEqual(4);
      expect((await playRounds(predict, capped, random, SHAPE.inputSize, 6)).clicks).toBeLessThanOrEqual(4 * 7);
      await step(); // the optimizer makes its slots on the first step
      const before = tf.memory().numTensors;
      const losses: number[] = [];
      for (let i = 0; i < 12; i++) {
        losses.push(await step());
        expect(tf.memory().numTensors).toBe(before);
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 4)));
      // The validation protocol runs too, deterministically.
      const cases = validationCases([volume], [proposals]).slice(0, 4);
      const first = await simulateClicks(predict, cases, SHAPE.inputSize, 2);
      const again = await simulateClicks(predict, cases, SHAPE.inputSize, 2);
      expect(again.map((t) => t.dice)).toEqual(first.map((t) => t.dice));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      interactive.dispose();
      optimizer.dispose();
    }
  });
});
