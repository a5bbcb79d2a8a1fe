import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModelSummary, RendererApi, ResumableRun } from '../../../src/contract/index.js';
import { addProgress, EMPTY_HISTORY, type TrainingHistory } from '../logic/training-history.js';
import { trainedMessage, type TrainedRun } from '../logic/format.js';
import type { TrainingRequest } from '../components/TrainingPanel.js';

/** The data folder's training run as the training panel shows it. */
export interface TrainingSessionView {
  running: boolean;
  history: TrainingHistory;
  message: string;
  /** A run that stopped before it finished (app closed, machine restarted, cancelled), which can continue. */
  resumable: ResumableRun | null;
  start(request: TrainingRequest): Promise<void>;
  resume(): Promise<void>;
  discard(): void;
  cancel(): void;
}

interface Hooks {
  /** Runs before a start: every edit must be saved, since the run reads the catalog. */
  beforeStart(): Promise<void>;
  /** The patient on screen: the server predicts it with the new model when the run is accepted. */
  currentPatient(): number | null;
  /** A run ended with a model (accepted or not): lists change. */
  onModelTrained(): void;
  report(error: unknown): void;
  /** The model versions now: the message about a finished run says what is true now, not at the run's end. */
  models: readonly ModelSummary[];
}

export function useTrainingSession(api: RendererApi, hooks: Hooks): TrainingSessionView {
  const [running, setRunning] = useState(false);
  const [history, setHistory] = useState<TrainingHistory>(EMPTY_HISTORY);
  const [text, setText] = useState('');
  const [trained, setTrained] = useState<TrainedRun | null>(null);
  const setMessage = useCallback((next: string) => {
    setText(next);
    setTrained(null);
  }, []);
  const [resumable, setResumable] = useState<ResumableRun | null>(null);
  const hooksRef = useRef(hooks);
  hooksRef.current = hooks;

  // Whether a run is going comes from the events once the page is open; the status is asked for at the start, and
  // after each run for the stopped run it may have left to resume.
  const refreshResumable = useCallback(() => api.request('training:status', {}).then((s) => setResumable(s.resumable), () => undefined), [api]);

  useEffect(() => {
    api.request('training:status', {}).then((s) => {
      setRunning(s.running);
      setResumable(s.resumable);
    }, () => undefined);
    const off = [
      api.on('training:progress', (p) => {
        setRunning(true);
        setHistory((h) => addProgress(h, p));
      }),
      api.on('training:done', (done) => {
        setRunning(false);
        hooksRef.current.onModelTrained();
        if (done.outcome === 'trained') {
          setText('');
          setTrained(done);
        } else if (done.outcome === 'cancelled') {
          setHistory(EMPTY_HISTORY); // the cancelled run's epoch and ETA no longer describe anything
          setMessage('Training cancelled; the active model is unchanged.');
        } else setMessage(`Training failed: ${done.message}. The active model is unchanged.`);
        // A cancelled or failed run that got past its first epoch can be resumed: the panel offers it.
        void refreshResumable();
      }),
    ];
    return () => off.forEach((unsubscribe) => unsubscribe());
  }, [api, refreshResumable, setMessage]);

  const begin = useCallback(async (request: TrainingRequest | { fromScratch: false; resume: true }, starting: string) => {
    setHistory(EMPTY_HISTORY);
    setMessage(starting);
    try {
      await hooksRef.current.beforeStart();
      const patientId = hooksRef.current.currentPatient();
      await api.request('training:start', { ...request, ...(patientId !== null && { patientId }) });
      setRunning(true);
      setResumable(null);
      setMessage('');
    } catch (e) {
      setMessage(`Could not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, [api, setMessage]);

  const start = useCallback((request: TrainingRequest) => begin(request, request.fromScratch
    ? `Starting a ${request.preset} model from scratch…` : `Starting a retrain of the active model (budget ${request.minutes} min)…`), [begin]);
  const resume = useCallback(() => begin({ fromScratch: false, resume: true }, 'Resuming the stopped run from its last epoch…'), [begin]);
  const discard = useCallback(() => void api.request('training:discard', {}).then(refreshResumable, hooksRef.current.report), [api, refreshResumable]);
  const cancel = useCallback(() => void api.request('training:cancel', {}).catch(hooksRef.current.report), [api]);
  const known = trained && hooks.models.some((m) => m.id === trained.modelId);
  const message = trained ? trainedMessage(trained, known ? hooks.models.find((m) => m.active)?.id ?? null : undefined) : text;
  return { running, history, message, resumable, start, resume, discard, cancel };
}
