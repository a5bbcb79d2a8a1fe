import type { Generated } from 'kysely';

// The catalog's tables as the query layer sees them: snake_case columns, the same on SQLite and PostgreSQL.
// Repositories map rows to the domain types in ./types.ts so the rest of the code never sees SQL shapes.
// Integers are 0/1 flags rather than booleans and times are ISO-8601 text, so both engines store the same values.

export interface PatientsTable {
  id: Generated<number>;
  case_id: string;
  institution: string;
  source_folder: string;
  clinical_json: string | null;
  split: 'train' | 'validation';
  created_at: string;
}

export interface SlicesTable {
  id: Generated<number>;
  patient_id: number;
  number: number;
  image_path: string;
  content_hash: string;
  width: number;
  height: number;
  channels: number;
  has_lesion: 0 | 1;
}

export interface MasksTable {
  id: Generated<number>;
  slice_id: number;
  parent_id: number | null;
  source: string;
  created_at: string;
  pixels: number;
  bitmap: Buffer;
  operation: string | null;
  clicks_json: string | null;
  box_json: string | null;
  author: string | null;
}

export interface ModelsTable {
  id: Generated<number>;
  parent_id: number | null;
  preset: string;
  config_json: string;
  metrics_json: string;
  val_dice: number | null;
  backend: string;
  file: string;
  status: 'accepted' | 'rejected';
  created_at: string;
  origin: Generated<'trained' | 'bundled'>;
  card_json: string | null;
}

export interface ModelMasksTable {
  model_id: number;
  mask_id: number;
}

export interface ActiveModelTable {
  singleton: number;
  model_id: number;
}

export interface PredictionsTable {
  id: Generated<number>;
  slice_id: number;
  model_id: number;
  created_at: string;
  width: number;
  height: number;
  probabilities: Buffer;
}

export interface PatientSpacingTable {
  patient_id: number;
  pixel_mm: number;
  slice_mm: number;
}

/** Team catalogs (PostgreSQL) only: slice images by content hash. */
export interface ImagesTable {
  content_hash: string;
  bytes: Buffer;
}

/** Team catalogs (PostgreSQL) only: each model version's weights. */
export interface ModelFilesTable {
  model_id: number;
  bytes: Buffer;
}

export interface SliceReviewsTable {
  id: Generated<number>;
  slice_id: number;
  mask_id: number;
  reviewer: string;
  created_at: string;
}

/** A volume-imported patient's geometry and intensity map (see catalog/patient-volumes.ts). */
export interface PatientVolumesTable {
  patient_id: number;
  format: 'nifti' | 'dicom';
  geometry_json: string;
  created_at: string;
}

/** A model's cached score on one validation set (see migration 0130). */
export interface ModelScoresTable {
  model_id: number;
  validation_key: string;
  dice: number;
  patients_json: string;
  created_at: string;
}

/** Every table of the catalog. */
export interface CatalogSchema {
  patients: PatientsTable;
  slices: SlicesTable;
  masks: MasksTable;
  models: ModelsTable;
  model_masks: ModelMasksTable;
  active_model: ActiveModelTable;
  predictions: PredictionsTable;
  patient_spacing: PatientSpacingTable;
  slice_reviews: SliceReviewsTable;
  patient_volumes: PatientVolumesTable;
  model_scores: ModelScoresTable;
  images: ImagesTable;
  model_files: ModelFilesTable;
}
