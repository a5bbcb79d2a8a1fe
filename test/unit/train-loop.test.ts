import { tf } from '../../src/ml/tf.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { importPath } from '../../src/importer/import.js';
import { selectBackend } from '../../src/ml/backends/select-backend.js';
import { validateTrainConfig, type TrainConfig } from '../../src/ml/config.js';
import { loadModelFile, saveModelFile } from '../../src/ml/model-file.js';
import { NonFiniteLossError, trainUNet, type TrainingHooks } from '../../src/ml/train-loop.js';
import { runFiles } from '../../src/ml/run-files.js';
import { buildUNet } from '../../src/ml/unet.js';
import { buildJobPatients } from '../../src/services/job-builder.js';
import type { JobPatient, TrainingProgress } from '../../src/ml/jobs.js';
import { BUDGETED_STEPS_PER_EPOCH, runPosition } from '../../src/contract/index.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

// Tiny networks on real slices: a few features at 32×32 train in seconds and still exercise every layer.
// One thread: these tests pin exact loss curves; data-parallel steps have their own test.
const TINY: Partial<TrainConfig> = { features: 4, inputSize: 32, batchSize: 4, learningRate: 3e-3, seed: 7, workers: 1 };
const NO_AUGMENTATION: Partial<TrainConfig> = { augmentScale: 0, augmentRotationDegrees: 0, augmentFlipProbability: 0 };

let patients: JobPatient[];

function hooks(overrides: Partial<TrainingHooks> = {}): TrainingHooks {
  return { onProgress: () => undefined, onEpoch: () => undefined, isCancelled: () => false, ...overrides };
}

beforeAll(async () => {
  await selectBackend('wasm');
  const db = await openCatalog(':memory:');
  await importPath(db, makeSampleSubset(tempDir(), ['TCGA_CS_6665_20010817', 'TCGA_DU_7294_19890104', 'TCGA_HT_7473_19970826']));
  patients = await buildJobPatients(db);
  await db.destroy();
});

describe('U-Net', () => {
  it('has the reference size at the full preset and maps slices to probabilities', () => {
    const full = buildUNet({ features: 32, inputSize: 256 });
    expect(full.countParams()).toBeGreaterThan(7_700_000);
    expect(full.countParams()).toBeLessThan(7_800_000);
    full.dispose();
    const tiny = buildUNet({ features: 4, inputSize: 32 });
    const out = tf.tidy(() => (tiny.predict(tf.randomNormal([2, 32, 32, 3])) as tf.Tensor).arraySync() as number[][][][]);
    expect([out.length, out[0]!.length, out[0]![0]!.length, out[0]![0]![0]!.length]).toEqual([2, 32, 32, 1]);
    expect(out.flat(3).every((p) => p > 0 && p < 1)).toBe(true);
    tiny.dispose();
  });

  it('saves and loads a model that predicts exactly the same', async () => {
    const file = path.join(tempDir(), 'm.bsm');
    const model = buildUNet({ features: 4, inputSize: 32 });
    const x = tf.randomNormal([1, 32, 32, 3]);
    const before = (model.predict(x) as tf.Tensor).dataSync().slice();
    await saveModelFile(file, { features: 4, inputSize: 32 }, model);
    const loaded = await loadModelFile(file);
    expect(loaded.shape).toEqual({ features: 4, inputSize: 32 });
    expect([...(loaded.model.predict(x) as tf.Tensor).dataSync()]).toEqual([...before]);
    x.dispose();
    model.dispose();
    loaded.model.dispose();
  });
});

