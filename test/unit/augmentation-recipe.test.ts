// Issue 31 items 13–14: the augmentation preview draws through the trainer's own transform (image and mask
// together), the SGD + one-cycle recipe moves the rate as specified, and a checkpoint restores SGD's momentum.
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type CatalogDb } from '../../src/catalog/db.js';
import { insertModel } from '../../src/catalog/models.js';
import { listPatients } from '../../src/catalog/patients.js';
import { listSlicesWithCurrentMask } from '../../src/catalog/slices.js';
import { AUGMENTATION_DEFAULTS, formatRecipe } from '../../src/contract/index.js';
import { ensureHome, resolveHome, type HomePaths } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { DEFAULTS, INPUT_CHANNELS, validateTrainConfig } from '../../src/ml/config.js';
import { prepareVolume, type PreparedVolume } from '../../src/ml/dataset.js';
import { optimizeBatch } from '../../src/ml/gradients.js';
import { ONE_CYCLE, scheduledLearningRate } from '../../src/ml/lr-schedule.js';
import { loadModelFile, saveModelFile } from '../../src/ml/model-file.js';
import { createOptimizer, setLearningRate, SGD_MOMENTUM } from '../../src/ml/optimizer.js';
import { resumeOptimizer } from '../../src/ml/train-loop.js';
import { buildUNet } from '../../src/ml/unet.js';
import { augmentationPreview } from '../../src/services/augmentation-preview.js';
import { buildJobPatients } from '../../src/services/job-builder.js';
import { createModelService } from '../../src/services/model-service.js';
import { trainRequestFrom } from '../../src/services/training-session.js';
import { samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const CASE = 'TCGA_CS_6666_20011109';
let db: CatalogDb;
let home: HomePaths;
let lesionSliceId: number;

beforeAll(async () => {
  home = ensureHome(resolveHome(tempDir()));
  db = await openCatalog(home.catalog);
  await importPath(db, samplePatientFolder(CASE));
  const patient = (await listPatients(db))[0]!;
  const slices = await listSlicesWithCurrentMask(db, patient.id);
  lesionSliceId = slices.find((s) => s.maskBitmap && s.number === 20)?.id ?? slices.find((s) => s.maskBitmap)!.id;
});

const mirror = (data: Uint8Array, size: number, channels: number) => {
  const out = new Uint8Array(data.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let k = 0; k < channels; k++) out[(y * size + x) * channels + k] = data[(y * size + size - 1 - x) * channels + k]!;
    }
  }
  return out;
};

