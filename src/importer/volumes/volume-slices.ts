// Turns a patient's volumes into the catalog's slices: the FLAIR laid out axially in radiological convention, the
// pre- and post-contrast T1 resampled onto it by patient coordinates, each mapped per volume to 8 bits (see
// imaging/volume/intensity.ts) and stored as one RGB PNG per slice in the LGG channel order — so training,
// prediction, the viewer and team mode read them exactly as they read the LGG slices. The label volume becomes
// each slice's imported mask. What is needed to go back (grids, origins, windows) is returned as the geometry.
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { MODEL_CHANNELS, type ChannelRecord, type ModelChannel, type PatientGeometry, type SourceVolumeRecord } from '../../catalog/patient-volumes.js';
import type { BinaryMask } from '../../catalog/types.js';
import { intensityWindowOf, to8bit, type IntensityWindow } from '../../imaging/volume/intensity.js';
import { axialGridOfChecked, axialSlice, type AxialGrid } from '../../imaging/volume/reslice.js';
import { resampleSlice, sameGrid } from '../../imaging/volume/resample.js';
import { checkVolume, VolumeError, type Volume } from '../../imaging/volume/volume.js';
import { mapWithConcurrency } from '../../util/pool.js';
import type { LoadedPatient, LoadedVolume } from '../formats/volume-format.js';
import type { ReadSlice } from '../read-slice.js';

export interface VolumeSliceOptions {
  /** Where this patient's slice images are written (`<dir>/<n>.png`). */
  imageDir: string;
  /** Label values that count as lesion; null: any non-zero label. */
  lesionLabels: readonly number[] | null;
}

export interface VolumeSlices {
  slices: ReadSlice[];
  geometry: PatientGeometry;
}

