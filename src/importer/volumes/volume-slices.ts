// Turns a patient's volumes into the catalog's slices: the FLAIR laid out axially in radiological convention, the
// pre- and post-contrast T1 resampled onto it by patient coordinates, each mapped per volume to 8 bits (see
// imaging/volume/intensity.ts) and stored as one RGB PNG per slice in the LGG channel order — so training,
// prediction, the viewer and team mode read them exactly as they read the LGG slices. The label volume becomes
// each slice's imported mask. What is needed to go back (grids, origins, windows) is returned as the geometry.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { MODEL_CHANNELS, type ChannelRecord, type ModelChannel, type PatientGeometry, type SlicePadding, type SourceVolumeRecord } from '../../catalog/patient-volumes.js';
import type { BinaryMask } from '../../catalog/types.js';
import { intensityWindowOf, to8bit, type IntensityWindow } from '../../imaging/volume/intensity.js';
import { axialGridOfChecked, axialSlice, axialSliceThrough, type AxialGrid } from '../../imaging/volume/reslice.js';
import { resampleSlice, sameGrid } from '../../imaging/volume/resample.js';
import { VolumeError, type Volume } from '../../imaging/volume/volume.js';
import { writeFileAtomically } from '../../util/atomic-file.js';
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
  // A FLAIR-only patient fills all three channels from one volume: each distinct volume is read once.
  const volumes = [...new Set(channels.map((c) => c.volume))];
  const windows = volumes.map(realWindow);
  const samplers = volumes.map((volume, v) => slice8Sampler(volume, grid, windows[v]!));
  const channelVolume = channels.map((c) => volumes.indexOf(c.volume));
  const labelSampler = patient.label ? sliceSampler(patient.label.volume, grid, 'nearest') : null;
  const isLesion = lesionTest(options.lesionLabels);

  const [nx, ny, nz] = grid.dims;
  const padding = squarePadding(nx, ny);
  const side = padding.size;
  await mkdir(options.imageDir, { recursive: true });
  const slices = await mapWithConcurrency(Array.from({ length: nz }, (_, z) => z), 4, async (z): Promise<ReadSlice> => {
    const rgb = Buffer.alloc(side * side * 3);
    const planes = samplers.map((sample) => sample(z));
    channelVolume.forEach((v, c) => {
      const plane = planes[v]!;
      for (let y = 0; y < ny; y++) {
        let o = ((y + padding.top) * side + padding.left) * 3 + c;
        for (let x = 0, i = y * nx; x < nx; x++, i++, o += 3) rgb[o] = plane[i]!;
      }
    });
    // Level 2: a few percent larger files than the default 6 at half the encoding time (these are written once).
    const png = await sharp(rgb, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 2 }).toBuffer();
    const imagePath = path.join(options.imageDir, `${z + 1}.png`);
    await writeFileAtomically(imagePath, png);
    let mask: BinaryMask | null = null;
    if (labelSampler) {
      const labels = labelSampler(z);
      const data = new Uint8Array(side * side);
      for (let y = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++) data[(y + padding.top) * side + x + padding.left] = isLesion(labels[y * nx + x]!) ? 1 : 0;
      }
      mask = { width: side, height: side, data };
    }
    return {
      number: z + 1, imagePath, contentHash: createHash('sha256').update(png).digest('hex'),
      width: side, height: side, channels: 3, mask, imageBytes: png,
    };
  });

  const geometry: PatientGeometry = {
    format,
    grid,
    padding: side === nx && side === ny ? null : padding,
    channels: channels.map((c, i): ChannelRecord => ({ channel: MODEL_CHANNELS[i]!, from: c.from, window: windows[channelVolume[i]!]! })),
    sources: sourceRecords(patient),
    lesionLabels: options.lesionLabels ? [...options.lesionLabels] : null,
    warnings,
  };
  return { slices, geometry };
}

/**
 * The model reads square inputs (the LGG slices are 256²) and resizes each slice to its input size: a slice that
 * is not square (a rectangular field of view, a resliced sagittal 3-D FLAIR of 176 × 256) is centred on a square of
 * background instead of being stretched. Export crops the padding off again.
 */
function squarePadding(width: number, height: number): SlicePadding {
  const size = Math.max(width, height);
  return { left: Math.floor((size - width) / 2), top: Math.floor((size - height) / 2), width, height, size };
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
 * One axial slice of a volume as 8-bit channel values. Integer volumes on the FLAIR's own grid (the common case)
 * go through a lookup table from stored value to 8 bits, with rescale and window folded in; others are sampled in
 * source units and mapped.
 */
function slice8Sampler(volume: Volume, grid: AxialGrid, window: IntensityWindow): (z: number) => Uint8Array {
  const own = axialGridOfChecked(volume);
  const table = lookupTable(volume, window);
  if (table && sameGrid(own, grid)) return (z) => axialSliceThrough(volume, own, z, table);
  const sample = sliceSampler(volume, grid, 'linear');
  return (z) => {
    const values = sample(z);
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = to8bit(values[i]!, window);
    return out;
  };
}

/** Stored value → 8 bits for 8- and 16-bit integer volumes (`table[stored − offset]`); null for other types. */
function lookupTable(volume: Volume, window: IntensityWindow): { values: Uint8Array; offset: number } | null {
  const data = volume.data;
  const range = data instanceof Uint8Array ? [0, 255] : data instanceof Int8Array ? [-128, 127]
    : data instanceof Uint16Array ? [0, 65535] : data instanceof Int16Array ? [-32768, 32767] : null;
  if (!range) return null;
  const [low, high] = range as [number, number];
  const values = new Uint8Array(high - low + 1);
  for (let stored = low; stored <= high; stored++) values[stored - low] = to8bit(stored * volume.slope + volume.intercept, window);
  return { values, offset: low };
}

/**
 * Reads one axial slice of a volume on the grid, in source units: copied voxel for voxel when the volume shares the
 * FLAIR's grid (in any storage order), else resampled by patient coordinates.
 */
function sliceSampler(volume: Volume, grid: AxialGrid, interpolation: 'linear' | 'nearest'): (z: number) => Float32Array {
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

/**
 * The 8-bit window of a volume in source units (computed on the stored values, then scaled). A volume whose values
 * are whole numbers from 0 to 255 is 8-bit data already — made from 8-bit slices like the LGG ones, or a PACS
 * export of display values — and is kept exactly as it is (window 0–255): stretching each such sequence to its own
 * maximum would change the relative brightness the model learnt from (the LGG channels top out anywhere between
 * about 190 and 255), which moved an LGG patient round-tripped through DICOM to Dice 0.93 against its own TIFF
 * prediction.
 */
function realWindow(volume: Volume): IntensityWindow {
  const raw = intensityWindowOf(volume.data);
  const a = raw.low * volume.slope + volume.intercept;
  const b = raw.high * volume.slope + volume.intercept;
  const window = { low: Math.min(a, b), high: Math.max(a, b) };
  return isEightBit(volume, window) ? { low: 0, high: 255 } : window;
}

function isEightBit(volume: Volume, window: IntensityWindow): boolean {
  if (window.low < 0 || window.high > 255) return false;
  const { data, slope, intercept } = volume;
  const integerType = !(data instanceof Float32Array || data instanceof Float64Array);
  if (integerType && Number.isInteger(slope) && Number.isInteger(intercept)) return true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]! * slope + intercept;
    if (Math.abs(v - Math.round(v)) > 1e-4) return false;
  }
  return true;
}

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
