// Reads a series' pixels into one volume. Memory is the point: the output array is allocated once, and files are
// read, parsed and decoded one at a time (a multi-frame object once for all its frames), so a 512×512×400 16-bit
// series costs its 200 MB and one file's bytes, not 400 files held at once.
import { readAdmittedFile, SliceReadError } from '../../admit-file.js';
import type { DicomOrigin, Volume } from '../volume-format.js';
import { VolumeError, checkVolume } from '../../../imaging/volume/volume.js';
import { frameBytes } from './frame-bytes.js';
import type { UsableSeries } from './group-series.js';
import { parseDicom, type DataSet } from './parse-dicom.js';
import { allocateVoxels, storeFrame } from './pixel-values.js';
import { SNIFF_BYTES, sniffDicom } from './sniff.js';
import { pixelEncodingOf } from './transfer-syntaxes.js';

// A DICOM file larger than this is not an MR series we can hold anyway (and Buffers stop near 4 GB).
const MAX_FILE_BYTES = 2 ** 31 - 1;

async function parseFile(file: string): Promise<DataSet> {
  const bytes = await readAdmittedFile(file, MAX_FILE_BYTES);
  const sniffed = sniffDicom(bytes.subarray(0, SNIFF_BYTES), bytes.length);
  if (sniffed.kind === 'not-dicom') throw new SliceReadError(file, 'it is no longer a DICOM file (changed since the scan)');
  try {
    return parseDicom(bytes, { headerOnly: false, bareTransferSyntax: sniffed.kind === 'bare' ? sniffed.transferSyntax : undefined });
  } catch (error) {
    throw new SliceReadError(file, `its DICOM data cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

function numberOfFramesIn(dataSet: DataSet): number {
  return Math.max(1, Math.round(Number(dataSet.string('x00280008') ?? 1) || 1));
}

/** The series' volume in stored values (or source units as float), with what export needs to reference it. */
export async function loadSeries(series: UsableSeries): Promise<{ volume: Volume; origin: DicomOrigin }> {
  const { geometry, pixel } = series;
  const sliceSize = geometry.rows * geometry.columns;
  const data = allocateVoxels(pixel, sliceSize * geometry.slices.length, series.rescale === null);
  let cached = null as { file: string; dataSet: DataSet } | null;
  for (let k = 0; k < geometry.slices.length; k++) {
    const slice = geometry.slices[k]!;
    if (cached?.file !== slice.file) cached = { file: slice.file, dataSet: await parseFile(slice.file) };
    const { dataSet } = cached;
    const transferSyntaxUid = (dataSet.string('x00020010') ?? '').trim();
    const encoding = pixelEncodingOf(transferSyntaxUid);
    if (!encoding) throw new SliceReadError(slice.file, `its transfer syntax ${transferSyntaxUid} changed since the scan`);
    try {
      const bytes = await frameBytes({
        dataSet, encoding, transferSyntaxUid, pixel,
        frameIndex: (slice.frame.frameNumber ?? 1) - 1,
        numberOfFrames: numberOfFramesIn(dataSet),
      });
      storeFrame(bytes, pixel, data, k * sliceSize, series.rescale ? null : slice.frame);
    } catch (error) {
      throw new SliceReadError(slice.file, error instanceof Error ? error.message : String(error));
    }
  }
  const volume: Volume = {
    dims: [geometry.columns, geometry.rows, geometry.slices.length],
    data,
    slope: series.rescale?.slope ?? 1,
    intercept: series.rescale?.intercept ?? 0,
    affine: geometry.affine,
  };
  try {
    checkVolume(volume);
  } catch (error) {
    throw error instanceof VolumeError ? new VolumeError(`${series.description || series.uid}: ${error.message}`) : error;
  }
  const h = series.header;
  return {
    volume,
    origin: {
      format: 'dicom',
      patient: { ...h.patient },
      study: { ...h.study },
      series: { ...h.series },
      frames: geometry.slices.map((s) => ({ sopClassUid: s.sopClassUid, sopInstanceUid: s.sopInstanceUid, frameNumber: s.frame.frameNumber })),
    },
  };
}