/** Lays a patient's volumes out as slices and writes their images; throws VolumeError when there is no FLAIR. */
export async function buildVolumeSlices(
  format: PatientGeometry['format'],
  patient: LoadedPatient,
  options: VolumeSliceOptions,
): Promise<VolumeSlices> {
  const flair = patient.sequences.flair;
  if (!flair) {
    throw new VolumeError('no FLAIR found: the model reads FLAIR. Name the FLAIR file or series with --sequence flair=… (or in the import dialog)');
  }
  const grid = axialGridOfChecked(flair.volume);
  const warnings = [...patient.warnings];
  const channels = MODEL_CHANNELS.map((channel) => channelSource(channel, patient, warnings));
  const samplers = channels.map((c) => sliceSampler(c.volume, grid, 'linear'));
  const windows = sharedWhereComparable(channels.map((c) => realWindow(c.volume)));
  const labelSampler = patient.label ? sliceSampler(patient.label.volume, grid, 'nearest') : null;
  const isLesion = lesionTest(options.lesionLabels);

  const [nx, ny, nz] = grid.dims;
  await mkdir(options.imageDir, { recursive: true });
  const slices = await mapWithConcurrency(Array.from({ length: nz }, (_, z) => z), 4, async (z): Promise<ReadSlice> => {
    const rgb = Buffer.alloc(nx * ny * 3);
    channels.forEach((_, c) => {
      const values = samplers[c]!(z);
      const window = windows[c]!;
      for (let i = 0; i < values.length; i++) rgb[i * 3 + c] = to8bit(values[i]!, window);
    });
    const png = await sharp(rgb, { raw: { width: nx, height: ny, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer();
    const imagePath = path.join(options.imageDir, `${z + 1}.png`);
    await writeAtomically(imagePath, png);
    let mask: BinaryMask | null = null;
    if (labelSampler) {
      const labels = labelSampler(z);
      const data = new Uint8Array(nx * ny);
      for (let i = 0; i < data.length; i++) data[i] = isLesion(labels[i]!) ? 1 : 0;
      mask = { width: nx, height: ny, data };
    }
    return {
      number: z + 1, imagePath, contentHash: createHash('sha256').update(png).digest('hex'),
      width: nx, height: ny, channels: 3, mask, imageBytes: png,
    };
  });

  const geometry: PatientGeometry = {
    format,
    grid,
    channels: channels.map((c, i): ChannelRecord => ({ channel: MODEL_CHANNELS[i]!, from: c.from, window: windows[i]! })),
    sources: sourceRecords(patient),
    lesionLabels: options.lesionLabels ? [...options.lesionLabels] : null,
    warnings,
  };
  return { slices, geometry };
}

/** The volume behind a model channel: its own sequence, or FLAIR where the patient has none (as in the LGG data). */
function channelSource(channel: ModelChannel, patient: LoadedPatient, warnings: string[]): { volume: Volume; from: ModelChannel } {
  const own = patient.sequences[channel];
  if (own) return { volume: own.volume, from: channel };
  const name = channel === 't1' ? 'T1 pre-contrast' : 'T1 post-contrast';
  warnings.push(`no ${name}: its channel is filled with FLAIR, as the LGG dataset does for missing sequences`);
  return { volume: patient.sequences.flair!.volume, from: 'flair' };
}

/**
 * Reads one axial slice of a volume on the grid: copied voxel for voxel when the volume shares the FLAIR's grid
 * (in any storage order), else resampled by patient coordinates. Values in source units.
 */
function sliceSampler(volume: Volume, grid: AxialGrid, interpolation: 'linear' | 'nearest'): (z: number) => Float32Array {
  checkVolume(volume);
  const own = axialGridOfChecked(volume);
  if (sameGrid(own, grid)) {
    return (z) => {
      const values = axialSlice(volume, own, z);
      if (volume.slope !== 1 || volume.intercept !== 0) for (let i = 0; i < values.length; i++) values[i] = values[i]! * volume.slope + volume.intercept;
      return values;
    };
  }
  return (z) => resampleSlice(volume, grid, z, interpolation);
}

/** The 8-bit window of a volume in source units (computed on the stored values, then scaled). */
function realWindow(volume: Volume): IntensityWindow {
  const raw = intensityWindowOf(volume.data);
  const a = raw.low * volume.slope + volume.intercept;
  const b = raw.high * volume.slope + volume.intercept;
  return { low: Math.min(a, b), high: Math.max(a, b) };
}

/**
 * Sequences whose values span comparable ranges (within SHARED_RANGE_RATIO of each other — the usual case for the
 * series of one study, and for volumes made from 8-bit slices) share one window, so their relative brightness is
 * kept as in the LGG slices, whose channels top out anywhere between about 190 and 255 rather than each at 255.
 * Sequences in unrelated units (a normalised float T1 beside a 12-bit FLAIR) keep their own windows.
 */
function sharedWhereComparable(windows: IntensityWindow[]): IntensityWindow[] {
  const spans = windows.map((w) => w.high - w.low);
  if (Math.max(...spans) > SHARED_RANGE_RATIO * Math.min(...spans)) return windows;
  const shared = { low: Math.min(...windows.map((w) => w.low)), high: Math.max(...windows.map((w) => w.high)) };
  return windows.map(() => shared);
}

const SHARED_RANGE_RATIO = 4;

function lesionTest(labels: readonly number[] | null): (value: number) => boolean {
  if (!labels) return (value) => Math.round(value) !== 0;
  const set = new Set(labels);
  return (value) => set.has(Math.round(value));
}

function sourceRecords(patient: LoadedPatient): SourceVolumeRecord[] {
  const records: SourceVolumeRecord[] = [];
  const add = (role: SourceVolumeRecord['role'], loaded: LoadedVolume | null | undefined) => {
    if (!loaded) return;
    records.push({ role, label: loaded.label, dims: [...loaded.volume.dims], affine: [...loaded.volume.affine], origin: loaded.origin });
  };
  add('flair', patient.sequences.flair);
  add('t1', patient.sequences.t1);
  add('t1c', patient.sequences.t1c);
  add('t2', patient.sequences.t2);
  add('label', patient.label);
  return records;
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, file);
}
