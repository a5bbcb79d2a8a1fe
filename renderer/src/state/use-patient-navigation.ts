import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { PatientSummary, RendererApi, SliceListing, SliceThumbnail } from '../../../src/contract/index.js';
import { stepSlice } from '../logic/patients.js';
import { readViewLocation, withViewLocation } from '../logic/url-state.js';

const THUMBNAIL_SIZE = 48;

/** The slice a patient opens on: the first with a lesion (what a radiologist checks first), else the middle. */
function openingIndex(slices: readonly SliceListing[]): number {
  const lesion = slices.findIndex((s) => s.hasLesion);
  return lesion >= 0 ? lesion : Math.floor(slices.length / 2);
}

/** Which patient and slice are on screen, the patient list, and the slice strip's listing and thumbnails. */
export interface PatientNavigation {
  patients: PatientSummary[];
  setPatients: Dispatch<SetStateAction<PatientSummary[]>>;
  patient: PatientSummary | undefined;
  patientId: number | null;
  /** The open patient's id now (for callbacks that outlive a render). */
  currentPatient(): number | null;
  slices: SliceListing[];
  /** Changes one slice's listing in place (after a save). */
  updateSlice(sliceId: number, change: (slice: SliceListing) => SliceListing): void;
  index: number;
  slice: SliceListing | undefined;
  setIndex(index: number): void;
  step(delta: number): void;
  goToSlice(sliceId: number): void;
  thumbnails: Map<number, SliceThumbnail>;
  /** Asks for the thumbnails once the patient's first slice is on screen. */
  loadThumbnails(): void;
  /** Opens a patient on a slice (by number), or on its opening slice. */
  openPatient(id: number, sliceNumber?: number): Promise<void>;
  refreshPatients(): Promise<void>;
  /** Reads the open patient's slice listing again (someone else saved one), keeping the slice on screen. */
  refreshSlices(): Promise<void>;
}

/**
 * Patient and slice navigation. The view follows the URL (a reload or a shared link opens the same patient and
 * slice) and the URL follows the view.
 */
export function usePatientNavigation(api: RendererApi, report: (error: unknown) => void, onOpen: (patientId: number, sliceId: number | undefined) => void): PatientNavigation {
  const [patients, setPatients] = useState<PatientSummary[]>([]);
  const [patientId, setPatientId] = useState<number | null>(null);
  const [slices, setSlices] = useState<SliceListing[]>([]);
  const [index, setIndex] = useState(0);
  const [thumbnails, setThumbnails] = useState<Map<number, SliceThumbnail>>(new Map());
  const patientRef = useRef<number | null>(null);
  patientRef.current = patientId;
  const thumbnailsFor = useRef<number | null>(null);
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;

  const slice = slices[index];
  const patient = patients.find((p) => p.id === patientId);

  const refreshPatients = useCallback(() => api.request('catalog:list-patients', {}).then(setPatients, report), [api, report]);
  useEffect(() => void refreshPatients(), [refreshPatients]);

  const openPatient = useCallback(async (id: number, sliceNumber?: number) => {
    setPatientId(id);
    patientRef.current = id;
    const list = await api.request('catalog:list-slices', { patientId: id });
    setSlices(list);
    const asked = sliceNumber === undefined ? -1 : list.findIndex((s) => s.number === sliceNumber);
    const opening = asked >= 0 ? asked : openingIndex(list);
    setIndex(opening);
    setThumbnails(new Map());
    thumbnailsFor.current = null;
    onOpenRef.current(id, list[opening]?.id);
  }, [api]);

  // Thumbnails are asked for once the patient's first slice is on screen, so their decoding on the server does
  // not delay that slice and its prefetched neighbours.
  const loadThumbnails = useCallback(() => {
    const id = patientRef.current;
    if (id === null || thumbnailsFor.current === id) return;
    thumbnailsFor.current = id;
    api.request('slices:get-thumbnails', { patientId: id, size: THUMBNAIL_SIZE }).then((thumbs) => {
      if (patientRef.current === id) setThumbnails(new Map(thumbs.map((t) => [t.sliceId, t])));
    }, () => (thumbnailsFor.current = null));
  }, [api]);

  useEffect(() => {
    if (!patient || !slice) return;
    const next = withViewLocation(window.location.href, { caseId: patient.caseId, slice: slice.number });
    if (next !== window.location.href) window.history.replaceState(null, '', next);
  }, [patient, slice]);

  const restoredView = useRef(false);
  useEffect(() => {
    if (restoredView.current || patients.length === 0) return;
    restoredView.current = true;
    const view = readViewLocation(window.location.search);
    const asked = view.caseId ? patients.find((p) => p.caseId === view.caseId) : undefined;
    if (asked && patientRef.current === null) void openPatient(asked.id, view.slice ?? undefined).catch(report);
  }, [patients, openPatient, report]);

  // Only the newest listing asked for is applied: an older one answering late would undo what came since (an
  // approval shown in the strip, another reader's save).
  const listingAsked = useRef(0);
  const refreshSlices = useCallback(async () => {
    const id = patientRef.current;
    if (id === null) return;
    const asked = ++listingAsked.current;
    const list = await api.request('catalog:list-slices', { patientId: id });
    if (patientRef.current === id && asked === listingAsked.current) setSlices(list);
  }, [api]);

  const count = slices.length;
  return {
    patients, setPatients, patient, patientId, currentPatient: () => patientRef.current,
    slices,
    updateSlice: useCallback((sliceId, change) => setSlices((list) => list.map((s) => (s.id === sliceId ? change(s) : s))), []),
    index, slice, setIndex,
    step: useCallback((delta: number) => setIndex((i) => stepSlice(i, delta, count)), [count]),
    goToSlice: useCallback((sliceId: number) => setIndex(Math.max(0, slices.findIndex((s) => s.id === sliceId))), [slices]),
    thumbnails, loadThumbnails, openPatient, refreshPatients, refreshSlices,
  };
}
