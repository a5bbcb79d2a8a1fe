// Every model scored on the same patients (issue #31 item 4) and each slice's Dice and BCE (item 15), on real LGG
// data with the shipped model: the validation score equals `brainseg eval`'s (evaluateFolder, which reads the
// masks from the TIFF files in another data folder) for two models, it is cached in the catalog per validation
// set (a new ApiService process asks for no prediction; an edit of a validation mask makes a new set), and the
// per-slice figures equal an independent computation (tfjs's binary cross-entropy, the TIFF masks).
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogDb } from '../../src/catalog/db.js';
import { WarmPredictor } from '../../src/compute/warm-predictor.js';
import { readCurrentMask, saveMaskVersion } from '../../src/catalog/masks.js';
import { currentValidationSet, findModelScore } from '../../src/catalog/model-scores.js';
import { findModel } from '../../src/catalog/models.js';
import { findPatient, listPatients } from '../../src/catalog/patients.js';
import { findPrediction } from '../../src/catalog/predictions.js';
import { listSlices } from '../../src/catalog/slices.js';
import type { EventPayloads, ValidationScores } from '../../src/contract/index.js';
import type { HomePaths } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { dice } from '../../src/ml/metrics.js';
import { sliceMetrics, BCE_FLOOR } from '../../src/ml/slice-metrics.js';
import { evaluateFolder } from '../../src/services/evaluation.js';
import { isPredicted, predictAndStore } from '../../src/services/prediction-pipeline.js';
import { patientSliceScores } from '../../src/services/slice-scores.js';
import { createValidationScoring, scoreModel } from '../../src/services/validation-scoring.js';
import { makeSampleSubset, readSampleSlice } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';
import { folderWithTwoModels } from '../helpers/two-models.js';

const PATIENTS = ['TCGA_CS_6667_20011105', 'TCGA_HT_7602_19951103'];
let db: CatalogDb;
let home: HomePaths;
let validationCaseId: string;
let predictions = 0;
// As the prediction service's: one warm predictor process for every prediction (both models share the shipped
// weights, so it loads them once), and only a patient that lacks the model's predictions is predicted.
const predictor = new WarmPredictor('wasm');
afterAll(() => predictor.close());
const ensurePredicted = async (patientId: number, modelId: number) => {
  if (await isPredicted(db, patientId, modelId)) return;
  predictions++;
  await predictAndStore(db, home, { patients: [(await findPatient(db, patientId))!], modelId, backend: 'wasm', warm: { predictor } });
};

beforeAll(async () => {
  ({ db, home } = await folderWithTwoModels(tempDir.persistent()));
  await importPath(db, makeSampleSubset(path.join(tempDir.persistent(), 'kaggle_3m'), PATIENTS));
  const validation = (await listPatients(db)).filter((p) => p.split === 'validation');
  expect(validation).toHaveLength(1); // two patients: one held out
  validationCaseId = validation[0]!.caseId;
}, 120_000);

