import { useEffect, useState } from 'react';

/** A message where the eye is: over the image, coloured by kind, with Undo for edits that replaced a mask. */
export interface ToastMessage {
  kind: 'info' | 'success' | 'error';
  text: string;
  /** Offered for whole-mask edits (clear, accept, copy): undoes exactly that step. */
  onUndo?: () => void;
  /** Changes with every message, so the same text twice shows (and times out) twice. */
  id: number;
}

/** How long an error stays over the image before it fades into the status line. */
const ERROR_MS = 10_000;

interface Props {
  toast: ToastMessage | null;
  onClose(): void;
}

/**
 * Messages fade: results after a few seconds, errors after longer (they stay in the status line below the image,
 * so nothing sits over the image until it is dismissed). Not while the pointer or the keyboard focus is on one: a
 * user reaching for its Undo must not see it vanish under the pointer (WCAG 2.2.1, timing adjustable); the full time
 * starts again when they leave it.
 */
export function Toast({ toast, onClose }: Props) {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!toast || held) return;
    const timer = setTimeout(onClose, toast.kind === 'error' ? ERROR_MS : toast.onUndo ? 8000 : 5000);
    return () => clearTimeout(timer);
  }, [toast, onClose, held]);
  useEffect(() => setHeld(false), [toast]);
  if (!toast) return null;
  return (
    <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={toast.kind}
      onPointerEnter={() => setHeld(true)} onPointerLeave={() => setHeld(false)} onFocus={() => setHeld(true)} onBlur={() => setHeld(false)}>
      <span>{toast.text}</span>
      {toast.onUndo && <button onClick={() => { toast.onUndo!(); onClose(); }}>Undo</button>}
      <button className="close" onClick={onClose} aria-label="Close message">×</button>
    </div>
  );
}