describe('training', () => {
  it('lowers the loss on a small overfit set, keeps tensors flat, and keeps the best epoch', async () => {
    // Overfit set: four lesion slices of one patient to train on; another whole patient to validate on.
    const overfit: JobPatient[] = [
      { ...patients[0]!, split: 'train', slices: patients[0]!.slices.filter((s) => s.number >= 11 && s.number <= 14) },
      { ...patients[1]!, split: 'validation' },
    ];
    const runDir = tempDir();
    const tensorsAtEpochEnd: number[] = [];
    const before = tf.memory().numTensors;
    const result = await trainUNet(
      { config: validateTrainConfig({ ...TINY, ...NO_AUGMENTATION, learningRate: 3e-2, epochs: 5, stepsPerEpoch: 8 }), backend: 'wasm', patients: overfit, runDir, initModelFile: null, resume: false },
      hooks({ onEpoch: () => tensorsAtEpochEnd.push(tf.memory().numTensors) }),
    );
    const losses = result.history.map((h) => h.loss);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! - 0.2);
    expect(tensorsAtEpochEnd).toEqual(tensorsAtEpochEnd.map(() => tensorsAtEpochEnd[0]));
    expect(tf.memory().numTensors).toBe(before);
    const best = Math.max(...result.history.map((h) => h.valDice!));
    expect(result.valDice).toBe(best);
    expect(result.history.find((h) => h.epoch === result.bestEpoch)!.valDice).toBe(best);
    expect(result.stoppedBy).toBe('epochs');
  });

  it('reports a budgeted retrain against its clock, with its baseline and final validation where they happen', async () => {
    // A retrain: one epoch too long to finish, ended by a 3-second budget, from a saved starting model.
    const runDir = tempDir();
    const start = buildUNet({ features: 4, inputSize: 32 }, 7);
    const initModelFile = path.join(runDir, 'start.bsm');
    await saveModelFile(initModelFile, { features: 4, inputSize: 32 }, start);
    start.dispose();
    const split: JobPatient[] = [patients[0]!, { ...patients[1]!, split: 'validation' }];
    const events: TrainingProgress[] = [];
    const config = validateTrainConfig({ ...TINY, epochs: 1, stepsPerEpoch: BUDGETED_STEPS_PER_EPOCH, minutes: 0.05 });
    const result = await trainUNet({ config, backend: 'wasm', patients: split, runDir, initModelFile, resume: false }, hooks({ onProgress: (p) => events.push(p) }));
    expect(result.stoppedBy).toBe('time');
    const last = events[events.length - 1]!;
    // The baseline (before step 0) and the one epoch's validation, at the step the budget ended it.
    expect(last.validations).toEqual([
      { step: 0, valDice: result.baselineValDice },
      { step: last.step, valDice: result.valDice },
    ]);
    expect(last.budgetSeconds).toBe(3);
    expect(last.elapsedSeconds).toBeGreaterThanOrEqual(3);
    expect(runPosition(last)).toMatchObject({ fraction: 1, endsBy: 'time', stepsPlanned: null });
    // From the first event on, the bar stood where the clock did against the budget, never backwards.
    const fractions = events.map((e) => runPosition(e).fraction);
    events.forEach((e, i) => expect(fractions[i]).toBeCloseTo(Math.min(1, e.elapsedSeconds / 3), 9));
    expect(fractions.some((f) => f > 0 && f < 1)).toBe(true);
    fractions.slice(1).forEach((f, i) => expect(f).toBeGreaterThanOrEqual(fractions[i]!));
  });

  it('resumes from its checkpoint where it stopped, with optimizer state', async () => {
    const runDir = tempDir();
    const config = validateTrainConfig({ ...TINY, epochs: 2, stepsPerEpoch: 3 });
    let epochs = 0;
    // Cancel after the first epoch's checkpoint: the run stops before epoch 2.
    await trainUNet({ config, backend: 'wasm', patients, runDir, initModelFile: null, resume: false }, hooks({
      onEpoch: () => epochs++,
      isCancelled: () => epochs >= 1,
    })).catch(() => undefined);
    const checkpoint = await loadModelFile(runFiles(runDir).checkpoint);
    expect(checkpoint.state?.epoch).toBe(1);
    // The time spent is kept, so the resumed run continues its budget and learning-rate schedule.
    const firstSession = checkpoint.state!.elapsedSeconds!;
    expect(firstSession).toBeGreaterThan(0);
    expect(checkpoint.optimizerWeights?.length).toBeGreaterThan(1);
    checkpoint.model.dispose();
    tf.dispose(checkpoint.optimizerWeights!.map((w) => w.tensor));

    const seen: number[] = [];
    let last: TrainingProgress | null = null;
    const secondSessionStart = performance.now();
    const result = await trainUNet({ config, backend: 'wasm', patients, runDir, initModelFile: null, resume: true }, hooks({
      onEpoch: (e) => seen.push(e), onProgress: (p) => (last = p),
    }));
    const secondSession = (performance.now() - secondSessionStart) / 1000;
    expect(seen).toEqual([2]);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2]);
    // Its progress lists the first session's validation too, at the step it happened, and counts that session's time.
    expect(last!.validations).toEqual(result.history.map((h) => ({ step: h.epoch * 3, valDice: h.valDice })));
    expect(last!.elapsedSeconds).toBeGreaterThan(firstSession);
    // The model's training time is both sessions', not the last one's.
    expect(result.seconds).toBeGreaterThanOrEqual(last!.elapsedSeconds);
    expect(result.seconds).toBeLessThanOrEqual(firstSession + secondSession);
    const resumed = await loadModelFile(runFiles(runDir).checkpoint);
    expect(resumed.state!.elapsedSeconds).toBeGreaterThan(firstSession);
    resumed.model.dispose();
    tf.dispose(resumed.optimizerWeights!.map((w) => w.tensor));
  });

  it('stops with a clear error on a non-finite loss and leaves the last good checkpoint untouched', async () => {
    const runDir = tempDir();
    const config = validateTrainConfig({ ...TINY, epochs: 1, stepsPerEpoch: 2 });
    await trainUNet({ config, backend: 'wasm', patients, runDir, initModelFile: null, resume: false }, hooks());
    const good = readFileSync(runFiles(runDir).checkpoint);

    // A diverged starting model: every weight NaN.
    const poisoned = path.join(tempDir(), 'nan.bsm');
    const model = buildUNet(config);
    model.setWeights(model.getWeights().map((w) => tf.fill(w.shape, Number.NaN)));
    await saveModelFile(poisoned, config, model);
    model.dispose();

    const before = tf.memory().numTensors;
    await expect(trainUNet({ config, backend: 'wasm', patients, runDir, initModelFile: poisoned, resume: false }, hooks()))
      .rejects.toThrow(NonFiniteLossError);
    expect(readFileSync(runFiles(runDir).checkpoint).equals(good)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops cleanly when cancelled before the first epoch ends, with no model to keep', async () => {
    const runDir = tempDir();
    const result = await trainUNet(
      { config: validateTrainConfig({ ...TINY, epochs: 2, stepsPerEpoch: 3 }), backend: 'wasm', patients, runDir, initModelFile: null, resume: false },
      hooks({ isCancelled: () => true }),
    );
    expect(result).toMatchObject({ stoppedBy: 'cancel', modelFile: null, epochsRun: 0 });
  });

  it('refuses to train without annotated training patients', async () => {
    const unlabelled = patients.map((p) => ({ ...p, slices: p.slices.map((s) => ({ ...s, mask: null })) }));
    await expect(trainUNet({ config: validateTrainConfig(TINY), backend: 'wasm', patients: unlabelled, runDir: tempDir(), initModelFile: null, resume: false }, hooks()))
      .rejects.toThrow(/no training patients with masks/);
  });
});
