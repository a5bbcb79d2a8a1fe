// The loop a radiologist relies on: correct a few slices, retrain (the default fine-tune with its time budget),
// and the new model's prediction on those slices agrees more with the corrections than its parent's did. Real
// slices, the tiny network so it runs in CI; the edit grows three lesions by 10 pixels all round.
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { readCurrentMask, saveMaskVersion } from '../../src/catalog/masks.js';
import { listPatients } from '../../src/catalog/patients.js';
import { listSlices } from '../../src/catalog/slices.js';
import type { Slice } from '../../src/catalog/types.js';
import { WarmPredictor } from '../../src/compute/warm-predictor.js';
import { resolveHome } from '../../src/home.js';
import { agreementWithEdits } from '../../src/services/edit-agreement.js';
import { predictAndStore } from '../../src/services/prediction-pipeline.js';
import { dilateMask } from '../../src/editing/region.js';
import { runCli } from '../helpers/cli.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

const PATIENTS = ['TCGA_CS_6665_20010817', 'TCGA_DU_7294_19890104', 'TCGA_HT_7473_19970826'];
const TINY = ['--preset', 'tiny', '--backend', 'wasm'];

describe('retrain on edits', () => {
  it('moves the prediction on the edited slices toward the edits', async () => {
    const home = tempDir();
    expect((await runCli(home, ['import', makeSampleSubset(tempDir(), PATIENTS)])).code).toBe(0);
    const parent = await runCli(home, ['train', ...TINY, '--from-scratch', '--epochs', '2', '--steps', '20']);
    expect(parent.code, parent.stderr).toBe(0);

    // Three lesion slices of a training patient (validation patients are not trained on), each saved grown as the
    // editor saves a stroke (in this process: the retrain reads the catalog, not how a mask got there).
    let db = await openCatalog(resolveHome(home).catalog);
    const edited: { slice: Slice; mask: Uint8Array }[] = [];
    for (const candidate of (await listPatients(db)).filter((p) => p.split === 'train')) {
      const lesionSlices = (await listSlices(db, candidate.id)).filter((s) => s.hasLesion);
      if (lesionSlices.length < 3) continue;
      for (const s of lesionSlices.slice(0, 3)) {
        const mask = await readCurrentMask(db, s.id, s.width, s.height);
        edited.push({ slice: s, mask: dilateMask(mask.data, s.width, s.height, 10) });
      }
      break;
    }
    expect(edited).toHaveLength(3);
    for (const { slice, mask } of edited) await saveMaskVersion(db, slice.id, { width: slice.width, height: slice.height, data: mask }, 'manual', { operation: 'brush' });
    const patient = (await listPatients(db)).find((p) => p.id === edited[0]!.slice.patientId)!;
    await db.destroy();

    // The default retrain (a fine-tune of the active model 1), paced by steps rather than a time budget: on a busy
    // machine half a minute could be too few steps to learn anything, and the test would fail for the machine's sake.
    const retrain = await runCli(home, ['train', '--backend', 'wasm', '--epochs', '1', '--steps', '40', '--json']);
    expect(retrain.code, retrain.stderr).toBe(0);
    const done = JSON.parse(retrain.stdout.trim().split('\n').pop()!) as { modelId: number };
    // Both models' predictions of that patient, as the UI gets them: one warm predictor, one model after the other.
    db = await openCatalog(resolveHome(home).catalog);
    const predictor = new WarmPredictor('wasm');
    try {
      for (const modelId of [1, done.modelId]) await predictAndStore(db, resolveHome(home), { patients: [patient], modelId, backend: 'wasm', warm: { predictor } });
    } finally {
      predictor.close();
    }

    // Agreement with the edits, as bench/retrain-loop measures it (soft Dice moves with every step of learning).
    const agreement = (modelId: number) => agreementWithEdits(db, modelId, edited.map(({ slice, mask }) => ({ sliceId: slice.id, mask })));
    const before = await agreement(1);
    const after = await agreement(done.modelId);
    await db.destroy();
    console.log(`retrain toward edits (soft / thresholded Dice with the edited masks): parent ${before.soft.toFixed(3)} / ${before.hard.toFixed(3)} → retrained ${after.soft.toFixed(3)} / ${after.hard.toFixed(3)}`);
    expect(after.soft).toBeGreaterThan(before.soft + 0.02);
  }, 300_000);
});
