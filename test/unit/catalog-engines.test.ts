import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, NewerCatalogError, openCatalog, schemaVersion, type CatalogDb } from '../../src/catalog/db.js';
import { currentMaskPixels, currentMaskVersion, editedSliceIds, listMaskVersions, readCurrentMask, readMaskBitmap, saveMaskVersion } from '../../src/catalog/masks.js';
import { activeModelId, countModels, findModel, insertModel, listModels, modelMaskIds, setActiveModel } from '../../src/catalog/models.js';
import { countSplits, findPatientByCaseId, insertPatient, listPatients, setPatientSpacing, summarizePatients } from '../../src/catalog/patients.js';
import { countPredictions, findPrediction, listReviewInputs, savePrediction } from '../../src/catalog/predictions.js';
import { findSlice, insertSlice, listSlices, listSlicesWithCurrentMask } from '../../src/catalog/slices.js';
import type { CatalogChange } from '../../src/contract/index.js';
import { watchCatalog } from '../../src/catalog/catalog-feed.js';
import { importPath } from '../../src/importer/import.js';
import { approveCurrentVersion, currentApprovals } from '../../src/catalog/reviews.js';
import { currentValidationSet, findModelScore, saveModelScore } from '../../src/catalog/model-scores.js';
import { CATALOG_ENGINES, openNewCatalog } from '../helpers/catalog-engines.js';
import { samplePatientFolder } from '../helpers/sample-data.js';

// The catalog's tests, run against each engine: the embedded SQLite file (one radiologist) and PostgreSQL (a team).
// Every query is written once, so both must answer the same — these tests are where a dialect difference shows.

const mask = (width: number, height: number, on: number[]) => {
  const data = new Uint8Array(width * height);
  for (const i of on) data[i] = 1;
  return { width, height, data };
};

async function seedPatient(db: CatalogDb, caseId = 'TCGA_CS_0001_20000101', split: 'train' | 'validation' = 'train') {
  const patient = await insertPatient(db, { caseId, institution: 'CS', sourceFolder: '/x', clinical: { Patient: caseId.slice(0, 12) }, split });
  const slices = [];
  for (const number of [1, 2, 3]) {
    slices.push(await insertSlice(db, {
      patientId: patient.id, number, imagePath: `/x/${caseId}_${number}.tif`, contentHash: `h${number}`, width: 4, height: 2, channels: 3, hasLesion: false,
    }));
  }
  return { patient, slices };
}

it('says which PostgreSQL catalog it could not open, and why, without its password', async () => {
  await expect(openCatalog('postgres://ana:secret@127.0.0.1:1/lgg')).rejects.toThrow(
    /^cannot open the catalog at postgres:\/\/ana:\*\*\*@127\.0\.0\.1:1\/lgg: .*ECONNREFUSED/,
  );
});

