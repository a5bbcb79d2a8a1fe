// The automatic model's masks at the input size: the 0-click proposal the interactive model starts from.
import type { tf } from '../tf.js';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { PreparedVolume } from '../dataset.js';
import { largestConnectedComponent } from '../metrics.js';
import { predictVolume } from '../predict.js';

/**
 * A volume's automatic masks ([slice, y, x], 0/1 at the input size) as the app proposes them: each slice and its
 * mirror image averaged, thresholded at 0.5, the largest 3-D component kept (when `largestComponent`).
 */
export async function proposeVolume(folded: tf.LayersModel, volume: PreparedVolume, largestComponent: boolean): Promise<Uint8Array> {
  const probabilities = await predictVolume(folded, volume, null, { testTimeFlip: true });
  const binary = new Uint8Array(probabilities.length);
  for (let i = 0; i < binary.length; i++) binary[i] = probabilities[i]! >= 0.5 ? 1 : 0;
  const size = volume.size;
  return largestComponent ? largestConnectedComponent(binary, volume.patient.slices.length, size, size) : binary;
}

/** Proposals kept in a run folder, so a resumed run does not predict every volume again. */
interface ProposalFileHeader {
  caseIds: string[];
  lengths: number[];
}

/** Proposals for each volume, read from `file` when it holds these volumes, else computed and written there. */
export async function cachedProposals(
  file: string,
  volumes: readonly PreparedVolume[],
  compute: (volume: PreparedVolume) => Promise<Uint8Array>,
): Promise<Uint8Array[]> {
  const expected: ProposalFileHeader = {
    caseIds: volumes.map((v) => v.patient.caseId),
    lengths: volumes.map((v) => v.masks.length),
  };
  const cached = await readFile(file).catch(() => null);
  if (cached && cached.length >= 4) {
    const length = cached.readUInt32LE(0);
    const header = JSON.parse(cached.toString('utf8', 4, 4 + length)) as ProposalFileHeader;
    if (JSON.stringify(header) === JSON.stringify(expected)) {
      let offset = 4 + length;
      return header.lengths.map((n) => {
        const out = new Uint8Array(cached.subarray(offset, offset + n));
        offset += n;
        return out;
      });
    }
  }
  const proposals: Uint8Array[] = [];
  for (const volume of volumes) proposals.push(await compute(volume));
  const headerBytes = Buffer.from(JSON.stringify(expected), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  await writeFileAtomic(file, [length, headerBytes, ...proposals]);
  return proposals;
}