describe('augmentation preview', () => {
  const off = { flipProbability: 0, scale: 0, rotationDegrees: 0, intensity: 0 };

  it('flip 0, scale 0, rotation 0, intensity 0 is the identity: every draw is the slice as the trainer reads it', async () => {
    const preview = await augmentationPreview(db, home, { sliceId: lesionSliceId, augmentation: off, count: 4, seed: 1 });
    expect(preview.size).toBe(128);
    const lesion = preview.original.mask.reduce((a, b) => a + b, 0);
    expect(lesion).toBeGreaterThan(20); // a lesion slice, so the mask has something to move
    for (const draw of preview.draws) {
      expect(draw).toMatchObject({ flip: false, scale: 1, rotationDegrees: 0 });
      expect(Buffer.from(draw.image).equals(Buffer.from(preview.original.image))).toBe(true);
      expect(Buffer.from(draw.mask).equals(Buffer.from(preview.original.mask))).toBe(true);
    }
  });

  it('a flip moves the mask with the image: both are the original mirrored', async () => {
    const preview = await augmentationPreview(db, home, {
      sliceId: lesionSliceId, augmentation: { ...off, flipProbability: 1 }, count: 2, seed: 2,
    });
    const { size, original } = preview;
    expect(Buffer.from(mirror(original.mask, size, 1)).equals(Buffer.from(original.mask))).toBe(false); // not symmetric
    for (const draw of preview.draws) {
      expect(draw.flip).toBe(true);
      expect(Buffer.from(draw.image).equals(Buffer.from(mirror(original.image, size, INPUT_CHANNELS)))).toBe(true);
      expect(Buffer.from(draw.mask).equals(Buffer.from(mirror(original.mask, size, 1)))).toBe(true);
    }
  });

  it('a rotation turns the mask with the image: the lesion centroid turns by the drawn angle in both', async () => {
    const preview = await augmentationPreview(db, home, {
      sliceId: lesionSliceId, augmentation: { ...off, rotationDegrees: 40 }, count: 6, seed: 3,
    });
    const { size, original } = preview;
    const centroid = (mask: Uint8Array) => {
      let sx = 0, sy = 0, n = 0;
      mask.forEach((v, i) => { if (v) { sx += i % size; sy += Math.floor(i / size); n++; } });
      return [sx / n - (size - 1) / 2, sy / n - (size - 1) / 2] as const;
    };
    const [ox, oy] = centroid(original.mask);
    // The lesion is off centre, so its angle about the centre tells the rotation.
    expect(Math.hypot(ox, oy)).toBeGreaterThan(8);
    const distinct = new Set<number>();
    for (const draw of preview.draws) {
      const [dx, dy] = centroid(draw.mask);
      const turned = (Math.atan2(dy, dx) - Math.atan2(oy, ox)) * (180 / Math.PI);
      const wrapped = ((turned + 540) % 360) - 180;
      expect(Math.abs(Math.abs(wrapped) - Math.abs(draw.rotationDegrees))).toBeLessThan(3);
      expect(Math.sign(wrapped) * Math.sign(draw.rotationDegrees)).not.toBe(-1);
      // The image turned too: it is no longer the original where the angle is large.
      if (Math.abs(draw.rotationDegrees) > 10) expect(Buffer.from(draw.image).equals(Buffer.from(original.image))).toBe(false);
      distinct.add(Math.round(draw.rotationDegrees));
    }
    expect(distinct.size).toBeGreaterThan(3); // random draws, not one angle repeated
  });

  it('names a missing slice', async () => {
    await expect(augmentationPreview(db, home, { sliceId: 999_999, augmentation: off, count: 1 })).rejects.toThrow(/no slice 999999/);
  });
});

describe('the recipe is stored with the model', () => {
  it('optimizer, schedule and augmentation round-trip through the model record to the models list', async () => {
    const config = validateTrainConfig({
      preset: 'tiny', optimizer: 'sgd', learningRateSchedule: 'one-cycle',
      augmentFlipProbability: 0.3, augmentScale: 0.1, augmentRotationDegrees: 5, augmentIntensity: 0,
    });
    expect(config.learningRate).toBe(0.1); // SGD's default peak, not Adam's 1e-3
    await insertModel(db, {
      parentId: null, preset: 'tiny', config: config as unknown as Record<string, unknown>, metrics: {}, valDice: null,
      backend: 'cpu', file: 'none.bsm', status: 'accepted', maskIds: [],
    }, false);
    const listed = (await createModelService(db).list()).at(-1)!;
    expect(listed.recipe).toBe('sgd 0.1/one-cycle, flip 0.3 scale ±0.1 rot ±5° int ±0');
    expect(formatRecipe(validateTrainConfig() as unknown as Record<string, unknown>))
      .toBe(`adam 0.001/cosine, flip ${AUGMENTATION_DEFAULTS.flipProbability} scale ±${AUGMENTATION_DEFAULTS.scale} ` +
        `rot ±${AUGMENTATION_DEFAULTS.rotationDegrees}° int ±${AUGMENTATION_DEFAULTS.intensity}`);
    expect(DEFAULTS.augmentFlipProbability).toBe(AUGMENTATION_DEFAULTS.flipProbability);
  });

  it('the panel\'s request carries them into the run\'s config; a request without them keeps the defaults', () => {
    const request = trainRequestFrom({
      fromScratch: true, preset: 'fast', epochs: 3, optimizer: 'sgd', schedule: 'one-cycle',
      augmentation: { flipProbability: 0.2, scale: 0.08, rotationDegrees: 25, intensity: 0.05 },
    });
    expect(validateTrainConfig(request.config)).toMatchObject({
      optimizer: 'sgd', learningRate: 0.1, learningRateSchedule: 'one-cycle', epochs: 3,
      augmentFlipProbability: 0.2, augmentScale: 0.08, augmentRotationDegrees: 25, augmentIntensity: 0.05,
    });
    expect(validateTrainConfig(trainRequestFrom({ fromScratch: true, preset: 'fast', epochs: 3 }).config)).toMatchObject({
      optimizer: 'adam', learningRateSchedule: 'cosine', augmentFlipProbability: 0.5, augmentRotationDegrees: 15,
    });
  });

  it('rejects settings that cannot train, naming the field', () => {
    expect(() => validateTrainConfig({ optimizer: 'rmsprop' as 'sgd' })).toThrow(/optimizer must be one of adam, sgd/);
    expect(() => validateTrainConfig({ augmentFlipProbability: 1.5 })).toThrow(/augmentFlipProbability/);
    expect(() => validateTrainConfig({ augmentRotationDegrees: -1 })).toThrow(/augmentRotationDegrees/);
    expect(() => validateTrainConfig({ augmentScale: 1 })).toThrow(/augmentScale/);
  });
});

