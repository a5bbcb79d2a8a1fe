// The same patient, imported from the shared LGG TIFFs and from NIfTI and DICOM files made from those TIFFs by
// independent tools (nibabel, pydicom), is the same patient to the model: the bundled model's predictions agree
// (Dice ≥ 0.98 between them) and score the same against the mask (per-volume Dice within 0.01). This is what
// makes the per-volume intensity mapping of scanner data (imaging/volume/intensity.ts) transfer the LGG model.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { activeModelId } from '../../src/catalog/models.js';
import { findPatientByCaseId } from '../../src/catalog/patients.js';
import { findPrediction } from '../../src/catalog/predictions.js';
import { listSlicesWithCurrentMask } from '../../src/catalog/slices.js';
import { decodeMask } from '../../src/imaging/mask-codec.js';
import { runCli } from '../helpers/cli.js';
import { dicomFixtures, missingDicomTools } from '../helpers/dicom-fixtures.js';
import { FIXTURE_CASE } from '../helpers/lgg-raw.js';
import { niftiFixtures, niftiToolsAvailable } from '../helpers/nifti-fixtures.js';
import { makeSampleSubset, REPO_ROOT } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const SHIPPED = { BRAINSEG_BUNDLED_MODEL: '' };

interface Predicted {
  /** Per slice (in slice order): predicted 0/1 and the imported mask 0/1. */
  predicted: Uint8Array[];
  truth: Uint8Array[];
}

/** Imports a folder into a fresh data folder with the bundled model, predicts it, and reads both back. */
async function importAndPredict(folder: string, caseId: string): Promise<Predicted> {
  const home = tempDir.persistent();
  const imported = await runCli(home, ['import', folder], SHIPPED);
  expect(imported.code, imported.stderr + imported.stdout).toBe(0);
  const predicted = await runCli(home, ['predict', '--patient', caseId], SHIPPED);
  expect(predicted.code, predicted.stderr + predicted.stdout).toBe(0);
  const db = await openCatalog(path.join(home, 'catalog.sqlite'));
  try {
    const patient = (await findPatientByCaseId(db, caseId))!;
    const modelId = (await activeModelId(db))!;
    const result: Predicted = { predicted: [], truth: [] };
    for (const slice of await listSlicesWithCurrentMask(db, patient.id)) {
      const prediction = (await findPrediction(db, slice.id, modelId))!;
      result.predicted.push(prediction.probabilities.map((p) => (p >= 128 ? 1 : 0)));
      result.truth.push(slice.maskBitmap ? decodeMask(slice.maskBitmap).data : new Uint8Array(slice.width * slice.height));
    }
    return result;
  } finally {
    await db.destroy();
  }
}

let tiffPredicted: Promise<Predicted> | undefined;

/** The TIFF patient both scanner fixtures are made of, imported and predicted once for the two comparisons. */
function predictedFromTiff(): Promise<Predicted> {
  return (tiffPredicted ??= importAndPredict(makeSampleSubset(tempDir.persistent(), [FIXTURE_CASE]), FIXTURE_CASE));
}

/** Keeps the figures for a person to read (test-artifacts/ is git-ignored). */
function record(name: string, figures: Record<string, number>): void {
  const dir = path.join(REPO_ROOT, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `scanner-equivalence-${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

function dice(a: readonly Uint8Array[], b: readonly Uint8Array[]): number {
  let both = 0, sum = 0;
  a.forEach((slice, z) => {
    for (let i = 0; i < slice.length; i++) {
      both += slice[i]! & b[z]![i]!;
      sum += slice[i]! + b[z]![i]!;
    }
  });
  return sum === 0 ? 1 : (2 * both) / sum;
}

describe.runIf(niftiToolsAvailable())('a patient from TIFF and from NIfTI made of those TIFFs', () => {
  let tiff: Predicted;
  let nifti: Predicted;
  beforeAll(async () => {
    const fixtures = await niftiFixtures();
    expect(fixtures.caseId).toBe(FIXTURE_CASE);
    tiff = await predictedFromTiff();
    // BraTS 2018–2021 naming: FLAIR int16 with scl_slope/scl_inter, T1 int16, T1ce float32, T2, labels 0/1/2/4.
    nifti = await importAndPredict(fixtures.path('brats18/BraTS20_Training_001'), 'BraTS20_Training_001');
  }, 600_000);

  it('has the same masks, slice for slice (BraTS labels 1, 2 and 4 are all lesion)', () => {
    expect(nifti.truth.length).toBe(tiff.truth.length);
    expect(dice(nifti.truth, tiff.truth)).toBe(1);
  });

  it('gets predictions with Dice ≥ 0.98 between them, and per-volume Dice against the mask within 0.01', () => {
    record('nifti', { between: dice(nifti.predicted, tiff.predicted), tiff: dice(tiff.predicted, tiff.truth), nifti: dice(nifti.predicted, nifti.truth) });
    expect(dice(nifti.predicted, tiff.predicted)).toBeGreaterThanOrEqual(0.98);
    expect(Math.abs(dice(nifti.predicted, nifti.truth) - dice(tiff.predicted, tiff.truth))).toBeLessThanOrEqual(0.01);
    expect(dice(tiff.predicted, tiff.truth)).toBeGreaterThan(0.5); // the comparison means something: the model finds the lesion
  });
});

describe.runIf(missingDicomTools() === null)('a patient from TIFF and from a DICOM study made of those TIFFs', () => {
  it('gets predictions with Dice ≥ 0.98 between them, and per-volume Dice against the mask within 0.01', async () => {
    const tiff = await predictedFromTiff();
    const fixtures = await dicomFixtures(tiff.truth.length);
    const study = fixtures.cases['main']!;
    const dicom = await importAndPredict(path.join(fixtures.root, study.folder), study.caseId);
    expect(dicom.predicted.length).toBe(tiff.predicted.length);
    record('dicom', { between: dice(dicom.predicted, tiff.predicted), tiff: dice(tiff.predicted, tiff.truth), dicom: dice(dicom.predicted, tiff.truth) });
    expect(dice(dicom.predicted, tiff.predicted)).toBeGreaterThanOrEqual(0.98);
    // DICOM carries no mask: compare both against the TIFF's.
    expect(Math.abs(dice(dicom.predicted, tiff.truth) - dice(tiff.predicted, tiff.truth))).toBeLessThanOrEqual(0.01);
  }, 600_000);
});
