import type { CatalogDb } from '../catalog/db.js';
import { currentMaskVersion, editedSliceIds, findMaskVersion, listMaskVersions, readCurrentMask, readMaskBitmap, saveMaskVersion } from '../catalog/masks.js';
import { findModel } from '../catalog/models.js';
import { ContractError, type MaskPixels, type MaskSaveRequest, type MaskSaveResult, type MaskVersion } from '../api/contract.js';
import { requireSlice } from './catalog-service.js';
import type { ReviewService } from './review-service.js';

/** Reading and saving mask versions. */
export interface MaskService {
  current(sliceId: number): Promise<MaskPixels>;
  versions(sliceId: number): Promise<MaskVersion[]>;
  version(versionId: number): Promise<MaskPixels>;
  /** Appends a version and answers with what the UI shows next: the patient's edited count and its ranking. */
  save(request: MaskSaveRequest): Promise<MaskSaveResult>;
}

export function createMaskService(db: CatalogDb, review: ReviewService): MaskService {
  return {
    async current(sliceId) {
      const slice = await requireSlice(db, sliceId);
      const mask = await readCurrentMask(db, slice.id, slice.width, slice.height);
      return { versionId: (await currentMaskVersion(db, slice.id))?.id ?? null, ...mask };
    },
    versions: async (sliceId) => listMaskVersions(db, (await requireSlice(db, sliceId)).id),
    async version(versionId) {
      if (!await findMaskVersion(db, versionId)) throw new ContractError(`there is no mask version ${versionId}`);
      return { versionId, ...(await readMaskBitmap(db, versionId)) };
    },
    async save({ sliceId, width, height, data, operation, acceptedModelId }) {
      const slice = await requireSlice(db, sliceId);
      if (width !== slice.width || height !== slice.height) {
        throw new ContractError(`mask is ${width}×${height} but slice ${sliceId} is ${slice.width}×${slice.height}`);
      }
      if (acceptedModelId !== undefined && !await findModel(db, acceptedModelId)) throw new ContractError(`there is no model ${acceptedModelId}`);
      // An accepted prediction is the model's mask, adopted by the radiologist: its own source, naming the model.
      const source = acceptedModelId !== undefined ? (`model:${acceptedModelId}` as const) : 'manual';
      const version = await saveMaskVersion(db, slice.id, { width, height, data: data.map((v) => (v ? 1 : 0)) }, source, { operation });
      return {
        version,
        patient: { id: slice.patientId, editedSlices: (await editedSliceIds(db, slice.patientId)).size },
        ranking: await review.ranking(slice.patientId),
      };
    },
  };
}
