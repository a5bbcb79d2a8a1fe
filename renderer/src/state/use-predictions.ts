import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventPayloads, RendererApi, SliceListing } from '../../../src/contract/index.js';

/** Running predictions, and what the "what changed" view compares with after a retrain. */
export interface PredictionsView {
  /** Changes whenever stored predictions (or masks, from outside the editor) change: cached slices are refetched. */
  revision: number;
  bumpRevision(): void;
  /** The model the last accepted retrain replaced, and its prediction of the shown slice (when asked for). */
  previousModelId: number | null;
  previousPrediction: Uint8Array | null;
  /** Compares the `C` view with another model from now on (the one active before a manual activation). */
  compareWith(modelId: number): void;
  /** Predicts the open patient (with a given model, or the active one). */
  predictPatient(modelId?: number): Promise<void>;
  /**
   * Predicts a patient opened for the first time under the active model, so its proposal is there at once: the
   * slice on screen first (a preview), then the whole volume.
   */
  predictOnFirstView(patientId: number, sliceId: number | undefined): void;
  /** The open patient's previewed slices (the one on screen, then its neighbours), by slice id, until it changes. */
  previews: ReadonlyMap<number, EventPayloads['predictions:preview']>;
}

interface Hooks {
  currentPatient(): number | null;
  hasActiveModel(): boolean;
  setStatus(text: string, scope?: 'patient'): void;
  report(error: unknown): void;
  /** A patient's predictions by `modelId` changed (`slices` of them predicted now): its ranking is read again. */
  onPredicted(patientId: number, slices: number, modelId: number): void;
  /** An accepted retrain's predictions of the open patient are in: `C` can show what changed (it is not switched on). */
  onRetrainPredicted(modelId: number, previousModelId: number): void;
}

export function usePredictions(api: RendererApi, slice: SliceListing | undefined, showChanges: boolean, hooks: Hooks): PredictionsView {
  const [revision, setRevision] = useState(0);
  const [previousModelId, setPreviousModelId] = useState<number | null>(null);
  const [previousPrediction, setPreviousPrediction] = useState<Uint8Array | null>(null);
  const [previews, setPreviews] = useState<ReadonlyMap<number, EventPayloads['predictions:preview']>>(new Map());
  const hooksRef = useRef(hooks);
  hooksRef.current = hooks;
  const bumpRevision = useCallback(() => setRevision((r) => r + 1), []);

  useEffect(() => {
    const off = [
      // Only the open patient's progress: patients predicted in the background after an import stay quiet.
      api.on('predictions:progress', (p) => {
        if (p.patientId === hooksRef.current.currentPatient()) hooksRef.current.setStatus(`Predicting: ${p.done}/${p.total} slices`, 'patient');
      }),
      // Every prediction run ends here, whoever started it (this page, the first view, or a retrain on the server).
      api.on('predictions:preview', (p) => {
        if (p.patientId === hooksRef.current.currentPatient()) setPreviews((shown) => new Map(shown).set(p.sliceId, p));
      }),
      // Previews stay until the patient changes: once the stored prediction is fetched it is no longer shown.
      api.on('predictions:done', (run) => {
        if (run.previousModelId !== undefined) setPreviousModelId(run.previousModelId);
        // Runs for other patients (the background after an import) say nothing: the status line is about the
        // patient on screen.
        if (hooksRef.current.currentPatient() === run.patientId) {
          if (run.slices > 0) hooksRef.current.setStatus(`Model ${run.modelId} predicted this patient's ${run.slices} slices in ${run.seconds.toFixed(1)} s.`, 'patient');
          setRevision((r) => r + 1);
          hooksRef.current.onPredicted(run.patientId, run.slices, run.modelId);
          if (run.previousModelId != null) hooksRef.current.onRetrainPredicted(run.modelId, run.previousModelId);
        }
      }),
      api.on('predictions:failed', (f) => hooksRef.current.report(new Error(`predicting after the retrain: ${f.message}`))),
    ];
    return () => off.forEach((unsubscribe) => unsubscribe());
  }, [api]);

  const sliceId = slice?.id;
  useEffect(() => {
    setPreviousPrediction(null);
    if (sliceId === undefined || previousModelId === null || !showChanges) return;
    let live = true;
    api.request('predictions:get', { sliceId, modelId: previousModelId }).then((p) => live && setPreviousPrediction(p?.data ?? null), () => undefined);
    return () => {
      live = false;
    };
  }, [api, sliceId, previousModelId, showChanges, revision]);

  const predictPatient = useCallback(async (modelId?: number) => {
    const id = hooksRef.current.currentPatient();
    if (id === null) return;
    hooksRef.current.setStatus('Predicting this patient…', 'patient');
    await api.request('predictions:run', { patientId: id, ...(modelId && { modelId }) }).catch(hooksRef.current.report);
  }, [api]);

  const predictOnFirstView = useCallback((patientId: number, sliceId: number | undefined) => {
    setPreviews(new Map());
    if (!hooksRef.current.hasActiveModel()) return;
    void api.request('predictions:run', { patientId, ifMissing: true, ...(sliceId !== undefined && { sliceId }) }).catch(hooksRef.current.report);
  }, [api]);

  const compareWith = useCallback((modelId: number) => setPreviousModelId(modelId), []);
  return { revision, bumpRevision, previousModelId, previousPrediction, compareWith, predictPatient, predictOnFirstView, previews };
}
