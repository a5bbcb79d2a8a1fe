import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The real LGG sample (23 patients), read in place from ../shared; never copied into the repository. */
export const SAMPLE_ROOT = path.resolve(
  process.env['BRAINSEG_SAMPLE_DATA'] ?? path.join(REPO_ROOT, '../shared/data/lgg-mri/kaggle_3m'),
);

export function requireSampleData(): string {
  if (!existsSync(SAMPLE_ROOT)) {
    throw new Error(
      `The LGG sample data is missing at ${SAMPLE_ROOT}. Put the kaggle_3m folder there ` +
        'or point BRAINSEG_SAMPLE_DATA at it (see README, "Data").',
    );
  }
  return SAMPLE_ROOT;
}

/** Patient folder names in the sample, sorted. */
export function samplePatients(): string[] {
  return readdirSync(requireSampleData(), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export function samplePatientFolder(caseId: string): string {
  return path.join(requireSampleData(), caseId);
}

/** A dataset root holding only the given sample patients (linked, not copied) and the sample's data.csv. */
export function makeSampleSubset(dir: string, caseIds: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const caseId of caseIds) symlinkSync(samplePatientFolder(caseId), path.join(dir, caseId));
  symlinkSync(path.join(requireSampleData(), 'data.csv'), path.join(dir, 'data.csv'));
  return dir;
}

/** The image files (not masks) of a sample patient, and its mask files. */
export function sampleFiles(caseId: string): { images: string[]; masks: string[] } {
  const names = readdirSync(samplePatientFolder(caseId));
  return {
    images: names.filter((n) => /\.tif$/.test(n) && !/_mask\.tif$/.test(n)),
    masks: names.filter((n) => /_mask\.tif$/.test(n)),
  };
}

/** A sample slice's pixels (interleaved channels, as the API serves them) and its imported mask as 0/1. */
export async function readSampleSlice(caseId: string, number: number): Promise<{
  image: { width: number; height: number; channels: number; data: Uint8Array };
  mask: Uint8Array;
}> {
  const base = path.join(samplePatientFolder(caseId), `${caseId}_${number}`);
  const { data, info } = await sharp(`${base}.tif`).raw().toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(await sharp(`${base}_mask.tif`).extractChannel(0).raw().toBuffer()).map((v) => (v > 127 ? 1 : 0));
  return { image: { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data) }, mask };
}
