import { createHash } from 'node:crypto';
import { currentVersionIdOf } from './current-version.js';
import type { CatalogDb } from './db.js';

/** A validation patient's part in a model's score: its per-volume Dice. */
export interface PatientDice {
  caseId: string;
  dice: number;
}

/** A model's score on a validation set: the mean of its patients' per-volume Dice. */
export interface ModelScore {
  modelId: number;
  dice: number;
  patients: PatientDice[];
  createdAt: string;
}

/** The validation patients that have a mask on some slice, and a key naming their slices' current mask versions. */
export interface ValidationSet {
  key: string;
  patients: { id: number; caseId: string }[];
}

/**
 * The catalog's validation set as it is now. The key hashes every validation slice with its current mask version
 * (none: no mask), so it changes with any edit there, with a patient added to or moved out of validation.
 */
export async function currentValidationSet(db: CatalogDb): Promise<ValidationSet> {
  const rows = await db
    .selectFrom('slices as s')
    .innerJoin('patients as p', 'p.id', 's.patient_id')
    .select((eb) => ['p.id as patientId', 'p.case_id as caseId', 's.id as sliceId', currentVersionIdOf(eb.ref('s.id')).as('maskId')])
    .where('p.split', '=', 'validation')
    .orderBy('p.id')
    .orderBy('s.id')
    .execute();
  const hash = createHash('sha256');
  const patients = new Map<number, string>();
  for (const row of rows) {
    hash.update(`${row.sliceId}:${row.maskId ?? '-'};`);
    // A patient without any mask (a scan imported alone) has nothing to be scored against.
    if (row.maskId !== null) patients.set(row.patientId, row.caseId);
  }
  return { key: hash.digest('hex'), patients: [...patients].map(([id, caseId]) => ({ id, caseId })) };
}

export async function findModelScore(db: CatalogDb, modelId: number, validationKey: string): Promise<ModelScore | undefined> {
  const row = await db
    .selectFrom('model_scores')
    .selectAll()
    .where('model_id', '=', modelId)
    .where('validation_key', '=', validationKey)
    .executeTakeFirst();
  return row && { modelId: row.model_id, dice: row.dice, patients: JSON.parse(row.patients_json) as PatientDice[], createdAt: row.created_at };
}

/** Keeps a score; a second one for the same model and set (two hosts scoring at once) is the same and is dropped. */
export async function saveModelScore(db: CatalogDb, validationKey: string, score: Omit<ModelScore, 'createdAt'>, now = new Date()): Promise<void> {
  await db
    .insertInto('model_scores')
    .values({
      model_id: score.modelId, validation_key: validationKey, dice: score.dice,
      patients_json: JSON.stringify(score.patients), created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['model_id', 'validation_key']).doNothing())
    .execute();
}
