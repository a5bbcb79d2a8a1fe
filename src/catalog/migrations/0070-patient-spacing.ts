import type { Migration } from './migration.js';

/**
 * A patient's voxel size, entered by the radiologist: the LGG TIFFs carry no spacing, so lesion areas and volumes
 * are in pixels until someone says what a pixel and a slice measure.
 */
export const patientSpacing: Migration = {
  version: 70,
  name: 'patient-spacing',
  up: `
    CREATE TABLE patient_spacing (
      patient_id INTEGER PRIMARY KEY REFERENCES patients(id),
      pixel_mm   REAL NOT NULL CHECK (pixel_mm > 0 AND pixel_mm < 100),
      slice_mm   REAL NOT NULL CHECK (slice_mm > 0 AND slice_mm < 100)
    ) STRICT;
  `,
};
