import { createHash } from 'node:crypto';
import type { Split } from './types.js';

/** Share of patients held out for validation when nothing else is said. */
export const DEFAULT_VALIDATION_FRACTION = 0.2;

/** How many validation patients a catalog of `total` patients should have. */
export function validationTarget(total: number, fraction = DEFAULT_VALIDATION_FRACTION): number {
  if (total < 2) return 0;
  return Math.min(total - 1, Math.max(1, Math.round(total * fraction)));
}

/** A stable pseudo-random rank for a case id, so the same patients land in validation on every machine. */
export function splitRank(caseId: string): string {
  return createHash('sha256').update(`brainseg-split:${caseId}`).digest('hex');
}

/**
 * Assigns splits to patients new to the catalog. Existing patients keep theirs; new ones fill validation up to
 * the target in order of their hash rank, the rest train. Deterministic for the same catalog and input.
 */
export function assignSplits(
  newCaseIds: readonly string[],
  existing: Record<Split, number>,
  fraction = DEFAULT_VALIDATION_FRACTION,
): Map<string, Split> {
  const total = existing.train + existing.validation + newCaseIds.length;
  let missing = Math.max(0, validationTarget(total, fraction) - existing.validation);
  const ranked = [...newCaseIds].sort((a, b) => splitRank(a).localeCompare(splitRank(b)));
  const result = new Map<string, Split>();
  for (const caseId of ranked) {
    result.set(caseId, missing > 0 ? 'validation' : 'train');
    if (missing > 0) missing--;
  }
  return result;
}
