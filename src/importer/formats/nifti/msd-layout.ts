// The Medical Segmentation Decathlon layout (and nnU-Net's, which grew from it): a dataset.json naming the
// channels (`modality` in MSD, `channel_names` in nnU-Net v2), images in imagesTr/ and imagesTs/, labels in
// labelsTr/ under the image's name. An image is one patient: either one 4-D file whose volumes are the channels
// (MSD: BRATS_001.nii.gz) or one 3-D file per channel with a `_0000` suffix (nnU-Net: BRATS_001_0000.nii.gz).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FoundPatient, ScanOptions, SkippedFile } from '../volume-format.js';
import { headerOrSkip, niftiFilesIn } from './nifti-candidates.js';
import { niftiStem } from './nifti-file.js';
import { foundPatient, settleRoles, type NiftiCandidate } from './nifti-series.js';
import { roleFromName } from './sequence-names.js';

const IMAGE_FOLDERS = ['imagesTr', 'imagesTs'];
const LABEL_FOLDERS: Record<string, string> = { imagesTr: 'labelsTr', imagesTs: 'labelsTs' };
const CHANNEL_SUFFIX = /_(\d{4})$/;

/** The channel names of an MSD root (index → name), or null when `root` is not one. */
export function msdChannels(root: string): Map<number, string> | null {
  const file = path.join(root, 'dataset.json');
  if (!existsSync(file) || !IMAGE_FOLDERS.some((f) => existsSync(path.join(root, f)))) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const names = (json as { modality?: unknown; channel_names?: unknown }).modality
    ?? (json as { channel_names?: unknown }).channel_names;
  if (typeof names !== 'object' || names === null) return null;
  const channels = new Map<number, string>();
  for (const [index, name] of Object.entries(names)) {
    if (/^\d+$/.test(index) && typeof name === 'string') channels.set(Number(index), name);
  }
  return channels.size > 0 ? channels : null;
}

export async function scanMsd(
  root: string, channels: Map<number, string>, options: ScanOptions, skipped: SkippedFile[],
): Promise<FoundPatient[]> {
  const patients: FoundPatient[] = [];
  for (const imageFolder of IMAGE_FOLDERS) {
    const folder = path.join(root, imageFolder);
    const byCase = new Map<string, string[]>();
    for (const file of niftiFilesIn(folder)) {
      const caseId = niftiStem(path.basename(file)).replace(CHANNEL_SUFFIX, '');
      byCase.set(caseId, [...(byCase.get(caseId) ?? []), file]);
    }
    for (const [caseId, files] of byCase) {
      const candidates = await caseCandidates(files, channels, skipped);
      const label = labelFile(root, imageFolder, caseId);
      if (label) {
        const header = await headerOrSkip(label, skipped);
        if (header) {
          candidates.push({
            file: label, volumeIndex: 0, key: label, label: `${LABEL_FOLDERS[imageFolder]}/${path.basename(label)}`,
            role: 'label', reason: `in ${LABEL_FOLDERS[imageFolder]}/ under the image's name`, header, warnings: [],
          });
        }
      }
      if (candidates.length > 0) patients.push(foundPatient(caseId, folder, settleRoles(candidates, options)));
    }
  }
  return patients;
}

/** One candidate per channel: the volumes of a 4-D file, or the per-channel files. */
async function caseCandidates(files: string[], channels: Map<number, string>, skipped: SkippedFile[]): Promise<NiftiCandidate[]> {
  const candidates: NiftiCandidate[] = [];
  for (const file of files) {
    const header = await headerOrSkip(file, skipped);
    if (!header) continue;
    const name = path.basename(file);
    const suffix = CHANNEL_SUFFIX.exec(niftiStem(name));
    if (suffix && header.volumes === 1) {
      const channel = Number(suffix[1]);
      candidates.push({ file, volumeIndex: 0, key: file, label: name, header, warnings: [], ...channelRole(channels, channel) });
      continue;
    }
    for (let v = 0; v < header.volumes; v++) {
      candidates.push({
        file, volumeIndex: v, key: `${file}#${v}`, label: `${name} volume ${v} (${channels.get(v) ?? 'unnamed'})`,
        header, warnings: [], ...channelRole(channels, v),
      });
    }
  }
  return candidates;
}

function channelRole(channels: Map<number, string>, channel: number): Pick<NiftiCandidate, 'role' | 'reason'> {
  const name = channels.get(channel);
  if (name === undefined) return { role: 'other', reason: `dataset.json does not name channel ${channel}` };
  const { role } = roleFromName(name);
  if (role === 'other' || role === 'label') {
    return { role: 'other', reason: `dataset.json calls channel ${channel} "${name}", not a sequence the model reads` };
  }
  return { role, reason: `dataset.json calls channel ${channel} "${name}"` };
}

function labelFile(root: string, imageFolder: string, caseId: string): string | null {
  const folder = path.join(root, LABEL_FOLDERS[imageFolder]!);
  return niftiFilesIn(folder).find((f) => niftiStem(path.basename(f)) === caseId) ?? null;
}
