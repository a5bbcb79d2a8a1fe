import { useCallback, useRef, useState } from 'react';
import type { ToastMessage } from '../components/Toast.js';

/** The footer's status line and the toast over the image. */
export interface Notifications {
  status: string;
  toast: ToastMessage | null;
  /** A progress line ("Importing 3/20…"): the footer only. `patient`: it is about the open patient (a prediction). */
  setStatus(text: string, scope?: 'patient'): void;
  /** Clears the footer if what it says is about the patient just left (an import's result stays). */
  clearPatientStatus(): void;
  /** A result or an error: the footer and a toast where the eye is (with Undo when given). */
  notify(text: string, kind?: ToastMessage['kind'], onUndo?: () => void): void;
  /** An error from a request, as a red toast that stays until closed. */
  report(error: unknown): void;
  closeToast(): void;
}

/**
 * How long an error keeps the footer against background news (a prediction's progress or end): after its toast
 * fades (10 s) the error is still there to read for a while, not buried by a job the user did not just ask for.
 */
const ERROR_HOLD_MS = 30_000;

export function useNotifications(): Notifications {
  const [status, setStatusText] = useState('');
  const patientScoped = useRef(false);
  const errorAt = useRef(-Infinity);
  const setStatus = useCallback((text: string, scope?: 'patient') => {
    if (scope === 'patient' && performance.now() - errorAt.current < ERROR_HOLD_MS) return;
    patientScoped.current = scope === 'patient';
    setStatusText(text);
  }, []);
  const clearPatientStatus = useCallback(() => {
    if (patientScoped.current) setStatusText('');
  }, []);
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const toastId = useRef(0);
  const notify = useCallback((text: string, kind: ToastMessage['kind'] = 'info', onUndo?: () => void) => {
    errorAt.current = kind === 'error' ? performance.now() : -Infinity;
    setStatus(text);
    setToast({ kind, text, id: ++toastId.current, ...(onUndo && { onUndo }) });
  }, []);
  const report = useCallback((error: unknown) => notify(`Error: ${error instanceof Error ? error.message : String(error)}`, 'error'), [notify]);
  const closeToast = useCallback(() => setToast(null), []);
  return { status, toast, setStatus, clearPatientStatus, notify, report, closeToast };
}
