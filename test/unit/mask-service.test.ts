// The mask service answers a save with what the UI shows next: the patient's edited count and its "fix next"
// ranking, re-scored for the saved slice only — and the same as a ranking computed from scratch.
import { describe, expect, it } from 'vitest';
import { openCatalog } from '../../src/catalog/db.js';
import { readCurrentMask } from '../../src/catalog/masks.js';
import { insertModel } from '../../src/catalog/models.js';
import { findPrediction, savePrediction } from '../../src/catalog/predictions.js';
import { listPatients } from '../../src/catalog/patients.js';
import { listSlices } from '../../src/catalog/slices.js';
import { ensureHome, resolveHome } from '../../src/home.js';
import { importPath } from '../../src/importer/import.js';
import { rankSlices, reviewSlice } from '../../src/review/rank-slices.js';
import { createMaskService } from '../../src/services/mask-service.js';
import { createReviewService } from '../../src/services/review-service.js';
import { samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

describe('a mask save answers with the ranking and the edited count', () => {
  it('re-scores the saved slice and agrees with a ranking computed from scratch', async () => {
    const home = ensureHome(resolveHome(tempDir()));
    const db = await openCatalog(home.catalog);
    await importPath(db, samplePatientFolder('TCGA_CS_6665_20010817'));
    const patient = (await listPatients(db))[0]!;
    const slices = await listSlices(db, patient.id);
    const model = await insertModel(db, {
      parentId: null, preset: 'tiny', config: {}, metrics: {}, valDice: null, backend: 'wasm', file: 'none.bsm', status: 'accepted', maskIds: [],
    }, true);
    // A "prediction" per slice: the stored mask shifted 3 pixels right, at probability 0.8 — disagreement on every lesion slice.
    for (const slice of slices) {
      const mask = (await readCurrentMask(db, slice.id, slice.width, slice.height)).data;
      const p = new Uint8Array(mask.length);
      for (let i = 0; i < mask.length; i++) if (mask[i] && (i % slice.width) + 3 < slice.width) p[i + 3] = 204;
      await savePrediction(db, { sliceId: slice.id, modelId: model.id, width: slice.width, height: slice.height, probabilities: p });
    }
    const review = createReviewService(db);
    const masks = createMaskService(db, review);
    const before = await review.ranking(patient.id);
    expect(before.modelId).toBe(model.id);
    expect(before.slices.length).toBeGreaterThan(3);

    // The radiologist redraws the worst slice as the model sees it: its disagreement drops to 0 (what is left is the
    // model's uncertainty at p = 0.8), so it falls down the list.
    const worst = slices.find((s) => s.id === before.slices[0]!.sliceId)!;
    const shifted = new Uint8Array(worst.width * worst.height);
    const stored = (await readCurrentMask(db, worst.id, worst.width, worst.height)).data;
    for (let i = 0; i < stored.length; i++) if (stored[i] && (i % worst.width) + 3 < worst.width) shifted[i + 3] = 1;
    const answer = await masks.save({ sliceId: worst.id, width: worst.width, height: worst.height, data: shifted, operation: 'brush' });
    expect(answer.version).toMatchObject({ sliceId: worst.id, source: 'manual', operation: 'brush' });
    expect(answer.patient).toEqual({ id: patient.id, editedSlices: 1 });
    const entry = answer.ranking.slices.find((s) => s.sliceId === worst.id)!;
    expect(entry.disagreement).toBe(0);
    expect(entry.score).toBeLessThan(before.slices[0]!.score);
    expect(answer.ranking.slices[0]!.sliceId).not.toBe(worst.id);

    // From scratch (a new service, no cache): the same ranking, slice for slice.
    expect(await createReviewService(db).ranking(patient.id)).toEqual(answer.ranking);
    const reviews = [];
    for (const s of slices) {
      reviews.push(reviewSlice(s.id, (await readCurrentMask(db, s.id, s.width, s.height)).data, (await findPrediction(db, s.id, model.id))!.probabilities));
    }
    const byHand = rankSlices(reviews);
    expect(answer.ranking.slices).toEqual(byHand);
    await db.destroy();
  });
});
