// The compressed-pixel decoders, loaded on first use. JPEG-LS, JPEG 2000, HTJ2K and JPEG baseline are cornerstone's
// WASM builds of CharLS, OpenJPEG, OpenJPH and libjpeg-turbo, called directly rather than through
// @cornerstonejs/dicom-codec: its decode() hands back a view onto the WASM heap after delete() has freed it (and a
// heap growth detaches it; cornerstonejs/codecs PR #76), so frames could show each other's pixels. Here the decoded
// bytes are copied out before the decoder is deleted. RLE and JPEG lossless are plain JavaScript and go through
// dicom-codec as they are.
import { createRequire } from 'node:module';
import type { PixelEncoding } from './transfer-syntaxes.js';

const require = createRequire(import.meta.url);

interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
}

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): WasmFrameInfo;
  delete(): void;
}

type WasmModule = Record<string, new () => WasmDecoder>;

const WASM_CODECS: Partial<Record<PixelEncoding, { module: string; decoder: string }>> = {
  'jpeg-ls': { module: '@cornerstonejs/codec-charls/decodewasmjs', decoder: 'JpegLSDecoder' },
  'jpeg-2000': { module: '@cornerstonejs/codec-openjpeg/decodewasmjs', decoder: 'J2KDecoder' },
  htj2k: { module: '@cornerstonejs/codec-openjph', decoder: 'HTJ2KDecoder' },
  'jpeg-baseline': { module: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', decoder: 'JPEGDecoder' },
};

const loaded = new Map<string, Promise<WasmModule>>();

function wasmModule(name: string): Promise<WasmModule> {
  let module = loaded.get(name);
  if (!module) {
    const factory = require(name) as (options: object) => Promise<WasmModule>;
    // OpenJPEG logs every header it reads to stdout; the messages that matter come back as exceptions.
    module = factory({ print: () => {}, printErr: () => {} });
    loaded.set(name, module);
  }
  return module;
}

/** A decoded frame: its bytes (samples little endian) and what the codestream said about its size. */
export interface DecodedFrame {
  bytes: Uint8Array;
  width: number;
  height: number;
  bitsPerSample: number;
}

export interface FrameFormat {
  rows: number;
  columns: number;
  bitsAllocated: number;
  pixelRepresentation: number;
}

interface DicomCodec {
  decode(frame: Uint8Array, info: object, transferSyntaxUid: string): Promise<{ imageFrame: ArrayBufferView }>;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Decodes one compressed frame. */
export async function decodeCompressed(encoding: PixelEncoding, transferSyntaxUid: string, frame: Uint8Array, format: FrameFormat): Promise<DecodedFrame> {
  const wasm = WASM_CODECS[encoding];
  if (wasm) {
    const module = await wasmModule(wasm.module);
    const decoder = new module[wasm.decoder]!();
    try {
      decoder.getEncodedBuffer(frame.length).set(frame);
      decoder.decode();
      const info = decoder.getFrameInfo();
      // Copied out of the WASM heap before delete() frees it.
      const bytes = decoder.getDecodedBuffer().slice();
      return { bytes, width: info.width, height: info.height, bitsPerSample: info.bitsPerSample };
    } finally {
      decoder.delete();
    }
  }
  const codec = require('@cornerstonejs/dicom-codec') as DicomCodec;
  const info = {
    rows: format.rows, columns: format.columns, bitsAllocated: format.bitsAllocated, samplesPerPixel: 1,
    signed: format.pixelRepresentation === 1, pixelRepresentation: format.pixelRepresentation, planarConfiguration: 0,
  };
  const input = encoding === 'jpeg-lossless' ? padBeforeEndOfImage(frame) : frame;
  const decoded = await codec.decode(input, info, transferSyntaxUid);
  return { bytes: bytesOf(decoded.imageFrame), width: format.columns, height: format.rows, bitsPerSample: format.bitsAllocated };
}

/**
 * jpeg-lossless-decoder-js (2.x) loses the last pixel (returns 0) when the final entropy-coded bytes are zero bits
 * right before the end-of-image marker, as dcmtk's encoder writes them: it sees the marker one code too early.
 * Two more zero bytes of entropy-coded data before the marker are never read as pixels and let it finish.
 */
function padBeforeEndOfImage(frame: Uint8Array): Uint8Array {
  for (let end = frame.length - 2; end >= Math.max(0, frame.length - 4); end--) {
    if (frame[end] === 0xff && frame[end + 1] === 0xd9) {
      const padded = new Uint8Array(end + 4);
      padded.set(frame.subarray(0, end));
      padded.set([0, 0, 0xff, 0xd9], end);
      return padded;
    }
  }
  return frame;
}
