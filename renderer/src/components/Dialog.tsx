import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A modal card over the workstation. Escape cancels; the workstation's single-letter keys do not act while it is
 * open (they would change the view behind it).
 */
export function Dialog({ label, onCancel, children }: { label: string; onCancel(): void; children: ReactNode }) {
  const card = useRef<HTMLDivElement>(null);
  useEffect(() => {
    card.current?.querySelector<HTMLElement>('select, input, button')?.focus();
  }, []);
  return (
    <div className="dialog-overlay" onKeyDown={(e) => {
      e.stopPropagation();
      if (e.key === 'Escape') onCancel();
    }}>
      <div className="dialog-card" role="dialog" aria-modal="true" aria-label={label} ref={card}>{children}</div>
    </div>
  );
}