for (const engine of CATALOG_ENGINES) {
  describe.skipIf(!engine.available)(`catalog on ${engine.name}`, () => {
    it('is created at the latest schema version, and reopening applies nothing twice', async () => {
      const { db, location } = await openNewCatalog(engine);
      expect(await schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      await seedPatient(db);
      await db.destroy();
      const again = await openCatalog(location);
      expect((await listPatients(again)).map((p) => p.caseId)).toEqual(['TCGA_CS_0001_20000101']);
      await again.destroy();
    });

    it('refuses a catalog written by a newer BrainSeg', async () => {
      const { db, location } = await openNewCatalog(engine);
      if (engine.name === 'SQLite') await sql.raw('PRAGMA user_version = 9990').execute(db);
      else await sql`UPDATE brainseg_schema SET version = 9990`.execute(db);
      await db.destroy();
      await expect(openCatalog(location)).rejects.toThrow(NewerCatalogError);
      await expect(openCatalog(location)).rejects.toThrow(new RegExp(`schema version 9990.*up to ${LATEST_SCHEMA_VERSION}`));
    });

    it('keeps mask versions append-only, a patient in its first split, and refuses rows that break the schema', async () => {
      const { db } = await openNewCatalog(engine);
      const { slices } = await seedPatient(db);
      const version = await saveMaskVersion(db, slices[0]!.id, mask(4, 2, [1, 2]), 'manual', { operation: 'brush' });
      await expect(sql`UPDATE masks SET pixels = 0 WHERE id = ${version.id}`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM masks WHERE id = ${version.id}`.execute(db)).rejects.toThrow(/append-only/);
      expect((await currentMaskVersion(db, slices[0]!.id))?.pixels).toBe(2);
      await expect(sql`UPDATE patients SET split = 'validation'`.execute(db)).rejects.toThrow(/keeps the split/);
      const insert = (sliceId: number, source: string) =>
        sql`INSERT INTO masks (slice_id, parent_id, source, created_at, pixels, bitmap) VALUES (${sliceId}, NULL, ${source}, 'now', 0, ${Buffer.alloc(1)})`.execute(db);
      await expect(insert(slices[0]!.id, 'guess')).rejects.toThrow(/check/i);
      await expect(insert(9999, 'manual')).rejects.toThrow(/foreign key/i);
      await db.destroy();
    });

    it('stores patients, slices and mask history, and answers the summaries the UI lists', async () => {
      const { db } = await openNewCatalog(engine);
      const { patient, slices } = await seedPatient(db);
      await seedPatient(db, 'TCGA_HT_0002_20000101', 'validation');
      expect(await findPatientByCaseId(db, 'TCGA_CS_0001_20000101')).toMatchObject({ id: patient.id, clinical: { Patient: 'TCGA_CS_0001' }, split: 'train' });
      expect(await findPatientByCaseId(db, 'nobody')).toBeUndefined();
      expect(await countSplits(db)).toEqual({ train: 1, validation: 1 });
      expect((await listSlices(db, patient.id)).map((s) => s.number)).toEqual([1, 2, 3]);
      expect(await findSlice(db, patient.id, 2)).toMatchObject({ id: slices[1]!.id, contentHash: 'h2', hasLesion: false });

      const [first, second] = slices as [typeof slices[0], typeof slices[0]];
      const imported = await saveMaskVersion(db, first.id, mask(4, 2, [0]), 'imported', { operation: 'import', author: 'dataset' });
      const edit = await saveMaskVersion(db, first.id, mask(4, 2, [0, 1, 5]), 'manual', { operation: 'brush', author: 'ana' });
      const cleared = await saveMaskVersion(db, second.id, mask(4, 2, []), 'manual', { operation: 'erase', author: 'ben' });
      expect(edit).toMatchObject({ sliceId: first.id, parentId: imported.id, source: 'manual', operation: 'brush', author: 'ana', pixels: 3 });
      expect((await listMaskVersions(db, first.id)).map((v) => v.id)).toEqual([edit.id, imported.id]);
      expect((await readMaskBitmap(db, imported.id)).data).toEqual(mask(4, 2, [0]).data);
      expect((await readCurrentMask(db, first.id, 4, 2)).data).toEqual(mask(4, 2, [0, 1, 5]).data);
      expect((await readCurrentMask(db, slices[2]!.id, 4, 2)).data).toEqual(new Uint8Array(8));
      expect([...(await editedSliceIds(db, patient.id))].sort()).toEqual([first.id, second.id].sort());
      expect(Object.fromEntries(await currentMaskPixels(db, patient.id))).toEqual({ [first.id]: 3, [second.id]: 0 });
      expect((await listSlices(db, patient.id)).map((s) => s.hasLesion)).toEqual([true, false, false]);
      const withMasks = await listSlicesWithCurrentMask(db, patient.id);
      expect(withMasks.map((s) => [s.maskId, s.maskSource])).toEqual([[edit.id, 'manual'], [cleared.id, 'manual'], [null, null]]);

      await setPatientSpacing(db, patient.id, { pixelMm: 0.5, sliceMm: 3 });
      await setPatientSpacing(db, patient.id, { pixelMm: 0.9375, sliceMm: 2.5 }); // a second entry replaces the first
      expect(await summarizePatients(db)).toEqual([
        { id: patient.id, caseId: 'TCGA_CS_0001_20000101', split: 'train', slices: 3, lesionSlices: 1, editedSlices: 2, approvedSlices: 0, spacing: { pixelMm: 0.9375, sliceMm: 2.5 }, scan: null },
        { id: expect.any(Number), caseId: 'TCGA_HT_0002_20000101', split: 'validation', slices: 3, lesionSlices: 0, editedSlices: 0, approvedSlices: 0, spacing: null, scan: null },
      ]);
      await db.destroy();
    });

    it("records a second reader's approval of the current version only, and never of their own", async () => {
      const { db } = await openNewCatalog(engine);
      const { patient, slices } = await seedPatient(db);
      const [first, second] = slices as [typeof slices[0], typeof slices[0]];
      await expect(approveCurrentVersion(db, first.id)).rejects.toThrow(/no mask to approve/);
      const anas = await saveMaskVersion(db, first.id, mask(4, 2, [1]), 'manual', { operation: 'brush', author: 'ana' });
      const approval = await approveCurrentVersion(db, first.id);
      expect(approval).toEqual({ versionId: anas.id, reviewer: expect.any(String), at: expect.any(String) });
      expect(approval.reviewer).not.toBe('ana');
      expect((await currentApprovals(db, patient.id)).get(first.id)).toEqual(approval);
      expect((await summarizePatients(db))[0]!.approvedSlices).toBe(1);
      // This connection's own version (its role, or its OS user) is not for it to approve.
      await saveMaskVersion(db, second.id, mask(4, 2, [2]), 'manual', { operation: 'brush' });
      await expect(approveCurrentVersion(db, second.id)).rejects.toThrow(/second reader/);
      // An edit after the approval is not approved: the approval holds for the version it was given to.
      await saveMaskVersion(db, first.id, mask(4, 2, [1, 2]), 'manual', { operation: 'brush', author: 'ana' });
      expect((await currentApprovals(db, patient.id)).has(first.id)).toBe(false);
      expect((await summarizePatients(db))[0]!.approvedSlices).toBe(0);
      await expect(sql`DELETE FROM slice_reviews`.execute(db)).rejects.toThrow(/append-only/);
      await db.destroy();
    });

    it('registers model versions with what they saw, activates and rolls back, and stores predictions', async () => {
      const { db } = await openNewCatalog(engine);
      const { patient, slices } = await seedPatient(db);
      const maskIds = [];
      for (const slice of slices) maskIds.push((await saveMaskVersion(db, slice.id, mask(4, 2, [slice.number]), 'imported', { operation: 'import' })).id);
      expect(await activeModelId(db)).toBeNull();
      const base = { preset: 'tiny', config: { preset: 'tiny' }, metrics: { bestEpoch: 1 }, backend: 'wasm', status: 'accepted' as const };
      const first = await insertModel(db, { ...base, parentId: null, valDice: 0.8125, file: 'a.bsm', maskIds }, true);
      const second = await insertModel(db, { ...base, parentId: first.id, valDice: 0.5, file: 'b.bsm', maskIds: maskIds.slice(0, 1), status: 'rejected' }, false);
      expect(await countModels(db)).toBe(2);
      expect((await listModels(db)).map((m) => [m.id, m.active, m.status])).toEqual([[second.id, false, 'rejected'], [first.id, true, 'accepted']]);
      expect(await findModel(db, first.id)).toMatchObject({ valDice: 0.8125, config: { preset: 'tiny' }, origin: 'trained', card: null });
      expect([...(await modelMaskIds(db, first.id))].sort()).toEqual([...maskIds].sort());
      await setActiveModel(db, second.id);
      expect(await activeModelId(db)).toBe(second.id);
      await expect(setActiveModel(db, 999)).rejects.toThrow(/no model 999/);

      const probabilities = Uint8Array.from([0, 255, 128, 3, 4, 5, 6, 7]);
      await savePrediction(db, { sliceId: slices[0]!.id, modelId: first.id, width: 4, height: 2, probabilities: new Uint8Array(8) });
      await savePrediction(db, { sliceId: slices[0]!.id, modelId: first.id, width: 4, height: 2, probabilities }); // replaces it
      expect((await findPrediction(db, slices[0]!.id, first.id))?.probabilities).toEqual(probabilities);
      expect(await findPrediction(db, slices[1]!.id, first.id)).toBeUndefined();
      expect(await countPredictions(db, patient.id, first.id)).toBe(1);
      const inputs = await listReviewInputs(db, patient.id, first.id);
      expect(inputs.map((i) => [i.sliceId, i.maskVersionId, i.predictedAt !== null])).toEqual([
        [slices[0]!.id, maskIds[0], true], [slices[1]!.id, maskIds[1], false], [slices[2]!.id, maskIds[2], false],
      ]);
      await db.destroy();
    });

    it("tells a process what another one changed: others' saves, new patients, models — not imported masks", async () => {
      const { db: watched, location } = await openNewCatalog(engine);
      const other = await openCatalog(location); // another workstation's (or process's) connection
      const changes: CatalogChange[] = [];
      const feed = await watchCatalog(watched, location, (change) => changes.push(change));
      try {
        const { patient, slices } = await seedPatient(other);
        await saveMaskVersion(other, slices[0]!.id, mask(4, 2, [3]), 'imported', { operation: 'import' });
        const edit = await saveMaskVersion(other, slices[0]!.id, mask(4, 2, [3, 4]), 'manual', { operation: 'brush', author: 'ana' });
        await expect.poll(() => changes.find((c) => c.kind === 'mask'), { timeout: 5_000 }).toEqual({
          kind: 'mask', versionId: edit.id, sliceId: slices[0]!.id, patientId: patient.id, author: 'ana', source: 'manual',
        });
        expect(changes.filter((c) => c.kind === 'mask')).toHaveLength(1); // the imported version is not announced
        expect(changes).toContainEqual({ kind: 'patients' });
        await insertModel(other, { parentId: null, preset: 'tiny', config: {}, metrics: {}, valDice: null, backend: 'wasm', file: 'm.bsm', status: 'accepted', maskIds: [] }, true);
        await expect.poll(() => changes.some((c) => c.kind === 'models'), { timeout: 5_000 }).toBe(true);
      } finally {
        await feed.close();
        await other.destroy();
        await watched.destroy();
      }
    });

    it('names the validation set by its masks and keeps one score per model and set', async () => {
      const { db } = await openNewCatalog(engine);
      await seedPatient(db, 'TCGA_CS_0001_20000101', 'train');
      const empty = await currentValidationSet(db);
      expect(empty.patients).toEqual([]);
      const { patient, slices } = await seedPatient(db, 'TCGA_CS_0002_20000101', 'validation');
      expect((await currentValidationSet(db)).patients).toEqual([]); // no mask yet: nothing to score against
      await saveMaskVersion(db, slices[0]!.id, mask(4, 2, [1]), 'imported', { operation: 'import' });
      const set = await currentValidationSet(db);
      expect(set.patients).toEqual([{ id: patient.id, caseId: 'TCGA_CS_0002_20000101' }]);
      expect((await currentValidationSet(db)).key).toBe(set.key);
      const model = await insertModel(db, { parentId: null, preset: 'tiny', config: {}, metrics: {}, valDice: 0.5, backend: 'wasm', file: 'm.bsm', status: 'accepted', maskIds: [] }, true);
      const patients = [{ caseId: 'TCGA_CS_0002_20000101', dice: 0.75 }];
      await saveModelScore(db, set.key, { modelId: model.id, dice: 0.75, patients });
      await saveModelScore(db, set.key, { modelId: model.id, dice: 0.75, patients }); // a second host's: dropped
      expect(await findModelScore(db, model.id, set.key)).toMatchObject({ modelId: model.id, dice: 0.75, patients });
      // An edit of a validation mask names a new set; the old score stays, true of the old one.
      await saveMaskVersion(db, slices[1]!.id, mask(4, 2, [2]), 'manual', { operation: 'brush' });
      const edited = await currentValidationSet(db);
      expect(edited.key).not.toBe(set.key);
      expect(await findModelScore(db, model.id, edited.key)).toBeUndefined();
      expect(await findModelScore(db, model.id, set.key)).toBeDefined();
      await db.destroy();
    });

    it('imports a real patient to the same catalog contents', async () => {
      const { db } = await openNewCatalog(engine);
      const folder = samplePatientFolder('TCGA_CS_6665_20010817');
      const images = readdirSync(folder).filter((f) => /_\d+\.tif$/.test(f)).length;
      const report = await importPath(db, folder);
      expect(report).toMatchObject({ patients: 1, slices: images, masks: images, skipped: [] });
      const [summary] = await summarizePatients(db);
      expect(summary).toMatchObject({ caseId: 'TCGA_CS_6665_20010817', slices: images, editedSlices: 0 });
      expect(summary!.lesionSlices).toBe(report.lesionSlices);
      expect(report.lesionSlices).toBeGreaterThan(0);
      // Importing again adds nothing: every slice is recognised by its content hash.
      expect(await importPath(db, folder)).toMatchObject({ patients: 0, slices: 0, unchanged: images });
      await db.destroy();
    });
  });
}
