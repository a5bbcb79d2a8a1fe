import { randomUUID } from 'node:crypto';

/**
 * A new globally unique UID: a random UUID written as one decimal integer under the 2.25 root (PS3.5 B.2,
 * ISO/IEC 9834-8), so no organisation root has to be registered. At most 44 characters (the limit is 64).
 */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replaceAll('-', '')}`).toString()}`;
}
