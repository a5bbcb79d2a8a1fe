import type { PatientSummary, SliceListing } from '../../../src/contract/index.js';
import { formatArea, formatVolume } from '../logic/measure.js';
import type { SliceData } from '../state/use-slice-data.js';
import { SpacingEditor } from './SpacingEditor.js';

/** Foreground pixels of a working mask. */
function countMask(mask: Uint8Array | null): number {
  let n = 0;
  if (mask) for (let i = 0; i < mask.length; i++) n += mask[i] ? 1 : 0;
  return n;
}

/** The patient's lesion volume in voxels: every slice's stored area, the shown slice's live one. */
function patientVolume(slices: readonly SliceListing[], shownId: number, shownPixels: number): number {
  return slices.reduce((sum, s) => sum + (s.id === shownId ? shownPixels : s.lesionPixels), 0);
}

const SCAN_FORMATS = { nifti: 'NIfTI', dicom: 'DICOM' } as const;

interface Props {
  patient: PatientSummary | undefined;
  slices: readonly SliceListing[];
  slice: SliceListing | undefined;
  data: SliceData | null;
  /** The editor's working mask of the loaded slice (changed in place; this view renders with every edit). */
  workingMask: Uint8Array | null;
  cursor: string;
  onSpacing(pixelMm: number, sliceMm: number): void;
}

/**
 * Under the image: which slice this is, its lesion area and the patient's volume, the spacing, the cursor readout;
 * for a NIfTI or DICOM patient its format and, on a line of their own, the import's warnings. The first line never
 * wraps: its height, and so the image's size, must not change as the pointer moves or a preview arrives.
 */
export function SliceCaption({ patient, slices, slice, data, workingMask, cursor, onSpacing }: Props) {
  // Only the shown slice's own figures: while the next slice loads, data (and the working mask) are still the previous one's.
  const loaded = Boolean(slice && data?.sliceId === slice.id);
  const shownArea = slice ? (loaded ? countMask(workingMask) : slice.lesionPixels) : 0;
  const spacing = patient?.spacing ?? null;
  return (
    <div className="slice-caption" data-testid="slice-caption">
      {/* One line whatever the pointer does: a readout that wrapped would shrink the image under the pointer. */}
      <div className="caption-line">
      <span className="slice-title">{slice ? `${patient?.caseId ?? ''} · slice ${slice.number} of ${slices.length}${slice.hasLesion ? ' · lesion' : ''}${slice.edited ? ' · edited' : ''}` : 'Pick a patient'}
        {loaded && data?.prediction ? ` · prediction: model ${data.prediction.modelId}${data.previewed ? ' (preview: this slice alone)' : ''}` : ''}</span>
      {slice && <span className="lesion-area" data-testid="lesion-area" title="Lesion area of this slice's mask, and the lesion volume of the patient's current masks. In pixels and voxels unless the patient's spacing is entered (these TIFFs carry none)">
        {`${formatArea(shownArea, spacing)} · patient volume ${formatVolume(patientVolume(slices, slice.id, shownArea), spacing)}`}</span>}
      {patient && <SpacingEditor spacing={patient.spacing} fromHeader={patient.scan !== null} onSave={onSpacing} />}
      {patient?.scan && <span className="scan-format" data-testid="scan-format">{SCAN_FORMATS[patient.scan.format]}</span>}
      <span className="cursor" data-testid="cursor-readout">{cursor}</span>
      </div>
      {patient?.scan?.warnings.length ? <span className="scan-warnings" data-testid="scan-warnings" title="What the import said about this patient">⚠ {patient.scan.warnings.join(' · ')}</span> : null}
    </div>
  );
}
