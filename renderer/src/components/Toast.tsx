import { useEffect } from 'react';

/** A message where the eye is: over the image, coloured by kind, with Undo for edits that replaced a mask. */
export interface ToastMessage {
  kind: 'info' | 'success' | 'error';
  text: string;
  /** Offered for whole-mask edits (clear, accept, copy): undoes exactly that step. */
  onUndo?: () => void;
  /** Changes with every message, so the same text twice shows (and times out) twice. */
  id: number;
}

interface Props {
  toast: ToastMessage | null;
  onClose(): void;
}

/** Errors stay until closed; other messages fade after a few seconds. */
export function Toast({ toast, onClose }: Props) {
  useEffect(() => {
    if (!toast || toast.kind === 'error') return;
    const timer = setTimeout(onClose, toast.onUndo ? 8000 : 5000);
    return () => clearTimeout(timer);
  }, [toast, onClose]);
  if (!toast) return null;
  return (
    <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={toast.kind}>
      <span>{toast.text}</span>
      {toast.onUndo && <button onClick={() => { toast.onUndo!(); onClose(); }}>Undo</button>}
      <button className="close" onClick={onClose} aria-label="Close message">×</button>
    </div>
  );
}
