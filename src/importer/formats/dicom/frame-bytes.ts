// One frame's stored samples as little-endian bytes, whatever the transfer syntax: native pixel data is sliced out
// (and byte-swapped for big endian), encapsulated pixel data is gathered from its fragments and decoded.
import { decodeCompressed } from './codecs.js';
import { dicomParser, type DataSet } from './parse-dicom.js';
import type { PixelFormat } from './dicom-header.js';
import type { PixelEncoding } from './transfer-syntaxes.js';

export interface FrameRequest {
  dataSet: DataSet;
  encoding: PixelEncoding;
  transferSyntaxUid: string;
  pixel: PixelFormat;
  /** 0-based */
  frameIndex: number;
  numberOfFrames: number;
}

function nativeFrame(request: FrameRequest, frameBytes: number): Uint8Array {
  const { dataSet, frameIndex } = request;
  const element = dataSet.elements['x7fe00010']!;
  const start = element.dataOffset + frameIndex * frameBytes;
  if (start + frameBytes > element.dataOffset + element.length || start + frameBytes > dataSet.byteArray.length) {
    throw new Error(`its pixel data holds ${element.length} bytes, too few for frame ${frameIndex + 1} of ${request.pixel.columns}×${request.pixel.rows} pixels`);
  }
  const bytes = dataSet.byteArray.subarray(start, start + frameBytes);
  if (request.encoding === 'native-be' && request.pixel.bitsAllocated === 16) {
    const swapped = new Uint8Array(bytes);
    for (let i = 0; i < swapped.length; i += 2) {
      swapped[i] = bytes[i + 1]!;
      swapped[i + 1] = bytes[i]!;
    }
    return swapped;
  }
  return bytes;
}

function encapsulatedFrame(request: FrameRequest): Uint8Array {
  const { dataSet, frameIndex, numberOfFrames } = request;
  const element = dataSet.elements['x7fe00010']!;
  const fragments = element.fragments ?? [];
  if (fragments.length === 0) throw new Error('its compressed pixel data holds no fragments');
  if (numberOfFrames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, fragments.length);
  if ((element.basicOffsetTable ?? []).length > 0) return dicomParser.readEncapsulatedImageFrame(dataSet, element, frameIndex);
  if (fragments.length === numberOfFrames) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, frameIndex, 1);
  if (request.encoding === 'jpeg-baseline' || request.encoding === 'jpeg-lossless') {
    // No offset table and several fragments per frame: JPEG frames can be found by their end-of-image markers.
    const table = dicomParser.createJPEGBasicOffsetTable(dataSet, element);
    return dicomParser.readEncapsulatedImageFrame(dataSet, element, frameIndex, table);
  }
  throw new Error(`its ${numberOfFrames} compressed frames span ${fragments.length} fragments without an offset table`);
}

/** The frame's samples, `bitsAllocated / 8` bytes each, little endian, rows × columns of them. */
export async function frameBytes(request: FrameRequest): Promise<Uint8Array> {
  const { pixel } = request;
  const bytesPerSample = pixel.bitsAllocated / 8;
  const size = pixel.rows * pixel.columns * bytesPerSample;
  if (!request.dataSet.elements['x7fe00010']) throw new Error('it has no pixel data');
  if (request.encoding === 'native-le' || request.encoding === 'native-be') return nativeFrame(request, size);
  let decoded;
  try {
    decoded = await decodeCompressed(request.encoding, request.transferSyntaxUid, encapsulatedFrame(request), pixel);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`its compressed pixel data cannot be decoded (${message})`, { cause: error });
  }
  if (decoded.width !== pixel.columns || decoded.height !== pixel.rows) {
    throw new Error(`its compressed frame is ${decoded.width}×${decoded.height} pixels but the header says ${pixel.columns}×${pixel.rows}`);
  }
  // An 8-bit codestream in a 16-bit image (rare, but legal for JPEG): widen to the allocated size.
  if (bytesPerSample === 2 && decoded.bitsPerSample <= 8 && decoded.bytes.length === pixel.rows * pixel.columns) {
    const wide = new Uint8Array(size);
    for (let i = 0; i < decoded.bytes.length; i++) wide[i * 2] = decoded.bytes[i]!;
    return wide;
  }
  if (decoded.bytes.length < size) {
    throw new Error(`its decoded frame holds ${decoded.bytes.length} bytes, fewer than the ${size} of ${pixel.columns}×${pixel.rows} ${pixel.bitsAllocated}-bit pixels`);
  }
  return decoded.bytes.subarray(0, size);
}
