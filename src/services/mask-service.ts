import type { CatalogDb } from '../catalog/db.js';
import { currentMaskVersion, editedSliceIds, findMaskVersion, listMaskVersions, readCurrentMask, readMaskBitmap, saveMaskVersion } from '../catalog/masks.js';
import { findModel } from '../catalog/models.js';
import { ContractError, type MaskPixels, type MaskSaveRequest, type MaskSaveResult, type MaskVersion } from '../api/contract.js';
import { requireSlice } from './catalog-service.js';
import type { ReviewService } from './review-service.js';

/** Reading and saving mask versions. */
export interface MaskService {
  current(sliceId: number): MaskPixels;
  versions(sliceId: number): MaskVersion[];
  version(versionId: number): MaskPixels;
  /** Appends a version and answers with what the UI shows next: the patient's edited count and its ranking. */
  save(request: MaskSaveRequest): MaskSaveResult;
}

export function createMaskService(db: CatalogDb, review: ReviewService): MaskService {
  return {
    current(sliceId) {
      const slice = requireSlice(db, sliceId);
      const mask = readCurrentMask(db, slice.id, slice.width, slice.height);
      return { versionId: currentMaskVersion(db, slice.id)?.id ?? null, ...mask };
    },
    versions: (sliceId) => listMaskVersions(db, requireSlice(db, sliceId).id),
    version(versionId) {
      if (!findMaskVersion(db, versionId)) throw new ContractError(`there is no mask version ${versionId}`);
      return { versionId, ...readMaskBitmap(db, versionId) };
    },
    save({ sliceId, width, height, data, operation, acceptedModelId }) {
      const slice = requireSlice(db, sliceId);
      if (width !== slice.width || height !== slice.height) {
        throw new ContractError(`mask is ${width}×${height} but slice ${sliceId} is ${slice.width}×${slice.height}`);
      }
      if (acceptedModelId !== undefined && !findModel(db, acceptedModelId)) throw new ContractError(`there is no model ${acceptedModelId}`);
      // An accepted prediction is the model's mask, adopted by the radiologist: its own source, naming the model.
      const source = acceptedModelId !== undefined ? (`model:${acceptedModelId}` as const) : 'manual';
      const version = saveMaskVersion(db, slice.id, { width, height, data: data.map((v) => (v ? 1 : 0)) }, source, { operation });
      return {
        version,
        patient: { id: slice.patientId, editedSlices: editedSliceIds(db, slice.patientId).size },
        ranking: review.ranking(slice.patientId),
      };
    },
  };
}
