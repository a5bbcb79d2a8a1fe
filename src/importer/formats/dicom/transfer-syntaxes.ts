// The transfer syntaxes this reader decodes, and the names of the ones it does not, so a refusal names both the UID
// and what it is (a user can then convert the files with dcmdjpeg/gdcmconv).

/** How a transfer syntax's pixel data is stored and which decoder reads it. */
export type PixelEncoding =
  | 'native-le' | 'native-be' | 'jpeg-baseline' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000' | 'htj2k' | 'rle';

export const IMPLICIT_LITTLE = '1.2.840.10008.1.2';
export const EXPLICIT_LITTLE = '1.2.840.10008.1.2.1';
export const DEFLATED = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_BIG = '1.2.840.10008.1.2.2';

const SUPPORTED: Record<string, { name: string; encoding: PixelEncoding }> = {
  [IMPLICIT_LITTLE]: { name: 'Implicit VR Little Endian', encoding: 'native-le' },
  [EXPLICIT_LITTLE]: { name: 'Explicit VR Little Endian', encoding: 'native-le' },
  [DEFLATED]: { name: 'Deflated Explicit VR Little Endian', encoding: 'native-le' },
  [EXPLICIT_BIG]: { name: 'Explicit VR Big Endian', encoding: 'native-be' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline (Process 1)', encoding: 'jpeg-baseline' },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless, Non-Hierarchical (Process 14)', encoding: 'jpeg-lossless' },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless, First-Order Prediction (Process 14 SV1)', encoding: 'jpeg-lossless' },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', encoding: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', encoding: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 (Lossless Only)', encoding: 'jpeg-2000' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', encoding: 'jpeg-2000' },
  '1.2.840.10008.1.2.4.201': { name: 'High-Throughput JPEG 2000 (Lossless Only)', encoding: 'htj2k' },
  '1.2.840.10008.1.2.4.202': { name: 'High-Throughput JPEG 2000 with RPCL (Lossless Only)', encoding: 'htj2k' },
  '1.2.840.10008.1.2.4.203': { name: 'High-Throughput JPEG 2000', encoding: 'htj2k' },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', encoding: 'rle' },
};

// Known but not decodable here: named in the refusal.
const UNSUPPORTED_NAMES: Record<string, string> = {
  '1.2.840.10008.1.2.4.51': 'JPEG Extended (Process 2 & 4, 12-bit)',
  '1.2.840.10008.1.2.4.52': 'JPEG Extended (Process 3 & 5, retired)',
  '1.2.840.10008.1.2.4.53': 'JPEG Spectral Selection (retired)',
  '1.2.840.10008.1.2.4.55': 'JPEG Full Progression (retired)',
  '1.2.840.10008.1.2.4.92': 'JPEG 2000 Part 2 Multi-component (Lossless Only)',
  '1.2.840.10008.1.2.4.93': 'JPEG 2000 Part 2 Multi-component',
  '1.2.840.10008.1.2.4.94': 'JPIP Referenced',
  '1.2.840.10008.1.2.4.95': 'JPIP Referenced Deflate',
  '1.2.840.10008.1.2.4.100': 'MPEG2 Main Profile / Main Level',
  '1.2.840.10008.1.2.4.101': 'MPEG2 Main Profile / High Level',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264 High Profile',
  '1.2.840.10008.1.2.4.103': 'MPEG-4 AVC/H.264 BD-compatible High Profile',
  '1.2.840.10008.1.2.4.107': 'HEVC/H.265 Main Profile',
  '1.2.840.10008.1.2.4.108': 'HEVC/H.265 Main 10 Profile',
  '1.2.840.10008.1.2.4.110': 'JPEG XL Lossless',
  '1.2.840.10008.1.2.4.112': 'JPEG XL',
};

export function pixelEncodingOf(uid: string): PixelEncoding | null {
  return SUPPORTED[uid]?.encoding ?? null;
}

/** "1.2.840.10008.1.2.4.51 (JPEG Extended (Process 2 & 4, 12-bit))", or the UID alone when unknown. */
export function describeTransferSyntax(uid: string): string {
  const name = SUPPORTED[uid]?.name ?? UNSUPPORTED_NAMES[uid];
  return name ? `${uid} (${name})` : `${uid} (an unknown or private transfer syntax)`;
}
