import type { CatalogDb } from '../catalog/db.js';
import { findPatient } from '../catalog/patients.js';
import { findSliceById } from '../catalog/slices.js';
import { ContractError, type AugmentationPreview, type RequestArgs } from '../contract/index.js';
import type { HomePaths } from '../home.js';
import { PRESETS } from '../ml/config.js';
import { previewAugmentation } from '../ml/augment-preview.js';
import { prepareVolume } from '../ml/dataset.js';
import { createRandom } from '../ml/sampling.js';
import { buildJobPatients } from './job-builder.js';

/**
 * `training:augmentation-preview`: the slice's patient is prepared as training prepares it (whole-volume
 * normalisation at the preset's input size), then the slice is drawn through training's own augmentation.
 */
export async function augmentationPreview(
  db: CatalogDb,
  home: HomePaths,
  { sliceId, augmentation, count, seed, preset }: RequestArgs<'training:augmentation-preview'>,
): Promise<AugmentationPreview> {
  const slice = await findSliceById(db, sliceId);
  const patient = slice && (await findPatient(db, slice.patientId));
  if (!slice || !patient) throw new ContractError(`no slice ${sliceId}`);
  const [job] = await buildJobPatients(db, { patients: [patient], home });
  const index = job!.slices.findIndex((s) => s.sliceId === sliceId);
  const volume = await prepareVolume(job!, PRESETS[preset ?? 'fast'].inputSize);
  return previewAugmentation(volume, index, augmentation, count, createRandom(seed ?? Math.floor(Math.random() * 2 ** 31)));
}
