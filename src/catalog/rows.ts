// Row types mirror the schema exactly (snake_case, SQLite storage classes); repositories map them to the
// domain types in ./types.ts so the rest of the code never sees SQL shapes.

/** A row of `patients`. */
export interface DbPatient {
  id: number;
  case_id: string;
  institution: string;
  source_folder: string;
  clinical_json: string | null;
  split: 'train' | 'validation';
  created_at: string;
}

/** A row of `slices`. */
export interface DbSlice {
  id: number;
  patient_id: number;
  number: number;
  image_path: string;
  content_hash: string;
  width: number;
  height: number;
  channels: number;
  has_lesion: 0 | 1;
}

/** A row of `masks`. */
export interface DbMaskVersion {
  id: number;
  slice_id: number;
  parent_id: number | null;
  source: string;
  created_at: string;
  pixels: number;
  bitmap: Buffer;
  operation: string | null;
  author: string | null;
}
