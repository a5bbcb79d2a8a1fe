import type { PatientScanInfo } from '../contract/index.js';
import type { IntensityWindow } from '../imaging/volume/intensity.js';
import type { VolumeOrigin } from '../imaging/volume/origin.js';
import { edgeLetters, type AxialGrid } from '../imaging/volume/reslice.js';
import type { CatalogDb } from './db.js';

/** The sequences the model's three channels are made of, in the LGG order. */
export const MODEL_CHANNELS = ['t1', 'flair', 't1c'] as const;
export type ModelChannel = (typeof MODEL_CHANNELS)[number];

/** One of a patient's source volumes: its own grid and where it came from. */
export interface SourceVolumeRecord {
  role: 'flair' | 't1' | 't1c' | 't2' | 'label';
  /** The file name or series description the user knows it by. */
  label: string;
  dims: [number, number, number];
  /** Voxel → LPS mm. */
  affine: number[];
  origin: VolumeOrigin;
}

/** What a model channel holds: its own sequence, or FLAIR copied in where the sequence is missing. */
export interface ChannelRecord {
  channel: ModelChannel;
  from: ModelChannel;
  /** Source values drawn as 0 and 255 in this channel's 8-bit image. */
  window: IntensityWindow;
}

/** Where the axial grid sits in the square slices the catalog stores (the model reads square inputs). */
export interface SlicePadding {
  left: number;
  top: number;
  /** The axial grid's own size, inside the square. */
  width: number;
  height: number;
  size: number;
}

/** A volume-imported patient's geometry and intensity map, as stored. */
export interface PatientGeometry {
  format: 'nifti' | 'dicom';
  /** The axial grid the catalog's slices are on (slice number n is z = n − 1), laid out from the FLAIR. */
  grid: AxialGrid;
  /** Null when the grid is square; else where it sits in the stored square slices. */
  padding?: SlicePadding | null;
  channels: ChannelRecord[];
  sources: SourceVolumeRecord[];
  /** Label values counted as lesion (null: any non-zero value). */
  lesionLabels: number[] | null;
  /** Things the user was told at import (a missing sequence filled, a gap between slices). */
  warnings: string[];
}

export async function insertPatientGeometry(db: CatalogDb, patientId: number, geometry: PatientGeometry, now = new Date()): Promise<void> {
  await db
    .insertInto('patient_volumes')
    .values({ patient_id: patientId, format: geometry.format, geometry_json: JSON.stringify(geometry), created_at: now.toISOString() })
    .execute();
}

/** A patient's geometry, or undefined for a patient imported from the LGG slices (no geometry there). */
export async function findPatientGeometry(db: CatalogDb, patientId: number): Promise<PatientGeometry | undefined> {
  const row = await db.selectFrom('patient_volumes').select('geometry_json').where('patient_id', '=', patientId).executeTakeFirst();
  return row ? (JSON.parse(row.geometry_json) as PatientGeometry) : undefined;
}

/** Every volume-imported patient's geometry, by patient id (for the patient list). */
export async function listPatientGeometries(db: CatalogDb): Promise<Map<number, PatientGeometry>> {
  const rows = await db.selectFrom('patient_volumes').select(['patient_id', 'geometry_json']).execute();
  return new Map(rows.map((row) => [row.patient_id, JSON.parse(row.geometry_json) as PatientGeometry]));
}

/** What the viewer needs of a patient's geometry: edge letters, channel units, warnings. */
export function scanInfoOf(geometry: PatientGeometry | undefined): PatientScanInfo | null {
  if (!geometry) return null;
  return {
    format: geometry.format,
    edges: edgeLetters(geometry.grid.affine),
    channels: geometry.channels.map((c) => ({ channel: c.channel, from: c.from, low: c.window.low, high: c.window.high })),
    warnings: geometry.warnings,
  };
}
