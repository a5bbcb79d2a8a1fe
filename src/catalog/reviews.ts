import type { SliceApproval } from '../contract/index.js';
import { currentVersionIdOf } from './current-version.js';
import { writeTransaction, type CatalogDb } from './db.js';
import { currentMaskVersion, currentPerson } from './masks.js';

export type { SliceApproval };

/** Raised when an approval is refused: nothing to approve, or the reviewer's own version. */
export class ApprovalRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApprovalRefusedError';
  }
}

/**
 * Approves the slice's current mask version as its second reader. A person may not approve a version they saved
 * themselves: a review is someone else's look. Returns the approval.
 */
export async function approveCurrentVersion(db: CatalogDb, sliceId: number, now = new Date()): Promise<SliceApproval> {
  return writeTransaction(db, async (trx) => {
    const reviewer = await currentPerson(trx); // named as mask authors are
    const version = await currentMaskVersion(trx, sliceId);
    if (!version) throw new ApprovalRefusedError('this slice has no mask to approve yet');
    if (version.author === reviewer) throw new ApprovalRefusedError(`you saved this version (${version.id}): a second reader must approve it`);
    const row = await trx
      .insertInto('slice_reviews')
      .values({ slice_id: sliceId, mask_id: version.id, reviewer, created_at: now.toISOString() })
      .returning(['mask_id', 'reviewer', 'created_at'])
      .executeTakeFirstOrThrow();
    return { versionId: row.mask_id, reviewer: row.reviewer, at: row.created_at };
  });
}

/** For a patient's slices, the approval of each one's current mask version (slices without one are absent). */
export async function currentApprovals(db: CatalogDb, patientId: number): Promise<Map<number, SliceApproval>> {
  const rows = await db
    .selectFrom('slice_reviews as r')
    .innerJoin('slices as s', 's.id', 'r.slice_id')
    .select(['r.slice_id as sliceId', 'r.mask_id as versionId', 'r.reviewer', 'r.created_at as at'])
    .where('s.patient_id', '=', patientId)
    .where('r.mask_id', '=', (eb) => currentVersionIdOf(eb.ref('r.slice_id')))
    .orderBy('r.id')
    .execute();
  // The latest approval of the current version, when several readers approved it.
  return new Map(rows.map((r) => [r.sliceId, { versionId: r.versionId, reviewer: r.reviewer, at: r.at }]));
}
