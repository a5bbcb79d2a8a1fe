// The scan's second pass: headers grouped PatientID → StudyInstanceUID → SeriesInstanceUID, with everything that is
// not a usable MR volume skipped with its reason (one entry per series and reason, not per file), and the usable
// series put in order and in the patient.
import path from 'node:path';
import type { SkippedFile } from '../volume-format.js';
import { aggregated } from './collect-headers.js';
import type { DicomHeader, PixelFormat } from './dicom-header.js';
import { largestStack, seriesGeometryOf, type SeriesGeometry, type SliceRef } from './series-geometry.js';
import { isSilentlyIgnored, localizerReason, modalityReason, nonImageReason, pixelReason } from './skip-rules.js';

/** An image series that can be read as one volume. */
export interface UsableSeries {
  uid: string;
  number: string;
  description: string;
  /** One of its images' headers: patient, study, series and acquisition attributes. */
  header: DicomHeader;
  pixel: PixelFormat;
  geometry: SeriesGeometry;
  /** The common RescaleSlope/Intercept, or null when they differ between slices (read as float then). */
  rescale: { slope: number; intercept: number } | null;
}

export interface StudyGroup {
  patientId: string;
  studyUid: string;
  studyDate: string;
  series: UsableSeries[];
  /** Every file of the study's usable series (for the folder shown as the patient's source). */
  files: string[];
}

function seriesLabel(h: DicomHeader, files: number): string {
  const name = [h.series.number, h.series.description && `"${h.series.description}"`].filter(Boolean).join(' ');
  return `series ${name || h.series.instanceUid || '(no SeriesInstanceUID)'} (${files} ${files === 1 ? 'file' : 'files'})`;
}

function commonFolder(files: readonly string[]): string {
  let folder = path.dirname(files[0]!);
  for (const f of files) while (!f.startsWith(folder + path.sep) && folder !== path.dirname(folder)) folder = path.dirname(folder);
  return folder;
}

function skipSeries(skipped: SkippedFile[], headers: readonly DicomHeader[], reason: string): void {
  const files = headers.map((h) => h.file);
  skipped.push(aggregated(commonFolder(files), files, `${seriesLabel(headers[0]!, files.length)}: ${reason}`, `${seriesLabel(headers[0]!, files.length)}: ${reason}`));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function pixelFormatProblem(headers: readonly DicomHeader[]): string | null {
  const formats = new Set(headers.map((h) => `${h.pixel.bitsAllocated}/${h.pixel.bitsStored}/${h.pixel.highBit}/${h.pixel.pixelRepresentation}/${h.pixel.photometricInterpretation}`));
  if (formats.size <= 1) return null;
  return `its images store pixels differently (BitsAllocated/BitsStored/HighBit/PixelRepresentation/PhotometricInterpretation: ${[...formats].join(', ')})`;
}

/** Builds one series from its images' headers, or skips it with the reason. */
function usableSeries(headers: DicomHeader[], skipped: SkippedFile[]): UsableSeries | null {
  const first = headers[0]!;
  const seriesReason = modalityReason(first) ?? localizerReason(first) ?? pixelFormatProblem(headers);
  if (seriesReason) {
    skipSeries(skipped, headers, seriesReason);
    return null;
  }
  const slices: SliceRef[] = [];
  const warnings: string[] = [];
  for (const h of headers) {
    const refs = h.frames.map((frame) => ({
      file: h.file, sopClassUid: h.sopClassUid, sopInstanceUid: h.sopInstanceUid, rows: h.pixel.rows, columns: h.pixel.columns, frame,
    }));
    if (h.numberOfFrames > 1 && h.frames.length !== h.numberOfFrames) {
      skipSeries(skipped, headers, `${h.file} has ${h.numberOfFrames} frames but no per-frame position for each`);
      return null;
    }
    const stack = largestStack(refs);
    if (stack.warning) warnings.push(stack.warning);
    slices.push(...stack.frames);
  }
  const geometry = seriesGeometryOf(slices);
  if ('problem' in geometry) {
    skipSeries(skipped, headers, geometry.problem);
    return null;
  }
  geometry.warnings.unshift(...warnings);
  const { slope, intercept } = geometry.slices[0]!.frame;
  const uniform = geometry.slices.every((s) => s.frame.slope === slope && s.frame.intercept === intercept);
  return {
    uid: first.series.instanceUid,
    number: first.series.number,
    description: first.series.description,
    header: first,
    pixel: first.pixel,
    geometry,
    rescale: uniform ? { slope, intercept } : null,
  };
}

/** Groups headers into studies of usable series; everything else goes to `skipped` with its reason. */
export function groupStudies(headers: readonly DicomHeader[], skipped: SkippedFile[]): StudyGroup[] {
  const images: DicomHeader[] = [];
  const unusable = new Map<string, DicomHeader[]>(); // series uid + reason → files
  const reasons = new Map<string, string>();
  for (const h of headers) {
    if (isSilentlyIgnored(h)) continue;
    const reason = nonImageReason(h) ?? pixelReason(h);
    if (reason) {
      const key = `${h.series.instanceUid}\n${reason}`;
      unusable.set(key, [...(unusable.get(key) ?? []), h]);
      reasons.set(key, reason);
      continue;
    }
    images.push(h);
  }
  for (const [key, list] of unusable) skipSeries(skipped, list, reasons.get(key)!);

  const studies: StudyGroup[] = [];
  for (const studyHeaders of groupBy(images, (h) => `${h.patient.id}\n${h.study.instanceUid}`).values()) {
    const series: UsableSeries[] = [];
    for (const seriesHeaders of groupBy(studyHeaders, (h) => h.series.instanceUid).values()) {
      const usable = usableSeries(seriesHeaders, skipped);
      if (usable) series.push(usable);
    }
    if (series.length === 0) continue;
    const first = studyHeaders[0]!;
    studies.push({
      patientId: first.patient.id,
      studyUid: first.study.instanceUid,
      studyDate: first.study.date,
      series,
      files: series.flatMap((s) => s.geometry.slices.map((slice) => slice.file)),
    });
  }
  return studies;
}

export { commonFolder };
