import { isPermissionDenied, writeTransaction, type CatalogDb } from '../catalog/db.js';
import { currentMaskVersion, editedSliceIds, findMaskVersion, listMaskVersions, readCurrentMask, readMaskBitmap, saveMaskVersion } from '../catalog/masks.js';
import { findModel } from '../catalog/models.js';
import { ContractError, type MaskPixels, type MaskSaveRequest, type MaskSaveResult, type MaskVersion, type SliceApproval } from '../contract/index.js';
import { ApprovalRefusedError, approveCurrentVersion } from '../catalog/reviews.js';
import { requireSlice } from './catalog-service.js';
import type { ReviewService } from './review-service.js';

/** Reading and saving mask versions. */
export interface MaskService {
  current(sliceId: number): Promise<MaskPixels>;
  versions(sliceId: number): Promise<MaskVersion[]>;
  version(versionId: number): Promise<MaskPixels>;
  /** Appends a version and answers with what the UI shows next: the patient's edited count and its ranking. */
  save(request: MaskSaveRequest): Promise<MaskSaveResult>;
  /** A second reader approves the slice's current mask version (not their own). */
  approve(sliceId: number): Promise<SliceApproval>;
  /** Whether this service saved that version (so the catalog's feed of others' changes can leave it out). */
  savedHere(versionId: number): boolean;
}

export function createMaskService(db: CatalogDb, review: ReviewService): MaskService {
  // Recorded before the save commits: PostgreSQL announces the commit to every listener, this process included,
  // and the announcement must find the id already here. Bounded: only recent saves can still be announced.
  const ownVersions = new Set<number>();
  return {
    savedHere: (versionId) => ownVersions.has(versionId),
    async approve(sliceId) {
      const slice = await requireSlice(db, sliceId);
      try {
        return await approveCurrentVersion(db, slice.id);
      } catch (error) {
        if (error instanceof ApprovalRefusedError) throw new ContractError(error.message);
        // PostgreSQL refuses an annotator's approval: only reviewers may.
        if (isPermissionDenied(error)) throw new ContractError('only a reviewer may approve (your database role is not in brainseg_reviewer)');
        throw error;
      }
    },
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
    async save({ sliceId, width, height, data, operation, acceptedModelId, baseVersionId, clicks, box }) {
      const slice = await requireSlice(db, sliceId);
      if (width !== slice.width || height !== slice.height) {
        throw new ContractError(`mask is ${width}×${height} but slice ${sliceId} is ${slice.width}×${slice.height}`);
      }
      if (acceptedModelId !== undefined && !await findModel(db, acceptedModelId)) throw new ContractError(`there is no model ${acceptedModelId}`);
      // An accepted prediction is the model's mask, adopted by the radiologist: its own source, naming the model.
      const source = acceptedModelId !== undefined ? (`model:${acceptedModelId}` as const) : 'manual';
      const version = await writeTransaction(db, async (trx) => {
        const saved = await saveMaskVersion(trx, slice.id, { width, height, data: data.map((v) => (v ? 1 : 0)) }, source, { operation, ...(clicks && { clicks }), ...(box && { box }) });
        ownVersions.add(saved.id);
        if (ownVersions.size > OWN_VERSIONS_KEPT) ownVersions.delete(ownVersions.values().next().value!);
        return saved;
      });
      return {
        version,
        patient: { id: slice.patientId, editedSlices: (await editedSliceIds(db, slice.patientId)).size },
        ranking: await review.ranking(slice.patientId),
        concurrent: await savedInBetween(db, version, baseVersionId),
      };
    },
  };
}

const OWN_VERSIONS_KEPT = 10_000;

/**
 * The versions someone else saved between the one an edit started from and the edit's own (whose parent was read
 * under the slice's write lock, so nothing slips between). A page's own earlier saves (the same author, e.g. a
 * save still in flight when the next stroke ended) are not a conflict.
 */
async function savedInBetween(db: CatalogDb, version: MaskVersion, baseVersionId: number | null | undefined): Promise<MaskVersion[]> {
  if (baseVersionId === undefined || version.parentId === baseVersionId) return [];
  const versions = await listMaskVersions(db, version.sliceId);
  return versions.filter((v) => v.id < version.id && v.id > (baseVersionId ?? 0) && v.author !== version.author).reverse();
}
