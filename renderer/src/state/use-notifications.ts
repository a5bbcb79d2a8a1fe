import { useCallback, useRef, useState } from 'react';
import type { ToastMessage } from '../components/Toast.js';

/** The footer's status line and the toast over the image. */
export interface Notifications {
  status: string;
  toast: ToastMessage | null;
  /** A progress line ("Importing 3/20…"): the footer only. */
  setStatus(text: string): void;
  /** A result or an error: the footer and a toast where the eye is (with Undo when given). */
  notify(text: string, kind?: ToastMessage['kind'], onUndo?: () => void): void;
  /** An error from a request, as a red toast that stays until closed. */
  report(error: unknown): void;
  closeToast(): void;
}

export function useNotifications(): Notifications {
  const [status, setStatus] = useState('');
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const toastId = useRef(0);
  const notify = useCallback((text: string, kind: ToastMessage['kind'] = 'info', onUndo?: () => void) => {
    setStatus(text);
    setToast({ kind, text, id: ++toastId.current, ...(onUndo && { onUndo }) });
  }, []);
  const report = useCallback((error: unknown) => notify(`Error: ${error instanceof Error ? error.message : String(error)}`, 'error'), [notify]);
  const closeToast = useCallback(() => setToast(null), []);
  return { status, toast, setStatus, notify, report, closeToast };
}
