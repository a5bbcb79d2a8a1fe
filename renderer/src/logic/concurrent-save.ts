import type { MaskVersion } from '../../../src/contract/index.js';

/** What a radiologist is told when someone else saved the slice while they were editing it: nothing was lost. */
export function concurrentSaveNotice(others: readonly MaskVersion[], sliceNumber: number | undefined): string {
  const last = others[others.length - 1]!;
  const who = [...new Set(others.map((v) => v.author ?? 'someone'))].join(' and ');
  return `${who} saved slice ${sliceNumber ?? ''} at ${last.createdAt.slice(11, 19)} while you were editing it. ` +
    'Both versions are kept: yours is current, theirs is in the history (revert to it there).';
}
