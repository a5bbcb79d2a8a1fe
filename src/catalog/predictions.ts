import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { currentVersionIdOf } from './current-version.js';
import type { CatalogDb } from './db.js';

/** A stored prediction: the foreground probability per pixel, 8-bit (0..255 ↔ 0..1), at the slice's resolution. */
export interface Prediction {
  sliceId: number;
  modelId: number;
  width: number;
  height: number;
  probabilities: Uint8Array;
  createdAt: string;
}

/** A stored prediction's lesion mask (0/1): probability ≥ 0.5, which is ≥ 128 in the 8-bit map. */
export function predictedMask(probabilities: Uint8Array): Uint8Array {
  return probabilities.map((p) => (p >= 128 ? 1 : 0));
}

/** Stores (or replaces: a model's prediction of a slice is deterministic) a slice's prediction by a model. */
export async function savePrediction(db: CatalogDb, p: Omit<Prediction, 'createdAt'>, now = new Date()): Promise<void> {
  if (p.probabilities.length !== p.width * p.height) throw new Error('prediction size does not match its map');
  await db
    .insertInto('predictions')
    .values({
      slice_id: p.sliceId,
      model_id: p.modelId,
      created_at: now.toISOString(),
      width: p.width,
      height: p.height,
      probabilities: deflateRawSync(p.probabilities),
    })
    .onConflict((oc) =>
      oc.columns(['slice_id', 'model_id']).doUpdateSet((eb) => ({
        created_at: eb.ref('excluded.created_at'),
        width: eb.ref('excluded.width'),
        height: eb.ref('excluded.height'),
        probabilities: eb.ref('excluded.probabilities'),
      })),
    )
    .execute();
}

export async function findPrediction(db: CatalogDb, sliceId: number, modelId: number): Promise<Prediction | undefined> {
  const row = await db
    .selectFrom('predictions')
    .select(['slice_id', 'model_id', 'created_at', 'width', 'height', 'probabilities'])
    .where('slice_id', '=', sliceId)
    .where('model_id', '=', modelId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    sliceId: row.slice_id,
    modelId: row.model_id,
    width: row.width,
    height: row.height,
    probabilities: new Uint8Array(inflateRawSync(row.probabilities)),
    createdAt: row.created_at,
  };
}

/** How many slices of a patient have a prediction by a model. */
export async function countPredictions(db: CatalogDb, patientId: number, modelId: number): Promise<number> {
  const row = await db
    .selectFrom('predictions as p')
    .innerJoin('slices as s', 's.id', 'p.slice_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('s.patient_id', '=', patientId)
    .where('p.model_id', '=', modelId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What a slice's review depends on: its current mask version and when the model predicted it (null: never). */
export interface ReviewInputs {
  sliceId: number;
  width: number;
  height: number;
  maskVersionId: number | null;
  predictedAt: string | null;
}

/** For each of a patient's slices, in order: the keys that change whenever its review by `modelId` would. */
export async function listReviewInputs(db: CatalogDb, patientId: number, modelId: number): Promise<ReviewInputs[]> {
  return db
    .selectFrom('slices as s')
    .leftJoin('predictions as p', (join) => join.onRef('p.slice_id', '=', 's.id').on('p.model_id', '=', modelId))
    .select((eb) => [
      's.id as sliceId',
      's.width as width',
      's.height as height',
      currentVersionIdOf(eb.ref('s.id')).as('maskVersionId'),
      'p.created_at as predictedAt',
    ])
    .where('s.patient_id', '=', patientId)
    .orderBy('s.number')
    .execute() as Promise<ReviewInputs[]>;
}
