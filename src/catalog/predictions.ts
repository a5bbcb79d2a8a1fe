import { deflateRawSync, inflateRawSync } from 'node:zlib';
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

/** Stores (or replaces: a model's prediction of a slice is deterministic) a slice's prediction by a model. */
export function savePrediction(db: CatalogDb, p: Omit<Prediction, 'createdAt'>, now = new Date()): void {
  if (p.probabilities.length !== p.width * p.height) throw new Error('prediction size does not match its map');
  db.prepare(
    `INSERT INTO predictions (slice_id, model_id, created_at, width, height, probabilities) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (slice_id, model_id) DO UPDATE SET created_at = excluded.created_at, width = excluded.width,
       height = excluded.height, probabilities = excluded.probabilities`,
  ).run(p.sliceId, p.modelId, now.toISOString(), p.width, p.height, deflateRawSync(p.probabilities));
}

export function findPrediction(db: CatalogDb, sliceId: number, modelId: number): Prediction | undefined {
  const row = db
    .prepare('SELECT slice_id, model_id, created_at, width, height, probabilities FROM predictions WHERE slice_id = ? AND model_id = ?')
    .get(sliceId, modelId) as
    | { slice_id: number; model_id: number; created_at: string; width: number; height: number; probabilities: Buffer }
    | undefined;
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
export function countPredictions(db: CatalogDb, patientId: number, modelId: number): number {
  return (
    db
      .prepare('SELECT COUNT(*) AS n FROM predictions p JOIN slices s ON s.id = p.slice_id WHERE s.patient_id = ? AND p.model_id = ?')
      .get(patientId, modelId) as { n: number }
  ).n;
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
export function listReviewInputs(db: CatalogDb, patientId: number, modelId: number): ReviewInputs[] {
  return db
    .prepare(
      `SELECT s.id AS sliceId, s.width AS width, s.height AS height,
              (SELECT MAX(id) FROM masks WHERE slice_id = s.id) AS maskVersionId, p.created_at AS predictedAt
         FROM slices s LEFT JOIN predictions p ON p.slice_id = s.id AND p.model_id = ?
        WHERE s.patient_id = ?
        ORDER BY s.number`,
    )
    .all(modelId, patientId) as ReviewInputs[];
}
