// dicom-parser, loaded for Node. Its bundle is UMD, which Node's ESM loader exposes only as a default export the
// package's types do not declare, so it is required; deflated files are inflated with node:zlib.
import { createRequire } from 'node:module';
import { inflateRawSync } from 'node:zlib';
import type { DataSet, ParseDicomOptions } from 'dicom-parser';

const require = createRequire(import.meta.url);
export const dicomParser = require('dicom-parser') as typeof import('dicom-parser');

export type { DataSet };

// The deflated transfer syntax compresses everything after the meta header: the data set is inflated whole, and
// the meta header is kept in front so dicom-parser's offsets stay right.
function inflateDataSet(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(position));
  const full = Buffer.allocUnsafe(position + inflated.length);
  full.set(bytes.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

/**
 * Parses a DICOM byte stream (Part 10, or a bare data set in `bareTransferSyntax`); `headerOnly` stops before the
 * pixel data. whatever dicom-parser throws comes back as an Error.
 */
export function parseDicom(bytes: Uint8Array, options: { headerOnly: boolean; bareTransferSyntax?: string }): DataSet {
  const parseOptions: ParseDicomOptions = {
    inflater: inflateDataSet as unknown as ParseDicomOptions['inflater'],
    ...(options.headerOnly ? { untilTag: 'x7fe00010' } : {}),
    ...(options.bareTransferSyntax ? { TransferSyntaxUID: options.bareTransferSyntax } : {}),
  };
  try {
    return dicomParser.parseDicom(bytes, parseOptions);
  } catch (error) {
    throw asError(error);
  }
}

// dicom-parser throws strings, Errors, or { exception, dataSet } when the data set breaks off part way.
function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'object' && thrown !== null && 'exception' in thrown) return asError(thrown.exception);
  return new Error(String(thrown));
}