describe('SGD with the one-cycle schedule', () => {
  it('one-cycle rises from a 25th of the peak to the peak at 30 %, then falls to a 10,000th of its start', () => {
    const peak = 0.1;
    expect(scheduledLearningRate('one-cycle', peak, 0)).toBeCloseTo(peak / 25, 12);
    expect(scheduledLearningRate('one-cycle', peak, ONE_CYCLE.warmupShare)).toBeCloseTo(peak, 12);
    expect(scheduledLearningRate('one-cycle', peak, 0.15)).toBeCloseTo((peak / 25 + peak) / 2, 12);
    expect(scheduledLearningRate('one-cycle', peak, 0.65)).toBeCloseTo((peak + peak / 25 / 1e4) / 2, 12);
    expect(scheduledLearningRate('one-cycle', peak, 1)).toBeCloseTo(peak / 25 / 1e4, 14);
  });

  it('a momentum step moves a weight by the scheduled rate times the accumulated gradient', () => {
    const w = tf.variable(tf.scalar(1), true, 'sgd-probe');
    const optimizer = createOptimizer('sgd', 0.1);
    const g1 = 2;
    const g2 = -0.5;
    const r1 = scheduledLearningRate('one-cycle', 0.1, 0);
    setLearningRate(optimizer, r1);
    optimizer.applyGradients({ 'sgd-probe': tf.scalar(g1) });
    expect(w.dataSync()[0]).toBeCloseTo(1 - r1 * g1, 6);
    const r2 = scheduledLearningRate('one-cycle', 0.1, 0.3);
    setLearningRate(optimizer, r2);
    optimizer.applyGradients({ 'sgd-probe': tf.scalar(g2) });
    expect(w.dataSync()[0]).toBeCloseTo(1 - r1 * g1 - r2 * (SGD_MOMENTUM * g1 + g2), 6);
    optimizer.dispose();
    w.dispose();
  });
});

