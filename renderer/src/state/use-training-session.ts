import { useCallback, useEffect, useRef, useState } from 'react';
import type { RendererApi } from '../../../src/api/contract.js';
import { addProgress, EMPTY_HISTORY, type TrainingHistory } from '../logic/training-history.js';
import type { TrainingRequest } from '../components/TrainingPanel.js';

/** The data folder's training run as the training panel shows it. */
export interface TrainingSessionView {
  running: boolean;
  history: TrainingHistory;
  /** When the current run was started here (performance.now()), for the time-based part of its progress. */
  startedAt: number | null;
  message: string;
  start(request: TrainingRequest): Promise<void>;
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
}

export function useTrainingSession(api: RendererApi, hooks: Hooks): TrainingSessionView {
  const [running, setRunning] = useState(false);
  const [history, setHistory] = useState<TrainingHistory>(EMPTY_HISTORY);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const hooksRef = useRef(hooks);
  hooksRef.current = hooks;

  useEffect(() => {
    api.request('training:status', {}).then((s) => setRunning(s.running), () => undefined);
    const off = [
      api.on('training:progress', (p) => {
        setRunning(true);
        setHistory((h) => addProgress(h, p));
      }),
      api.on('training:done', (done) => {
        setRunning(false);
        hooksRef.current.onModelTrained();
        if (done.outcome === 'trained') {
          setMessage(`Model ${done.modelId} trained: validation Dice ${done.valDice === null ? '—' : (done.valDice * 100).toFixed(1) + ' %'}${done.accepted ? ', now active.' : ', not better than the active model: kept as rejected.'}`);
        } else if (done.outcome === 'cancelled') {
          setHistory(EMPTY_HISTORY); // the cancelled run's epoch and ETA no longer describe anything
          setMessage('Training cancelled; the active model is unchanged.');
        } else setMessage(`Training failed: ${done.message}. The active model is unchanged.`);
      }),
    ];
    return () => off.forEach((unsubscribe) => unsubscribe());
  }, [api]);

  const start = useCallback(async (request: TrainingRequest) => {
    setHistory(EMPTY_HISTORY);
    setStartedAt(performance.now());
    setMessage(request.fromScratch ? `Starting a ${request.preset} model from scratch…` : `Starting a retrain of the active model (budget ${request.minutes} min)…`);
    try {
      await hooksRef.current.beforeStart();
      const patientId = hooksRef.current.currentPatient();
      await api.request('training:start', { ...request, ...(patientId !== null && { patientId }) });
      setRunning(true);
      setMessage('');
    } catch (e) {
      setMessage(`Could not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, [api]);

  const cancel = useCallback(() => void api.request('training:cancel', {}).catch(hooksRef.current.report), [api]);
  return { running, history, startedAt, message, start, cancel };
}