describe('models scored on this folder\'s validation patients', () => {
  it('gives each model the per-volume Dice that `brainseg eval` gives it on the same patient', async () => {
    const set = await currentValidationSet(db);
    expect(set.patients.map((p) => p.caseId)).toEqual([validationCaseId]);
    const mine = [await scoreModel(db, 1, set, ensurePredicted), await scoreModel(db, 2, set, ensurePredicted)];

    // Independently: a second data folder with the same two models, evaluating the TIFF folder (not catalogued there).
    const other = await folderWithTwoModels(tempDir.persistent());
    const folder = makeSampleSubset(path.join(tempDir.persistent(), 'kaggle_3m'), [validationCaseId]);
    const theirs = [];
    for (const modelId of [1, 2]) theirs.push((await evaluateFolder(other.db, other.home, folder, { modelId, backend: 'wasm' })).mean);
    await other.db.destroy();

    console.log(`validation Dice of ${validationCaseId}: model 1 ${mine[0]}, model 2 ${mine[1]}; brainseg eval: ${theirs.join(', ')}`);
    expect(mine[0]).toBeCloseTo(theirs[0]!, 6);
    expect(mine[1]).toBeCloseTo(theirs[1]!, 6);
    expect(mine[0]).toBeGreaterThan(0.5); // the shipped model finds this lesion
    expect(mine[0]).not.toBeCloseTo(mine[1]!, 3); // two different models, two different figures
    expect((await findModelScore(db, 1, set.key))?.patients).toEqual([{ caseId: validationCaseId, dice: mine[0] }]);
  }, 300_000);

  it('is cached per validation set: a new service predicts nothing, an edited validation mask is a new set', async () => {
    const events: ValidationScores[] = [];
    const emit = <E extends keyof EventPayloads>(event: E, payload: EventPayloads[E]) => {
      if (event === 'models:scored') events.push(payload as ValidationScores);
    };
    predictions = 0;
    const before = await createValidationScoring(db, ensurePredicted, emit).scores();
    expect(before.patients).toEqual([validationCaseId]);
    expect(before.models.map((m) => [m.modelId, m.state])).toEqual([[1, 'scored'], [2, 'scored']]);
    expect(predictions).toBe(0);

    // Erase the lesion of the validation patient's largest-lesion slice: a new set, scored again from stored predictions.
    const patient = (await listPatients(db)).find((p) => p.caseId === validationCaseId)!;
    const slices = await listSlices(db, patient.id);
    const sizes = await Promise.all(slices.map(async (s) => (await readCurrentMask(db, s.id, s.width, s.height)).data.reduce((n, v) => n + v, 0)));
    const largest = slices[sizes.indexOf(Math.max(...sizes))]!;
    await saveMaskVersion(db, largest.id, { width: largest.width, height: largest.height, data: new Uint8Array(largest.width * largest.height) },
      'manual', { operation: 'clear' });
    const scoring = createValidationScoring(db, ensurePredicted, emit);
    const after = await scoring.scores();
    expect(after.models.map((m) => m.state)).toEqual(['scoring', 'scoring']);
    await expect.poll(() => events.length, { timeout: 60_000 }).toBe(2);
    const rescored = events[1]!.models;
    expect(rescored.map((m) => m.state)).toEqual(['scored', 'scored']);
    expect(rescored[0]!.dice!).toBeLessThan(before.models[0]!.dice!); // the model still sees the erased lesion
    expect((await scoring.scores()).models).toEqual(rescored);
    expect(predictions).toBe(0); // the stored predictions were scored against the new masks
  }, 120_000);
});

describe('per-slice Dice and BCE', () => {
  it('equal an independent computation against the TIFF masks', async () => {
    await tf.setBackend('cpu');
    const patient = (await listPatients(db)).find((p) => p.split === 'train')!;
    await predictAndStore(db, home, { patients: [patient], modelId: 1, backend: 'wasm', warm: { predictor } });
    const scores = await patientSliceScores(db, patient.id, 1);
    expect(scores.slices).toHaveLength(scores.totalSlices);
    let lesionSlices = 0;
    for (const s of scores.slices) {
      const { mask } = await readSampleSlice(patient.caseId, s.number);
      const p = (await findPrediction(db, s.sliceId, 1))!.probabilities;
      const predicted = p.map((v) => (v >= 128 ? 1 : 0));
      const bothEmpty = !predicted.some((v) => v) && !mask.some((v) => v);
      if (mask.some((v) => v)) lesionSlices++;
      if (bothEmpty) expect(s.dice).toBeNull();
      else expect(s.dice).toBeCloseTo(dice(predicted, mask), 10);
      const bce = tf.tidy(() => tf.metrics.binaryCrossentropy(
        tf.tensor1d(Float32Array.from(mask)), tf.clipByValue(tf.tensor1d(Float32Array.from(p, (v) => v / 255)), BCE_FLOOR, 1 - BCE_FLOOR),
      ).dataSync()[0]!);
      expect(s.bce).toBeCloseTo(bce, 4);
    }
    expect(lesionSlices).toBeGreaterThan(3);
    expect(scores.slices.some((s) => s.dice !== null && s.dice > 0.7)).toBe(true);
    expect(scores.volumeDice).toBeGreaterThan(0.5);
    // One pixel's worth: a certain wrong pixel costs −ln(0.5/255), not infinity.
    expect(sliceMetrics(Uint8Array.of(0), Uint8Array.of(1)).bce).toBeCloseTo(-Math.log(BCE_FLOOR), 10);
    await expect(patientSliceScores(db, 999)).rejects.toThrow(/no patient 999/);
    expect((await findModel(db, 1))?.origin).toBe('bundled');
  }, 120_000);
});
