// Masks (or the active model's predictions) out as label volumes another tool opens aligned over the original:
// NIfTI on the source grid with the source's header, and DICOM-SEG referencing the source series. The catalog's
// axial slices go back to the acquisition grid exactly (reslicing is a permutation, see imaging/volume/reslice.ts).
import type { ExportReport } from '../../contract/index.js';
import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogDb } from '../../catalog/db.js';
import { activeModelId } from '../../catalog/models.js';
import { findPatientGeometry, listPatientGeometries, type PatientGeometry, type SourceVolumeRecord } from '../../catalog/patient-volumes.js';
import { findPatientByCaseId, listPatients, patientSpacingOf } from '../../catalog/patients.js';
import type { Patient } from '../../catalog/types.js';
import type { NiftiOrigin } from '../../imaging/volume/origin.js';
import { toSourceGrid } from '../../imaging/volume/reslice.js';
import { appVersion } from '../../util/app-version.js';
import { writeFileAtomically } from '../../util/atomic-file.js';
import { fileSafeName } from '../../util/file-safe-name.js';
import { sameGrid } from '../../imaging/volume/resample.js';
import { encodeDicomSeg } from '../formats/dicom-seg/encode.js';
import { writeNiftiLabel } from '../formats/nifti/write-nifti-label.js';
import { nifti1Header } from './nifti1-header.js';
import { patientLabels, type PatientLabels } from './patient-labels.js';

export type VolumeExportFormat = 'nifti' | 'dicom-seg';

export interface VolumeExportOptions {
  caseId?: string;
  /** Write the active model's predictions instead of the masks. */
  predictions?: boolean;
  /** Who is exporting (DICOM-SEG's ContentCreatorName). */
  author?: string;
}

/** Writes one file per patient into `dir`: `<case>_seg.nii.gz` / `<case>_seg.dcm` (`_prediction` with predictions). */
export async function exportVolumes(db: CatalogDb, dir: string, format: VolumeExportFormat, options: VolumeExportOptions = {}): Promise<ExportReport> {
  const patients = options.caseId ? [await requirePatient(db, options.caseId)] : await listPatients(db);
  const report: ExportReport = { patients: 0, slices: 0, masks: 0, skipped: [], folder: path.resolve(dir), files: [] };
  await mkdir(report.folder, { recursive: true });
  const modelId = options.predictions ? await activeModelId(db) : null;
  if (options.predictions && modelId === null) throw new Error('there is no active model whose predictions could be exported');
  const sources = sourceFiles(await listPatientGeometries(db));
  for (const patient of patients) {
    const file = path.join(report.folder, `${fileSafeName(patient.caseId)}_${options.predictions ? 'prediction' : 'seg'}${format === 'nifti' ? '.nii.gz' : '.dcm'}`);
    try {
      if (sources.has(resolvedPath(file))) throw new Error(`${file} is a file this patient was imported from: export never overwrites a source`);
      const labels = await patientLabels(db, patient, modelId);
      const geometry = await findPatientGeometry(db, patient.id);
      if (format === 'nifti') await writeNifti(db, patient, geometry, labels, file);
      else await writeFileAtomically(file, dicomSeg(patient, geometry, labels, modelId, options.author));
      report.patients++;
      report.slices += labels.slices.length;
      report.masks += labels.slices.filter((s) => s.includes(1)).length;
      report.files.push(file);
    } catch (error) {
      report.skipped.push({ file: patient.caseId, reason: `not exported: ${(error as Error).message}` });
    }
  }
  return report;
}

/** The labels on the FLAIR's own grid, voxel for voxel, with the source record they belong to. */
function onSourceGrid(geometry: PatientGeometry, labels: PatientLabels): { flair: SourceVolumeRecord; voxels: Uint8Array } {
  const flair = geometry.sources.find((s) => s.role === 'flair');
  if (!flair) throw new Error('its FLAIR source is not recorded');
  const [nx, ny, nz] = geometry.grid.dims;
  const padding = geometry.padding ?? { left: 0, top: 0, width: nx, height: ny, size: nx };
  const stored = geometry.padding ? [padding.size, padding.size] : [nx, ny];
  if (labels.slices.length !== nz || labels.width !== stored[0] || labels.height !== stored[1]) {
    throw new Error(`its slices (${labels.width}×${labels.height}×${labels.slices.length}) do not match its grid (${stored.join('×')}×${nz})`);
  }
  // The stored slices are the grid centred on a square (see importer/volumes/volume-slices.ts): crop it back out.
  const cropped = labels.slices.map((slice) => {
    if (!geometry.padding) return slice;
    const out = new Uint8Array(nx * ny);
    for (let y = 0; y < ny; y++) out.set(slice.subarray((y + padding.top) * padding.size + padding.left, (y + padding.top) * padding.size + padding.left + nx), y * nx);
    return out;
  });
  return { flair, voxels: toSourceGrid(geometry.grid, cropped) };
}

