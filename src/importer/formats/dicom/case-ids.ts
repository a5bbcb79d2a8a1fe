// The catalog's case id of a DICOM study: PatientID and StudyDate, made safe as a file name (case ids name folders
// and files). Two studies that would get the same id (same patient and day, or no PatientID at all) each get the
// end of their StudyInstanceUID appended, so neither depends on the order the scan found them in.
import type { StudyGroup } from './group-series.js';

const MISSING_PATIENT_ID = 'NO-PATIENT-ID';
const MISSING_DATE = 'NO-DATE';

function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 64);
}

function uidTail(uid: string, length: number): string {
  const digits = uid.replace(/[^0-9]/g, '');
  return digits.slice(-length) || 'nouid';
}

/** One case id per study, in the order given. */
export function caseIdsOf(studies: readonly StudyGroup[]): string[] {
  const base = studies.map((s) => `${safe(s.patientId) || MISSING_PATIENT_ID}_${safe(s.studyDate) || MISSING_DATE}`);
  const count = new Map<string, number>();
  for (const id of base) count.set(id, (count.get(id) ?? 0) + 1);
  return base.map((id, i) => {
    if (count.get(id) === 1) return id;
    // Lengthen the UID part until the colliding ids differ (they share a UID prefix, the root of the scanner).
    for (const length of [6, 10, 16, 64]) {
      const candidate = `${id}_${uidTail(studies[i]!.studyUid, length)}`;
      const clash = studies.some((other, j) => j !== i && base[j] === id && `${id}_${uidTail(other.studyUid, length)}` === candidate);
      if (!clash) return candidate;
    }
    return `${id}_${i + 1}`;
  });
}
