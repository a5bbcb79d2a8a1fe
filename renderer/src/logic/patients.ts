import type { PatientSummary } from '../../../src/contract/index.js';

/** Patients whose case id contains every space-separated word of the query (case-insensitive). */
export function filterPatients(patients: readonly PatientSummary[], query: string): PatientSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return patients.filter((p) => {
    const text = `${p.caseId} ${p.split}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** The next slice index after moving by `delta`, kept inside 0 … count − 1. */
export function stepSlice(index: number, delta: number, count: number): number {
  if (count <= 0) return 0;
  return Math.max(0, Math.min(count - 1, index + delta));
}
