// A NIfTI file's voxels as Volumes: typed-array views straight onto the inflated file (no copy), byte-swapped in
// place when the file is big-endian (we own that buffer), copied only when the data's offset is not a multiple of
// the voxel size (a typed array cannot start there).
import { SliceReadError } from '../../admit-file.js';
import { checkVolume, VolumeError, type Volume } from '../../../imaging/volume/volume.js';
import { swapBytesInPlace } from './nifti-datatype.js';
import { dataBytesOf, readNiftiFile } from './nifti-file.js';
import type { NiftiHeader } from './nifti-header.js';

const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface NiftiVolumes {
  header: NiftiHeader;
  /** One per requested index along the 4th axis, in the order asked. */
  volumes: Volume[];
}

/** Reads a file and returns the volumes at `indexes` (0 for a 3-D file); throws SliceReadError with the reason. */
export async function readNiftiVolumes(file: string, indexes: readonly number[] = [0]): Promise<NiftiVolumes> {
  const { header, bytes } = await readNiftiFile(file);
  const voxels = header.dims[0] * header.dims[1] * header.dims[2];
  const volumeBytes = voxels * header.voxelType.bytes;
  const data = bytes.subarray(header.voxOffset, header.voxOffset + dataBytesOf(header));
  if (header.littleEndian !== NATIVE_LITTLE_ENDIAN) swapBytesInPlace(data, header.voxelType.bytes);
  const volumes = indexes.map((index) => {
    if (!Number.isInteger(index) || index < 0 || index >= header.volumes) {
      throw new SliceReadError(file, `volume ${index} asked for, but the file holds ${header.volumes}`);
    }
    const start = data.byteOffset + index * volumeBytes;
    const aligned = start % header.voxelType.bytes === 0;
    const source = aligned ? data.buffer : data.buffer.slice(start, start + volumeBytes);
    const volume: Volume = {
      dims: header.dims,
      data: header.voxelType.view(source, aligned ? start : 0, voxels),
      slope: header.slope,
      intercept: header.intercept,
      affine: header.affine.lps,
    };
    try {
      checkVolume(volume);
    } catch (error) {
      if (error instanceof VolumeError) throw new SliceReadError(file, error.message);
      throw error;
    }
    return volume;
  });
  return { header, volumes };
}