async function writeNifti(db: CatalogDb, patient: Patient, geometry: PatientGeometry | undefined, labels: PatientLabels, file: string): Promise<void> {
  if (!geometry) {
    // An LGG patient: its slices are the grid (columns toward the left, rows toward posterior), spaced as entered.
    const spacing = await patientSpacingOf(db, patient.id);
    const [dx, dz] = spacing ? [spacing.pixelMm, spacing.sliceMm] : [1, 1];
    const dims: [number, number, number] = [labels.width, labels.height, labels.slices.length];
    const affine = [dx, 0, 0, 0, 0, dx, 0, 0, 0, 0, dz, 0, 0, 0, 0, 1];
    const voxels = new Uint8Array(dims[0] * dims[1] * dims[2]);
    labels.slices.forEach((s, z) => voxels.set(s, z * dims[0] * dims[1]));
    await writeNiftiLabel(headerOrigin(dims, affine, patient.caseId), voxels, file, { overwrite: true });
    return;
  }
  const { flair, voxels } = onSourceGrid(geometry, labels);
  // The imported label file's own header where it shares the FLAIR's grid (the usual case), so a label imported
  // and exported unchanged comes back with the same dims, sform and qform; else the FLAIR's.
  const label = geometry.sources.find((s) => s.role === 'label');
  const template = [label, flair].find((s): s is SourceVolumeRecord => s?.origin.format === 'nifti' && sameGrid(s, flair));
  const origin = template ? (template.origin as NiftiOrigin) : headerOrigin(flair.dims, flair.affine, patient.caseId);
  await writeNiftiLabel(origin, voxels, file, { overwrite: true });
}

/** A NIfTI origin made up for a grid with no NIfTI file behind it. */
function headerOrigin(dims: readonly [number, number, number], affine: readonly number[], caseId: string): NiftiOrigin {
  return { format: 'nifti', file: '', header: Buffer.from(nifti1Header(dims, affine, `BrainSeg labels ${caseId}`)).toString('base64'), volumeIndex: 0 };
}

function dicomSeg(patient: Patient, geometry: PatientGeometry | undefined, labels: PatientLabels, modelId: number | null, author?: string): Uint8Array {
  const flairSource = geometry?.sources.find((s) => s.role === 'flair');
  if (!geometry || flairSource?.origin.format !== 'dicom') {
    throw new Error(`DICOM-SEG references the DICOM series it was drawn on, and ${patient.caseId} was not imported from DICOM: export it as NIfTI`);
  }
  const { flair, voxels } = onSourceGrid(geometry, labels);
  if (flair.origin.format !== 'dicom') throw new Error('unreachable');
  return encodeDicomSeg({
    origin: flair.origin,
    geometry: { dims: flair.dims, affine: flair.affine },
    mask: voxels,
    algorithmType: labels.algorithmType,
    algorithmName: labels.algorithmType === 'MANUAL' ? undefined : modelId !== null ? `BrainSeg U-Net model ${modelId}` : 'BrainSeg Studio',
    contentCreatorName: author,
    seriesDescription: modelId !== null ? `FLAIR abnormality (model ${modelId})` : 'FLAIR abnormality',
    softwareVersion: `BrainSeg Studio ${appVersion()}`,
    deviceSerialNumber: hostname().slice(0, 64) || 'BrainSeg Studio',
  });
}

function sourceFiles(geometries: Map<number, PatientGeometry>): Set<string> {
  const files = new Set<string>();
  for (const g of geometries.values()) for (const s of g.sources) if (s.origin.format === 'nifti') files.add(resolvedPath(s.origin.file));
  return files;
}

function resolvedPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

async function requirePatient(db: CatalogDb, caseId: string): Promise<Patient> {
  const patient = await findPatientByCaseId(db, caseId);
  if (!patient) throw new Error(`no patient ${caseId} in the catalog`);
  return patient;
}