describe('resuming an SGD run', () => {
  let volume: PreparedVolume;
  beforeAll(async () => {
    const [patient] = await buildJobPatients(db, { home });
    volume = await prepareVolume(patient!, 16);
  });

  const batchOf = (slices: number[]) => {
    const plane = 16 * 16;
    const xs = new Float32Array(slices.length * plane * INPUT_CHANNELS);
    const ys = new Float32Array(slices.length * plane);
    slices.forEach((s, b) => {
      xs.set(volume.images.subarray(s * plane * INPUT_CHANNELS, (s + 1) * plane * INPUT_CHANNELS), b * plane * INPUT_CHANNELS);
      ys.set(volume.masks.subarray(s * plane, (s + 1) * plane), b * plane);
    });
    return { xs, ys, count: slices.length };
  };

  it('restores the momentum accumulators, so the next step is the one the uninterrupted run takes', async () => {
    const config = { ...validateTrainConfig({ preset: 'tiny', features: 2, inputSize: 16, optimizer: 'sgd' }), microBatchSize: 0 };
    const model = buildUNet(config, 5);
    const optimizer = createOptimizer('sgd', 0.05);
    const first = batchOf([18, 19, 20]);
    const second = batchOf([10, 21, 22]);
    optimizeBatch(model, optimizer, first, config);
    const file = path.join(tempDir(), 'checkpoint.bsm');
    await saveModelFile(file, config, model, { optimizer, state: { epoch: 1, bestValDice: null, baselineValDice: null, history: [] } });
    const saved = await optimizer.getWeights();
    expect(saved.filter((w) => w.name.endsWith('/momentum')).length).toBe(model.trainableWeights.length);

    const loaded = await loadModelFile(file);
    const resumed = await resumeOptimizer({ optimizer: 'sgd', learningRate: 0.05 }, loaded);
    const restored = await resumed.optimizer.getWeights();
    expect(restored.map((w) => w.name)).toEqual(saved.map((w) => w.name));
    restored.forEach((w, i) => expect(Buffer.from(w.tensor.dataSync().buffer).equals(Buffer.from(saved[i]!.tensor.dataSync().buffer))).toBe(true));
    expect(restored.some((w) => w.name !== 'iter' && tf.abs(w.tensor).max().dataSync()[0]! > 0)).toBe(true);

    // One more step each: the run that never stopped, and the resumed one from its checkpoint.
    optimizeBatch(model, optimizer, second, config);
    optimizeBatch(loaded.model, resumed.optimizer, second, config);
    const a = model.getWeights().map((t) => t.dataSync());
    const b = loaded.model.getWeights().map((t) => t.dataSync());
    a.forEach((values, i) => values.forEach((v, j) => expect(b[i]![j]).toBeCloseTo(v, 5)));
    // Without its momentum the resumed step would differ: a fresh optimizer from the same weights does.
    const fresh = await loadModelFile(file);
    optimizeBatch(fresh.model, createOptimizer('sgd', 0.05), second, config);
    const c = fresh.model.getWeights().map((t) => t.dataSync());
    expect(a.some((values, i) => values.some((v, j) => Math.abs(v - c[i]![j]!) > 1e-5))).toBe(true);
    tf.dispose(fresh.optimizerWeights?.map((w) => w.tensor) ?? []);
    fresh.model.dispose();
    loaded.model.dispose();
    model.dispose();
    resumed.optimizer.dispose();
    optimizer.dispose();
  });

  it('refuses to resume an Adam checkpoint as SGD', async () => {
    const config = { ...validateTrainConfig({ preset: 'tiny', features: 2, inputSize: 16 }), microBatchSize: 0 };
    const model = buildUNet(config, 5);
    const adam = createOptimizer('adam', 1e-3);
    optimizeBatch(model, adam, batchOf([19, 20]), config);
    const file = path.join(tempDir(), 'checkpoint.bsm');
    await saveModelFile(file, config, model, { optimizer: adam, state: { epoch: 1, bestValDice: null, baselineValDice: null, history: [] } });
    const loaded = await loadModelFile(file);
    await expect(resumeOptimizer({ optimizer: 'sgd', learningRate: 0.1 }, loaded)).rejects.toThrow(/trained with adam/);
    loaded.model.dispose();
    model.dispose();
    adam.dispose();
  });
});
