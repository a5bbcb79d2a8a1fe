// One NIfTI-1 or NIfTI-2 header, read from the file's first bytes and checked before any pixel is touched: what
// the volume is (dims, datatype, scaling, affine) and where its voxels start. nifti-reader-js parses the fields;
// we pick the version and byte order ourselves and hand it exactly 348 or 540 bytes, because given more it parses
// extensions and throws on one that runs past the buffer, and its 64-bit reads are wrong for big-endian files
// past 2³¹ (its affine also prefers the qform, which we do not: see nifti-affine.ts).
import { NIFTI1, NIFTI2 } from 'nifti-reader-js';
import { VolumeError } from '../../../imaging/volume/volume.js';
import { niftiAffine, type NiftiAffine } from './nifti-affine.js';
import { voxelTypeOf, type VoxelType } from './nifti-datatype.js';

export const NIFTI1_HEADER_BYTES = 348;
export const NIFTI2_HEADER_BYTES = 540;

/** Voxel data we refuse to allocate: far beyond any brain MRI, and near what a Node buffer can hold. */
export const MAX_VOXEL_BYTES = 1.5 * 1024 ** 3;

export interface NiftiHeader {
  version: 1 | 2;
  littleEndian: boolean;
  /** The raw header, exactly 348 or 540 bytes (what export copies). */
  bytes: Uint8Array;
  /** The first three dims (1 for a missing axis). */
  dims: [number, number, number];
  /** Volumes along the 4th and further axes (1 for a 3-D file). */
  volumes: number;
  voxelType: VoxelType;
  /** Where the voxel data starts in the (decompressed) file. */
  voxOffset: number;
  /** scl_slope and scl_inter with the standard's "0 or NaN slope means unscaled" applied. */
  slope: number;
  intercept: number;
  affine: NiftiAffine;
  warnings: string[];
}

/** The header's size and byte order from sizeof_hdr, or null when the bytes are not a NIfTI header. */
export function headerLayout(start: Uint8Array): { version: 1 | 2; littleEndian: boolean; size: number } | null {
  if (start.length < 4) return null;
  const view = new DataView(start.buffer, start.byteOffset, 4);
  for (const littleEndian of [true, false]) {
    const size = view.getInt32(0, littleEndian);
    if (size === NIFTI1_HEADER_BYTES) return { version: 1, littleEndian, size };
    if (size === NIFTI2_HEADER_BYTES) return { version: 2, littleEndian, size };
  }
  return null;
}

/** Parses and checks a header from the start of a (decompressed) file; throws VolumeError with the reason. */
export function parseNiftiHeader(start: Uint8Array): NiftiHeader {
  const layout = headerLayout(start);
  if (!layout) {
    const size = start.length >= 4 ? new DataView(start.buffer, start.byteOffset, 4).getInt32(0, true) : null;
    throw new VolumeError(size === null
      ? 'not a NIfTI file: it is shorter than a header'
      : `not a NIfTI file: sizeof_hdr is ${size}, not 348 (NIfTI-1) or 540 (NIfTI-2)`);
  }
  const { version, littleEndian, size } = layout;
  if (start.length < size) throw new VolumeError(`the file is truncated: it ends inside the ${size}-byte NIfTI-${version} header`);
  // A copy of its own (Buffer's slice is a view): nifti-reader-js reads from the start of the ArrayBuffer.
  const bytes = new Uint8Array(size);
  bytes.set(start.subarray(0, size));
  checkMagic(bytes, version);
  const parsed = version === 1 ? new NIFTI1() : new NIFTI2();
  parsed.readHeader(bytes.buffer);
  const warnings: string[] = [];

  const dims = parsed.dims.map(Number);
  const rank = dims[0]!;
  if (!Number.isInteger(rank) || rank < 1 || rank > 7) throw new VolumeError(`dim[0] is ${rank}: a NIfTI image has 1 to 7 dimensions`);
  for (let d = 1; d <= rank; d++) {
    if (!Number.isInteger(dims[d]) || dims[d]! < 1) throw new VolumeError(`dim[${d}] is ${dims[d]}: every dimension needs at least one voxel`);
  }
  const dim = (d: number) => (d <= rank ? dims[d]! : 1);
  let volumes = 1;
  for (let d = 4; d <= rank; d++) volumes *= dims[d]!;

  const voxelType = voxelTypeOf(parsed.datatypeCode);
  if (typeof voxelType === 'string') throw new VolumeError(voxelType);
  const dataBytes = dim(1) * dim(2) * dim(3) * volumes * voxelType.bytes;
  if (dataBytes > MAX_VOXEL_BYTES) {
    throw new VolumeError(`implausibly large: ${dims.slice(1, rank + 1).join('×')} ${voxelType.name} voxels are ` +
      `${(dataBytes / 1024 ** 3).toFixed(1)} GB; the limit is ${MAX_VOXEL_BYTES / 1024 ** 3} GB`);
  }

  let voxOffset = Number(parsed.vox_offset);
  const minimum = size + 4;
  if (!Number.isInteger(voxOffset) || voxOffset < minimum) {
    // nibabel does the same: a single-file NIfTI's data cannot start inside the header and its extension flag.
    warnings.push(`vox_offset ${voxOffset} is below ${minimum}; the data is read from byte ${minimum}`);
    voxOffset = minimum;
  }

  let slope = parsed.scl_slope;
  let intercept = parsed.scl_inter;
  if (slope === 0 || Number.isNaN(slope)) {
    slope = 1;
    intercept = 0;
  } else if (!Number.isFinite(slope) || !Number.isFinite(intercept)) {
    throw new VolumeError(`intensity scaling scl_slope ${slope}, scl_inter ${intercept} is not usable`);
  }

  const affine = niftiAffine({
    pixdim: parsed.pixDims,
    qformCode: parsed.qform_code,
    sformCode: parsed.sform_code,
    quatern: [parsed.quatern_b, parsed.quatern_c, parsed.quatern_d],
    qoffset: [parsed.qoffset_x, parsed.qoffset_y, parsed.qoffset_z],
    srow: readSrow(bytes, version, littleEndian),
  });
  if (affine.source === 'pixdim') {
    warnings.push('neither sform nor qform is set: the volume is placed by its voxel sizes alone (orientation assumed RAS)');
  }
  return {
    version, littleEndian, bytes, dims: [dim(1), dim(2), dim(3)], volumes, voxelType, voxOffset, slope, intercept,
    affine, warnings,
  };
}

function checkMagic(bytes: Uint8Array, version: 1 | 2): void {
  const at = version === 1 ? 344 : 4;
  const magic = String.fromCharCode(...bytes.subarray(at, at + 4));
  const expected = version === 1 ? 'n+1\0' : 'n+2\0';
  if (magic === expected) return;
  if (magic === (version === 1 ? 'ni1\0' : 'ni2\0')) {
    throw new VolumeError('a .hdr/.img pair header: convert it to a single .nii or .nii.gz file');
  }
  throw new VolumeError(`not a NIfTI file: the magic string is ${JSON.stringify(magic.replace(/\0+$/, ''))}, not "n+${version}"`);
}

/** The sform rows, read here because nifti-reader-js only fills them in when it chooses the sform itself. */
function readSrow(bytes: Uint8Array, version: 1 | 2, littleEndian: boolean): XformRows {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const row = (r: number) => [0, 1, 2, 3].map((c) => (version === 1
    ? view.getFloat32(280 + (r * 4 + c) * 4, littleEndian)
    : view.getFloat64(400 + (r * 4 + c) * 8, littleEndian)));
  return [row(0), row(1), row(2)];
}

type XformRows = [number[], number[], number[]];
