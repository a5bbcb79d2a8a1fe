import { readFile } from 'node:fs/promises';
import type { CatalogDb } from '../catalog/db.js';
import { currentMaskPixels, editedSliceIds } from '../catalog/masks.js';
import { findPatient, setPatientSpacing, summarizePatients } from '../catalog/patients.js';
import { currentApprovals } from '../catalog/reviews.js';
import { findSliceById, listSlices } from '../catalog/slices.js';
import { localImageFile } from '../catalog/stored-files.js';
import type { Slice } from '../catalog/types.js';
import { imageCacheDir, type HomePaths } from '../home.js';
import { ContractError, type PatientSummary, type SliceImage, type SliceListing, type SliceThumbnail } from '../contract/index.js';
import { decodeImage } from '../imaging/decode.js';
import { makeThumbnail } from '../imaging/thumbnail.js';

/** The slice with this id, or a clear error. */
export async function requireSlice(db: CatalogDb, sliceId: number): Promise<Slice> {
  const slice = await findSliceById(db, sliceId);
  if (!slice) throw new ContractError(`there is no slice ${sliceId}`);
  return slice;
}

/** Browsing the catalog: patients, their slices (never their files' paths) and pixels. */
export interface CatalogService {
  patients(): Promise<PatientSummary[]>;
  setSpacing(patientId: number, pixelMm: number, sliceMm: number): Promise<PatientSummary[]>;
  slices(patientId: number): Promise<SliceListing[]>;
  image(sliceId: number): Promise<SliceImage>;
  thumbnails(patientId: number, size: number): Promise<SliceThumbnail[]>;
}

export function createCatalogService(db: CatalogDb, home: HomePaths): CatalogService {
  const imageFile = (slice: Slice) => localImageFile(db, slice, imageCacheDir(home));
  return {
    patients: () => summarizePatients(db),
    async setSpacing(patientId, pixelMm, sliceMm) {
      if (!(await findPatient(db, patientId))) throw new ContractError(`there is no patient ${patientId}`);
      await setPatientSpacing(db, patientId, { pixelMm, sliceMm });
      return summarizePatients(db);
    },
    async slices(patientId) {
      // Independent reads: on a team's PostgreSQL they go out together instead of four round trips in a row.
      const [slices, edited, areas, approvals] = await Promise.all([
        listSlices(db, patientId), editedSliceIds(db, patientId), currentMaskPixels(db, patientId), currentApprovals(db, patientId),
      ]);
      return slices.map((s) => ({
        id: s.id, patientId: s.patientId, number: s.number, width: s.width, height: s.height, channels: s.channels,
        hasLesion: s.hasLesion, edited: edited.has(s.id), lesionPixels: areas.get(s.id) ?? 0, approval: approvals.get(s.id) ?? null,
      }));
    },
    async image(sliceId) {
      const slice = await requireSlice(db, sliceId);
      const bytes = await readFile(await imageFile(slice)).catch((error: NodeJS.ErrnoException) => {
        throw new ContractError(`cannot read slice ${slice.number}'s image ${slice.imagePath}: ${error.code ?? error.message}`);
      });
      return decodeImage(bytes);
    },
    async thumbnails(patientId, size) {
      const thumbnails: SliceThumbnail[] = [];
      // One at a time: sharp already uses the cores, and a patient has at most a few hundred slices.
      for (const slice of await listSlices(db, patientId)) {
        const thumbnail = await imageFile(slice).then((file) => makeThumbnail(file, size)).catch(() => ({ width: size, height: size, data: new Uint8Array(size * size) }));
        thumbnails.push({ sliceId: slice.id, ...thumbnail });
      }
      return thumbnails;
    },
  };
}
