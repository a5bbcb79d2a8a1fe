// Lesion size in the units radiologists use: mm² and mm³ (mL) once a patient's spacing is known, pixels before.
import type { PatientSummary } from '../../../src/contract/index.js';

type Spacing = PatientSummary['spacing'];

export function formatArea(pixels: number, spacing: Spacing): string {
  return spacing ? `area ${(pixels * spacing.pixelMm ** 2).toFixed(1)} mm² (${pixels} px)` : `area ${pixels} px`;
}

export function formatVolume(voxels: number, spacing: Spacing): string {
  if (!spacing) return `${voxels} voxels`;
  const mm3 = voxels * spacing.pixelMm ** 2 * spacing.sliceMm;
  return `${(mm3 / 1000).toFixed(2)} mL (${voxels} voxels)`;
}
