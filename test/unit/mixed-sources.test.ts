// A data folder mixing patients from the LGG TIFFs, NIfTI and DICOM: they train together, are predicted, and a
// labelled NIfTI folder can be scored with `brainseg eval`. (Masks edited on any of them are mask versions like any
// other, so retraining on edits and the review queue see no difference; the slices are the same kind.)
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/cli.js';
import { dicomFixtures, missingDicomTools } from '../helpers/dicom-fixtures.js';
import { niftiFixtures, niftiToolsAvailable, type NiftiFixtures } from '../helpers/nifti-fixtures.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const TINY = ['--preset', 'tiny', '--backend', 'wasm', '--from-scratch'];

describe.runIf(niftiToolsAvailable() && missingDicomTools() === null)('a data folder of TIFF, NIfTI and DICOM patients', () => {
  let home: string;
  let nifti: NiftiFixtures;
  beforeAll(async () => {
    home = tempDir.persistent();
    // The run's shared fixtures (the 24-slice DICOM study dicom-reader and scanner-equivalence read too).
    nifti = await niftiFixtures();
    const dicom = await dicomFixtures();
    for (const folder of [
      makeSampleSubset(tempDir.persistent(), ['TCGA_HT_7473_19970826']),
      nifti.path('brats18'),
      path.join(dicom.root, dicom.cases['main']!.folder),
    ]) {
      const imported = await runCliJson<{ patients: number }>(home, ['import', folder]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.json.patients).toBeGreaterThan(0);
    }
  }, 300_000);

  it('lists the three sources side by side, the scanner ones with their header spacing', async () => {
    const info = await runCliJson<{ patients: { id: string; slices: number }[] }>(home, ['info']);
    expect(info.json.patients.map((p) => p.id).sort()).toEqual(['BraTS20_Training_001', 'LGG-1_20240102', 'TCGA_HT_7473_19970826']);
  });

  it('trains a model on all of them, predicts every patient, and scores a labelled NIfTI folder', async () => {
    const trained = await runCli(home, ['train', ...TINY, '--epochs', '1', '--steps', '2', '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    const done = trained.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; modelId?: number }).find((l) => l.type === 'done');
    expect(done?.modelId).toBeGreaterThan(0);
    const predicted = await runCli(home, ['predict', '--all']);
    expect(predicted.code, predicted.stderr).toBe(0);
    // A BraTS 2023 case that is not in the catalog: eval reads it like an LGG folder.
    const scored = await runCliJson<{ patients: { id: string; dice: number; slices: number }[] }>(home, ['eval', nifti.path('brats23/BraTS-GLI-00000-000')]);
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.json.patients).toHaveLength(1);
    expect(scored.json.patients[0]!.slices).toBe(nifti.dims[2]);
    expect(scored.json.patients[0]!.dice).toBeGreaterThanOrEqual(0);
  }, 300_000);
});
